"""The fast path of type detection: columns every value of which is written one plain way.

Most cells of a large export are machine-written: numbers as calamine or a CSV writer
renders them ("1234.5", "-3") and dates as "2024-01-05" or "2024-01-05 08:30:00". For such a
column the full detector (detect_types) reaches a foregone conclusion after parsing each
distinct value a dozen ways; here one pass over the column proves that every value has the
plain form and yields the same profile: number, or ISO date / timestamp.

A column is claimed only when the full detector would decide the same with nothing to report:
no placeholders, notes or bad values, no decimal comma, not 0/1 (maybe yes/no), not an Excel
serial date, no 1899/1900 epoch values (times and durations). Anything else goes the full way.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pyarrow as pa

from cockpit.ingest import typed
from cockpit.ingest.profile import DATE_NAME as _DATE_NAME
from cockpit.ingest.profile import ColumnProfile

PLAIN_NUMBER = "[-+]?[0-9]+(\\.[0-9]+)?"  # the full detector's cast-at-once shape
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?")
ISO_BY_LENGTH = {10: "%Y-%m-%d", 16: "%Y-%m-%d %H:%M", 19: "%Y-%m-%d %H:%M:%S"}
HEAD_VALUES = 200  # the first values that nominate a column for the check
_EPOCH_END = dt.datetime(1900, 3, 1)  # earlier "dates" are calamine's times and durations


def clean_profiles(
    con: duckdb.DuckDBPyConnection, table: pa.Table, names: dict[int, str]
) -> dict[int, ColumnProfile]:
    """Profiles of the columns c{i} of `table` proven plain numbers or ISO dates, by index."""
    nominated, heads = {}, {}
    for i in names:
        kind, heads[i] = _nominate(table.column(f"c{i}"))
        if kind:
            nominated[i] = kind
    if not nominated:
        return {}
    facts = _check(con, table, nominated)
    out = {}
    for i, kind in nominated.items():
        p = _profile(i, names[i], kind, facts, table.num_rows)
        if p is not None:
            p.sample = list(dict.fromkeys(heads[i]))[:5]
            out[i] = p
    return out


def nominated(table: pa.Table, names: dict[int, str]) -> set[int]:
    """The columns whose first values are all plain: candidates for the one-pass check."""
    return {i for i in names if _nominate(table.column(f"c{i}"))[0]}


def _nominate(col: pa.ChunkedArray) -> tuple[str | int | None, list[str]]:
    """('number', an ISO length (10, 16, 19) or None; the first non-empty values)."""
    head = [v for v in col.slice(0, 4 * HEAD_VALUES).to_pylist() if v is not None][:HEAD_VALUES]
    if not head:
        return None, head
    if all(_PLAIN_NUMBER.fullmatch(v) for v in head):
        return "number", head
    length = len(head[0])
    if length in ISO_BY_LENGTH and all(len(v) == length and _ISO.fullmatch(v) for v in head):
        return length, head
    return None, head


CHECK_BATCH = 200  # columns per query: planning one query grows faster than its width


def _check(con, table: pa.Table, nominated: dict[int, str | int]) -> dict:
    """One pass over every value of the nominated columns: do all have the plain form?

    Wide sheets go in batches of CHECK_BATCH columns (5,000 columns in one query: 150 s of
    planning; in batches: seconds)."""
    items = list(nominated.items())
    facts: dict = {}
    for start in range(0, len(items), CHECK_BATCH):
        facts.update(_check_batch(con, table, dict(items[start : start + CHECK_BATCH])))
    return facts


def _check_batch(con, table: pa.Table, nominated: dict[int, str | int]) -> dict:
    inner, outer, params = [], [], {}
    for i, kind in nominated.items():
        c = f'"c{i}"'
        outer += [f"count({c}) as nn{i}", f"approx_count_distinct({c}) as d{i}"]
        if kind == "number":
            params["plain"] = PLAIN_NUMBER
            inner.append(
                f"{c}, case when regexp_full_match({c}, $plain) then cast({c} as double) end as x{i}"
            )
            outer += [
                f"count(x{i}) as ok{i}",
                f"min(x{i}) as lo{i}",
                f"max(x{i}) as hi{i}",
                f"coalesce(bool_and(x{i} = floor(x{i})), true) as ints{i}",
            ]
        else:
            params[f"f{i}"] = ISO_BY_LENGTH[kind]
            params[f"len{i}"] = kind
            inner.append(
                f"{c}, case when length({c}) = $len{i} then try_strptime({c}, $f{i}) end as x{i}"
            )
            outer += [
                f"count(x{i}) as ok{i}",
                f"min(x{i}) as lo{i}",
                f"coalesce(bool_or(x{i} <> date_trunc('day', x{i})), false) as times{i}",
                f"min({c}) as ex{i}",
            ]
    con.register("_clean_src", table.select([f"c{i}" for i in nominated]))
    try:
        rel = con.sql(
            f"select {', '.join(outer)} from (select {', '.join(inner)} from _clean_src)",
            params=params,
        )
        return rel.to_arrow_table().to_pylist()[0]
    finally:
        con.unregister("_clean_src")


def _profile(i: int, name: str, kind, facts: dict, n_rows: int) -> ColumnProfile | None:
    nonnull, ok = facts[f"nn{i}"], facts[f"ok{i}"]
    if nonnull == 0 or ok != nonnull:
        return None
    p = ColumnProfile(index=i, name=name, kind="number", evidence="numbers")
    p.null_count = n_rows - nonnull
    p.distinct = int(facts[f"d{i}"])
    p.clean = True
    if kind == "number":
        lo, hi, ints = facts[f"lo{i}"], facts[f"hi{i}"], facts[f"ints{i}"]
        if ints and lo >= 0 and hi <= 1:
            return None  # 0/1 may be yes/no: the full detector weighs the header
        if _DATE_NAME.search(name) and lo >= 20000 and hi <= 80000:
            return None  # maybe Excel serial dates
        return p
    if facts[f"lo{i}"] < _EPOCH_END:
        return None
    with_time = facts[f"times{i}"]
    p.kind = "timestamp" if with_time else "date"
    p.date_order = "ymd"
    p.formats = list(typed.ISO_FORMATS)
    p.evidence = f"ISO dates ({facts[f'ex{i}']})" + (", with times" if with_time else "")
    p.fast_length, p.fast_format = kind, ISO_BY_LENGTH[kind]  # the one format all values have
    return p
