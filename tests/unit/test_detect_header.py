"""Header rows, title block, data range and excluded rows found in realistic export layouts."""

from __future__ import annotations

from workbooks import text, xlsx

from cockpit.ingest.detect_header import find_layout, unique_names
from cockpit.ingest.read import read_file


def layout_of(rows, *, merges=None, name="S"):
    (raw,) = read_file(xlsx({name: rows}, merges={name: merges or []}), "f.xlsx")
    return find_layout(raw)


def test_header_below_title_block_and_generated_line():
    lay = layout_of(
        [
            ["Monthly Orders Report"],
            ["Generated on 2024-02-01 by ERP"],
            [None],
            ["Order ID", "Order Date", "Qty"],
            ["A1", "2024-01-05", 3],
            ["A2", "2024-01-06", 4],
        ]
    )
    assert lay.header_rows == [3]
    assert lay.title == "Monthly Orders Report / Generated on 2024-02-01 by ERP"
    assert (lay.data_start, lay.data_stop) == (4, 6)
    assert lay.names == {0: "Order ID", 1: "Order Date", 2: "Qty"}
    assert lay.excluded_rows == []


def test_merged_super_header_is_joined_with_sub_headers():
    lay = layout_of(
        [
            ["Budget vs actual FY24"],
            ["Dept", "Income", None, "Expense", None],
            [None, "Budget", "Actual", "Budget", "Actual"],
            ["Ops", 10, 11, 5, 6],
            ["Sales", 20, 19, 7, 8],
        ],
        merges=["B2:C2", "D2:E2", "A2:A3"],
    )
    assert lay.header_rows == [1, 2]
    assert list(lay.names.values()) == [
        "Dept",
        "Income Budget",
        "Income Actual",
        "Expense Budget",
        "Expense Actual",
    ]
    assert lay.data_start == 3 and lay.title == "Budget vs actual FY24"


def test_two_row_header_without_merge_information():
    (raw,) = read_file(
        text(
            [
                ["Dept", "Income", "", "Expense", ""],
                ["", "Budget", "Actual", "Budget", "Actual"],
                ["Ops", "10", "11", "5", "6"],
            ]
        ).encode(),
        "b.csv",
    )
    lay = find_layout(raw)
    assert lay.header_rows == [0, 1]
    assert lay.names[2] == "Income Actual" and lay.names[4] == "Expense Actual"


def test_total_rows_blank_rows_and_notes_are_excluded_with_reasons():
    lay = layout_of(
        [
            ["Region", "Product", "Units", "Revenue"],
            ["North", "Total Care Shampoo", 2, 20.0],
            ["North", "Widget", 3, 30.0],
            ["Subtotal North", None, 5, 50.0],
            [None],
            ["South", "Widget", 4, 40.0],
            ["South", "Gadget", 1, 10.0],
            ["Grand Total", None, 10, 100.0],
            [None],
            ["Source: ERP export"],
        ]
    )
    assert lay.excluded_rows == [
        (3, "subtotal row ('Subtotal North')"),
        (4, "blank row"),
        (7, "grand total row ('Grand Total')"),
        (9, "note below the data"),
    ]
    assert lay.data_stop == 8
    assert "2 total/subtotal row(s) left out of the data" in lay.messages


def test_total_labels_in_any_case_are_found_in_any_of_the_first_columns():
    lay = layout_of(
        [
            ["Site", "Region", "Units"],
            ["Leeds", "North", 2],
            ["LEEDS TOTAL", None, 2],
            ["Lyon", "South", 3],
            [None, "south total", 3],
            ["grand total", None, 5],
        ]
    )
    assert lay.excluded_rows == [
        (2, "total row ('LEEDS TOTAL')"),
        (4, "total row ('south total')"),
        (5, "grand total row ('grand total')"),
    ]


def test_blank_key_rows_that_sum_the_rows_above_are_subtotals():
    lay = layout_of(
        [
            ["Order", "Qty", "Amount"],
            ["A1", 2, 10.5],
            ["A2", 3, 4.5],
            [None, 5, 15.0],
            ["B1", 1, 1.0],
            ["B2", 7, 2.0],
            [None, 8, 3.0],
            [None, 13, 18.0],
            ["C1", None, 9.0],
        ]
    )
    reason = "subtotal row (blank key, numbers sum the rows above)"
    assert lay.excluded_rows == [(3, reason), (6, reason), (7, reason)]


def test_blank_key_row_that_does_not_sum_is_kept():
    lay = layout_of([["Order", "Qty"], ["A1", 2], ["A2", 3], [None, 4], ["A3", 5]])
    assert lay.excluded_rows == []


def test_blank_columns_dropped_and_blank_headers_named():
    lay = layout_of(
        [
            ["Name", None, None, "Qty", "Qty"],
            ["a", None, "x", 1, 2],
            ["b", None, "y", 3, 4],
        ]
    )
    assert lay.names == {0: "Name", 2: "Column 3", 3: "Qty", 4: "Qty (2)"}


def test_repeated_header_rows_inside_data_are_excluded():
    lay = layout_of([["Id", "Qty"], ["1", 2], ["Id", "Qty"], ["2", 3]])
    assert lay.excluded_rows == [(2, "repeated header row")]


def test_unique_names():
    assert unique_names(["A", None, "a", "A", ""]) == [
        "A",
        "Column 2",
        "a (2)",
        "A (3)",
        "Column 5",
    ]
