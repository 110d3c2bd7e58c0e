"""Issue 25's layout readings, each on a small file whose figures are known by hand: thousands
separators decided by the file's convention (or held), compact dates, units rows, a one-column
super-header, totals rows only when labelled or summing, sentinel letters."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from workbooks import xlsx

from cockpit.ingest import scratch
from cockpit.ingest.detect_header import find_layout
from cockpit.ingest.detect_sheet import analyse_sheet
from cockpit.ingest.detect_types import profile_column, profile_columns
from cockpit.ingest.read import read_file
from cockpit.ingest.typed import typed_sheet


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def _typed(data: bytes, name: str) -> dict[str, list]:
    (raw,) = read_file(data, name)
    a = analyse_sheet(raw)
    cur = scratch.cursor()
    try:
        t = typed_sheet(cur, raw, a).table
    finally:
        cur.close()
    return {c: t[c].to_pylist() for c in t.column_names if c != "_row"}, a


# --- thousands separators --------------------------------------------------------------------


def test_whole_thousands_in_a_semicolon_csv_follow_the_files_decimal_comma():
    data = b"Date;Units;Revenue\n2025-01-06;1.010;1.250,50\n2025-01-07;1.020;480,00\n"
    got, a = _typed(data, "x.csv")
    assert got["Units"] == [1010.0, 1020.0]
    assert got["Revenue"] == [1250.5, 480.0]
    assert not any(c.number_ambiguous for c in a.columns)


def test_whole_thousands_beside_dot_decimals_elsewhere_are_decimals():
    data = b"Date\tWeight\tPrice\n2025-01-06\t1.010\t12.50\n2025-01-07\t1.020\t3.25\n"
    got, _ = _typed(data, "x.tsv")
    assert got["Weight"] == [1.01, 1.02]


def test_a_trailing_zero_beside_plain_whole_numbers_proves_thousands():
    data = b"Date\tUnits\n2025-01-06\t1.000\n2025-01-07\t800\n2025-01-08\t900\n"
    got, a = _typed(data, "x.tsv")
    assert got["Units"] == [1000.0, 800.0, 900.0]
    assert a.columns[1].number_ambiguous is None


def test_a_column_nothing_decides_is_flagged_for_holding():
    data = b"Date\tActual\n2025-01-06\t1.107\n2025-01-07\t1.114\n"
    _, a = _typed(data, "x.tsv")
    assert "1.010 may be 1010 or 1.01" in a.columns[1].number_ambiguous


def test_another_columns_proven_thousands_decide_an_ambiguous_one():
    # 'Budget' proves ',' is for thousands (1,010 beside 510); 'Actual' follows the file.
    data = b"Actual\tBudget\n1,107\t1,010\n457\t510\n"
    got, a = _typed(data, "x.tsv")
    assert got["Actual"] == [1107.0, 457.0]
    assert got["Budget"] == [1010.0, 510.0]
    assert not any(c.number_ambiguous for c in a.columns)


def test_in_a_workbook_a_proven_column_decides_its_neighbour_too():
    # text cells: 'Budget' proves '.' groups thousands (1.010 beside 510), a trailing zero
    # that is no evidence of a decimal point; 'Actual' (1.107) follows it.
    rows = [["Month", "Actual", "Budget"], ["2025-01-01", "1.107", "1.010"],
            ["2025-02-01", "457", "510"]]  # fmt: skip
    got, _ = _typed(xlsx({"S": rows}), "x.xlsx")
    assert got["Actual"] == [1107.0, 457.0]
    assert got["Budget"] == [1010.0, 510.0]


def test_swiss_apostrophes_as_text_in_a_workbook_and_a_csv():
    got, _ = _typed(xlsx({"S": [["Date", "Target"], ["2025-01-01", "5'000"],
                                ["2025-02-01", "1'250.50"]]}), "x.xlsx")  # fmt: skip
    assert got["Target"] == [5000.0, 1250.5]
    got, _ = _typed(b"Date,Target\n2025-01-01,1'500\n2025-02-01,65\n", "x.csv")
    assert got["Target"] == [1500.0, 65.0]


def test_decimal_comma_text_cells_in_a_workbook():
    rows = [["Date", "Revenue", "Units"], ["2025-01-01", "1.250,50", "1.000"],
            ["2025-02-01", "480,25", "800"]]  # fmt: skip
    got, _ = _typed(xlsx({"S": rows}), "x.xlsx")
    assert got["Revenue"] == [1250.5, 480.25]
    assert got["Units"] == [1000.0, 800.0]


def test_number_cells_of_a_workbook_stay_decimals(con):
    # calamine writes the number cell 1.234 as '1.234': with nothing else it is a decimal.
    rows = [["Date", "Weight"], ["2025-01-01", 1.234], ["2025-02-01", 5.678]]
    got, a = _typed(xlsx({"S": rows}), "x.xlsx")
    assert got["Weight"] == [1.234, 5.678]
    assert a.columns[1].number_ambiguous is None


# --- compact dates ---------------------------------------------------------------------------


def test_yymmdd_and_yyyymmdd_under_a_date_header(con):
    p = profile_column(con, pa.array(["250115", "250203", "241231"]), 0, "Order Date")
    assert (p.kind, p.formats[0]) == ("date", "%y%m%d")
    p = profile_column(con, pa.array(["20250115", "20250203"]), 0, "Created")
    assert p.kind == "date"
    p = profile_column(con, pa.array(["250105 09:15:00", "250116 14:40:00"]), 0, "Created")
    assert p.kind == "timestamp"


def test_six_digit_ids_and_amounts_are_not_dates(con):
    assert profile_column(con, pa.array(["250115", "250203"]), 0, "Order Id").kind == "number"
    assert profile_column(con, pa.array(["250115", "250203"]), 0, "Amount").kind == "number"
    # one value that is no date (month 13): the column is not compact dates
    p = profile_column(con, pa.array(["250115", "251399"]), 0, "Date")
    assert p.kind != "date"


def test_compact_dates_load_through_the_fast_path_too():
    table = pa.table({"c0": pa.array(["20250115", "20250203"]), "c1": pa.array(["1", "2"])})
    c = duckdb.connect()
    try:
        p = profile_columns(c, table, {0: "Date", 1: "Qty"})[0]
    finally:
        c.close()
    assert p.kind == "date"


# --- header rows ------------------------------------------------------------------------------


def test_a_units_row_under_the_header_joins_the_names():
    rows = [["Date", "Revenue", "Planned"], ["date", "EUR", "min"], ["2025-01-06", 10, 480],
            ["2025-01-07", 20, 450]]  # fmt: skip
    (raw,) = read_file(xlsx({"S": rows}), "x.xlsx")
    lay = find_layout(raw)
    assert lay.header_rows == [0, 1]
    assert lay.names == {0: "Date (date)", 1: "Revenue (EUR)", 2: "Planned (min)"}


def test_a_one_word_super_header_over_one_column():
    rows = [["Interval", None, None], ["Start", "Offered", "Answered"], ["2025-01-06", 120, 110],
            ["2025-01-17", 140, 120]]  # fmt: skip
    (raw,) = read_file(xlsx({"S": rows}), "x.xlsx")
    lay = find_layout(raw)
    assert lay.names[0] == "Interval Start" and lay.title is None


def test_a_title_above_the_header_stays_a_title():
    rows = [["Call report"], ["Start", "Offered"], ["2025-01-06", 120], ["2025-01-17", 140]]
    (raw,) = read_file(xlsx({"S": rows}), "x.xlsx")
    lay = find_layout(raw)
    assert lay.title == "Call report" and lay.names[0] == "Start"


# --- totals rows ------------------------------------------------------------------------------


def _excluded(rows) -> list[tuple[int, str]]:
    (raw,) = read_file(xlsx({"S": rows}), "x.xlsx")
    return find_layout(raw).excluded_rows


def test_a_ticket_whose_subject_starts_with_total_is_data():
    rows = [["Subject", "Agent", "Minutes"], ["Printer jam", "Ann", 30],
            ["VPN down", "Bob", 20], ["Total outage at Leeds", None, 95]]  # fmt: skip
    assert _excluded(rows) == []


def test_a_label_that_goes_on_is_a_total_when_its_numbers_sum_the_rows_above():
    rows = [["Site", "Agent", "Minutes"], ["Leeds", "Ann", 30], ["Leeds", "Bob", 20],
            ["Total Leeds", None, 50]]  # fmt: skip
    assert _excluded(rows) == [(3, "total row ('Total Leeds')")]


@pytest.mark.parametrize("label", ["Gesamt", "Summe", "Totale", "Totaal", "Totales:", "TOTAL"])
def test_total_words_of_every_language_label_a_totals_row(label):
    rows = [["Site", "Units"], ["Leeds", 1000], ["Lyon", 800], [label, 999]]
    ((row, why),) = _excluded(rows)
    assert row == 3 and label.rstrip(":") in why


def test_subtotals_in_sections_and_a_grand_total():
    rows = [["Site", "Line", "Units"], ["Leeds", "L1", 1000], ["Leeds", "L2", 900],
            ["Leeds Total", None, 1900], ["Lyon", "L1", 800], ["Lyon", "L2", 700],
            [None, None, 1500], ["Grand Total", None, 3400]]  # fmt: skip
    got = dict(_excluded(rows))
    assert sorted(got) == [3, 6, 7]
    assert "subtotal" in got[6] and "grand total" in got[7]


# --- sentinel letters -------------------------------------------------------------------------


def test_a_sentinel_letter_in_a_time_or_number_column_is_a_counted_placeholder(con):
    p = profile_column(con, pa.array(["08:15", "09:40", "N", "10:05"]), 0, "Time")
    assert p.kind == "time" and p.placeholders == {"N": 1} and p.bad_count == 0
    p = profile_column(con, pa.array(["4", "5", "X", "3", "2"]), 0, "Q7ALL")
    assert p.kind == "number" and p.placeholders == {"X": 1} and p.bad_count == 0
    # 'Ideal' is no id: its stray letter is a placeholder too (an id column with codes is text)
    p = profile_column(con, pa.array(["380", "x", "350"]), 0, "Ideal Minutes")
    assert p.kind == "number" and p.placeholders == {"x": 1}
    assert profile_column(con, pa.array(["1201", "X", "1300"]), 0, "Item Id").kind == "text"
    # a word is still a bad value
    p = profile_column(con, pa.array(["4", "5", "abc", "3", "2", "1", "4"]), 0, "Rating")
    assert p.bad_count == 1
