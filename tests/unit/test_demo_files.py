"""The demo exports: they open, carry the quirks real exports have, and agree with the synth data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cockpit import datasets
from cockpit.demo import DEMO_DIR, DEMO_FILES, synth, write_demo_files
from cockpit.ingest.mapping import normalise

LINES = 1_500


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo_files(out, order_lines=LINES)
    return out


@pytest.fixture(scope="module")
def tables():
    return synth.synth_tables(LINES)


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def money(value) -> float:
    """A cell as exported: a number, "£1,234.50" or "(1,234.50)"."""
    if isinstance(value, int | float):
        return float(value)
    text = value.replace("£", "").replace(",", "")
    return -float(text[1:-1]) if text.startswith("(") else float(text)


def is_synonym(dataset: str, header: str) -> bool:
    """The header names a canonical column exactly, as the mapper normalises it."""
    ds = datasets.get(dataset)
    h = normalise(header)
    return any(
        h in {normalise(n) for n in (c.name.replace("_", " "), *c.synonyms)} for c in ds.columns
    )


def test_writes_every_file_small(demo):
    assert sorted(p.name for p in demo.iterdir()) == sorted(DEMO_FILES)
    assert sum((demo / n).stat().st_size for n in DEMO_FILES) < 1_000_000


def test_bytes_are_deterministic(demo, tmp_path):
    write_demo_files(tmp_path, order_lines=LINES)
    for name in DEMO_FILES:
        assert (tmp_path / name).read_bytes() == (demo / name).read_bytes(), name


def test_orders_title_block_merged_super_header_and_synonym_headers(demo):
    wb = openpyxl.load_workbook(demo / "orders_export.xlsx")  # not read-only: merged cells
    ws = wb["Orders"]
    assert [ws.cell(r, 1).value for r in (1, 2, 3, 4)] == [
        "Northwind Components Ltd",
        "Sales order lines",
        "Exported 02/11/2026",
        None,
    ]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A5:B5", "C5:F5", "M5:P5"}
    assert [ws.cell(5, c).value for c in (1, 3, 13)] == ["Order", "Shipping", "Value"]
    header = [c.value for c in ws[6]]
    assert header[:5] == [
        "Order No",
        "Order Date",
        "Dispatch Date",
        "Promised Date",
        "Delivered On",
    ]
    assert all(is_synonym("orders", h) for h in header)
    assert not any(h.lower().replace(" ", "_") in {"order_id", "ship_date"} for h in header)
    assert ws.cell(7, 2).is_date and ws.cell(7, 2).number_format == "dd/mm/yyyy"
    assert isinstance(ws.cell(7, 2).value, dt.datetime)


def test_orders_rows_totals_currency_text_and_blanks(demo, tables):
    rows = sheet_rows(demo / "orders_export.xlsx", "Orders")
    header, data, total = rows[5], rows[6:-1], rows[-1]
    assert len(data) == LINES == tables["orders"].num_rows
    assert total[0] == "Total" and all(v is None for v in total[1:12])
    col = {h: i for i, h in enumerate(header)}
    net = [r[col["Net Sales"]] for r in data]
    texts = [v for v in net if isinstance(v, str)]
    assert texts and all(re.fullmatch(r"£\d{1,3}(,\d{3})*\.\d\d", v) for v in texts)
    expected = sum(tables["orders"].column("revenue").to_pylist())
    assert sum(money(v) for v in net) == pytest.approx(expected, abs=0.01)
    assert money(total[col["Net Sales"]]) == pytest.approx(expected, abs=0.01)
    assert total[col["Qty"]] == sum(r[col["Qty"]] for r in data)
    freight = [r[col["Freight"]] for r in data]
    assert total[col["Freight"]] == pytest.approx(sum(v for v in freight if v), abs=0.01)
    # Blanks exactly where the canonical data has nulls.
    for name, canonical in (("Delivered On", "delivered_date"), ("Freight", "freight_cost")):
        blanks = sum(r[col[name]] is None for r in data)
        assert blanks == tables["orders"].column(canonical).null_count > 0, name


def test_orders_workbook_returns_and_notes_sheets(demo, tables):
    returns = sheet_rows(demo / "orders_export.xlsx", "Returns")
    assert returns[0] == ("Order No", "Return Date", "Reason", "Qty Returned", "Refund")
    assert all(is_synonym("returns", h) for h in returns[0])
    assert len(returns) - 1 == tables["returns"].num_rows
    order_ids = set(tables["orders"].column("order_id").to_pylist())
    assert all(r[0] in order_ids for r in returns[1:])
    notes = sheet_rows(demo / "orders_export.xlsx", "Notes")
    assert all(len(r) == 1 and isinstance(r[0], str) for r in notes) and len(notes) >= 3


def test_production_runs_and_wide_downtime_agree(demo, tables):
    path = demo / "production_log.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["Runs", "Downtime by cause", "Causes", "Read me"]
    wb.close()
    runs = sheet_rows(path, "Runs")
    header = runs[0]
    assert header[-1] == "Ideal Min" and len(runs) - 1 == tables["production"].num_rows
    assert all(is_synonym("production", h) for h in header)
    col = {h: i for i, h in enumerate(header)}
    assert all(r[col["Good"]] + r[col["Scrap"]] == r[col["Units"]] for r in runs[1:])
    downtime_of = {r[col["Batch"]]: r[col["Downtime Min"]] for r in runs[1:]}

    wide = sheet_rows(path, "Downtime by cause")
    assert wide[0] == ("Batch", *(c[0] for c in synth.CAUSES))
    assert any(v is None for r in wide[1:] for v in r[1:])  # blank = 0
    for r in wide[1:]:
        assert sum(v or 0 for v in r[1:]) == downtime_of[r[0]]
    assert {r[0] for r in wide[1:]} == {b for b, m in downtime_of.items() if m > 0}

    causes = sheet_rows(path, "Causes")
    assert causes[0] == ("Cause", "Category", "Operator Error")
    assert {(c, cat, err == "Y") for c, cat, err in causes[1:]} == set(synth.CAUSES)


def test_budget_day_first_text_months_pairs_credits_and_grand_total(demo, tables):
    rows = sheet_rows(demo / "budget_vs_actual.xlsx", "Budget vs Actual")
    assert rows[0][0] == "Northwind Components Ltd" and rows[3] == (None,) * len(rows[3])
    header, data, total = rows[4], rows[5:-1], rows[-1]
    assert header[:2] == ("Month", "Department")
    pairs = header[2:]
    accounts = [h.removesuffix("_Budget") for h in pairs[::2]]
    assert list(pairs) == [f"{a}_{p}" for a in accounts for p in ("Budget", "Actual")]
    assert {"Salaries", "Freight", "Materials", "Energy", "Rent"} <= set(accounts)

    months = [r[0] for r in data]
    assert all(isinstance(m, str) and re.fullmatch(r"\d\d/\d\d/\d{4}", m) for m in months)
    days = {int(m[:2]) for m in months}
    assert 1 in days and max(days) > 12  # some day > 12 decides day-first
    parsed = {dt.datetime.strptime(m, "%d/%m/%Y").date().replace(day=1) for m in months}
    assert parsed == set(tables["budget"].column("month").to_pylist())

    credits = [v for r in data for v in r[2:] if isinstance(v, str)]
    assert len(credits) == 2 and all(re.fullmatch(r"\([\d,]+\.\d\d\)", v) for v in credits)
    assert total[0] == "Grand Total"
    for i in range(2, len(header)):
        column_sum = sum(money(r[i]) for r in data if r[i] is not None)
        assert total[i] == pytest.approx(column_sum, abs=0.01), header[i]
    actual_sum = sum(money(v) for v in total[3::2])
    assert actual_sum == pytest.approx(sum(tables["budget"].column("actual").to_pylist()), abs=0.05)


def test_contact_centre_csv_bom_crlf_and_boolean_styles(demo, tables):
    raw = (demo / "contact_centre.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") == tables["contacts"].num_rows + 1
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Ticket ID", "Opened", "Closed"] and "Within SLA" in header
    # Headers with a unit in brackets are not in the catalogue's synonyms (see the report).
    assert all(is_synonym("contacts", h) for h in header)
    col = {h: i for i, h in enumerate(header)}
    assert {r[col["Answered"]] for r in data} == {"Y", "N"}
    assert {r[col["Resolved"]] for r in data} == {"Yes", "No"}
    assert {r[col["FCR"]] for r in data} == {"TRUE", "FALSE"}
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
    assert all(stamp.fullmatch(r[col["Opened"]]) for r in data)
    csat = [r[col["CSAT"]] for r in data]
    assert "N/A" in csat and "" in csat
    assert {v for v in csat if v not in ("", "N/A")} <= {"1", "2", "3", "4", "5"}
    assert "" in {r[col["Closed"]] for r in data}


def test_survey_and_targets_workbooks(demo, tables):
    survey = sheet_rows(demo / "customer_survey.xlsx", "Responses")
    header_at = next(i for i, r in enumerate(survey) if r[0] == "Response Date")
    assert header_at >= 2 and all(is_synonym("surveys", h) for h in survey[header_at])
    scores = [r[1] for r in survey[header_at + 1 :]]
    assert len(scores) == tables["surveys"].num_rows and set(scores) <= set(range(11))

    plan = sheet_rows(demo / "targets_plan.xlsx", "Plan")
    assert plan[0] == ("KPI", "Month", "Site", "Target", "Amber Threshold")
    assert all(is_synonym("targets", h) for h in plan[0])
    assert len(plan) - 1 == tables["targets"].num_rows
    assert {r[0] for r in plan[1:]} >= {"on_time_pct", "oee_pct", "abandon_pct", "asa_seconds"}
    assert any(r[2] is None for r in plan[1:]) and any(r[2] == "Lyon" for r in plan[1:])


def test_sales_plan_months_across_with_total_column_and_row(demo, tables):
    wb = openpyxl.load_workbook(demo / "sales_plan.xlsx")
    ws = wb["Sales budget"]
    assert ws.cell(1, 1).value == "Northwind Components — sales budget by site"
    header = [c.value for c in ws[3]]
    assert header[0] == "Site" and header[-1] == "Total"
    months = header[1:-1]
    # Real date cells shown 'Nov-24', one per month of the demo's 24.
    assert months[0] == dt.datetime(2024, 11, 1) and months[-1] == dt.datetime(2026, 10, 1)
    assert len(months) == 24 and all(c.number_format == "mmm-yy" for c in ws[3][1:-1])
    body = {r[0]: r[1:] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert list(body) == [*synth.SITES, "Total"]
    # Independently: each site's revenue by month, smoothed over three months (two at the
    # ends), +3%, to the nearest 1,000.
    orders = tables["orders"].to_pandas()
    orders["month"] = orders["order_date"].map(lambda d: dt.datetime(d.year, d.month, 1))
    by = orders.groupby(["site", "month"])["revenue"].sum()
    for site in synth.SITES:
        series = [by.get((site, m), 0.0) for m in months]
        smooth = [sum(series[max(0, i - 1) : i + 2]) / len(series[max(0, i - 1) : i + 2])
                  for i in range(24)]  # fmt: skip
        assert list(body[site][:-1]) == [round(v * 1.03 / 1000) * 1000 for v in smooth], site
        assert body[site][-1] == sum(body[site][:-1])
    assert list(body["Total"]) == [sum(body[s][j] for s in synth.SITES) for j in range(25)]


def test_service_desk_tickets_osticket_shape(demo, tables):
    raw = (demo / "service_desk_tickets.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header, data = rows[0], rows[1:]
    assert header == ["Ticket Number", "Date Created", "Subject", "From", "Priority",
                      "Department", "Help Topic", "Source", "Current Status", "Last Updated",
                      "Due Date", "Overdue", "Answered", "Agent Assigned", "Close Date"]  # fmt: skip
    col = {h: i for i, h in enumerate(header)}
    # Exactly two tickets listed twice, each repeat identical to the row above it.
    repeats = [i for i in range(1, len(data)) if data[i] == data[i - 1]]
    assert len(repeats) == 2
    assert len({r[0] for r in data}) == len(data) - 2
    unique = [r for i, r in enumerate(data) if i not in repeats]
    assert {r[col["Overdue"]] for r in unique} == {"0", "1"}
    assert {r[col["Answered"]] for r in unique} == {"1"}
    assert set(synth.TOPICS) >= {r[col["Help Topic"]] for r in unique}
    assert set(synth.AGENTS) >= {r[col["Agent Assigned"]] for r in unique}
    stamp = "%Y-%m-%d %H:%M"
    for r in unique:
        created = dt.datetime.strptime(r[col["Date Created"]], stamp)
        due = dt.datetime.strptime(r[col["Due Date"]], stamp)
        if r[col["Current Status"]] == "Open":
            assert r[col["Close Date"]] == ""
            assert created >= dt.datetime(2026, 10, 1)  # open ones are the last month's
            assert r[col["Overdue"]] == str(int(dt.datetime(2026, 11, 2, 7, 30) > due))
        else:
            assert r[col["Current Status"]] in ("Closed", "Resolved")
            closed = dt.datetime.strptime(r[col["Close Date"]], stamp)
            assert closed > created and r[col["Overdue"]] == str(int(closed > due))
    # Months follow the contact centre's: a ticket in every month it has contacts.
    months = {r[col["Date Created"]][:7] for r in unique}
    contact_months = {d.strftime("%Y-%m") for d in tables["contacts"]["contact_date"].to_pylist()}
    assert months == contact_months


def test_committed_ticket_export_volume_overdue_share_and_open_tickets():
    with (DEMO_DIR / "service_desk_tickets.csv").open(newline="", encoding="utf-8") as f:
        data = list(csv.DictReader(f))
    unique = {r["Ticket Number"]: r for r in data}
    assert 300 <= len(unique) <= 450  # a few hundred over 24 months
    overdue = sum(r["Overdue"] == "1" for r in unique.values()) / len(unique)
    assert 0.06 <= overdue <= 0.10  # about 8%
    still_open = [r for r in unique.values() if r["Current Status"] == "Open"]
    assert len(still_open) >= 3
    assert all(r["Date Created"].startswith("2026-10") for r in still_open)


def test_committed_demo_folder_is_complete_and_small():
    present = {p.name for p in DEMO_DIR.iterdir()}
    assert set(DEMO_FILES) | {"README.md"} <= present
    assert sum((DEMO_DIR / n).stat().st_size for n in DEMO_FILES) < 3 * 1024**2


@pytest.mark.slow
def test_committed_demo_files_match_the_generator(tmp_path):
    write_demo_files(tmp_path)
    for name in DEMO_FILES:
        fresh, committed = tmp_path / name, DEMO_DIR / name
        if name.endswith(".xlsx"):  # compare contents, not zlib's bytes
            with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(committed) as b:
                assert a.namelist() == b.namelist(), name
                assert all(a.read(n) == b.read(n) for n in a.namelist()), name
        else:
            assert fresh.read_bytes() == committed.read_bytes(), name
