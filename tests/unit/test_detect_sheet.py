"""analyse_sheet: sheet kinds, and the detectors combined on whole workbooks."""

from __future__ import annotations

import datetime as dt

from workbooks import xlsx

from cockpit.ingest.detect_sheet import analyse_sheet
from cockpit.ingest.read import read_file


def sheets(**grids):
    return {s.sheet: s for s in read_file(xlsx(grids), "book.xlsx")}


def test_workbook_with_data_lookup_notes_and_empty_sheets():
    book = sheets(
        Production=[
            ["Batch", "Date", "Product", "Units", "Run minutes"],
            *[[f"B{i}", dt.date(2024, 1, i), "Cola", 100 + i, 60] for i in range(1, 8)],
        ],
        Causes=[["Cause", "Category"], ["Jam", "Machine"], ["Late crew", "People"]],
        ReadMe=[
            ["This workbook is exported from the MES every month. Do not edit the layout."],
            ["Contact the plant controller for questions about the numbers in it."],
        ],
        Blank=[[None]],
    )
    prod = analyse_sheet(book["Production"])
    assert prod.kind == "data" and prod.kind_reason == "a table of 7 rows and 5 columns"
    assert [c.kind for c in prod.columns] == ["text", "date", "text", "number", "number"]
    assert (prod.file, prod.sheet, prod.header_rows, prod.data_start, prod.data_stop) == (
        "book.xlsx",
        "Production",
        [0],
        1,
        8,
    )
    causes = analyse_sheet(book["Causes"])
    assert causes.kind == "lookup" and "'Cause' keys -> Category" in causes.kind_reason
    notes = analyse_sheet(book["ReadMe"])
    assert notes.kind == "notes"
    assert analyse_sheet(book["Blank"]).kind == "empty"


def test_pivot_like_sheet():
    book = sheets(P=[["Row Labels", "Sum of Revenue"], ["North", 10], ["Grand Total", 10]])
    a = analyse_sheet(book["P"])
    assert a.kind == "pivot" and "underlying data" in a.kind_reason


def test_lookup_needs_unique_keys():
    book = sheets(L=[["Product", "Ideal minutes"], ["Cola", 1.5], ["Cola", 2.0], ["Tea", 3]])
    assert analyse_sheet(book["L"]).kind == "data"
    book = sheets(L=[["Product", "Ideal minutes"], ["Cola", 1.5], ["Tea", 3]])
    a = analyse_sheet(book["L"])
    assert a.kind == "lookup" and [c.kind for c in a.columns] == ["text", "number"]


def test_ambiguous_date_column_follows_the_sheets_proven_order():
    book = sheets(
        S=[
            ["Order", "Ordered", "Shipped"],
            ["A", "01/02/2024", "25/02/2024"],
            ["B", "03/04/2024", "05/04/2024"],
        ]
    )
    a = analyse_sheet(book["S"])
    ordered, shipped = a.columns[1], a.columns[2]
    assert shipped.date_order == "dmy" and shipped.ambiguous is None
    assert ordered.date_order == "dmy"
    assert "like the sheet's other date columns" in ordered.ambiguous
    assert any("'Ordered'" in m for m in a.messages)
    forced = analyse_sheet(book["S"], date_order="mdy")
    assert forced.columns[1].date_order == "mdy" and forced.columns[1].ambiguous is None


def test_bad_values_are_reported_in_messages():
    book = sheets(S=[["Order", "Qty"], *[[f"A{i}", i] for i in range(1, 10)], ["A10", "abc"]])
    a = analyse_sheet(book["S"])
    assert a.columns[1].kind == "number" and a.columns[1].bad_count == 1
    assert "column 'Qty': 1 value(s) are not number (e.g. 'abc')" in a.messages


def test_totals_are_excluded_and_kept_rows_counted():
    book = sheets(
        S=[["Site", "Cost"], ["North", 5], ["South", 7], ["Total", 12]],
    )
    a = analyse_sheet(book["S"])
    assert a.excluded_rows == [(3, "total row ('Total')")]
    assert a.data_rows == 2


def test_a_big_table_counts_its_rows_with_thousands_separators():
    grid = [["Batch", "Date", "Units"], *[[f"B{i}", dt.date(2024, 1, 1), i] for i in range(1200)]]
    sheet = analyse_sheet(sheets(Runs=grid)["Runs"])
    assert sheet.kind_reason == "a table of 1,200 rows and 3 columns"
