"""Choosing the dataset that explains a sheet (issue 25): every dataset scored, a clear margin
or held with the two side by side, ratios never money, a sparse rating is a ticket's not a
survey's, no dataset fits ends raw, formula sheets restating other sheets are not data, and
KPI rows with months across are targets."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pyarrow as pa

from cockpit import vocabulary
from cockpit.ingest import evidence, formulas
from cockpit.ingest import mapping as m
from cockpit.ingest.detect_types import ColumnProfile
from cockpit.ingest.pipeline import load_files
from cockpit.screens import dataops
from cockpit.store import Store
from cockpit.testing import layouts as L


def _analysis(table: pa.Table, kinds: dict[str, str], sheet="Data", title=None):
    profiles = [
        ColumnProfile(index=i, name=n, kind=kinds[n], evidence="test",
                      null_count=table[n].null_count)
        for i, n in enumerate(table.column_names)
    ]  # fmt: skip
    return SimpleNamespace(columns=profiles, sheet=sheet, file="export.xlsx", title=title,
                           data_rows=table.num_rows)  # fmt: skip


def test_the_vocabulary_gives_each_money_column_its_nature():
    assert vocabulary.nature("budget", "actual") == "money"
    assert vocabulary.nature("orders", "quantity") == "count"
    assert vocabulary.nature("targets", "target") is None  # a target may be a percentage


def test_ratios_are_never_money_but_amounts_are():
    ratios = pa.table({"actual_productivity": [0.94, 0.8657, 0.8006, 0.5, 1.02]})
    got = evidence.nature_misfits("budget", {"actual": "actual_productivity"}, ratios, {})
    assert list(got) == ["actual"] and "ratios are never money" in got["actual"]
    money = pa.table({"Actual": [1250.5, 480.0, 3125.0, 0.5]})
    assert evidence.nature_misfits("budget", {"actual": "Actual"}, money, {}) == {}
    # Whole numbers between 0 and 1 are counts of 0 or 1, not ratios.
    flags = pa.table({"Qty": [0, 1, 1, 0]})
    assert evidence.nature_misfits("orders", {"quantity": "Qty"}, flags, {}) == {}
    # A percent column is a ratio whatever its numbers.
    assert evidence.nature_misfits("budget", {"budget": "Plan"}, None, {"Plan": "percent"})


def test_a_team_productivity_log_is_no_budget_and_fits_no_dataset():
    """Targeted and actual productivity are ratios: 'actual' is no budget amount, and nothing
    else explains the sheet."""
    n = 6
    table = pa.table({
        "date": [dt.date(2025, 1, 5 + i) for i in range(n)],
        "department": ["sweing"] * n,
        "team": [1, 2, 3, 4, 5, 6],
        "targeted_productivity": [0.8, 0.75, 0.8, 0.7, 0.8, 0.65],
        "over_time": [7080, 960, 3660, 1920, 6720, 960],
        "no_of_workers": [59.0, 8.0, 30.5, 56.0, 57.5, 8.0],
        "actual_productivity": [0.94, 0.8865, 0.8006, 0.6, 0.8, 0.71],
    })  # fmt: skip
    kinds = {n: "number" for n in table.column_names} | {"date": "date", "department": "text"}
    got = m.propose(_analysis(table, kinds), table=table)
    assert got.dataset is None and got.reasons == [m.NO_FIT]


def test_a_rating_on_a_third_of_the_tickets_makes_contacts_not_surveys():
    n = 9
    table = pa.table({
        "Ticket ID": [f"T-{i}" for i in range(n)],
        "Created": [dt.datetime(2025, 1, 5 + i, 9) for i in range(n)],
        "Ticket Status": ["Closed", "Open", "Pending"] * 3,
        # A survey's 'response time' synonym: surveys could take the sheet too.
        "First Response Time": [dt.datetime(2025, 1, 5 + i, 11) for i in range(n)],
        "Customer Satisfaction Rating": [5, None, None, 3, None, None, 4, None, None],
    })  # fmt: skip
    kinds = {"Ticket ID": "text", "Created": "timestamp", "Ticket Status": "text",
             "First Response Time": "timestamp", "Customer Satisfaction Rating": "number"}  # fmt: skip
    got = m.propose(_analysis(table, kinds, sheet="Tickets"), table=table)
    assert got.dataset == "contacts"
    assert got.columns["csat"] == "Customer Satisfaction Rating"
    assert any(r.startswith("not surveys: csat is filled on only 33% of the rows") for r in
               got.reasons)  # fmt: skip


def test_two_datasets_about_as_good_are_held_side_by_side():
    table = pa.table({"Month": pa.array([dt.date(2025, 1, 1)]), "Target": [1.0], "KPI": ["x"],
                      "Budget": [2.0], "Department": ["Ops"]})  # fmt: skip
    kinds = {"Month": "date", "Target": "number", "KPI": "text", "Budget": "number",
             "Department": "text"}  # fmt: skip
    got = m.propose(_analysis(table, kinds), table=table)
    assert {c["dataset"] for c in got.candidates} == {"targets", "budget"}
    assert got.dataset == got.candidates[0]["dataset"]
    assert got.candidates[0]["score"] - got.candidates[1]["score"] < m.MARGIN
    assert any("about as well as" in h for h in got.held)
    # The Data page asks which it is, with one button per dataset instead of one confirm.
    hold = dataops.hold_summary(SimpleNamespace(mapping=got, analysis=None))
    assert hold["text"].endswith("Say which dataset it is below.") and not hold["can_confirm"]
    # The Data page shows them side by side, in words.
    shown = dataops.candidates_table(SimpleNamespace(mapping=got)).set_index("dataset")
    assert sorted(shown.index) == ["Budget vs actual", "Targets (monthly plan)"]
    # Each explains 3 of the 5 columns: month and the department, KPI or target, budget.
    assert set(shown["explains"]) == {"60% of the columns"}
    assert shown.loc["Budget vs actual", "columns"] == (
        "month ← Month, unit ← Department, budget ← Budget"
    )
    assert shown.loc["Targets (monthly plan)", "fills"] == "60% of the dataset"


def test_a_clear_winner_loads_with_no_candidates():
    table = pa.table({"Order ID": ["a"], "Order Date": [dt.date(2025, 1, 3)],
                      "Qty": [3], "Revenue": [120.5], "Customer": ["Acme"]})  # fmt: skip
    kinds = {"Order ID": "text", "Order Date": "date", "Qty": "number", "Revenue": "number",
             "Customer": "text"}  # fmt: skip
    got = m.propose(_analysis(table, kinds, sheet="Orders"), table=table)
    assert got.dataset == "orders" and got.candidates == [] and got.held == []


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_sheet_of_formulas_over_another_sheet_is_not_data():
    data = [["Account", "Budget"], ["Salaries", 1000], ["Energy", 500], ["Travel", 300],
            ["Rent", 200], ["IT", 100]]  # fmt: skip
    dash = [["Account", "Budget"]] + [[f"=Data!A{r}", f"=Data!B{r}"] for r in range(2, 7)]
    got = formulas.restating_sheets(_workbook({"Data": data, "Dash": dash}), "b.xlsx")
    assert list(got) == ["Dash"] and got["Dash"].startswith("10 of its 12 filled cells")
    # Formulas within the sheet (a total, a variance) are the sheet's own.
    own = data + [["Total", "=SUM(B2:B6)"]] + [[f"=A{r}", f"=B{r}*2"] for r in range(2, 7)]
    assert formulas.restating_sheets(_workbook({"Data": own, "Other": data}), "b.xlsx") == {}
    # A single sheet, a csv: nothing to restate.
    assert formulas.restating_sheets(_workbook({"Dash": dash}), "b.xlsx") == {}
    assert formulas.restating_sheets(b"a,b\n1,2\n", "b.csv") == {}


def test_a_formula_dashboard_beside_its_budget_is_kept_raw():
    r = L.render("formula_dashboard", L.NO_DATASET, "xlsx", 0)
    store = Store.open(":memory:")
    try:
        report = load_files(store, [(r.name, r.data)])
    finally:
        store.close()
    by_sheet = {s.sheet: s for f in report.files for s in f.sheets}
    assert (by_sheet["Budget"].status, by_sheet["Budget"].dataset) == ("loaded", "budget")
    assert by_sheet["Dashboard"].status == "raw-only"
    assert any("restates other sheets" in msg for msg in by_sheet["Dashboard"].messages)


def _load_csv(text: str, name: str = "plan.csv"):
    store = Store.open(":memory:")
    try:
        report = load_files(store, [(name, text.encode())])
        (sheet,) = report.files[0].sheets
        rows = store.cursor().execute(
            "select kpi, month, target from targets_live order by kpi, month"
        ).fetchall() if sheet.status == "loaded" else []  # fmt: skip
        return sheet, rows
    finally:
        store.close()


def test_kpi_rows_with_months_across_are_targets_per_kpi():
    sheet, rows = _load_csv(
        "Targets 2025,,,\n,,,\nMetric,Jan,Feb,Mar\nrevenue,5000,5100,5200\noee_pct,65,65,66\n"
    )
    assert (sheet.status, sheet.dataset) == ("loaded", "targets")
    assert len(rows) == 6
    assert [r[0] for r in rows] == ["oee_pct"] * 3 + ["revenue"] * 3
    assert [r[2] for r in rows] == [65, 65, 66, 5000, 5100, 5200]


def test_kpi_rows_beside_actuals_are_not_taken_for_targets():
    sheet, _ = _load_csv(
        "Actuals 2025,,,\n,,,\nKPI,Jan,Feb,Mar\nrevenue,5000,5100,5200\noee_pct,65,65,66\n"
    )
    assert sheet.dataset != "targets"


def test_every_negative_family_says_what_it_wants():
    for family, neg in L.NEGATIVES.items():
        assert L.datasets_for(family), family
        r = L.render(family, L.datasets_for(family)[0], "csv", 0)
        assert r.negative is neg and r.data
        for sheet, want in neg.want.items():
            assert want is None or want in neg.allowed[sheet]


def test_a_required_group_is_filled_by_any_of_its_alternatives():
    """Downtime needs a date or a batch: a work order on 1 row in 10 beside a date on every
    row rejects nothing; a rating on 3 rows in 9 would reject six."""
    from cockpit import datasets

    n = 10
    table = pa.table({
        "Started": [dt.datetime(2025, 1, 1 + i) for i in range(n)],
        "Work Order": ["WO-1"] + [None] * (n - 1),
        "Minutes": [5.0] * n,
    })  # fmt: skip
    columns = {"date": "Started", "batch": "Work Order", "minutes": "Minutes"}
    groups = datasets.get("downtime").required
    assert evidence.sparse("downtime", groups, columns, table, {}, n) == {}
    rated = pa.table({"Date": [dt.date(2025, 1, 1)] * 9, "Q7": [5, None, None] * 3})
    got = evidence.sparse("surveys", datasets.get("surveys").required,
                          {"response_date": "Date", "csat": "Q7"}, rated, {}, 9)  # fmt: skip
    assert got == {"csat": 3 / 9}


def test_a_ticket_export_with_no_created_date_is_held_as_contacts_not_loaded_as_surveys():
    n = 9
    table = pa.table({
        "Ticket ID": [f"T-{i}" for i in range(n)],
        "Ticket Status": ["Closed", "Open", "Pending"] * 3,
        "First Response Time": [dt.datetime(2025, 1, 5 + i, 11) for i in range(n)],
        "Customer Satisfaction Rating": [5, None, None, 3, None, None, 4, None, None],
    })  # fmt: skip
    kinds = {"Ticket ID": "text", "Ticket Status": "text", "First Response Time": "timestamp",
             "Customer Satisfaction Rating": "number"}  # fmt: skip
    got = m.propose(_analysis(table, kinds, sheet="Tickets"), table=table)
    assert got.dataset == "contacts" and got.missing_required == ["contact_date"]
    assert "missing contact_date" in got.held
    assert any(r.startswith("not surveys: csat is filled on only 33%") for r in got.reasons)


def test_numeric_seller_ids_with_text_months_across_are_targets_by_seller():
    """A sheet per year, months as text ('Jan-19'), sellers as numeric ids: not 'missing
    month' but a target per seller and month."""
    sheet = _workbook({"2019": [["Seller", "Jan-19", "Feb-19", "Mar-19"],
                                [101, 5000, 5100, 5200], [102, 4000, 4100, 4200]]})  # fmt: skip
    store = Store.open(":memory:")
    try:
        report = load_files(store, [("presupuesto_vendedores.xlsx", sheet)])
        (got,) = report.files[0].sheets
        rows = (
            store.cursor()
            .execute("select site, month, target from targets_live order by site, month")
            .fetchall()
        )
    finally:
        store.close()
    assert (got.status, got.dataset) == ("loaded", "targets")
    assert [(r[0], r[1].month, r[2]) for r in rows] == [
        ("101", 1, 5000), ("101", 2, 5100), ("101", 3, 5200),
        ("102", 1, 4000), ("102", 2, 4100), ("102", 3, 4200),
    ]  # fmt: skip
