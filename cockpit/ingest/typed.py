"""Convert the data rows of a sheet to typed columns: plain columns by Arrow kernels, the
rest in DuckDB, one vectorised select.

The SQL here is generated from a fixed vocabulary of parser expressions; identifiers are the
positional raw columns (c0, c1, ...) and every value that comes from the data (placeholder
literals, date formats) is bound as a parameter.

Output types: date -> DATE, timestamp -> TIMESTAMP, time -> TIME, duration -> DOUBLE minutes,
number and percent -> DOUBLE (a percent is the number shown: "12.5%" -> 12.5), bool ->
BOOLEAN, text -> VARCHAR (trimmed), empty -> VARCHAR of nulls. "_row" is the 1-based row in
the original sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.ingest.kernels import map_columns
from cockpit.ingest.profile import ColumnProfile

if TYPE_CHECKING:
    from cockpit.ingest.profile import SheetAnalysis
    from cockpit.ingest.read import RawSheet

CURRENCY_CODES = (
    "USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|CNY|INR|ZAR|SEK|NOK|DKK|PLN|MXN|BRL|SGD|HKD|AED|SAR"
)
TRUE_WORDS = ("y", "yes", "true", "t", "1", "x", "✓", "✔", "on")
FALSE_WORDS = ("n", "no", "false", "f", "0", "off")
MARKERS = ("x", "✓", "✔")
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"

# Text formats tried in order; two-digit-year forms come first because %Y also accepts "06".
ISO_FORMATS = [
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y/%m/%d %I:%M %p",
]
TEXT_MONTH_FORMATS = [
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d %b %y",
    "%d %b %Y",
    "%d-%B-%y",
    "%d-%B-%Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d-%b-%Y %H:%M",
    "%d %b %Y %H:%M",
]
MONTH_LABEL_FORMATS = [
    "%Y-%m",
    "%b %Y",
    "%B %Y",
    "%b-%y",
    "%b-%Y",
    "%B-%Y",
    "%b %y",
    "%Y/%m",
    "%m/%Y",
]
# Compact year-month-day dates (250115, 20250115), read only in a column whose header says
# date and whose every value is one (detect_types): elsewhere such digits are ids or amounts.
COMPACT_FORMATS = {
    6: ["%y%m%d", "%y%m%d %H:%M:%S", "%y%m%d %H:%M"],
    8: ["%Y%m%d", "%Y%m%d %H:%M:%S", "%Y%m%d %H:%M"],
}


def numeric_formats(order: str) -> list[str]:
    """Numeric date formats for 'dmy' or 'mdy', with and without a time of day."""
    a, b = ("%d", "%m") if order == "dmy" else ("%m", "%d")
    out = []
    for sep in ("/", ".", "-"):
        for year in ("%y", "%Y"):
            base = f"{a}{sep}{b}{sep}{year}"
            out += [base, f"{base} %H:%M", f"{base} %H:%M:%S", f"{base} %I:%M %p"]
    return out


TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%H:%M:%S.%f"]

# --- parser expressions (x is an SQL expression yielding VARCHAR) ---------------------------


def number_strip_sql(x: str) -> str:
    """Text without currency symbols, currency codes and spaces (step 1 of number parsing)."""
    s = f"trim({x})"
    symbols = s
    for ch in ("$", "£", "€", "¥", " ", "\u00a0", "\u202f", "''", "’"):  # '' : 1'500
        symbols = f"replace({symbols}, '{ch}', '')"
    # Codes need a regex; only text with letters pays for it.
    return (
        f"case when regexp_matches({s}, '[A-Za-z]')"
        f" then regexp_replace({symbols}, '{CURRENCY_CODES}', '') else {symbols} end"
    )


def number_core_sql(t: str) -> str:
    """The digits of stripped text `t` without sign, parentheses or percent (step 2)."""
    return f"trim(trim({t}, '%'), '()+-')"


def number_value_sql(t: str, core: str, decimal_comma: bool) -> str:
    """DOUBLE from stripped text `t` and its core (step 3); NULL when it is not a number."""
    plain = "[-+]?[0-9]+" if decimal_comma else "[-+]?[0-9]+(\\.[0-9]+)?"
    neg = (
        f"(starts_with({t}, '(') and ends_with({t}, ')')"
        f" or starts_with({t}, '-') or ends_with({t}, '-'))"
    )
    if decimal_comma:
        shape = "([0-9]{1,3}(\\.[0-9]{3})+|[0-9]+)(,[0-9]+)?|,[0-9]+"
        value = f"cast(replace(replace({core}, '.', ''), ',', '.') as double)"
    else:
        shape = (
            "([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?|\\.[0-9]+"
            "|[0-9]+(\\.[0-9]+)?[eE][-+]?[0-9]+"
        )
        value = f"cast(replace({core}, ',', '') as double)"
    return (
        f"case when regexp_full_match({t}, '{plain}') then cast({t} as double)"
        f" when regexp_full_match({core}, '{shape}')"
        f" then case when {neg} then -{value} else {value} end end"
    )


def number_sql(x: str, decimal_comma: bool) -> str:
    """DOUBLE from text with currency, thousands separators, (negatives), trailing minus, %."""
    t = number_strip_sql(x)
    return number_value_sql(t, number_core_sql(t), decimal_comma)


def percent_flag_sql(x: str) -> str:
    return f"ends_with(rtrim(trim({x}), ')'), '%')"


def bool_sql(x: str, marker: bool) -> str:
    """BOOLEAN from yes/no words; a marker column ('x' or blank) reads blank as false."""
    s = f"lower(trim({x}))"
    if marker:
        trues = ", ".join(f"'{w}'" for w in MARKERS)
        return f"case when {x} is null then false when {s} in ({trues}) then true end"
    trues = ", ".join(f"'{w}'" for w in TRUE_WORDS)
    falses = ", ".join(f"'{w}'" for w in FALSE_WORDS)
    return f"case when {s} in ({trues}) then true when {s} in ({falses}) then false end"


def zone_stripped_sql(x: str) -> str:
    """Trimmed text without a trailing zone ("12:38:43 PM GMT+8", "09:00 UTC"): form exports
    add the respondent's zone; the time is kept as written (local)."""
    return (
        f"case when contains({x}, 'GMT') or contains({x}, 'UTC') then regexp_replace(trim({x}),"
        f" '\\s+(GMT|UTC)\\s*([+-]\\d{{1,2}}(:?\\d{{2}})?)?$', '') else trim({x}) end"
    )


def strptime_sql(x: str, formats_param: str, *, fast: bool = False) -> str:
    """TIMESTAMP from text via the formats bound as ${formats_param}_y4 / ${formats_param}_rest.

    Values starting with a 4-digit year only try year-first formats, and others never do,
    because %Y also accepts "01" and would read 01/01/01 as the year 1. With `fast`, values
    of the length bound as ${formats_param}_len first try the one format ${formats_param}_fast
    (a length test is all the guard one cheap strptime can afford).
    """
    # Form exports add the zone the respondent's clock was in ("12:38:43 PM GMT+8"): the
    # time is kept as written (local), the suffix dropped.
    s = zone_stripped_sql(x)
    slow = (
        f"case when regexp_matches({s}, '^\\d{{4}}[-/]')"
        f" then try_strptime({s}, ${formats_param}_y4)"
        f" else try_strptime({s}, ${formats_param}_rest) end"
    )
    if not fast:
        return slow
    quick = (
        f"case when length({s}) = ${formats_param}_len"
        f" then try_strptime({s}, ${formats_param}_fast) end"
    )
    return f"coalesce({quick}, {slow})"


def format_params(
    name: str, formats: list[str], fast: tuple[int, str] | None = None
) -> dict[str, object]:
    """The bound values strptime_sql(x, name) reads; an empty side gets a never-matching format.

    `fast` is (length, format) for strptime_sql(..., fast=True).
    """
    # strptime_sql sends only values like 2024-01 / 2024/01 to the year-first list: compact
    # 20240115 goes with the rest.
    y4 = [f for f in formats if f.startswith("%Y") and not f.startswith("%Y%")] or ["<none>"]
    rest = [f for f in formats if f not in y4] or ["<none>"]
    out: dict[str, object] = {f"{name}_y4": y4, f"{name}_rest": rest}
    if fast:
        out[f"{name}_len"], out[f"{name}_fast"] = fast
    return out


def column_format_params(name: str, p: ColumnProfile) -> dict[str, object]:
    """format_params for a date/timestamp/time column, with its fast path when it has one."""
    fast = (p.fast_length, p.fast_format) if p.fast_format else None
    return format_params(name, formats_for(p), fast)


def serial_sql(x: str, epoch1904: bool = False) -> str:
    """TIMESTAMP from an Excel serial day number: the 1900 system (serials after Feb 1900) or,
    for a workbook saved with the 1904 date system, days since 1904-01-01."""
    n = number_sql(x, False)
    low, high, epoch = (0, 2957003, "1904-01-01") if epoch1904 else (61, 2958465, "1899-12-30")
    return (
        f"case when ({n}) between {low} and {high}"
        f" then timestamp '{epoch}' + to_microseconds(cast(round(({n}) * 86400000000) as bigint))"
        " end"
    )


def duration_minutes_sql(x: str) -> str:
    """Minutes from "h:mm", "h:mm:ss" or a calamine [h]:mm cell ("1900-01-01 02:15:00")."""
    s = f"trim({x})"
    parts = (
        f"regexp_extract({s}, '^(\\d+):(\\d{{2}})(?::(\\d{{2}}(?:\\.\\d+)?))?$', ['h', 'm', 's'])"
    )
    clock = (
        f"case when regexp_full_match({s}, '\\d+:\\d{{2}}(:\\d{{2}}(\\.\\d+)?)?') then"
        f" cast({parts}.h as double) * 60 + cast({parts}.m as double)"
        f" + coalesce(try_cast(nullif({parts}.s, '') as double), 0) / 60 end"
    )
    epoch = (
        f"case when regexp_full_match({s}, '(1899-12-31|1900-0[12]-\\d{{2}}) \\d{{2}}:\\d{{2}}:\\d{{2}}')"
        f" then date_diff('second', timestamp '1899-12-31', try_strptime({s}, '%Y-%m-%d %H:%M:%S'))"
        " / 60.0 end"
    )
    return f"coalesce({clock}, {epoch})"


def convert_sql(x: str, p: ColumnProfile, decimal_comma: bool, formats_param: str) -> str:
    """The SQL expression turning raw text `x` into the profile's type (NULL when it fails)."""
    kind = p.kind
    if kind in ("number", "percent"):
        return number_sql(x, decimal_comma if p.decimal_comma is None else p.decimal_comma)
    if kind == "bool":
        return bool_sql(x, p.marker)
    if kind in ("date", "timestamp"):
        target = "date" if kind == "date" else "timestamp"
        fast = bool(p.fast_format)
        parsed = (
            serial_sql(x, p.epoch1904) if p.serial else strptime_sql(x, formats_param, fast=fast)
        )
        return f"cast({parsed} as {target})"
    if kind == "time":
        return f"cast({strptime_sql(x, formats_param, fast=bool(p.fast_format))} as time)"
    if kind == "duration":
        return duration_minutes_sql(x)
    return f"nullif(trim({x}), '')"


def formats_for(p: ColumnProfile) -> list[str]:
    """The strptime formats used for a date/timestamp/time column."""
    if p.kind == "time":
        return TIME_FORMATS
    return p.formats or ISO_FORMATS


REASONS = {
    "number": "not a number",
    "percent": "not a percentage",
    "bool": "not yes/no (expected Y/N, Yes/No, TRUE/FALSE or 1/0)",
    "time": "not a time of day (expected like 08:30)",
    "duration": "not a duration (expected like 1:15 or 1:15:00)",
}


def reject_reason(p: ColumnProfile) -> str:
    if p.kind in ("date", "timestamp"):
        if p.serial:
            return "not a date (expected an Excel date)"
        expected = {
            "dmy": "day-first like 31/01/2024",
            "mdy": "month-first like 01/31/2024",
            "ymd": "like 2024-01-31",
        }.get(p.date_order or "", "a date")
        return f"not a date (expected {expected})"
    return REASONS.get(p.kind, "unreadable value")


def phrase_sql(x: str, kind: str) -> str:
    """True for a free-text note (>= 3 letters and a space); month+digits is never a note in dates."""
    rule = (
        f"(length(regexp_replace({x}, '[^[:alpha:]]', '', 'g')) >= 3"
        f" and regexp_matches({x}, '\\s'))"
    )
    if kind in ("date", "timestamp"):
        month_and_digits = (
            f"(regexp_matches(lower({x}), '\\b({MONTHS})') and regexp_matches({x}, '\\d'))"
        )
        rule = f"({rule} and not {month_and_digits})"
    return f"({rule})"


# --- the conversion --------------------------------------------------------------------


@dataclass
class TypedSheet:
    table: pa.Table
    rejects: list[dict] = field(default_factory=list)
    placeholders: dict[str, dict[str, int]] = field(default_factory=dict)


def data_rows(raw: RawSheet, analysis: SheetAnalysis) -> pa.Table:
    """The kept data rows of the raw table with a 1-based "_row" column (excluded rows dropped)."""
    start, stop = analysis.data_start, analysis.data_stop
    excluded = sorted({r for r, _ in analysis.excluded_rows if start <= r < stop})
    # Excluded rows at the ends (a totals row, a blank row under the header) shrink the
    # slice: filtering would copy every cell.
    while excluded and excluded[-1] == stop - 1:
        stop = excluded.pop()
    while excluded and excluded[0] == start:
        start = excluded.pop(0) + 1
    stop = max(start, stop)
    rows = pa.array(np.arange(start + 1, stop + 1, dtype=np.int64))
    table = raw.table.slice(start, stop - start).append_column("_row", rows)
    excluded = [r + 1 for r in excluded]
    if excluded:
        keep = pc.invert(pc.is_in(table["_row"], pa.array(excluded, pa.int64())))
        table = table.filter(keep)
    return table


LOOKUP_KINDS = ("date", "timestamp", "time", "duration")
HARD_BATCH = 200  # more columns to convert than this: stacked (_convert_stacked)


def typed_sheet(con, raw: RawSheet, analysis: SheetAnalysis) -> TypedSheet:
    """Convert the data rows of `raw` to typed columns; collect per-cell failures.

    Plain columns (text without placeholders, numbers and ISO dates proven plain) convert
    with one Arrow kernel each; the others in one DuckDB select.
    """
    source = data_rows(raw, analysis)
    columns = analysis.columns
    values: dict[int, pa.ChunkedArray] = {}
    bad: dict[int, pa.ChunkedArray] = {}
    direct = [i for i, p in enumerate(columns) if _is_direct(p)]
    converted = map_columns(
        lambda i: _convert_direct(source[f"c{columns[i].index}"], columns[i]), direct
    )
    for i, (value, flags) in zip(direct, converted, strict=True):
        values[i] = value
        if flags is not None:
            bad[i] = flags
    hard = [i for i in range(len(columns)) if i not in values]
    if hard:
        if len(hard) <= HARD_BATCH:
            _convert_side_by_side(con, source, [columns[i] for i in hard], hard, raw, values, bad)
        else:
            _convert_stacked(con, source, [columns[i] for i in hard], hard, raw, values, bad)

    rows = source["_row"]
    rejects = []
    for i, flags in sorted(bad.items()):  # in column order within a row
        if not pc.any(flags).as_py():
            continue
        p = columns[i]
        at = pc.indices_nonzero(flags)
        reason = reject_reason(p)
        rejects += [
            {"row": r, "column": p.name, "value": v, "reason": reason}
            for r, v in zip(
                rows.take(at).to_pylist(), source[f"c{p.index}"].take(at).to_pylist(), strict=True
            )
        ]
    rejects.sort(key=lambda d: d["row"])
    names = [p.name for p in columns]
    table = pa.table([values[i] for i in range(len(names))] + [rows], names=names + ["_row"])
    placeholders = {p.name: dict(p.placeholders) for p in columns if p.placeholders}
    return TypedSheet(table=table, rejects=rejects, placeholders=placeholders)


def _select_over(con, source: pa.Table, sql: str, params: dict) -> pa.Table:
    """Run a conversion select over `source` registered as _ingest_src."""
    con.register("_ingest_src", source)
    try:
        return con.sql(sql, params=params).to_arrow_table()
    finally:
        con.unregister("_ingest_src")


def _convert_side_by_side(con, source, profiles, at, raw, values, bad) -> None:
    """The columns in one select, side by side (a sheet of ordinary width)."""
    sql, params = _conversion_sql(profiles, raw.decimal_comma, len(source))
    result = _select_over(con, source, sql, params)
    for j, i in enumerate(at):
        values[i] = result[f"v{j}"]
        if f"bad{j}" in result.column_names:
            bad[i] = pc.fill_null(result[f"bad{j}"], False)


def _conversion_key(p: ColumnProfile) -> tuple:
    """What _conversion_sql reads of a profile, placeholders aside: columns alike in it
    convert with one expression."""
    dated = p.kind in ("date", "timestamp", "time") and not p.serial
    formats = tuple(formats_for(p)) if dated else ()
    return (p.kind, _styled(p), p.marker, p.serial, p.epoch1904, formats, p.fast_length,
            p.fast_format, p.decimal_comma)  # fmt: skip


def _convert_stacked(con, source, profiles, at, raw, values, bad) -> None:
    """A wide sheet's columns, those converted alike laid end to end as one long column.

    One select side by side costs planning time per column, growing faster than the width
    (5,000 columns took minutes); stacked, a sheet needs one select per kind of conversion.
    Each column's placeholders are made empty first (by Arrow, as the select would), so
    columns with different placeholders share the select."""
    n = len(source)
    groups: dict[tuple, list[int]] = {}
    for j, p in enumerate(profiles):
        groups.setdefault(_conversion_key(p), []).append(j)
    for members in groups.values():
        parts = []
        for j in members:
            p = profiles[j]
            col = source[f"c{p.index}"]
            if p.placeholders:
                marked = pa.array([k.lower() for k in p.placeholders], pa.string())
                hit = pc.fill_null(pc.is_in(pc.utf8_lower(_trim(col)), value_set=marked), False)
                col = pc.if_else(hit, pa.scalar(None, pa.string()), col)
            parts += col.chunks
        first = profiles[members[0]]
        stacked = ColumnProfile(
            index=0, name=first.name, kind=first.kind, evidence=first.evidence,
            formats=list(first.formats), serial=first.serial, epoch1904=first.epoch1904,
            marker=first.marker, fast_length=first.fast_length, fast_format=first.fast_format,
            distinct=sum(profiles[j].distinct for j in members), decimal_comma=first.decimal_comma,
        )  # fmt: skip
        total = n * len(members)
        long = pa.table(
            {"c0": pa.chunked_array(parts, pa.string()), "_row": np.arange(total, dtype=np.int64)}
        )
        sql, params = _conversion_sql([stacked], raw.decimal_comma, total)
        result = _select_over(con, long, sql, params)
        for k, j in enumerate(members):
            i = at[j]
            values[i] = result["v0"].slice(k * n, n)
            if "bad0" in result.column_names:
                bad[i] = pc.fill_null(result["bad0"].slice(k * n, n), False)


def _convert_direct(col: pa.ChunkedArray, p: ColumnProfile):
    """(values, failure flags or None) of a column Arrow converts alone."""
    value = _direct(col, p)
    if p.kind == "text":
        return value, None
    # Clean values have no spaces to trim (proven by their pattern).
    filled = pc.is_valid(col) if p.clean else _filled(col)
    return value, pc.and_(filled, pc.is_null(value))


def _is_direct(p: ColumnProfile) -> bool:
    """Columns Arrow converts alone: proven plain, or text / yes-no without placeholders.

    (A value the profile judged a note is among its placeholders, so in these columns every
    value that does not convert is a bad value.)
    """
    if p.placeholders:
        return False
    return p.clean or p.kind in ("text", "empty") or (p.kind == "bool" and not p.marker)


def _direct(col: pa.ChunkedArray, p: ColumnProfile) -> pa.ChunkedArray:
    """A column converted by Arrow, as the SQL path would (clean values parse alike)."""
    if p.clean and p.kind == "number":
        return pc.cast(col, pa.float64())
    if p.clean:
        ts = pc.strptime(col, format=p.fast_format, unit="us", error_is_null=True)
        return pc.cast(ts, pa.date32()) if p.kind == "date" else ts
    trimmed = _trim(col)
    text = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    if p.kind != "bool":
        return text
    words = pc.utf8_lower(text)
    yes = pc.is_in(words, value_set=pa.array(TRUE_WORDS))
    no = pc.is_in(words, value_set=pa.array(FALSE_WORDS))
    return pc.if_else(yes, True, pc.if_else(no, False, pa.scalar(None, pa.bool_())))


# The characters DuckDB's trim() removes (Unicode space separators, not tabs or line
# breaks): the Arrow conversions trim exactly as the SQL ones and the profiles do.
SQL_TRIM_CHARS = " \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"


def _trim(col: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim(col, characters=SQL_TRIM_CHARS)


def _filled(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """True where a cell holds something once trimmed."""
    return pc.fill_null(pc.not_equal(_trim(col), ""), False)


def _conversion_sql(
    columns: list[ColumnProfile], decimal_comma: bool, n_rows: int
) -> tuple[str, dict]:
    """One select in stages, each computed once per row (DuckDB repeats inlined subexpressions).

    Plain numbers cast at once; styled ones (currency, separators, %) go strip -> core ->
    value in materialised stages. Dates and times with few distinct values are parsed once
    per distinct value and joined back, since a failed strptime format costs far more than a
    hash lookup; mostly-distinct ones (timestamps) are parsed in place, their commonest
    length through the one-format fast path.
    """
    params: dict[str, object] = {}
    cleaned, strip, core, final, lookups, joins = ['"_row"'], [], [], ['"_row"'], [], []
    out = ['"_row"']
    sheet_comma = decimal_comma
    for i, p in enumerate(columns):
        decimal_comma = sheet_comma if p.decimal_comma is None else p.decimal_comma
        plain = "[-+]?[0-9]+" if decimal_comma else "[-+]?[0-9]+(\\.[0-9]+)?"
        x = f'"c{p.index}"'
        if p.placeholders:
            params[f"ph{i}"] = [k.lower() for k in p.placeholders]
            cleaned.append(
                f"case when list_contains($ph{i}, lower(trim({x}))) then null"
                f" else nullif(trim({x}), '') end as \"k{i}\""
            )
        else:
            cleaned.append(f"nullif(trim({x}), '') as \"k{i}\"")
        k = f's."k{i}"'
        if p.kind in ("number", "percent") and _styled(p):
            strip.append(
                f'case when regexp_full_match("k{i}", \'{plain}\') then "k{i}"'
                f' else {number_strip_sql(f"k{i}")} end as "t{i}"'
            )
            core.append(
                f'case when regexp_full_match("t{i}", \'{plain}\') then "t{i}"'
                f' else {number_core_sql(f"t{i}")} end as "n{i}"'
            )
            value = number_value_sql(f's."t{i}"', f's."n{i}"', decimal_comma)
        elif p.kind in ("number", "percent"):
            # Hardly any value needs the full parser, so inlining it costs little.
            value = (
                f"case when regexp_full_match({k}, '{plain}') then cast({k} as double)"
                f" else {number_sql(k, decimal_comma)} end"
            )
        elif p.kind in LOOKUP_KINDS and p.distinct * 4 <= n_rows:
            if p.kind != "duration" and not p.serial:
                params.update(column_format_params(f"fmt{i}", p))
            conv = convert_sql("k", p, decimal_comma, f"fmt{i}")
            lookups.append(
                f'"m{i}" as materialized (select k, {conv} as v from'
                f' (select distinct "k{i}" as k from cleaned where "k{i}" is not null))'
            )
            joins.append(f'left join "m{i}" on "m{i}".k = {k}')
            value = f'"m{i}".v'
        elif p.kind in LOOKUP_KINDS:
            if p.kind != "duration" and not p.serial:
                params.update(column_format_params(f"fmt{i}", p))
            value = convert_sql(k, p, decimal_comma, f"fmt{i}")
        elif p.kind in ("text", "empty"):
            value = k  # already trimmed, blanks and placeholders null
        else:
            value = convert_sql(k, p, decimal_comma, f"fmt{i}")
        if p.kind in ("text", "empty"):
            final.append(f'{value} as "v{i}"')
            out.append(f'"v{i}"')
            continue
        final.append(f'{k}, {value} as "v{i}"')
        out += [f'"v{i}"', _bad_flag(i, p)]
    ctes = [f"cleaned as materialized (select {', '.join(cleaned)} from _ingest_src)"]
    source = "cleaned"
    if strip:
        ctes.append(f"stripped as materialized (select * {_more(strip)} from cleaned)")
        ctes.append(f"cored as materialized (select * {_more(core)} from stripped)")
        source = "cored"
    ctes += lookups
    ctes.append(f"converted as (select {', '.join(final)} from {source} s {' '.join(joins)})")
    # Joins may reorder rows; without them the scan order is the sheet's.
    order = ' order by "_row"' if joins else ""
    sql = f"with {', '.join(ctes)} select {', '.join(out)} from converted{order}"
    return sql, params


def _styled(p: ColumnProfile) -> bool:
    """Numbers written with currency, separators, odd negatives or % (not plain digits)."""
    return p.kind == "percent" or p.evidence != "numbers"


def _bad_flag(i: int, p: ColumnProfile) -> str:
    note = phrase_sql(f'"k{i}"', p.kind)
    # CASE, not AND: only failing cells pay for the note test.
    return (
        f'case when "k{i}" is not null and "v{i}" is null then not {note}'
        f' else false end as "bad{i}"'
    )


def _more(exprs: list[str]) -> str:
    return "".join(f", {e}" for e in exprs)
