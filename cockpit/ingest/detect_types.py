"""Decide each column's kind from ALL its values, vectorised in DuckDB over distinct values.

How a value that does not parse as the column's kind is judged:
- a known placeholder ("N/A", "-", "TBD", "#N/A", "Date Not Captured", ...) -> NULL, counted;
- a note: text with at least 3 letters that is a phrase (has a space, e.g. "Freight Included
  in Commodity Cost", "See ASN-93 (ID#:1281)") or a word repeated in the column (e.g.
  "Pending" twice) -> NULL, counted; in a date column a value naming a month next to digits
  is never a note ("Jan 32, 2024" is a bad date);
- a sentinel letter or two ("N", "X", "NA") in a column of times, numbers or dates -> NULL,
  counted (an export's code for "none"; a stray letter must not fail the column or its row);
- anything else is a bad value ("12/31/2024" in a day-first column, "abc" once in a quantity
  column, "12 kg"): the cell becomes NULL and typed.py reports it, so the row can be rejected.
A column takes a typed kind when that kind parses at least half of its non-placeholder values
and at least 80% of those that are not notes; otherwise it is text.
Day-first vs month-first: any first part above 12 -> dmy; any second part above 12 -> mdy;
neither -> ambiguous (reported; the caller's date_order, else the sheet's, else dmy is used).

Speed: columns whose every value is a plain number or ISO date are settled first in one
pass (clean_columns); the rest as follows. Statistics are computed once per distinct value
(with its count, counted by Arrow). A column with more than SAMPLE_DISTINCT distinct values
(ids, amounts, timestamps) is first judged on a weighted sample of them (every value at
least 1/SAMPLE_DISTINCT of the rows, plus a hash-chosen share of the rest); the whole column then settles what a sample cannot: number range and
percentages, date order, dates with times, hours above 24, and the failures of the chosen
kind. A date column that fails on some values is re-read with every date family before they
count as bad. The commonest length of a date column's values gets a one-format fast path
(`fast_length`/`fast_format`), since a failed strptime format costs far more than a match.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit import vocabulary
from cockpit.ingest import separators, typed
from cockpit.ingest.clean_columns import clean_profiles, nominated
from cockpit.ingest.kernels import map_columns
from cockpit.ingest.profile import COMPACT_DATE_NAME, ColumnProfile
from cockpit.ingest.profile import DATE_NAME as _DATE_NAME

__all__ = ["ColumnProfile", "profile_columns", "swap_order"]  # ColumnProfile: where it was

# Cell values that mean "nothing here": queries/vocabulary/common.toml [values].
KNOWN_PLACEHOLDERS = tuple(vocabulary.common()["values"]["placeholders"])
# A placeholder: a known word, or Excel's day zero written out as text ("1899-12-30 08:58:00.000"
# in a date column: the cell was empty in the system that exported it).
IS_PLACEHOLDER = "(list_contains($ph, lower(v)) or starts_with(v, '1899-12-30'))"
# In a text column only the unmistakably empty markers are placeholders ("NA" may be a region).
TEXT_PLACEHOLDERS = (
    "n/a", "#n/a", "-", "--", "---", "null", "#value!", "#ref!", "#div/0!", "#multivalue",
)  # fmt: skip

_DURATION_NAME = re.compile(
    r"duration|downtime|minutes|\bmins?\b|hours|\bhrs?\b|spent|handle|wait|talk|elapsed|lost"
    r"|run ?time|aht|length",
    re.I,
)
_ID_NAME = re.compile(r"(?i)(\bid\b|id$|_id\b|\bcode\b|\bno\b|number|\bref\b|\bkey\b|#)")
_BOOL_NAME = re.compile(
    r"\b(is|has|was)\b|flag|y/?n|answered|resolved|\bmet\b|error|active|\bok\b|sla|fcr"
    r"|overdue|breach",
    re.I,
)


def date_formats(order: str, counts: dict[str, int] | None = None) -> list[str]:
    """Text date formats for a column: the families seen in it, most used first.

    Only seen families are listed because every failed strptime attempt costs time per row.
    counts maps family ('iso', 'numeric', 'text', 'month') to how many values it parsed.
    """
    families = {
        "iso": typed.ISO_FORMATS,
        "numeric": typed.numeric_formats(order),
        "text": typed.TEXT_MONTH_FORMATS,
        "month": typed.MONTH_LABEL_FORMATS,
    }
    counts = counts or dict.fromkeys(families, 1)
    ranked = sorted((f for f in families if counts.get(f)), key=lambda f: -counts[f])
    return [fmt for f in ranked for fmt in families[f]]


def swap_order(formats: list[str], order: str) -> list[str]:
    """The same formats with numeric dates read in `order` ('dmy' or 'mdy')."""
    other = "mdy" if order == "dmy" else "dmy"
    mapping = dict(zip(typed.numeric_formats(other), typed.numeric_formats(order), strict=True))
    return [mapping.get(f, f) for f in formats]


def _stats_sql(comma_cols: list[int], source: str) -> str:
    """Per-column statistics; the columns `comma_cols` read numbers with a decimal comma."""
    num = typed.number_sql("v", False)
    thou = "regexp_matches(v, '\\d,\\d{3}|\\d''\\d{3}')"
    if comma_cols:
        cols = ", ".join(map(str, comma_cols))
        num = f"case when col in ({cols}) then {typed.number_sql('v', True)} else {num} end"
        dot_thou = "regexp_matches(v, '\\d\\.\\d{3}(,|$)|\\d''\\d{3}')"
        thou = f"case when col in ({cols}) then {dot_thou} else {thou} end"
    clock = "regexp_full_match(v, '\\d{1,3}:\\d{2}(:\\d{2}(\\.\\d+)?)?( ?[AaPp][Mm])?')"
    epoch = "regexp_full_match(v, '(1899-12-31|1900-0[12]-\\d{2}) \\d{2}:\\d{2}:\\d{2}')"
    iso_shape = "regexp_matches(v, '^\\d{4}[-/]\\d{1,2}')"
    num_date_shape = "regexp_matches(v, '^\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}')"
    month_shape = (
        f"(length(v) <= 40 and regexp_matches(lower(v), '({typed.MONTHS})')"
        " and regexp_matches(v, '\\d'))"
    )
    ab = "regexp_extract(v, '^(\\d{1,2})[/.-](\\d{1,2})[/.-]\\d{2,4}\\b', ['a', 'b'])"
    return f"""
    with parsed as (
        select col, v, n, {IS_PLACEHOLDER} as ph, {num} as num,
            ends_with(v, '%') as pct,
            regexp_matches(v, '[$£€¥]|\\b({typed.CURRENCY_CODES})\\b') as cur,
            regexp_matches(v, '^\\(.*\\)$|-$') as neg_style,
            {thou} as thou,
            lower(v) in (select unnest($bool_words)) as boolw,
            lower(v) in (select unnest($markers)) as mark,
            {epoch} as epoch, {clock} as clock,
            case when {iso_shape} then try_strptime(v, $iso) end as iso,
            case when {month_shape} then try_strptime(v, $txt) end as txt,
            case when {month_shape} or {iso_shape} or regexp_matches(v, '^\\d{{1,2}}/\\d{{4}}$')
                then try_strptime(v, $mon) end as mon,
            case when {num_date_shape} then try_strptime(v, $dmy) end as dmy,
            case when {num_date_shape} then try_strptime(v, $mdy) end as mdy,
            case when {clock} then try_strptime(v, $tfmt) end as tod,
            try_cast(nullif({ab}.a, '') as integer) as a,
            try_cast(nullif({ab}.b, '') as integer) as b,
            try_cast(regexp_extract(v, '^(\\d+):', 1) as integer) as hour,
            case when regexp_full_match(v, '\\d{{6}}( \\d{{1,2}}:\\d{{2}}(:\\d{{2}})?)?')
                then try_strptime(v, $ymd6) end as ymd6,
            case when regexp_full_match(v, '(19|20)\\d{{6}}( \\d{{1,2}}:\\d{{2}}(:\\d{{2}})?)?')
                then try_strptime(v, $ymd8) end as ymd8
        from (select col, {typed.zone_stripped_sql("v")} as v, n from {source})
    )
    select
        col,
        sum(n) as total,
        coalesce(sum(n) filter (ph), 0) as ph_n,
        coalesce(sum(n) filter (not ph and num is not null), 0) as num_n,
        coalesce(sum(n) filter (not ph and num is not null and pct), 0) as pct_n,
        coalesce(sum(n) filter (not ph and num is not null and cur), 0) as cur_n,
        coalesce(sum(n) filter (not ph and num is not null and neg_style), 0) as neg_n,
        coalesce(sum(n) filter (not ph and num is not null and thou), 0) as thou_n,
        min(num) filter (not ph) as num_min, max(num) filter (not ph) as num_max,
        coalesce(bool_and(num = floor(num)) filter (not ph and num is not null), true) as ints,
        coalesce(sum(n) filter (not ph and boolw), 0) as bool_n,
        coalesce(sum(n) filter (not ph and mark), 0) as mark_n,
        list(distinct lower(v)) filter (not ph and boolw) as bool_seen,
        coalesce(sum(n) filter (not ph and (epoch or clock)), 0) as clock_n,
        coalesce(sum(n) filter (not ph and epoch and v >= '1900-01-01'), 0) as over_day_n,
        coalesce(max(hour) filter (not ph and clock), 0) as max_hour,
        coalesce(sum(n) filter (not ph and not epoch and iso is not null), 0) as iso_n,
        coalesce(sum(n) filter (not ph and txt is not null), 0) as txt_n,
        coalesce(sum(n) filter (not ph and mon is not null), 0) as mon_n,
        coalesce(sum(n) filter (not ph and dmy is not null), 0) as dmy_n,
        coalesce(sum(n) filter (not ph and mdy is not null), 0) as mdy_n,
        coalesce(sum(n) filter (not ph and not epoch and
            coalesce(iso, txt, dmy, mdy) <> date_trunc('day', coalesce(iso, txt, dmy, mdy))), 0)
            as with_time_n,
        coalesce(sum(n) filter (not ph and ymd6 between '1980-01-01' and '2100-01-01'), 0)
            as ymd6_n,
        coalesce(sum(n) filter (not ph and ymd8 between '1980-01-01' and '2100-01-01'), 0)
            as ymd8_n,
        coalesce(sum(n) filter (not ph and coalesce(ymd6, ymd8)
            <> date_trunc('day', coalesce(ymd6, ymd8))), 0) as ymd_time_n,
        any_value(v) filter (ymd6 is not null or ymd8 is not null) as ymd_ex,
        coalesce(max(a), 0) as max_a, coalesce(max(b), 0) as max_b,
        coalesce(sum(n) filter (a > 12), 0) as a13_n, coalesce(sum(n) filter (b > 12), 0) as b13_n,
        any_value(v) filter (a > 12) as a13_ex, any_value(v) filter (b > 12) as b13_ex,
        any_value(v) filter (iso is not null and not epoch) as iso_ex,
        any_value(v) filter (txt is not null) as txt_ex,
        any_value(v) filter (mon is not null) as mon_ex,
        any_value(v) filter (cur and num is not null) as cur_ex,
        any_value(v) filter (pct and num is not null) as pct_ex,
        any_value(v) filter (neg_style and num is not null) as neg_ex,
        any_value(v) filter (dmy is not null or mdy is not null) as num_date_ex
    from parsed
    group by col
    """


def _failures_sql(group: list[ColumnProfile], decimal_comma: bool, fmt: str) -> str:
    """The failing values of columns that share one conversion (`group`), in one subquery."""
    value = typed.convert_sql("v", group[0], decimal_comma, fmt)  # the column's own, if set
    cols = ", ".join(str(p.index) for p in group)
    failing = f"""
        select col, v, sum(n) as n from _profile_whole
        where col in ({cols}) and not {IS_PLACEHOLDER} and ({value}) is null
        group by col, v"""
    return _categorise_sql("col", group[0].kind, failing)


def _conversion(p: ColumnProfile) -> tuple:
    """What convert_sql reads of a profile: columns alike in it fail on the same values."""
    if p.kind in ("date", "timestamp", "time") and not p.serial:
        formats = tuple(typed.formats_for(p))
        return (p.kind, formats, p.fast_length, p.fast_format)
    return (p.kind, p.marker, p.serial, p.epoch1904, p.decimal_comma)


def _categorise_sql(col: int | str, kind: str, failing: str) -> str:
    """Failing values (v, n) as notes, repeated words or bad values, grouped by shape; `col`
    is the column's index, or "col" when `failing` has the column."""
    phrase = typed.phrase_sql("v", kind)
    letters = "length(regexp_replace(v, '[^[:alpha:]]', '', 'g'))"
    # Failing values are grouped again: a huge column's whole view has a row per cell.
    return f"""
    select {col} as col,
        case when {phrase} then 'note' when n >= 2 and {letters} >= 3 then 'word'
             when regexp_full_match(v, '[[:alpha:]]{{1,2}}') then 'sentinel'
             else 'bad' end as cat,
        case when {phrase} then regexp_replace(v, '\\d+', '#', 'g') else v end as key,
        cast(sum(n) as bigint) as n, count(*) as distinct_n, min(v) as example
    from ({failing})
    group by all
    """


def profile_column(
    con: duckdb.DuckDBPyConnection,
    values: pa.Array | pa.ChunkedArray,
    index: int,
    name: str,
    *,
    decimal_comma: bool = False,
    date_order: str | None = None,
) -> ColumnProfile:
    """Profile one column of raw strings: kind, evidence, placeholders, nulls, a sample."""
    table = pa.table({f"c{index}": values})
    return profile_columns(
        con, table, {index: name}, decimal_comma=decimal_comma, date_order=date_order
    )[0]


def profile_columns(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    names: dict[int, str],
    *,
    decimal_comma: bool = False,
    date_order: str | None = None,
    fast: bool = True,
    delimiter: str | None = ",",
) -> list[ColumnProfile]:
    """Profile the columns c{i} of `table` (raw strings) named by `names`, in a few queries.

    With `fast`, columns of plain numbers or ISO dates are settled by one pass first
    (clean_columns); the rest take the full way. Each column's decimal separator is its
    own values', else the file's (separators.py; `delimiter` is a csv's, None a workbook's).
    """
    convs = separators.conventions(
        table, list(names), decimal_comma=decimal_comma, delimiter=delimiter
    )
    comma = {i for i in names if (convs[i].decimal_comma if i in convs else decimal_comma)}
    candidates = nominated(table, names) if fast and not decimal_comma else set()
    candidates -= {i for i in candidates if i in comma or (i in convs and convs[i].ambiguous)}
    rest = {i: n for i, n in names.items() if i not in candidates}
    # The fast check and the full detector each run mostly on one core: side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        checking = pool.submit(
            clean_profiles, con.cursor(), table, {i: names[i] for i in candidates}
        )
        done = {p.index: p for p in _full_profiles(con, table, rest, comma, date_order)}
        clean = checking.result()
    late = {i: names[i] for i in candidates if i not in clean}  # nominated, then not plain
    done.update({p.index: p for p in _full_profiles(con, table, late, comma, date_order)})
    out = [clean.get(i) or done[i] for i in names]
    for p in out:
        if p.kind in ("number", "percent") and p.index in convs:
            p.number_ambiguous = convs[p.index].ambiguous
    return out


def _full_profiles(con, table, names, comma: set[int], date_order) -> list[ColumnProfile]:
    """Profiles of the columns `names` the full way; `comma`: those with a decimal comma."""
    if not names:
        return []
    con.register("_profile_src", table.select([f"c{i}" for i in names]))
    try:
        approx = _approx_distinct(con, table.num_rows, list(names))
        # Columns with very many distinct values are never grouped whole: only a hash-chosen
        # share of their values is (each value with all its rows), weighted by the step.
        step = {i: a // SAMPLE_DISTINCT + 1 for i, a in zip(names, approx, strict=True)
                if a > HUGE_DISTINCT}  # fmt: skip
        small = [i for i in names if i not in step]
        _group_values(con, table, small, step)
        con.sql("drop table if exists _profile_sample")
        con.sql(_SAMPLE_SQL, params={"limit": SAMPLE_DISTINCT})
        # Whole-column passes read grouped values, or every row of the huge columns.
        rows = [
            f"select {i} as col, trim(c{i}) as v, 1 as n from _profile_src"
            f" where c{i} is not null and trim(c{i}) <> ''"
            for i in step
        ]
        con.sql(
            "create or replace temp view _profile_whole as select col, v, n from _profile_vals"
            + (f" where col not in ({', '.join(map(str, step))})" if step else "")
            + "".join(f" union all {r}" for r in rows)
        )
        approx_distinct = {i: int(approx[k]) for k, i in enumerate(names)}
        return _profile_all(
            con, table.num_rows, names, comma, date_order, approx_distinct, set(step)
        )
    finally:
        con.sql("drop view if exists _profile_whole")
        con.sql("drop table if exists _profile_vals")
        con.sql("drop table if exists _profile_sample")
        con.unregister("_profile_src")


def _approx_distinct(con, n_rows: int, columns: list[int]) -> list[int]:
    """Each column's approximate distinct count; a table too short for any column to be huge
    skips the query (a 5,000-column one spent seconds planning it)."""
    if n_rows <= HUGE_DISTINCT // 2:  # well under, whatever the estimate's error
        return [n_rows] * len(columns)
    out: list[int] = []
    for start in range(0, len(columns), APPROX_BATCH):
        batch = columns[start : start + APPROX_BATCH]
        sql = "select " + ", ".join(f"approx_count_distinct(c{i})" for i in batch)
        out += con.sql(sql + " from _profile_src").fetchall()[0]
    return out


APPROX_BATCH = 200  # columns per query: planning one query grows faster than its width


def _group_values(con, table: pa.Table, small: list[int], step: dict[int, int]) -> None:
    """_profile_vals(col, v, n, w): trimmed distinct values with counts; w > 1 marks a sample."""
    # The raw strings of the small columns are counted by Arrow's hash kernel (one column
    # at a time, no copy into DuckDB) and only the distinct ones are trimmed and regrouped.
    counted = map_columns(lambda i: _value_counts(table.column(f"c{i}"), i), small)
    con.register(
        "_profile_counted",
        pa.concat_tables(counted) if counted else pa.table({"col": [], "v": [], "n": []},
            schema=_COUNTED),
    )  # fmt: skip
    parts = ["select col, v, 1 as w, n from _profile_counted"] + [
        f"select {i} as col, c{i} as v, {int(k)} as w, count(*) as n from _profile_src"
        f" where c{i} is not null and hash(trim(c{i})) % {int(k)} = 0 group by all"
        for i, k in step.items()
    ]
    try:
        con.sql("drop table if exists _profile_vals")
        con.sql(
            f"""create temp table _profile_vals as
            with raw as ({" union all ".join(parts)})
            select col, trim(v) as v, cast(sum(n) as bigint) as n, w from raw
            where trim(v) <> '' group by col, trim(v), w"""
        )
    finally:
        con.unregister("_profile_counted")


_COUNTED = pa.schema([("col", pa.int64()), ("v", pa.string()), ("n", pa.int64())])


def _value_counts(col: pa.ChunkedArray, index: int) -> pa.Table:
    counts = pc.value_counts(col.drop_null())
    return pa.table(
        [
            pa.array(np.full(len(counts), index, dtype=np.int64)),
            counts.field("values").cast(pa.string()),
            counts.field("counts").cast(pa.int64()),
        ],
        schema=_COUNTED,
    )


SAMPLE_DISTINCT = 20_000
HUGE_DISTINCT = 100_000  # approximate distinct count above which a column is never grouped

# Weighted sample of each column's distinct values: all of them up to $limit; beyond that every
# value holding at least 1/$limit of the column, plus about $limit others chosen by hash whose
# counts are scaled up by the sampling step, so sums estimate the whole column.
_SAMPLE_SQL = """
create temp table _profile_sample as
with card as (
    select col, count(*) as d, sum(n) as total from _profile_vals group by col
)
select v.col, v.v,
    case when v.w > 1 then v.n * v.w
         when c.d <= $limit or v.n * $limit >= c.total then v.n
         else v.n * (c.d // $limit + 1) end as n
from _profile_vals v join card c using (col)
where v.w > 1 or c.d <= $limit or v.n * $limit >= c.total
    or hash(v.v) % (c.d // $limit + 1) = 0
"""


def _profile_all(
    con, n_rows, names, comma: set[int], date_order, approx: dict[int, int], huge: set[int]
) -> list[ColumnProfile]:
    params = {
        "ph": list(KNOWN_PLACEHOLDERS),
        "bool_words": list(typed.TRUE_WORDS + typed.FALSE_WORDS),
        "markers": list(typed.MARKERS),
        "iso": typed.ISO_FORMATS,
        "txt": typed.TEXT_MONTH_FORMATS,
        "mon": typed.MONTH_LABEL_FORMATS,
        "dmy": typed.numeric_formats("dmy"),
        "mdy": typed.numeric_formats("mdy"),
        "tfmt": typed.TIME_FORMATS[:4],
        "ymd6": typed.COMPACT_FORMATS[6],
        "ymd8": typed.COMPACT_FORMATS[8],
    }
    stats = {
        r["col"]: r
        for r in _pylist(con, _stats_sql(sorted(comma & set(names)), "_profile_sample"), params)
    }
    whole, known = _whole_counts(con)
    text_known = {
        i: {v: n for v, n in d.items() if v.lower() in TEXT_PLACEHOLDERS} for i, d in known.items()
    }
    text_known = {i: d for i, d in text_known.items() if d}
    profiles = []
    for i, name in names.items():
        s, w = stats.get(i), whole.get(i)
        nonnull = w["total"] if w else 0
        p = ColumnProfile(index=i, name=name, kind="empty", evidence="no values")
        p.decimal_comma = i in comma
        p.null_count, p.sample = n_rows - nonnull, (w["sample"] if w else [])
        p.distinct = (approx[i] if i in huge else w["d"]) if w else 0
        profiles.append(p)
        if not w:
            continue
        t = nonnull - w["ph_n"]
        if t <= 0:
            p.evidence, p.placeholders, p.null_count = "only placeholders", known.get(i, {}), n_rows
            continue
        t_sample = s["total"] - s["ph_n"] if s else 0
        if t_sample <= 0:
            p.kind, p.evidence = "text", "text values"
        else:
            _choose_kind(p, s, t_sample, name, date_order)
            if p.distinct > SAMPLE_DISTINCT and p.kind not in ("text", "empty"):
                _settle_on_whole_column(con, p, s, t_sample, p.decimal_comma, date_order)
        p.placeholders = dict(text_known.get(i, {}) if p.kind == "text" else known.get(i, {}))
        p.null_count += sum(p.placeholders.values())
        p._t = t  # noqa: SLF001 - kept for the failure pass below

    typed_profiles = [p for p in profiles if p.kind not in ("text", "empty")]
    if not typed_profiles:
        return profiles
    for p in typed_profiles:
        if "_fails" not in p.__dict__:
            _choose_fast_format(con, p)
    known_fails = {
        p.index: p.__dict__.pop("_fails") for p in typed_profiles if "_fails" in p.__dict__
    }
    rest = [p for p in typed_profiles if p.index not in known_fails]
    fails = _failures(con, rest, False) if rest else {}
    fails.update({i: [{"col": i, **f} for f in fs] for i, fs in known_fails.items() if fs})
    for p in typed_profiles:
        f = fails.get(p.index, [])
        if p.distinct > SAMPLE_DISTINCT and p.kind in ("date", "timestamp") and not p.serial:
            f = _retry_all_families(con, p, f, False)
        _judge_failures(p, f, text_known.get(p.index, {}), n_rows)
    return profiles


def _pylist(con, sql: str, params: dict | None = None) -> list[dict]:
    rows = con.sql(sql, params=params).to_arrow_table().to_pylist()
    return [{k: int(v) if isinstance(v, Decimal) else v for k, v in r.items()} for r in rows]


def _failures(con, profiles: list[ColumnProfile], decimal_comma: bool) -> dict[int, list[dict]]:
    """Per column: the distinct values that are neither placeholders nor the column's kind.

    Columns converted alike share one subquery: a union with a part per column took planning
    time that grew with the cube of the width (500 columns: 159 s)."""
    groups: dict[tuple, list[ColumnProfile]] = {}
    for p in profiles:
        groups.setdefault(_conversion(p), []).append(p)
    fparams: dict[str, object] = {"ph": list(KNOWN_PLACEHOLDERS)}
    parts = []
    for k, group in enumerate(groups.values()):
        if group[0].kind in ("date", "timestamp", "time") and not group[0].serial:
            fparams.update(typed.column_format_params(f"fmt{k}", group[0]))
        parts.append(_failures_sql(group, decimal_comma, f"fmt{k}"))
    fails: dict[int, list[dict]] = {}
    for f in _pylist(con, " union all ".join(parts), fparams):
        fails.setdefault(f["col"], []).append(f)
    return fails


def _settle_on_whole_column(con, p, s, t_sample, decimal_comma, date_order) -> None:
    """Re-decide a sampled column with the facts only its every value can tell."""
    value = f"v from _profile_whole where col = {p.index} and not {IS_PLACEHOLDER}"
    params: dict[str, object] = {"ph": list(KNOWN_PLACEHOLDERS)}
    if p.kind in ("number", "percent") or p.serial:
        num = typed.number_sql("v", decimal_comma)
        sql = f"""
        with vals as (select n, {num} as num, ends_with(v, '%') as pct, {value})
        select coalesce(sum(n) filter (num is not null), 0) as num_n,
            coalesce(sum(n) filter (num is not null and pct), 0) as pct_n,
            min(num) as num_min, max(num) as num_max,
            coalesce(bool_and(num = floor(num)) filter (num is not null), true) as ints
        from vals"""
    elif p.kind in ("time", "duration"):
        sql = f"""
        with vals as (select n, v, regexp_full_match(v,
            '\\d{{1,3}}:\\d{{2}}(:\\d{{2}}(\\.\\d+)?)?( ?[AaPp][Mm])?') as clock,
            regexp_full_match(v, '(1899-12-31|1900-0[12]-\\d{{2}}) \\d{{2}}:\\d{{2}}:\\d{{2}}')
            as epoch, {value})
        select coalesce(max(try_cast(regexp_extract(v, '^(\\d+):', 1) as integer))
                   filter (clock), 0) as max_hour,
            coalesce(sum(n) filter (epoch and v >= '1900-01-01'), 0) as over_day_n
        from vals"""
    else:
        _choose_fast_format(con, p)
        params.update(typed.column_format_params("fmt", p))
        parsed = typed.strptime_sql("v", "fmt", fast=bool(p.fast_format))
        ab = "regexp_extract(v, '^(\\d{1,2})[/.-](\\d{1,2})[/.-]\\d{2,4}\\b', ['a', 'b'])"
        # The failures under these formats come in the same pass: the failure pass reuses
        # them when the whole column leaves the formats as the sample chose them.
        failing = "select v, sum(n) as n from parts where ts is null group by v"
        sql = f"""
        with vals as (select n, v, {parsed} as ts,
            case when regexp_matches(v, '^\\d{{1,2}}[/.-]\\d{{1,2}}[/.-]\\d{{2,4}}')
                then {ab} end as ab, {value}),
        parts as materialized (select n, v, ts, try_cast(nullif(ab.a, '') as integer) as a,
            try_cast(nullif(ab.b, '') as integer) as b from vals),
        cats as ({_categorise_sql(p.index, p.kind, failing)})
        select coalesce(sum(n) filter (ts <> date_trunc('day', ts)), 0) as with_time_n,
            coalesce(sum(n) filter (a > 12), 0) as a13_n,
            coalesce(sum(n) filter (b > 12), 0) as b13_n,
            any_value(v) filter (a > 12) as a13_ex, any_value(v) filter (b > 12) as b13_ex,
            (select list(cats) from cats) as fails
        from parts"""
        parse_key = _parse_key(p)
    facts = _pylist(con, sql, params)[0]
    # list() over no failing values is NULL: no failures, when the query looked for them
    fails = (facts.pop("fails") or []) if "fails" in facts else None
    if "num_n" in facts:
        # the sample's percent share, judged on the whole column's numbers
        s = {**s, **facts, "num_n": s["num_n"], "pct_n": s["num_n"] * facts["pct_n"]
             / max(facts["num_n"], 1)}  # fmt: skip
    else:
        s = {**s, **facts}
    p.serial = p.marker = False
    p.formats, p.date_order, p.ambiguous = [], None, None
    _choose_kind(p, s, t_sample, p.name, date_order)
    if fails is not None and p.kind in ("date", "timestamp") and not p.serial:
        _choose_fast_format(con, p)
        if _parse_key(p) == parse_key:
            p._fails = fails  # noqa: SLF001 - taken by the failure pass


def _parse_key(p: ColumnProfile) -> tuple:
    """What decides which values of a text date column fail to parse."""
    return (tuple(p.formats), p.fast_length, p.fast_format)


def _choose_fast_format(con, p: ColumnProfile) -> None:
    """The format the full list picks for the column's commonest length, checked on the sample."""
    p.fast_length = p.fast_format = None
    if p.kind not in ("date", "timestamp", "time") or p.serial or p.distinct < 1000:
        return
    shape = "length(v)"
    top = _pylist(
        con,
        f"""select {shape} as len, min(v) as ex, sum(n) as n from _profile_sample
            where col = {p.index} group by all order by n desc, len limit 1""",
    )
    if not top:
        return
    fmts = typed.formats_for(p)
    params = typed.format_params("fmt", fmts)
    tries = ", ".join(f"try_strptime(trim($ex), $f{k}) = picked as ok{k}" for k in range(len(fmts)))
    params.update({f"f{k}": f for k, f in enumerate(fmts)})
    params["ex"] = top[0]["ex"]
    oks = _pylist(
        con, f"select {tries} from (select {typed.strptime_sql('$ex', 'fmt')} as picked)", params
    )[0]
    fast = next((f for k, f in enumerate(fmts) if oks[f"ok{k}"]), None)
    if fast is None:
        return
    params = typed.format_params("fmt", fmts, (top[0]["len"], fast))
    # The fast path must agree with the full list on every sampled value of that length.
    differ = _pylist(
        con,
        f"""select count(*) as k from _profile_sample where col = {p.index}
            and {shape} = $fmt_len
            and ({typed.strptime_sql("v", "fmt", fast=True)})
                is distinct from ({typed.strptime_sql("v", "fmt")})""",
        params,
    )[0]["k"]
    if differ == 0:
        p.fast_length, p.fast_format = top[0]["len"], fast


def _retry_all_families(con, p: ColumnProfile, fails: list[dict], decimal_comma) -> list[dict]:
    """A sampled date column may hold a family its sample missed: retry failures with all."""
    if not any(f["cat"] == "bad" for f in fails):
        return fails
    everything = date_formats(p.date_order if p.date_order in ("dmy", "mdy") else "dmy")
    if set(everything) <= set(p.formats):
        return fails
    keep = p.formats
    p.formats = keep + [f for f in everything if f not in keep]
    retried = _failures(con, [p], decimal_comma).get(p.index, [])
    if sum(f["n"] for f in retried) < sum(f["n"] for f in fails):
        return retried
    p.formats = keep
    return fails


def _judge_failures(p: ColumnProfile, fails: list[dict], text_known: dict, n_rows: int) -> None:
    """Split the values that do not parse into notes (NULL) and bad values; maybe fall back to text."""
    t = p.__dict__.pop("_t")
    fails.sort(key=lambda f: (-f["n"], f["key"]))
    notes = {f["key"] if f["distinct_n"] > 1 else f["example"]: f["n"] for f in fails
             if f["cat"] != "bad"}  # fmt: skip
    bad = [f for f in fails if f["cat"] == "bad"]
    bad_n = sum(f["n"] for f in bad)
    note_n = sum(notes.values())
    ok = t - note_n - bad_n
    # Notes may outnumber values only when they repeat (a few shapes), unlike a comments column.
    repetitive = len(notes) <= max(10, 0.05 * note_n)
    # An id column mixing numbers and codes ('supplierID': 1201, 'EASEXGAN01') is text: its
    # codes are values, not notes.
    id_codes = p.kind == "number" and bool(_ID_NAME.search(p.name)) and (notes or bad)
    if id_codes or ok <= 0 or ok < 0.8 * (ok + bad_n) or (ok < 0.5 * t and not repetitive):
        p.evidence = f"text: only {ok} of {t} values read as {p.kind} ({p.evidence})"
        if ok > 0:
            p.near = {"kind": p.kind, "date_order": p.date_order, "formats": list(p.formats),
                      "serial": p.serial, "epoch1904": p.epoch1904}  # fmt: skip
        p.kind, p.date_order, p.ambiguous, p.formats = "text", None, None, []
        p.serial = p.marker = False
        p.null_count -= sum(p.placeholders.values())
        p.placeholders = dict(text_known)
        p.null_count += sum(p.placeholders.values())
        return
    for key, n in notes.items():
        p.placeholders.setdefault(key, n)
        p.null_count += n
    p.bad_count = bad_n
    p.bad_sample = [f["example"] for f in bad[:5]]


def _whole_counts(con) -> tuple[dict[int, dict], dict[int, dict[str, int]]]:
    """Per column, in one pass over every value: totals and samples, and placeholder counts."""
    # Grouping by the placeholder (null for any other value) keeps the groups few while the
    # huge columns are read once, not once for the totals and again for the placeholders.
    rows = _pylist(
        con,
        f"""
        with groups as (
            select col, case when {IS_PLACEHOLDER} then v end as pv,
                count(*) as d, sum(n) as n
            from _profile_whole group by all
        ),
        samples as (select col, min_by(v, (-n, v), 5) as sample from _profile_vals group by col)
        select col, pv, d, n, sample from groups left join samples using (col)
        order by col, pv is not null, n desc, pv
        """,
        {"ph": list(KNOWN_PLACEHOLDERS)},
    )
    whole: dict[int, dict] = {}
    known: dict[int, dict[str, int]] = {}
    for r in rows:
        w = whole.setdefault(r["col"], {"d": 0, "total": 0, "ph_n": 0, "sample": r["sample"]})
        w["d"] += r["d"]
        w["total"] += r["n"]
        if r["pv"] is not None:
            w["ph_n"] += r["n"]
            known.setdefault(r["col"], {})[r["pv"]] = r["n"]
    return whole, known


def _choose_kind(p: ColumnProfile, s: dict, t: int, name: str, date_order: str | None) -> None:
    """Set kind, evidence and date details from the column statistics `s` (t = real values)."""
    if _compact_dates(p, s, t, name):
        return
    order, ambiguous, order_evidence = _date_order(s, date_order)
    numeric_dates = s["dmy_n"] if order == "dmy" else s["mdy_n"]
    date_n = s["iso_n"] + s["txt_n"] + s["mon_n"] + numeric_dates
    seen = set(s["bool_seen"] or [])
    bool_ok = s["bool_n"] == t and (not seen <= {"0", "1"} or _BOOL_NAME.search(name))
    candidates = {
        "number": s["num_n"],
        "date": date_n,
        "time": s["clock_n"],
        "bool": s["bool_n"] if bool_ok else 0,
    }
    kind = max(candidates, key=lambda k: (candidates[k], k == "bool"))
    if candidates[kind] == 0:
        p.kind, p.evidence = "text", "text values"
        return
    if kind == "bool":
        p.kind = "bool"
        p.marker = s["mark_n"] == t
        words = "/".join(sorted(seen))
        p.evidence = "x-or-blank marks (blank = no)" if p.marker else f"yes/no values ({words})"
    elif kind == "number":
        _number_kind(p, s, name)
    elif kind == "time":
        duration = _DURATION_NAME.search(name) or s["max_hour"] >= 24 or s["over_day_n"] > 0
        p.kind = "duration" if duration else "time"
        p.evidence = "durations (h:mm), read as minutes" if duration else "times of day (hh:mm)"
    else:
        p.formats = date_formats(
            order,
            {"iso": s["iso_n"], "numeric": numeric_dates, "text": s["txt_n"], "month": s["mon_n"]},
        )
        p.kind = "timestamp" if s["with_time_n"] > 0 else "date"
        p.date_order = "ymd"
        if numeric_dates:
            p.date_order, p.ambiguous = order, ambiguous
            p.evidence = order_evidence
        elif s["txt_n"]:
            p.date_order = "mdy" if re.match(r"[A-Za-z]", s["txt_ex"] or "") else "dmy"
            p.evidence = f"text-month dates ({s['txt_ex']})"
        elif s["mon_n"] and not s["iso_n"]:
            p.evidence = f"month labels ({s['mon_ex']})"
        else:
            p.evidence = f"ISO dates ({s['iso_ex']})"
        if p.kind == "timestamp":
            p.evidence += ", with times"


def _compact_dates(p: ColumnProfile, s: dict, t: int, name: str) -> bool:
    """250115 / 20250115: dates only where the header says date and every value is one
    (ids and amounts of six or eight digits are not)."""
    n6, n8 = s.get("ymd6_n", 0), s.get("ymd8_n", 0)
    if not (n6 or n8) or n6 + n8 < t or not COMPACT_DATE_NAME.search(name):
        return False
    p.kind = "timestamp" if s["ymd_time_n"] else "date"
    p.formats = (typed.COMPACT_FORMATS[6] if n6 else []) + (typed.COMPACT_FORMATS[8] if n8 else [])
    p.date_order = "ymd"
    p.evidence = f"compact year-month-day dates ({s['ymd_ex']})"
    if p.kind == "timestamp":
        p.evidence += ", with times"
    return True


def _number_kind(p: ColumnProfile, s: dict, name: str) -> None:
    lo, hi = s["num_min"], s["num_max"]
    if _DATE_NAME.search(name) and lo is not None and lo >= 20000 and hi <= 80000:
        p.kind = "date" if s["ints"] else "timestamp"
        p.serial = True
        p.evidence = "Excel serial dates" + ("" if s["ints"] else " with times")
        return
    if s["pct_n"] >= 0.5 * s["num_n"]:
        p.kind, p.evidence = "percent", f"percentages ({s['pct_ex']})"
        return
    p.kind = "number"
    styles = []
    if s["cur_n"]:
        styles.append(f"currency ({s['cur_ex']})")
    if s["thou_n"]:
        styles.append("thousands separators")
    if s["neg_n"]:
        styles.append(f"negatives like {s['neg_ex']}")
    p.evidence = "numbers" + (f" with {', '.join(styles)}" if styles else "")


def _date_order(s: dict, override: str | None) -> tuple[str, str | None, str]:
    """(order, ambiguity note, evidence) for numeric dates like 03/04/2024."""
    a13, b13 = s["a13_n"], s["b13_n"]
    if override in ("dmy", "mdy"):
        return override, None, f"{'day' if override == 'dmy' else 'month'}-first dates (as chosen)"
    if a13 and not b13:
        return "dmy", None, f"day-first dates ({s['a13_ex']} seen)"
    if b13 and not a13:
        return "mdy", None, f"month-first dates ({s['b13_ex']} seen)"
    if a13 and b13:
        order = "dmy" if a13 >= b13 else "mdy"
        note = (
            f"both day-first ({s['a13_ex']}) and month-first ({s['b13_ex']}) dates seen;"
            f" read as {'day' if order == 'dmy' else 'month'}-first, the others are rejected"
        )
        return order, note, f"mixed dates, mostly {'day' if order == 'dmy' else 'month'}-first"
    note = (
        f"day-first or month-first cannot be told apart (no part above 12, e.g."
        f" {s['num_date_ex']}); read as day-first"
    )
    return "dmy", note, f"numeric dates ({s['num_date_ex']}), order ambiguous"
