"""read_file: workbooks and delimited text as string grids; bad input as IngestError."""

from __future__ import annotations

import datetime as dt

import pytest
from workbooks import encrypted, ods, text, with_parts, with_text_replaced, xls, xlsx, zip_bomb

from cockpit.ingest.errors import IngestError
from cockpit.ingest.read import Limits, column_letter, read_file


def rows(sheet) -> list[list]:
    return [list(r.values()) for r in sheet.table.to_pylist()]


def test_ingest_error_names_file_sheet_row_and_column():
    e = IngestError("bad date", file="orders.xlsx", sheet="Orders", row=12, column="Ship Date")
    assert str(e) == "orders.xlsx, sheet 'Orders', row 12, column 'Ship Date': bad date"
    assert str(IngestError("empty", file="a.csv")) == "a.csv: empty"


def test_xlsx_cells_come_back_as_strings_with_grid_rows_kept():
    data = xlsx(
        {
            "Orders": [
                [None],
                ["Report"],
                ["Date", "Qty", "Ok", "Price", "At"],
                [dt.date(2024, 1, 5), 42, True, 1.5, dt.time(8, 30)],
                [dt.datetime(2024, 1, 6, 8, 30, 15), 7, False, 0.25, None],
                [None, None, None, None, None],
            ],
            "Hidden": [["x"]],
        },
        hidden=("Hidden",),
    )
    orders, hidden = read_file(data, "o.xlsx")
    assert orders.sheet == "Orders" and orders.file == "o.xlsx"
    assert orders.table.column_names == ["c0", "c1", "c2", "c3", "c4"]
    assert rows(orders) == [
        [None] * 5,
        ["Report", None, None, None, None],
        ["Date", "Qty", "Ok", "Price", "At"],
        ["2024-01-05 00:00:00", "42", "true", "1.5", "1899-12-31 08:30:00"],
        ["2024-01-06 08:30:15", "7", "false", "0.25", None],
    ]
    assert not orders.hidden and hidden.hidden


@pytest.mark.parametrize("margin", [0, 1])
def test_ods_merged_ranges_are_read_from_content_xml(margin):
    # A margin column left of the data is dropped by calamine: the merges shift with it.
    pad = [None] * margin
    data = ods(
        [pad + ["Month", "Income", None], pad + [None, "Budget", "Actual"], pad + ["Jan", 1, 2]],
        spans={(0, margin + 1): (2, 1), (0, margin): (1, 2)},
    )
    (sheet,) = read_file(data, "b.ods")
    assert sheet.table.column("c0").to_pylist() == ["Month", None, "Jan"]
    assert sorted(sheet.merged_ranges) == [(0, 0, 1, 0), (0, 1, 0, 2)]


def test_xlsx_merged_ranges_are_read_from_the_sheet_xml():
    data = xlsx(
        {"B": [["Month", "Income", None], [None, "Budget", "Actual"], ["Jan", 1, 2]]},
        merges={"B": ["B1:C1", "A1:A2"]},
    )
    (sheet,) = read_file(data, "b.xlsx")
    assert sorted(sheet.merged_ranges) == [(0, 0, 1, 0), (0, 1, 0, 2)]


def test_xls_and_ods_read_like_xlsx():
    grid = [["Name", "Day", "Qty"], ["a", dt.date(2024, 1, 5), 2.5]]
    (x,) = read_file(xls(grid), "old.xls")
    assert rows(x) == [["Name", "Day", "Qty"], ["a", "2024-01-05 00:00:00", "2.5"]]
    (o,) = read_file(ods(grid), "open.ods")
    # calamine renders ODS dates without a time part
    assert rows(o) == [["Name", "Day", "Qty"], ["a", "2024-01-05", "2.5"]]


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "a.csv", "empty (0 bytes)"),
        (b"x", "a.pdf", "unsupported file type .pdf"),
        (xlsx({"S": [["a"]]})[:300], "t.xlsx", "corrupt or truncated"),
        (encrypted(xlsx({"S": [["a"]]})), "e.xlsx", "password-protected"),
        (xlsx({"S": [], "T": []}), "n.xlsx", "no data cells"),
        (zip_bomb(), "b.xlsx", "zip bomb"),
        (xlsx({"S": [["a"]]}), "renamed.csv", "not text"),
        (b"hello", "g.xls", "not a valid .xls"),
    ],
)
def test_bad_input_is_an_ingest_error_naming_the_file(data, name, fragment):
    with pytest.raises(IngestError) as err:
        read_file(data, name)
    assert err.value.file == name
    assert str(err.value).startswith(f"{name}: ")
    assert fragment in str(err.value)


def test_pivot_only_workbook_asks_for_the_underlying_data():
    data = with_parts(
        xlsx({"Pivot": []}), {"xl/pivotCache/pivotCacheDefinition1.xml": b"<pivotCacheDefinition/>"}
    )
    with pytest.raises(IngestError, match="only in a pivot table.*export the underlying data"):
        read_file(data, "p.xlsx")


def test_data_model_only_workbook_is_reported():
    data = with_parts(xlsx({"S": []}), {"xl/model/item.data": b"\x01\x02"})
    with pytest.raises(IngestError, match="only in the data model"):
        read_file(data, "m.xlsx")


def test_size_and_cell_limits():
    data = xlsx({"Big": [[i, i] for i in range(30)]})
    with pytest.raises(IngestError, match="upload limit"):
        read_file(data, "big.xlsx", limits=Limits(max_bytes=100))
    with pytest.raises(IngestError, match=r"sheet 'Big'.*60 cells, over the limit of 50"):
        read_file(data, "big.xlsx", limits=Limits(max_cells=50))
    with pytest.raises(IngestError, match="cells, over the limit"):
        read_file(b"a,b\n1,2\n3,4\n", "c.csv", limits=Limits(max_cells=4))


def test_column_letters_follow_the_spreadsheet():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_an_xlsx_cell_over_the_cell_limit_is_refused_naming_sheet_row_and_column():
    # openpyxl cuts text to 32,767 characters, so the long cell is written into the XML.
    data = xlsx({"Notes": [[None, None], [None, "Note", "Qty"], [None, "MARK", 1]]})
    data = with_text_replaced(data, "xl/worksheets/sheet1.xml", b"MARK", "é".encode() * 40_000)
    with pytest.raises(IngestError) as e:
        read_file(data, "n.xlsx", limits=Limits(max_ratio=1e9))
    # Column A is empty, so the grid starts at B: the long cell is B3 in the sheet.
    assert (e.value.sheet, e.value.row, e.value.column) == ("Notes", 3, "B")
    assert "40,000 characters, over the per-cell maximum of 32,767" in e.value.message


def test_a_cell_at_the_limit_is_refused_and_one_below_is_kept():
    limits = Limits(max_cell_chars=5)
    (ok,) = read_file(xlsx({"S": [["abcd", "ééé"]]}), "ok.xlsx", limits=limits)
    assert rows(ok) == [["abcd", "ééé"]]  # "ééé" is 6 bytes but 3 characters
    with pytest.raises(IngestError, match=r"row 2, column 'B': a cell holds 5 characters"):
        read_file(xlsx({"S": [["a", "b"], ["c", "abcde"]]}), "at.xlsx", limits=limits)
    with pytest.raises(IngestError, match=r"row 1, column 'A': a cell holds 7 char"):
        read_file(b"abcdefg,b\n1,2\n", "at.csv", limits=limits)


def test_a_giant_csv_cell_gives_a_short_message_without_the_line_or_a_temp_path():
    data = b"Note,Qty\nok,1\n" + b'"' + b"x" * 2_000_000 + b'",2\n'
    with pytest.raises(IngestError) as e:
        read_file(data, "big.csv")
    assert str(e.value) == (
        "big.csv, row 3, column 'A': a cell holds 2,000,000 characters, over the per-cell"
        " maximum of 32,767; is a field missing its closing quote?"
    )


def test_a_csv_line_over_the_line_limit_is_refused_briefly():
    data = b"Note,Qty\n" + b"y" * 5000 + b",1\n"
    with pytest.raises(IngestError) as e:
        read_file(data, "long.csv", limits=Limits(max_line_bytes=4096))
    msg = str(e.value)
    assert msg.startswith("long.csv: a line is longer than 4,096 bytes (line 2)")
    assert len(msg) < 120 and "yyy" not in msg and "/tmp" not in msg


def test_csv_delimiters_are_detected():
    grid = [["id", "name", "amount"], ["1", "a, b", "2.5"], ["2", "c", "3"]]
    for delim, note in [(",", "','"), (";", "';'"), ("\t", "TAB"), ("|", "'|'")]:
        (sheet,) = read_file(text(grid, delim).encode(), "x.txt")
        assert rows(sheet) == grid, delim
        assert f"delimiter {note}" in sheet.notes
        assert sheet.sheet is None and not sheet.decimal_comma


def test_tsv_extension_means_tab():
    (sheet,) = read_file(b"a\tb,c\n1\t2,3\n", "x.tsv")
    assert rows(sheet) == [["a", "b,c"], ["1", "2,3"]]


def test_encodings_bom_utf16_cp1252_and_crlf():
    grid = [["Site", "Café"], ["Zürich", "€5"]]
    body = text(grid, ",", newline="\r\n")
    for data, note in [
        (body.encode("utf-8"), None),
        (b"\xef\xbb\xbf" + body.encode("utf-8"), "encoding UTF-8 with BOM"),
        (body.encode("utf-16"), "encoding UTF-16"),
        (body.encode("cp1252"), "encoding cp1252 (Windows-1252)"),
    ]:
        (sheet,) = read_file(data, "enc.csv")
        assert rows(sheet) == grid, note
        if note:
            assert note in sheet.notes


def test_decimal_comma_csv_with_semicolons():
    data = b"Item;Amount;Share\nA;1.234,56;12,5%\nB;7,25;3%\n"
    (sheet,) = read_file(data, "eu.csv")
    assert sheet.decimal_comma
    assert rows(sheet)[1] == ["A", "1.234,56", "12,5%"]


def test_ragged_rows_pad_with_nulls_and_keep_extra_fields():
    data = b'a,b,c\n1,2\n3,4,5,6\n"x,y",7,8\n'
    (sheet,) = read_file(data, "rag.csv")
    assert rows(sheet) == [
        ["a", "b", "c", None],
        ["1", "2", None, None],
        ["3", "4", "5", "6"],
        ["x,y", "7", "8", None],
    ]


def test_a_wider_line_past_the_sniffed_sample_keeps_every_field():
    # The sample (256 KB) sees 3 fields a line; a line far below has 6 (one quoted comma).
    body = b"a,b,c\n" + b"1,2,3\n" * 60_000 + b'4,5,6,7,"8,9",10\n' + b"1,2,3\n"
    (sheet,) = read_file(body, "wide.csv")
    assert sheet.table.num_columns == 6
    assert rows(sheet)[60_001] == ["4", "5", "6", "7", "8,9", "10"]
    assert rows(sheet)[60_002] == ["1", "2", "3", None, None, None]


def test_trailing_blank_rows_and_columns_are_trimmed():
    (sheet,) = read_file(b"a,b,,\n1,2,,\n,,,\n , ,,\n", "t.csv")
    assert rows(sheet) == [["a", "b"], ["1", "2"]]


def test_undecodable_bytes_are_an_ingest_error():
    with pytest.raises(IngestError, match="encoding"):
        read_file(b"a,b\n\x81\x8d\x8f,\x90\n", "odd.csv")
