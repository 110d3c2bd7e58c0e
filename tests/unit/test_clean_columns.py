"""The fast path for plain columns decides exactly what the full detector decides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from cockpit.ingest import clean_columns
from cockpit.ingest import typed as typed_mod
from cockpit.ingest.clean_columns import clean_profiles
from cockpit.ingest.detect_sheet import SheetAnalysis
from cockpit.ingest.detect_types import profile_columns
from cockpit.ingest.pipeline import prepare_file
from cockpit.ingest.read import RawSheet
from cockpit.ingest.typed import typed_sheet


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def _table(columns: dict[str, list]) -> tuple[pa.Table, dict[int, str]]:
    table = pa.table({f"c{i}": pa.array(v, pa.string()) for i, v in enumerate(columns.values())})
    return table, dict(enumerate(columns))


KEYS = ("kind", "date_order", "formats", "placeholders", "null_count", "bad_count", "serial")

PLAIN = {
    "Qty": ["3", "12", None, "-4", "+7", "0", "250"] * 40,
    "Net Sales": ["1234.5", "0.333333333", "-17.25", "99", None] * 50,
    "Order Date": ["2024-01-05", "2024-02-29", None, "2023-12-31"] * 60,
    "Opened": ["2024-01-05 08:30:15", "2024-02-29 00:00:00", "2025-11-30 23:59:59"] * 70,
    "Shipped": ["2024-01-05 00:00:00", "2024-02-29 00:00:00"] * 90,
    "Closed": ["2024-01-05 08:30", "2024-03-01 17:05"] * 90,
}


@pytest.mark.parametrize("name", list(PLAIN))
def test_plain_column_is_claimed_with_the_full_detectors_verdict(con, name):
    table, names = _table({name: PLAIN[name]})
    claimed = clean_profiles(con, table, names)
    assert list(claimed) == [0] and claimed[0].clean
    full = profile_columns(con, table, names, fast=False)[0]
    fast = claimed[0]
    assert {k: getattr(fast, k) for k in KEYS} == {k: getattr(full, k) for k in KEYS}
    # The evidence quotes an example value; which one may differ.
    assert fast.evidence.split(" (")[0] == full.evidence.split(" (")[0]
    assert fast.evidence.endswith(", with times") == full.evidence.endswith(", with times")


NOT_PLAIN = {
    "0/1 flags may be yes/no": ("Answered", ["0", "1", "1"] * 50),
    "serial dates in a date column": ("Ship Date", ["45300", "45301"] * 50),
    "a placeholder late in the column": ("Qty", ["3"] * 300 + ["N/A"]),
    "a bad value late in the column": ("Qty", ["3"] * 300 + ["12 kg"]),
    "an impossible date": ("Order Date", ["2024-01-05"] * 300 + ["2024-02-30"]),
    "a date of another length": ("Order Date", ["2024-01-05"] * 300 + ["2024-01-05 08:00"]),
    "calamine time-of-day cells": ("Start", ["1899-12-31 08:30:00"] * 30),
    "calamine durations": ("Lost", ["1900-01-01 02:15:00"] * 30),
    "padded numbers": ("Qty", [" 3", "4 "] * 30),
    "thousands separators": ("Net Sales", ["1,234.50", "99.00"] * 30),
    "text": ("Plant", ["Leeds", "Lyon"] * 30),
    "empty": ("Notes", [None] * 30),
}


@pytest.mark.parametrize("case", list(NOT_PLAIN))
def test_columns_with_anything_to_judge_take_the_full_way(con, case):
    name, values = NOT_PLAIN[case]
    table, names = _table({name: values})
    assert clean_profiles(con, table, names) == {}


def test_bad_values_late_in_the_column_are_still_reported(con):
    table, names = _table({"Order Date": ["2024-01-05"] * 300 + ["2024-02-30"]})
    p = profile_columns(con, table, names)[0]
    assert p.kind == "date" and not p.clean and p.bad_count == 1
    assert p.bad_sample == ["2024-02-30"]


def test_decimal_comma_files_never_take_the_fast_path(con):
    table, names = _table({"Qty": ["1.234", "5"] * 30})
    p = profile_columns(con, table, names, decimal_comma=True)[0]
    assert not p.clean


def test_clean_columns_convert_as_the_full_path_does(con):
    table, names = _table({k: v[:180] for k, v in PLAIN.items()})
    stop = table.num_rows
    raw = RawSheet(
        "t.xlsx",
        "S",
        pa.concat_tables(
            [pa.table({c: pa.array(list(names.values())[i : i + 1]) for i, c in
                       enumerate(table.column_names)}), table]
        ),
    )  # fmt: skip
    body = raw.table.slice(1)

    def typed(fast: bool):
        columns = profile_columns(con, body, names, fast=fast)
        analysis = SheetAnalysis("t.xlsx", "S", "data", "", None, [0], 1, stop + 1, [], columns)
        return typed_sheet(con, raw, analysis)

    fast, full = typed(True), typed(False)
    assert all(p.clean for p in profile_columns(con, body, names))
    assert fast.table.equals(full.table)
    assert fast.rejects == full.rejects == []
    assert fast.table.column("Opened")[0].as_py() == dt.datetime(2024, 1, 5, 8, 30, 15)
    assert fast.table.column("Order Date").type == pa.date32()
    assert fast.table.column("Net Sales")[2].as_py() == -17.25


DEMO = sorted(
    p for p in (Path(__file__).parents[2] / "data" / "demo").iterdir() if p.suffix != ".md"
)
REAL = sorted((Path(__file__).parents[3] / "shared" / "realdata").glob("*.csv"))


@pytest.mark.parametrize("path", DEMO + REAL, ids=lambda p: p.name)
def test_files_load_the_same_rows_with_and_without_the_fast_paths(store, monkeypatch, path):
    """The demo exports and the real CSV: canonical rows, rejects and kinds are identical
    whether plain columns take the fast path or the full detector and SQL typing."""

    def prepared():
        return prepare_file(store, path.read_bytes(), path.name)

    fast = prepared()
    monkeypatch.setattr(clean_columns, "clean_profiles", lambda con, table, names: {})
    monkeypatch.setattr(typed_mod, "_is_direct", lambda p: False)
    full = prepared()
    assert fast.error is None and full.error is None
    assert len(fast.sheets) == len(full.sheets)
    for a, b in zip(fast.sheets, full.sheets, strict=True):
        assert a.status == b.status and a.mapping.columns == b.mapping.columns
        assert [c.kind for c in a.analysis.columns] == [c.kind for c in b.analysis.columns]
        assert a.rejects == b.rejects
        if a.rows is not None:
            assert a.rows.equals(b.rows), a.name
    assert any(c.clean for s in fast.sheets if s.analysis for c in s.analysis.columns)


def test_yes_no_and_text_columns_convert_as_the_sql_path_does(con, monkeypatch):
    values = {
        "Answered": ["Y", "n", " yes ", "FALSE", None, "1", "0", "t", "Off", "  "] * 30,
        "Agent": [" Ann ", "Bob", None, "  ", "Cy\t", "Dee", "Ed", "Flo", "Gus", "Hal"] * 30,
    }
    raw = RawSheet("t.csv", None, pa.table({"c0": list(values)[:1] + values["Answered"],
                                          "c1": list(values)[1:] + values["Agent"]}))  # fmt: skip

    def typed(direct: bool):
        if not direct:
            monkeypatch.setattr(typed_mod, "_is_direct", lambda p: False)
        columns = profile_columns(con, raw.table.slice(1), {0: "Answered", 1: "Agent"})
        analysis = SheetAnalysis("t.csv", None, "data", "", None, [0], 1, 301, [], columns)
        return columns, typed_sheet(con, raw, analysis)

    columns, fast = typed(True)
    assert [c.kind for c in columns] == ["bool", "text"] and not columns[0].placeholders
    _, full = typed(False)
    assert fast.table.equals(full.table)
    assert fast.rejects == full.rejects == []
    assert fast.table.column("Answered").to_pylist()[:10] == [
        True, False, True, False, None, True, False, True, False, None,
    ]  # fmt: skip
    # Trimmed as DuckDB's trim() does: spaces, not tabs.
    assert fast.table.column("Agent").to_pylist()[:5] == ["Ann", "Bob", None, None, "Cy\t"]


def test_arrow_trims_exactly_the_characters_duckdb_trims(con):
    candidates = [chr(c) for c in [*range(33), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200C),
                                   0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF]]  # fmt: skip
    by_duckdb = {
        c
        for c in candidates
        if con.execute("select trim($s)", {"s": f"{c}x{c}"}).fetchone()[0] == "x"
    }
    assert by_duckdb == set(typed_mod.SQL_TRIM_CHARS)
