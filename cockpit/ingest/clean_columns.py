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
import numpy as np
import pyarrow as pa

from cockpit.ingest import typed
from cockpit.ingest.profile import COMPACT_DATE_NAME, ColumnProfile
from cockpit.ingest.profile import DATE_NAME as _DATE_NAME

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
LONG_CELLS = 4_000_000  # cells per query when a wide sheet is checked as (column, value) rows


def _check(con, table: pa.Table, nominated: dict[int, str | int]) -> dict:
    """One pass over every value of the nominated columns: do all have the plain form?

    A few columns are checked side by side, in one query; a wide sheet as one long list of
    (column, value) rows grouped by column, in queries of up to LONG_CELLS cells (each
    column of a side-by-side query costs about a millisecond of planning: 5,000 columns took
    5 s in batches, 150 s in one query; the long list takes a fraction of a second)."""
    items = list(nominated.items())
    if len(items) <= CHECK_BATCH:
        return _check_batch(con, table, nominated)
    facts: dict = {}
    step = max(CHECK_BATCH, LONG_CELLS // max(table.num_rows, 1))
    for start in range(0, len(items), step):
        facts.update(_check_long(con, table, dict(items[start : start + step])))
    return facts


_LONG_SQL = """
select col, count(v) as nn, approx_count_distinct(v) as d, count(x) + count(t) as ok,
    min(x) as lo, max(x) as hi, coalesce(bool_and(x = floor(x)), true) as ints,
    min(t) as lo_t, coalesce(bool_or(t <> date_trunc('day', t)), false) as times, min(v) as ex
from (
    select col, v,
        case when k = 0 and regexp_full_match(v, $plain) then cast(v as double) end as x,
        case when k = 10 and length(v) = 10 then try_strptime(v, $f10)
             when k = 16 and length(v) = 16 then try_strptime(v, $f16)
             when k = 19 and length(v) = 19 then try_strptime(v, $f19) end as t
    from _clean_long
)
group by col
"""


def _check_long(con, table: pa.Table, nominated: dict[int, str | int]) -> dict:
    """_check_batch's facts, from the columns laid end to end as (column, kind, value) rows."""
    n = table.num_rows
    chunks = [c for i in nominated for c in table.column(f"c{i}").chunks]
    values = (
        pa.chunked_array(chunks, type=pa.string()) if chunks else pa.chunked_array([], pa.string())
    )
    cols = np.repeat(np.fromiter(nominated, dtype=np.int32, count=len(nominated)), n)
    codes = [0 if k == "number" else int(k) for k in nominated.values()]
    kinds = np.repeat(np.array(codes, dtype=np.int8), n)
    long = pa.table({"col": pa.array(cols), "k": pa.array(kinds), "v": values})
    params = {"plain": PLAIN_NUMBER, **{f"f{k}": f for k, f in ISO_BY_LENGTH.items()}}
    con.register("_clean_long", long)
    try:
        rows = con.sql(_LONG_SQL, params=params).to_arrow_table().to_pylist()
    finally:
        con.unregister("_clean_long")
    facts: dict = {}
    for r in rows:
        i = r["col"]
        facts.update({f"nn{i}": r["nn"], f"d{i}": r["d"], f"ok{i}": r["ok"]})
        if nominated[i] == "number":
            facts.update({f"lo{i}": r["lo"], f"hi{i}": r["hi"], f"ints{i}": r["ints"]})
        else:
            facts.update({f"lo{i}": r["lo_t"], f"times{i}": r["times"], f"ex{i}": r["ex"]})
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
        if COMPACT_DATE_NAME.search(name) and lo >= 100000 and hi < 100_000_000:
            return None  # maybe Excel serial dates, or compact ones (250115, 20250115)
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
