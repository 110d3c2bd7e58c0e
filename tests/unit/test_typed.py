"""typed_sheet: data rows converted in DuckDB, with per-cell rejects and placeholder counts."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from shared_files import needs_realdata
from workbooks import xlsx

from cockpit.ingest.detect_sheet import analyse_sheet
from cockpit.ingest.read import read_file
from cockpit.ingest.typed import typed_sheet


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def convert(con, data: bytes, name: str, **kw):
    raw = read_file(data, name)[0]
    analysis = analyse_sheet(raw, **kw)
    return analysis, typed_sheet(con, raw, analysis)


def test_every_kind_converts_to_its_type(con):
    data = xlsx(
        {
            "Runs": [
                ["Production log"],
                [None],
                ["Batch", "Day", "Start", "Downtime", "Cost", "Share", "OK", "Started at"],
                [
                    "B1",
                    "31/01/2024",
                    "08:30",
                    "1:15",
                    "$1,234.50",
                    "12.5%",
                    "Y",
                    "2024-01-31 06:00",
                ],
                ["B2", "01/02/2024", "17:45", "0:30", "(200.00)", "N/A", "N", "2024-02-01 06:30"],
                ["B3", "TBD", "09:00", "2:00:30", "USD 5", "3%", "yes", "2024-02-02 07:00"],
                ["Total", None, None, None, "$1,039.50", None, None, None],
            ]
        }
    )
    analysis, ts = convert(con, data, "runs.xlsx")
    kinds = [c.kind for c in analysis.columns]
    assert kinds == ["text", "date", "time", "duration", "number", "percent", "bool", "timestamp"]
    assert ts.table.schema.types == [
        pa.string(),
        pa.date32(),
        pa.time64("us"),
        pa.float64(),
        pa.float64(),
        pa.float64(),
        pa.bool_(),
        pa.timestamp("us"),
        pa.int64(),
    ]
    assert ts.table.to_pylist() == [
        {
            "Batch": "B1",
            "Day": dt.date(2024, 1, 31),
            "Start": dt.time(8, 30),
            "Downtime": 75.0,
            "Cost": 1234.5,
            "Share": 12.5,
            "OK": True,
            "Started at": dt.datetime(2024, 1, 31, 6, 0),
            "_row": 4,
        },
        {
            "Batch": "B2",
            "Day": dt.date(2024, 2, 1),
            "Start": dt.time(17, 45),
            "Downtime": 30.0,
            "Cost": -200.0,
            "Share": None,
            "OK": False,
            "Started at": dt.datetime(2024, 2, 1, 6, 30),
            "_row": 5,
        },
        {
            "Batch": "B3",
            "Day": None,
            "Start": dt.time(9, 0),
            "Downtime": 120.5,
            "Cost": 5.0,
            "Share": 3.0,
            "OK": True,
            "Started at": dt.datetime(2024, 2, 2, 7, 0),
            "_row": 6,
        },
    ]
    assert ts.rejects == []
    assert ts.placeholders == {"Day": {"TBD": 1}, "Share": {"N/A": 1}}
    assert analysis.excluded_rows == [(6, "total row ('Total')")]


def test_bad_cells_become_null_and_are_listed_with_row_and_reason(con):
    data = xlsx(
        {
            "O": [
                ["Order", "Ship Date", "Qty"],
                ["A", "31/01/2024", 1],
                ["B", "12/31/2024", 2],
                ["C", "15/02/2024", "abc"],
                ["D", "16/02/2024", 4],
                ["E", "17/02/2024", 5],
                ["F", "18/02/2024", 6],
            ]
        }
    )
    _, ts = convert(con, data, "o.xlsx")
    assert ts.rejects == [
        {
            "row": 3,
            "column": "Ship Date",
            "value": "12/31/2024",
            "reason": "not a date (expected day-first like 31/01/2024)",
        },
        {"row": 4, "column": "Qty", "value": "abc", "reason": "not a number"},
    ]
    assert ts.table["Ship Date"].to_pylist()[1] is None
    assert ts.table["Qty"].to_pylist() == [1.0, 2.0, None, 4.0, 5.0, 6.0]


def test_serial_dates_markers_and_excluded_rows(con):
    data = xlsx(
        {
            "D": [
                ["Event date", "Minutes", "Operator error"],
                [45292, 10, "x"],
                [None, None, None],
                [45293.5, 20, None],
            ]
        }
    )
    analysis, ts = convert(con, data, "d.xlsx")
    assert [c.kind for c in analysis.columns] == ["timestamp", "number", "bool"]
    assert ts.table.to_pylist() == [
        {
            "Event date": dt.datetime(2024, 1, 1),
            "Minutes": 10.0,
            "Operator error": True,
            "_row": 2,
        },
        {
            "Event date": dt.datetime(2024, 1, 2, 12),
            "Minutes": 20.0,
            "Operator error": False,
            "_row": 4,
        },
    ]


def test_decimal_comma_csv_converts(con):
    data = b"Item;Amount;Share\nA;1.234,56;12,5%\nB;-7,25;3%\nC;(1.000,00);0,5%\n"
    _, ts = convert(con, data, "eu.csv")
    assert ts.table["Amount"].to_pylist() == [1234.56, -7.25, -1000.0]
    assert ts.table["Share"].to_pylist() == [12.5, 3.0, 0.5]


def test_calamine_dates_times_and_durations_from_real_cells(con):
    data = xlsx(
        {
            "T": [
                ["Date", "Clock in", "Handle time"],
                [dt.date(2024, 3, 1), dt.time(8, 15), dt.timedelta(hours=26, minutes=15)],
                [dt.date(2024, 3, 2), dt.time(9, 0), dt.timedelta(minutes=45)],
            ]
        },
        formats={"T": {"C2": "[h]:mm", "C3": "[h]:mm"}},
    )
    analysis, ts = convert(con, data, "t.xlsx")
    assert [c.kind for c in analysis.columns] == ["date", "time", "duration"]
    assert ts.table["Date"].to_pylist() == [dt.date(2024, 3, 1), dt.date(2024, 3, 2)]
    assert ts.table["Clock in"].to_pylist() == [dt.time(8, 15), dt.time(9, 0)]
    assert ts.table["Handle time"].to_pylist() == [1575.0, 45.0]


def test_real_scms_delivery_history(con):
    SCMS = needs_realdata("SCMS_Delivery_History_Dataset.csv")
    analysis, ts = convert(con, SCMS.read_bytes(), SCMS.name)
    cols = {c.name: c for c in analysis.columns}
    assert analysis.kind == "data" and ts.table.num_rows == 10_324 and ts.rejects == []
    for name in ("Scheduled Delivery Date", "Delivered to Client Date", "Delivery Recorded Date"):
        assert cols[name].kind == "date" and cols[name].evidence.startswith("text-month dates")
    pq = cols["PQ First Sent to Client Date"]
    assert pq.kind == "date" and pq.date_order == "mdy"
    assert pq.placeholders == {"Pre-PQ Process": 2476, "Date Not Captured": 205}
    assert cols["PO Sent to Vendor Date"].placeholders["N/A - From RDC"] == 5404
    freight = cols["Freight Cost (USD)"]
    assert freight.kind == "number"
    assert freight.placeholders["Freight Included in Commodity Cost"] == 1442
    assert freight.placeholders["Invoiced Separately"] == 239
    assert cols["Weight (Kilograms)"].placeholders["Weight Captured Separately"] == 1507
    assert cols["Line Item Quantity"].kind == "number" and cols["Country"].kind == "text"
    # The README's line-level on-time figure: 9,138 of 10,324 delivered by the scheduled date.
    on_time = pc.less_equal(
        ts.table["Delivered to Client Date"], ts.table["Scheduled Delivery Date"]
    )
    assert pc.sum(on_time).as_py() == 9_138
    first = ts.table.slice(0, 1).to_pylist()[0]
    assert first["_row"] == 2 and first["Scheduled Delivery Date"] == dt.date(2006, 6, 2)
    assert first["Freight Cost (USD)"] == 780.34 and first["PQ First Sent to Client Date"] is None


def test_fast_date_path_reads_exactly_as_the_format_list(con):
    from cockpit.ingest import typed
    from cockpit.ingest.detect_types import date_formats

    values = ["05/01/2024", "31/12/2023", "01/02/06", "1/2/2024", "2024-03-04", "32/01/2024",
              "05/01/2024 08:30", "n/a", None]  # fmt: skip
    fmts = date_formats("dmy")
    slow = typed.format_params("f", fmts)
    fast = typed.format_params("f", fmts, (10, "%d/%m/%Y"))
    src = pa.table({"v": pa.array(values, pa.string())})
    con.register("_fast_src", src)
    try:
        got = {
            name: con.sql(
                f"select {typed.strptime_sql('v', 'f', fast=name == 'fast')} as d from _fast_src",
                params=params,
            )
            .to_arrow_table()["d"]
            .to_pylist()
            for name, params in (("slow", slow), ("fast", fast))
        }
    finally:
        con.unregister("_fast_src")
    assert got["fast"] == got["slow"]
    assert got["fast"][:3] == [dt.datetime(2024, 1, 5), dt.datetime(2023, 12, 31),
                               dt.datetime(2006, 2, 1)]  # fmt: skip
    assert got["fast"][5] is None


def test_data_rows_drop_excluded_rows_at_the_ends_and_inside():
    from cockpit.ingest.detect_sheet import SheetAnalysis
    from cockpit.ingest.read import RawSheet
    from cockpit.ingest.typed import data_rows

    raw = RawSheet("f.csv", None, pa.table({"c0": [f"r{i}" for i in range(8)]}))

    def kept(excluded):
        a = SheetAnalysis("f.csv", None, "data", "", None, [0], 1, 8, excluded, [])
        t = data_rows(raw, a)
        return t["c0"].to_pylist(), t["_row"].to_pylist()

    assert kept([]) == ([f"r{i}" for i in range(1, 8)], list(range(2, 9)))
    ends = [(1, "blank row"), (7, "total row"), (6, "blank row")]
    assert kept(ends) == (["r2", "r3", "r4", "r5"], [3, 4, 5, 6])
    inside = [(3, "subtotal row"), (7, "total row"), (0, "title")]
    assert kept(inside) == (["r1", "r2", "r4", "r5", "r6"], [2, 3, 5, 6, 7])
    assert kept([(r, "blank row") for r in range(1, 8)]) == ([], [])


def _wide_mixed_csv(copies: int) -> bytes:
    """A sheet whose columns come in every hard kind (placeholders, notes, bad values,
    styled numbers, text dates, yes/no, times), repeated `copies` times side by side."""
    header = ["Cost", "Share", "Day", "Start", "Downtime", "OK", "Site", "Qty", "Opened"]
    good = [
        [
            "$1,234.50",
            "12.5%",
            "31/01/2024",
            "08:30",
            "1:15",
            "Y",
            "Leeds",
            "3",
            "2024-01-31 06:00",
        ],
        ["(200.00)", "N/A", "01/02/2024", "17:45", "0:30", "N", "N/A", "n/a", "2024-02-01 06:30"],
        ["USD 5", "3%", "TBD", "09:00", "2:00:30", "Y", "Lyon", "Pending", "2024-02-01 07:30"],
        ["£3", "7%", "13/02/2024", "10:00", "0:05", "N", "Oslo", "5", "2024-02-03 08:00"],
    ]
    bad = ["12 kg", "8%", "32/01/2024", "11:00", "abc", "Y", "-", "x9", "not a date"]
    rows = good * 3 + [bad]
    lines = [",".join(f"{h} {k}" for k in range(copies) for h in header)]
    # odd copies hold another placeholder: stacked columns may differ in their placeholders
    cell = {
        (k, v): "TBC" if v == "TBD" and k % 2 else v for k in range(2) for row in rows for v in row
    }
    lines += [",".join(f'"{cell[k % 2, v]}"' for k in range(copies) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def test_a_wide_sheet_converts_stacked_exactly_as_side_by_side(con, monkeypatch):
    """Over HARD_BATCH columns to convert, columns converted alike are stacked into one
    select (a 5,000-column sheet took minutes side by side): the values, the rejects and
    the placeholders are the same as one select side by side."""
    from cockpit.ingest import typed

    raw = read_file(_wide_mixed_csv(30), "wide.csv")[0]
    analysis = analyse_sheet(raw)
    hard = [p for p in analysis.columns if not typed._is_direct(p)]
    assert len(hard) == 240
    assert {p.kind for p in hard} == {"number", "percent", "date", "time", "duration", "text",
                                      "timestamp"}  # fmt: skip
    assert {p.name: p.placeholders for p in hard}["Day 1"] == {"TBC": 3}
    monkeypatch.setattr(typed, "HARD_BATCH", 10_000)
    side = typed_sheet(con, raw, analysis)
    monkeypatch.setattr(typed, "HARD_BATCH", 10)
    stacked = typed_sheet(con, raw, analysis)
    assert stacked.table.equals(side.table)
    assert stacked.rejects == side.rejects and len(side.rejects) >= 30
    assert stacked.placeholders == side.placeholders
