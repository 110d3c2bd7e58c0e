"""The load pipeline end to end: one transaction per file, duplicates, remembered layouts,
overrides, rejected rows, wide layouts and sheets that refer to each other."""

from __future__ import annotations

import datetime as dt

import pytest
from reliability import db_fingerprint
from workbooks import ods, text, xlsx

from cockpit import ledger
from cockpit.ingest import mapping as mapping_mod
from cockpit.ingest.pipeline import SheetOptions, commit_file, load_files, prepare_file

D = dt.date
ORDER_HEADER = ["Order ID", "Order Date", "Site", "Qty", "Revenue"]


def orders_rows(prefix: str, month: int, n: int = 6) -> list[list]:
    return [
        [f"{prefix}{i}", D(2025, month, 1 + i), ("Leeds", "Lyon")[i % 2], i + 1, 10.0 * (i + 1)]
        for i in range(n)
    ]


def two_sheet_workbook() -> bytes:
    """Orders and production in one file: two loads that must commit together."""
    return xlsx(
        {
            "Orders": [ORDER_HEADER, *orders_rows("A", 3)],
            "Production": [
                ["Date", "Site", "Line", "Planned Minutes", "Units"],
                [D(2025, 3, 3), "Leeds", "L1", 480, 100],
                [D(2025, 3, 4), "Lyon", "L2", 480, 90],
            ],
        }
    )


@pytest.fixture
def seeded(store, tiny_tables):
    """tiny_db plus one spreadsheet load, so layouts, rejects and raw tables hold rows."""
    for name, rows in tiny_tables.items():
        ledger.load_table(store, name, rows)
    rows = [ORDER_HEADER, *orders_rows("J", 1), ["J9", D(2025, 1, 20), "Leeds", "12x", 5]]
    report = load_files(store, [("jan.xlsx", xlsx({"Orders": rows}))], replace=False)
    assert report.ok  # appended beside tiny_db's January (replacing is the default)
    return store


def _fail_on_second_call(monkeypatch, module, name):
    real = getattr(module, name)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError(f"injected failure in {name}")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)
    return calls


@pytest.mark.parametrize(
    ("module", "name"),
    [(ledger, "insert_rows"), (ledger, "finish_entry"), (mapping_mod, "remember")],
)
def test_a_failure_on_the_second_sheet_leaves_the_database_unchanged(
    seeded, monkeypatch, module, name
):
    before = db_fingerprint(seeded)
    prepared = prepare_file(seeded, two_sheet_workbook(), "march.xlsx")
    assert [s.status for s in prepared.sheets] == ["ready", "ready"]
    calls = _fail_on_second_call(monkeypatch, module, name)
    with pytest.raises(RuntimeError, match="injected"):
        commit_file(seeded, prepared)
    assert len(calls) == 2
    assert db_fingerprint(seeded) == before
    monkeypatch.undo()
    # Nothing was left locked or half-made: the same file then loads whole.
    report = commit_file(seeded, prepare_file(seeded, two_sheet_workbook(), "march.xlsx"))
    assert [s.rows_loaded for s in report.sheets] == [6, 2]


def test_the_same_bytes_twice_are_a_duplicate_and_add_nothing(seeded):
    data = two_sheet_workbook()
    first = load_files(seeded, [("march.xlsx", data)]).files[0]
    before = db_fingerprint(seeded)
    again = load_files(seeded, [("march-copy.xlsx", data)])
    assert again.ok  # not an error: nothing to do
    (f,) = again.files
    assert f.status == "duplicate"
    assert f"as load {first.sheets[0].load_id}" in f.messages[0]
    assert {s.status for s in f.sheets} == {"duplicate"}
    assert db_fingerprint(seeded) == before


def orders_book(prefix: str, n: int = 6) -> bytes:
    return xlsx({"Orders": [ORDER_HEADER, *orders_rows(prefix, 3, n)]})


def live_order_ids(store) -> list[str]:
    return [r["order_id"] for r in store.rows("select order_id from orders_live order by 1")]


def test_a_file_checked_before_the_same_bytes_were_loaded_is_a_duplicate_at_commit(store):
    data = orders_book("A")
    checked = prepare_file(store, data, "march.xlsx")  # the Data page's check: nothing loaded
    assert checked.status == "ready" and checked.sheets[0].overlap == []
    assert load_files(store, [("march.xlsx", data)]).ok  # meanwhile, the same bytes by the API
    report = commit_file(store, checked, replace={})  # then the page's Load
    assert report.status == "duplicate" and "nothing loaded" in report.messages[0]
    assert [s.status for s in report.sheets] == ["duplicate"]
    assert live_order_ids(store) == [f"A{i}" for i in range(6)]  # once, not twice
    assert store.scalar("select count(*) from loads") == 1


def test_files_checked_together_replace_at_commit_by_default(store):
    v1, v2 = orders_book("A"), orders_book("B", 4)  # March, and its corrected re-export
    checked = [prepare_file(store, v1, "march.xlsx"), prepare_file(store, v2, "march-v2.xlsx")]
    assert [p.sheets[0].overlap for p in checked] == [[], []]  # neither saw the other
    first, second = (commit_file(store, p, replace={}) for p in checked)
    assert (first.status, second.status) == ("loaded", "loaded")
    assert live_order_ids(store) == [f"B{i}" for i in range(4)]
    assert second.sheets[0].messages == ["replaced earlier rows in 1 month(s)"]
    # The analyst's explicit "append" is still hers.
    v3 = prepare_file(store, orders_book("C", 2), "march-extra.xlsx")
    appended = commit_file(store, v3, replace={"Orders": False})
    assert appended.sheets[0].messages[-1].startswith("appended: 4 rows already loaded")
    assert len(live_order_ids(store)) == 6


def test_a_file_replaced_by_another_loads_again_and_replaces_it(store):
    a, b = orders_book("A"), orders_book("B", 4)
    first = load_files(store, [("march.xlsx", a)]).files[0]
    load_files(store, [("march-fixed.xlsx", b)])
    assert live_order_ids(store) == [f"B{i}" for i in range(4)]
    again = load_files(store, [("march.xlsx", a)])
    (f,) = again.files
    assert (again.ok, f.status, f.sheets[0].rows_loaded) == (True, "loaded", 6)
    assert f.sheets[0].load_id != first.sheets[0].load_id
    assert f.sheets[0].messages[-1] == "replaced earlier rows in 1 month(s)"
    assert live_order_ids(store) == [f"A{i}" for i in range(6)]
    # Now A is live: A once more adds nothing.
    assert load_files(store, [("march.xlsx", a)]).files[0].status == "duplicate"


def orders_and_returns() -> bytes:
    return xlsx(
        {
            "Orders": [ORDER_HEADER, *orders_rows("A", 3)],
            "Returns": [
                ["Order ID", "Return Date", "Reason", "Qty", "Refund"],
                ["A1", D(2025, 3, 20), "Damaged", 1, 20.0],
                ["A3", D(2025, 3, 21), "Late", 1, 40.0],
            ],
        }
    )


def test_the_whole_workbook_after_one_sheet_loads_the_sheets_not_yet_loaded(store):
    book = orders_and_returns()
    first = load_files(store, [("march.xlsx", book)], sheet="Orders").files[0]
    assert first.status == "loaded"
    again = load_files(store, [("march.xlsx", book)])
    (f,) = again.files
    assert (again.ok, f.status) == (True, "loaded")
    orders, returns = f.sheets
    assert (orders.status, orders.load_id, orders.rows_loaded) == ("duplicate", None, 0)
    assert f"as load {first.sheets[0].load_id}" in orders.messages[-1]
    assert (returns.status, returns.dataset, returns.rows_loaded) == ("loaded", "returns", 2)
    assert len(live_order_ids(store)) == 6  # once
    assert store.scalar("select count(*) from returns_live") == 2
    # Every sheet is live now: the whole file again is a duplicate.
    assert load_files(store, [("march.xlsx", book)]).files[0].status == "duplicate"


def test_a_remembered_layout_maps_next_months_file(store):
    header = ["Txn Ref", "Booked", "Branch", "Units Sold", "Takings"]
    jan = xlsx({"Export": [header, *orders_rows("J", 1)]})
    overrides = {
        "order_id": "Txn Ref",
        "order_date": "Booked",
        "site": "Branch",
        "quantity": "Units Sold",
        "revenue": "Takings",
    }
    first = load_files(store, [("jan.xlsx", jan)], dataset="orders", columns=overrides)
    assert first.ok and first.files[0].sheets[0].mapping == overrides

    feb = xlsx({"Export": [header, *orders_rows("F", 2)]})
    prepared = prepare_file(store, feb, "feb.xlsx")
    (sheet,) = prepared.sheets
    assert sheet.mapping.dataset == "orders" and sheet.mapping.columns == overrides
    assert sheet.mapping.remembered_from == "jan.xlsx"
    report = commit_file(store, prepared)
    assert "same layout as jan.xlsx: mapped automatically" in report.sheets[0].messages
    assert store.scalar("select sum(revenue) from orders_live where order_id like 'F%'") == 210


def test_map_overrides_win_and_bad_names_are_explained(store):
    data = xlsx(
        {"Orders": [[*ORDER_HEADER, "Gross"], *[[*r, r[4] * 2] for r in orders_rows("A", 1)]]}
    )
    report = load_files(store, [("o.xlsx", data)], columns={"revenue": "Gross"})
    assert report.files[0].sheets[0].mapping["revenue"] == "Gross"
    assert store.scalar("select sum(revenue) from orders_live") == 2 * 210

    before = db_fingerprint(store)
    bad = load_files(store, [("o2.xlsx", data + b"")], columns={"revenue": "Nope"}, replace=True)
    assert not bad.ok
    assert "no source column 'Nope'" in bad.files[0].messages[0]
    bad = load_files(store, [("o3.xlsx", data)], dataset="orders", columns={"colour": "Site"})
    assert "orders has no column 'colour'" in bad.files[0].messages[0]
    assert db_fingerprint(store) == before


def test_rejected_rows_carry_reasons_and_row_numbers(seeded):
    load_id = seeded.scalar("select load_id from loads where file = 'jan.xlsx'")
    rejects = seeded.rows(
        "select row_number, column_name, reason, raw from rejects where load_id = $i",
        {"i": load_id},
    )
    # Row 8 of the sheet: header on row 1, J0..J5 on rows 2-7, then J9 with Qty "12x".
    assert rejects == [
        {"row_number": 8, "column_name": "Qty", "reason": "not a number", "raw": '{"value": "12x"}'}
    ]
    loaded = seeded.rows(
        "select rows_loaded, rows_rejected from loads where load_id = $i", {"i": load_id}
    )
    assert loaded == [{"rows_loaded": 6, "rows_rejected": 1}]
    assert seeded.scalar("select count(*) from orders_live where order_id = 'J9'") == 0


def test_required_values_missing_are_rejected_by_row(store):
    rows = [ORDER_HEADER, *orders_rows("A", 1), ["A9", None, "Leeds", 1, 1]]
    report = load_files(store, [("o.csv", text(rows).encode())])
    (sheet,) = report.files[0].sheets
    assert (sheet.rows_loaded, sheet.rows_rejected) == (6, 1)
    assert sheet.rejects == [
        {"row": 8, "column": "order_date", "value": None, "reason": "order_date is empty"}
    ]
    assert sheet.reject_reasons == {"order_date is empty": 1}


def test_one_column_per_cause_is_unpivoted(store):
    data = xlsx(
        {
            "Downtime": [
                ["Date", "Line", "Jam", "Changeover", "Electrical"],
                [D(2025, 1, 6), "L1", 30, None, 15],
                [D(2025, 1, 7), "L2", 0, 45, None],
                [D(2025, 2, 3), "L1", 10, 20, 5],
                [D(2025, 2, 4), "L2", None, None, 12],
            ]
        }
    )
    (sheet,) = load_files(store, [("stops.xlsx", data)]).files[0].sheets
    assert (sheet.dataset, sheet.rows_loaded) == ("downtime", 7)  # blanks and zeros dropped
    rows = store.rows("select cause, sum(minutes) as m from downtime_live group by 1 order by 1")
    assert rows == [
        {"cause": "Changeover", "m": 65},
        {"cause": "Electrical", "m": 32},
        {"cause": "Jam", "m": 40},
    ]
    assert (
        store.scalar("select minutes from downtime_live where date = '2025-02-04' and line = 'L2'")
        == 12
    )


def test_budget_actual_pairs_become_accounts_with_their_kind(store):
    data = xlsx(
        {
            "Budget": [
                ["Month", "Department", "Salaries_Budget", "Salaries_Actual",
                 "Sales Income_Budget", "Sales Income_Actual"],
                [D(2025, 1, 1), "Ops", 1000, 1100, None, None],
                [D(2025, 1, 1), "Sales", 200, 210, 5000, 5500],
                [D(2025, 2, 1), "Ops", 1000, 900, None, None],
            ]
        }
    )  # fmt: skip
    (sheet,) = load_files(store, [("budget.xlsx", data)]).files[0].sheets
    assert (sheet.dataset, sheet.rows_loaded) == ("budget", 4)
    rows = store.rows(
        "select month, unit, account, kind, budget, actual from budget_live order by all"
    )
    assert rows == [
        {"month": D(2025, 1, 1), "unit": "Ops", "account": "Salaries", "kind": "cost",
         "budget": 1000, "actual": 1100},
        {"month": D(2025, 1, 1), "unit": "Sales", "account": "Salaries", "kind": "cost",
         "budget": 200, "actual": 210},
        {"month": D(2025, 1, 1), "unit": "Sales", "account": "Sales Income", "kind": "income",
         "budget": 5000, "actual": 5500},
        {"month": D(2025, 2, 1), "unit": "Ops", "account": "Salaries", "kind": "cost",
         "budget": 1000, "actual": 900},
    ]  # fmt: skip


def test_an_ods_budget_with_merged_account_headers_loads_its_pairs(store):
    # Two header rows, accounts merged over their Budget/Actual pair, as LibreOffice saves
    # them (test_read checks the merged ranges themselves).
    data = ods(
        [
            ["Month", "Department", "Salaries", None, "Sales Income", None],
            [None, None, "Budget", "Actual", "Budget", "Actual"],
            [D(2025, 1, 1), "Sales", 200, 210, 5000, 5500],
            [D(2025, 2, 1), "Ops", 1000, 900, None, None],
        ],
        sheet="Budget",
        spans={(0, 0): (1, 2), (0, 1): (1, 2), (0, 2): (2, 1), (0, 4): (2, 1)},
    )
    (sheet,) = load_files(store, [("budget.ods", data)]).files[0].sheets
    assert (sheet.dataset, sheet.rows_loaded) == ("budget", 3)
    rows = store.rows("select month, unit, account, budget, actual from budget_live order by all")
    assert rows == [
        {"month": D(2025, 1, 1), "unit": "Sales", "account": "Salaries", "budget": 200,
         "actual": 210},
        {"month": D(2025, 1, 1), "unit": "Sales", "account": "Sales Income", "budget": 5000,
         "actual": 5500},
        {"month": D(2025, 2, 1), "unit": "Ops", "account": "Salaries", "budget": 1000,
         "actual": 900},
    ]  # fmt: skip


def production_and_stops(with_lookup: bool) -> bytes:
    sheets = {
        "Production": [
            ["Batch", "Date", "Site", "Line", "Planned Minutes", "Units"],
            ["B1", D(2025, 1, 6), "Leeds", "L1", 480, 100],
            ["B2", D(2025, 1, 7), "Lyon", "L2", 480, 90],
            ["B3", D(2025, 2, 3), "Leeds", "L1", 480, 80],
        ],
        "Stops": [
            ["Batch", "Cause", "Minutes"],
            ["B1", "Jam", 30],
            ["B2", "Jam", 20],
            ["B3", "Electrical", 15],
            ["B1", "Changeover", 10],
        ],
    }
    if with_lookup:
        sheets["Causes"] = [
            ["Cause", "Category"],
            ["Jam", "Mechanical"],
            ["Electrical", "Electrical"],
            ["Changeover", "Planned"],
        ]
    return xlsx(sheets)


def test_downtime_by_batch_takes_date_site_and_line_from_production(store):
    report = load_files(store, [("plant.xlsx", production_and_stops(False))])
    stops = report.files[0].sheets[1]
    assert stops.dataset == "downtime" and "dates taken from the production sheet by batch" in (
        stops.messages
    )
    rows = store.rows(
        "select batch, cause, date, site, line, minutes from downtime_live order by all"
    )
    assert rows == [
        {"batch": "B1", "cause": "Changeover", "date": D(2025, 1, 6), "site": "Leeds",
         "line": "L1", "minutes": 10},
        {"batch": "B1", "cause": "Jam", "date": D(2025, 1, 6), "site": "Leeds", "line": "L1",
         "minutes": 30},
        {"batch": "B2", "cause": "Jam", "date": D(2025, 1, 7), "site": "Lyon", "line": "L2",
         "minutes": 20},
        {"batch": "B3", "cause": "Electrical", "date": D(2025, 2, 3), "site": "Leeds",
         "line": "L1", "minutes": 15},
    ]  # fmt: skip
    months = store.scalar("select months from loads where sheet = 'Stops'")
    assert months == [D(2025, 1, 1), D(2025, 2, 1)]


def test_downtime_by_batch_finds_production_loaded_earlier(store):
    plant = production_and_stops(False)
    only_production = load_files(store, [("plant.xlsx", plant)], sheet="Production")
    assert only_production.ok
    stops = load_files(store, [("plant.xlsx", plant)], sheet="Stops").files[0].sheets[0]
    assert "dates taken from production already loaded by batch" in stops.messages
    assert store.scalar("select date from downtime_live where cause = 'Electrical'") == D(
        2025, 2, 3
    )
    # Both sheets of these bytes are loaded now: the whole file again is a duplicate.
    assert load_files(store, [("plant.xlsx", plant)]).files[0].status == "duplicate"


def test_a_lookup_sheet_enriches_the_rows_naming_its_codes(store):
    report = load_files(store, [("plant.xlsx", production_and_stops(True))])
    causes = report.files[0].sheets[2]
    assert (causes.kind, causes.status) == ("lookup", "raw-only")
    assert "category taken from sheet 'Causes' by cause" in report.files[0].sheets[1].messages
    rows = store.rows("select cause, category, sum(minutes) as m from downtime_live group by all")
    assert sorted((r["cause"], r["category"], r["m"]) for r in rows) == [
        ("Changeover", "Planned", 10),
        ("Electrical", "Electrical", 15),
        ("Jam", "Mechanical", 50),
    ]


def test_replace_option_supersedes_the_months_a_file_covers(seeded):
    before = seeded.scalar("select sum(revenue) from orders_live where _month = '2025-01-01'")
    # tiny_db January: A 100 + B 50 + C 400 + D 10; jan.xlsx adds 210.
    assert before == 770
    fix = xlsx({"Orders": [ORDER_HEADER, ["Z1", D(2025, 1, 5), None, 1, 5.0]]})
    report = load_files(seeded, [("jan-fix.xlsx", fix)], replace=True)
    assert report.ok
    assert seeded.scalar("select sum(revenue) from orders_live where _month = '2025-01-01'") == 5
    assert seeded.scalar("select sum(revenue) from orders_live where _month = '2025-02-01'") == 250


def test_sheet_options_choose_raw_only(store):
    data = xlsx({"Orders": [ORDER_HEADER, *orders_rows("A", 1)]})
    prepared = prepare_file(store, data, "o.xlsx", options={None: SheetOptions(dataset="raw")})
    report = commit_file(store, prepared)
    (sheet,) = report.sheets
    assert (sheet.status, sheet.dataset, sheet.rows_loaded) == ("raw-only", None, 0)
    raw_table = store.scalar("select raw_table from loads where load_id = $i", {"i": sheet.load_id})
    assert store.scalar(f"select count(*) from {raw_table}") == 7  # header + 6 rows, as sent
    assert store.scalar("select count(*) from orders") == 0
    from cockpit.screens import dataops

    history = dataops.loads_history(store)
    assert history[["status", "dataset"]].to_dict("records") == [
        {"status": "raw-only", "dataset": "—"}  # not "None" in the history table
    ]


def test_duplicate_rows_are_counted_exactly_by_every_cell():
    import pyarrow as pa

    from cockpit.ingest.validate import _duplicate_rows

    t = pa.table(
        {
            "a": ["x", "x", None, None, "y", "x", "x"],
            "b": [1.0, 1.0, None, None, 2.0, 3.0, 1.0],
        }
    )
    assert _duplicate_rows(t) == 3  # (x, 1) twice more, (None, None) once more
    assert _duplicate_rows(t.slice(3, 3)) == 0  # all hashes distinct: no cell comparison


def test_serial_dates_of_a_1904_workbook_count_from_1904(store):
    # A Mac-era workbook keeps dates as days since 1904-01-01; exports often lose the date
    # format, leaving plain numbers in the date column.
    import io

    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(ORDER_HEADER)
    days = [(D(2025, 3, 5) - D(1904, 1, 1)).days, (D(2025, 4, 30) - D(1904, 1, 1)).days]
    for i, serial in enumerate(days):
        ws.append([f"M{i}", serial, "Leeds", 2, 20.0])
    buf = io.BytesIO()
    wb.save(buf)
    report = load_files(store, [("mac.xlsx", buf.getvalue())])
    assert report.ok
    dates = store.rows("select order_date from orders order by order_id")
    assert [r["order_date"] for r in dates] == [D(2025, 3, 5), D(2025, 4, 30)]
    prepared = prepare_file(store, buf.getvalue(), "mac-again.xlsx")
    (date_col,) = [c for c in prepared.sheets[0].analysis.columns if c.name == "Order Date"]
    assert date_col.epoch1904 and "1904 date system" in date_col.evidence


def test_counts_in_the_load_report_have_thousands_separators(store):
    # QA: "2681 placeholder values" where every other count reads "2,681".
    lines = ["Order ID,Order Date,Qty,Net Sales"]
    for i in range(2000):
        qty = "N/A" if i < 1200 else "2"
        lines.append(f"A{i},{dt.date(2025, 1, 1 + i % 28)},{qty},10.5")
    report = load_files(store, [("orders.csv", ("\n".join(lines) + "\n").encode())])
    (sheet,) = report.files[0].sheets
    assert sheet.status == "loaded" and sheet.rows_loaded == 2000
    assert "column 'Qty': 1,200 placeholder values read as empty ('N/A' x1,200)" in (sheet.messages)
