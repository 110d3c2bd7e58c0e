"""Tables to xlsx: values, layout and formats read back with openpyxl and calamine."""

import datetime as dt
import io

import fastexcel
import numpy as np
import openpyxl
import pandas as pd
import pytest

from cockpit.export.xlsx import NUMBER_FORMATS, table_to_xlsx, tables_to_xlsx

CONTEXT = [
    ("Filters", "site = Leeds, Lyon"),
    ("Data as of", "load 42 (2026-10-03)"),
    ("Link", "https://cockpit.example.com/Efficiency?period=quarter&asof=42"),
]


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"]),
            "site": ["Leeds", '=HYPERLINK("http://evil")', None],
            "orders": [1200, 15, 7],
            "on_time_pct": [93.25, np.nan, 100.0],
            "revenue": [1234567.891, 0.5, -20.0],
        }
    )


def _open(data: bytes, sheet: str = "Data"):
    return openpyxl.load_workbook(io.BytesIO(data))[sheet]


@pytest.fixture(scope="module")
def sheet():
    data = table_to_xlsx(
        _table(),
        title="On-time delivery by site",
        context=CONTEXT,
        formats={"on_time_pct": "pct", "revenue": "money", "not_a_column": "int"},
    )
    return data, _open(data)


def test_title_and_context_rows_on_top(sheet):
    _, ws = sheet
    assert ws["A1"].value == "On-time delivery by site"
    assert ws["A1"].font.bold
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == [
        "Filters: site = Leeds, Lyon",
        "Data as of: load 42 (2026-10-03)",
        "Link: https://cockpit.example.com/Efficiency?period=quarter&asof=42",
    ]
    assert ws["A4"].hyperlink.target == CONTEXT[2][1]
    assert ws["A5"].value is None  # the blank row


def test_header_is_bold_frozen_and_filtered(sheet):
    _, ws = sheet
    assert [c.value for c in ws[6]] == ["Month", "Site", "Orders", "On time %", "Revenue"]
    assert all(c.font.bold for c in ws[6])
    assert ws.freeze_panes == "A7"
    assert ws.auto_filter.ref == "A6:E9"


def test_values_and_number_formats(sheet):
    _, ws = sheet
    assert ws["A7"].value == dt.datetime(2026, 8, 1)
    assert ws["A7"].number_format == "yyyy-mm-dd"
    assert ws["C7"].value == 1200
    assert ws["C7"].number_format == "#,##0"
    assert ws["D7"].value == pytest.approx(0.9325)  # a fraction Excel can compute with
    assert ws["D7"].number_format == "0.0%"
    assert ws["D8"].value is None  # NaN is an empty cell, not "nan"
    assert ws["E7"].value == 1234567.891
    assert ws["E7"].number_format == "[>=100]#,##0;[<=-100]-#,##0;#,##0.00"
    assert ws["B9"].value is None


def test_formula_looking_text_stays_text(sheet):
    data, ws = sheet
    assert ws["B8"].value == '=HYPERLINK("http://evil")'
    assert ws["B8"].data_type == "s"
    # An independent reader (calamine) sees text, not a formula result.
    df = fastexcel.read_excel(data).load_sheet("Data", header_row=5).to_pandas()
    assert df["Site"].tolist()[:2] == ["Leeds", '=HYPERLINK("http://evil")']
    assert df["Orders"].tolist() == [1200, 15, 7]


def test_column_widths_follow_content(sheet):
    _, ws = sheet
    # The header "Revenue" + 3 for the filter button (10) is wider than "1,234,568" (9); + 1.
    assert ws.column_dimensions["E"].width == 11
    # "=HYPERLINK("http://evil")" is 25 characters + 1.
    assert ws.column_dimensions["B"].width == 26
    assert ws.column_dimensions["C"].width == 10  # "orders" + 3 + 1


def test_formats_inferred_without_hints():
    df = pd.DataFrame(
        {
            "day": [dt.date(2026, 1, 2)],
            "at": [pd.Timestamp("2026-01-02 13:45", tz="Europe/London")],
            "n": [3.0],
            "x": [2.5],
            "flag": [True],
        }
    )
    ws = _open(table_to_xlsx(df, title="t", context=[]))
    assert ws["A3"].value == "Day"  # title, blank row, header
    assert [ws.cell(4, j).number_format for j in range(1, 6)] == [
        "yyyy-mm-dd",
        "yyyy-mm-dd hh:mm",
        "#,##0",
        "#,##0.00",
        "General",
    ]
    assert ws["B4"].value == dt.datetime(2026, 1, 2, 13, 45)
    assert ws["E4"].value is True


def test_named_index_is_written_as_a_column():
    df = pd.DataFrame({"cost": [5.0, 7.0]}, index=pd.Index(["Leeds", "Lyon"], name="site"))
    ws = _open(table_to_xlsx(df, title="t", context=[]))
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=3)] == [
        ["Site", "Cost"],
        ["Leeds", 5.0],
        ["Lyon", 7.0],
    ]


def test_every_catalogue_format_has_a_number_format():
    from cockpit.kpis.catalogue import FORMATS

    df = pd.DataFrame({f: [1.5] for f in FORMATS})
    ws = _open(
        table_to_xlsx(df, title="t", context=[], formats={f: f for f in FORMATS}, words=False)
    )
    assert {
        ws.cell(3, j).value: ws.cell(4, j).number_format for j in range(1, len(FORMATS) + 1)
    } == {f: NUMBER_FORMATS[f] for f in FORMATS}


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        table_to_xlsx(pd.DataFrame({"a": [1]}), title="t", context=[], formats={"a": "euro"})


def test_several_sheets_with_legal_unique_names():
    a = pd.DataFrame({"a": [1]})
    b = pd.DataFrame({"b": ["x\x07y"]})
    data = tables_to_xlsx(
        [("Cost / unit [by site]", a, None), ("cost - unit -by site-", b, {})],
        title="Pack",
        context=[("Period", "Q3 2026")],
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Cost - unit -by site-", "cost - unit -by site- (2)"]
    second = wb.worksheets[1]
    assert second["A2"].value == "Period: Q3 2026"
    assert second["A5"].value == "xy"  # control characters Excel refuses are dropped


def test_money_carries_the_currency_and_percentages_compute():
    """Money cells show the data's currency; a percentage cell times 100 is the figure shown."""
    df = pd.DataFrame({"unit": ["Ops"], "budget": [1234.5], "variance_pct": [-4.2]})
    ws = _open(
        table_to_xlsx(
            df,
            title="Budget variance",
            context=[],
            formats={"budget": "money", "variance_pct": "pct"},
            currency="£",
        )
    )
    header = 3  # title, blank, header
    assert [c.value for c in ws[header]] == ["Unit", "Budget", "Variance %"]
    budget, pct = ws.cell(header + 1, 2), ws.cell(header + 1, 3)
    assert budget.value == 1234.5
    assert budget.number_format == '[>=100]"£"#,##0;[<=-100]-"£"#,##0;"£"#,##0.00'
    assert pct.value == pytest.approx(-0.042)
    assert pct.number_format == "0.0%"


def test_query_results_keep_their_column_names():
    ws = _open(
        table_to_xlsx(pd.DataFrame({"on_time_pct": [1.0]}), title="Q", context=[], words=False)
    )
    assert ws.cell(3, 1).value == "on_time_pct"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("availability_pct", "Availability %"),
        ("kpi_id", "KPI ID"),
        ("cumulative_share", "Cumulative share"),
        ("Cost (£)", "Cost (£)"),
        ("Site", "Site"),
        ("n", "N"),
    ],
)
def test_header_labels_in_words(name, label):
    from cockpit.export.xlsx import header_label

    assert header_label(name) == label


def test_a_query_with_list_columns_downloads_with_the_lists_as_text():
    # The SQL explorer's xlsx of `select [1, 2] as l, ['a'] as one` failed silently (the
    # download did nothing: numpy's .item() on a list of two), and a list of one lost its
    # brackets.
    import duckdb

    df = (
        duckdb.sql(
            "select [1, 2] as l, ['a'] as one, {'k': 1} as s, 'x'::blob as b, 7::tinyint as n"
        )
        .to_arrow_table()
        .to_pandas()
    )
    ws = _open(table_to_xlsx(df, title="Query result", context=[], words=False))
    assert [c.value for c in ws[4]] == ["[1, 2]", "['a']", "{'k': 1}", "b'x'", 7]
