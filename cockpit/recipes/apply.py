"""Apply a recipe: a raw sheet -> canonical rows of its dataset, in the ingest's scratch
DuckDB; then the ordinary validate path, so rejects, duplicates, transactions and the
ledger behave as for any load.

Steps: the header (the recipe's header_row, else detection's), the types (the recipe's
[types], else detection's; a duration is an INTERVAL), the `where` filter, the [columns]
(a source column or a guarded expression), the [constants], then [unpivot].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit import datasets
from cockpit.ingest import mapping as mapping_mod
from cockpit.ingest import scratch, typed
from cockpit.ingest.detect_header import Layout, unique_names
from cockpit.ingest.detect_sheet import _profiles, analyse_sheet
from cockpit.ingest.detect_types import date_formats
from cockpit.ingest.kernels import present as present_cells
from cockpit.ingest.mapping import Mapping
from cockpit.ingest.model import PreparedSheet
from cockpit.ingest.months_across import parse_month_header
from cockpit.ingest.prepare import cast
from cockpit.ingest.profile import SheetAnalysis
from cockpit.ingest.read import RawSheet
from cockpit.recipes import guard
from cockpit.recipes.model import DATE_ORDERS, Recipe, RecipeError, constant_value


@dataclass
class Applied:
    """A recipe applied to a sheet: canonical rows (with _row), rejects, what `where` left out."""

    rows: pa.Table
    rejects: list[dict] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)  # 1-based rows `where` left out
    analysis: SheetAnalysis | None = None
    typed: pa.Table | None = None
    sources: dict[str, list[str]] = field(default_factory=dict)  # canonical -> source columns


def pick_sheet(raws: list[RawSheet], recipe: Recipe, file: str) -> RawSheet:
    names = [r.sheet for r in raws]
    if recipe.sheet is not None:
        for r in raws:
            if r.sheet == recipe.sheet:
                return r
        shown = ", ".join(repr(n) for n in names)
        raise RecipeError(
            f"{file}: there is no sheet {recipe.sheet!r} (sheets: {shown}); fix 'sheet'"
        )
    if len(raws) == 1:
        return raws[0]
    shown = ", ".join(repr(n) for n in names)
    raise RecipeError(f'{file} has several sheets ({shown}): say which with sheet = "..."')


def analyse(raw: RawSheet, recipe: Recipe) -> SheetAnalysis:
    """Detection's analysis, or (with header_row) the header and data rows the recipe says."""
    if recipe.header_row is None:
        return analyse_sheet(raw)
    table = raw.table
    h = recipe.header_row - 1
    if h >= table.num_rows:
        raise RecipeError(
            f"{raw.file}: header_row = {recipe.header_row} is past the last row ({table.num_rows})"
        )
    header = [_cell(v) for v in table.slice(h, 1).to_pylist()[0].values()]
    start = (recipe.data_row - 1) if recipe.data_row else h + 1
    body = table.slice(start, max(0, table.num_rows - start))
    present = [present_cells(c) for c in body.columns]
    counts = np.zeros(body.num_rows, dtype=np.int64)
    for p in present:
        counts += np.asarray(pc.fill_null(p, False).to_numpy(zero_copy_only=False), dtype=np.int64)
    names = unique_names(header)
    keep = [
        c for c in range(table.num_columns) if header[c] is not None or pc.any(present[c]).as_py()
    ]
    title = (
        " / ".join(
            " ".join(_cell(v) or "" for v in row.values()).strip()
            for row in table.slice(0, h).to_pylist()
        ).strip(" /")
        or None
    )
    layout = Layout(
        title=title,
        header_rows=[h],
        names={c: names[c] for c in keep},
        data_start=start,
        data_stop=table.num_rows,
        excluded_rows=[(start + int(r), "blank row") for r in np.flatnonzero(counts == 0)],
    )
    columns = _profiles(raw, layout, None)
    return SheetAnalysis(
        file=raw.file, sheet=raw.sheet, kind="data", kind_reason="the recipe's header row",
        title=layout.title, header_rows=layout.header_rows, data_start=start,
        data_stop=table.num_rows, excluded_rows=layout.excluded_rows, columns=columns,
    )  # fmt: skip


def _cell(v) -> str | None:
    return None if v is None or not str(v).strip() else str(v).strip()


def unpivot_columns(recipe: Recipe, names: list[str]) -> list[str]:
    """The month columns, a "First:Last" range expanded in the sheet's column order."""
    out: list[str] = []
    for item in recipe.unpivot.columns:
        if item in names:
            out.append(item)
            continue
        # "First:Last", split at the colon that leaves two headers (headers may hold colons)
        ends = [
            (item[:i], item[i + 1 :])
            for i, ch in enumerate(item)
            if ch == ":" and item[:i] in names and item[i + 1 :] in names
        ]
        if ends:
            a, b = names.index(ends[0][0]), names.index(ends[0][1])
            out += names[min(a, b) : max(a, b) + 1]
            continue
        raise RecipeError(
            f"unpivot.columns: no source column {item!r}; the sheet has: {_shown(names)}"
        )
    return out


def month_of(header: str, year: int | None) -> dt.date:
    parsed = parse_month_header(header)
    if parsed is None:
        raise RecipeError(
            f"unpivot.columns: {header!r} does not name a month (like Jan-19 or 2019-01)"
        )
    y, m, _ = parsed
    y = y or year
    if y is None:
        raise RecipeError(f"unpivot: {header!r} names no year; add year = 2019 to [unpivot]")
    return dt.date(y, m, 1)


def references(recipe: Recipe, names: list[str]) -> tuple[dict[str, set[str]], set[str]]:
    """Per canonical column the source columns it reads (expressions checked by the guard),
    and those the `where` reads. Refuses unknown source columns, naming the field."""
    known = set(names)
    for col in recipe.types:
        if col not in known:
            raise RecipeError(
                f"types.{col}: no source column {col!r}; the sheet has: {_shown(names)}"
            )
    used: dict[str, set[str]] = {}
    for canon, value in recipe.columns.items():
        if value in known:
            used[canon] = {value}
            continue
        try:
            used[canon] = guard.check(value, f"columns.{canon}", known)
        except guard.ExpressionRefused as exc:
            if '"' not in value and not any(ch in value for ch in "()+-*/=<>'"):
                raise RecipeError(
                    f"columns.{canon}: no source column {value!r}; the sheet has: {_shown(names)}"
                ) from None
            raise RecipeError(str(exc)) from None
    where = set()
    if recipe.where:
        try:
            where = guard.check(recipe.where, "where", known)
        except guard.ExpressionRefused as exc:
            raise RecipeError(str(exc)) from None
    return used, where


def _shown(names) -> str:
    return ", ".join(repr(n) for n in names)


def apply_to_sheet(cur, raw: RawSheet, recipe: Recipe, sheets: list[RawSheet] = ()) -> Applied:
    """The canonical rows `recipe` makes of `raw` (nothing written); `sheets`: the
    workbook's sheets, for [lookup] tables."""
    analysis = analyse(raw, recipe)
    names = [p.name for p in analysis.columns]
    used, where_cols = references(recipe, names)
    tables = {canon: _lookup_table(cur, lk, sheets, canon) for canon, lk in recipe.lookup.items()}
    for canon, lk in recipe.lookup.items():
        if lk.column not in names:
            raise RecipeError(
                f"lookup.{canon}.column: no source column {lk.column!r}; the sheet has: "
                + _shown(names)
            )
        used.setdefault(canon, set()).add(lk.column)
    months = unpivot_columns(recipe, names) if recipe.unpivot else []
    for p in analysis.columns:
        if p.name in recipe.types:  # read as text here, converted as the recipe says below
            # placeholders ("N/A", "Date Not Captured") stay empty cells, not unreadable ones
            p.kind, p.clean, p.formats, p.serial = "text", False, [], False
    t = typed.typed_sheet(cur, raw, analysis)
    source = t.table
    kinds = {p.name: p.kind for p in analysis.columns}
    con = scratch.cursor()
    try:
        con.register("_recipe_src", source)
        select, checks = [], []
        for n in names:
            x = ident_any(n)
            spec = recipe.types.get(n)
            if spec is not None:
                value = _convert(x, spec, raw.decimal_comma)
                checks.append((n, f"({x} is not null and ({value}) is null)"))
            elif kinds[n] == "duration":  # detection gives minutes; a recipe sees an INTERVAL
                value = f"to_microseconds(cast(round({x} * 60000000) as bigint))"
            else:
                value = x
            select.append(f"{value} as {x}")
        select.append('"_row"')
        select += [f'{c} as "_bad{i}"' for i, (_, c) in enumerate(checks)]
        con.execute(
            f"create or replace temp table _recipe_t as select {', '.join(select)} from _recipe_src"
        )
        keep = f"coalesce(({recipe.where}), false)" if recipe.where else "true"
        try:
            kept = con.sql(f'select "_row" from _recipe_t where {keep}').to_arrow_table()
        except duckdb.Error as exc:
            raise RecipeError(f"where: {_first(exc)}") from None
        kept_rows = set(kept.column("_row").to_pylist())
        dropped = [r for r in source.column("_row").to_pylist() if r not in kept_rows]
        ds = datasets.get(recipe.dataset)
        exprs = {}
        for canon, value in recipe.columns.items():
            e = ident_any(value) if value in names else f"({value})"
            exprs[canon] = _to_canonical(con, e, canon, ds, keep)
        for i, lk in enumerate(recipe.lookup.values()):
            exprs[f"_lk{i}"] = ident_any(lk.column)
        if recipe.unpivot:
            for i, col in enumerate(months):
                exprs[f"_m{i}"] = _to_canonical(con, ident_any(col), recipe.unpivot.value, ds, keep)
        cols = [f"{e} as {ident_any(k)}" for k, e in exprs.items()]
        cols += ['"_row"'] + [f'"_bad{i}"' for i in range(len(checks))]
        try:
            out = con.sql(
                f"select {', '.join(cols)} from _recipe_t where {keep} order by _row"
            ).to_arrow_table()
        except duckdb.Error as exc:
            raise RecipeError(_failing(con, exprs, keep) or f"columns: {_first(exc)}") from None
        rejects = _rejects(t.rejects, out, checks, source, kept_rows)
    finally:
        con.execute("drop table if exists _recipe_t")
        con.unregister("_recipe_src")
        con.close()
    base = {}
    for canon in recipe.columns:
        base[canon] = _cast(out.column(canon), ds, canon, f"columns.{canon}")
    n = out.num_rows
    for canon, value in recipe.constants.items():
        v = constant_value(ds, canon, value)
        base[canon] = cast(pa.array([v] * n), ds.column(canon).type)
    for i, (canon, (keys, values)) in enumerate(tables.items()):
        codes = cast(out.column(f"_lk{i}"), datasets.TEXT)
        found = pc.take(cast(values, ds.column(canon).type), pc.index_in(codes, value_set=keys))
        base[canon] = pc.coalesce(found, base[canon]) if canon in base else found
    base["_row"] = out.column("_row").cast(pa.int64())
    sources = {k: sorted(v) for k, v in used.items()}
    if not recipe.unpivot:
        rows = pa.table(base)
    else:
        parts = []
        month_col = ds.month_column
        for i, col in enumerate(months):
            part = dict(base)
            part[month_col] = pa.array([month_of(col, recipe.unpivot.year)] * n, pa.date32())
            part[recipe.unpivot.value] = _cast(
                out.column(f"_m{i}"), ds, recipe.unpivot.value, f"unpivot.columns ({col!r})"
            )
            parts.append(pa.table(part).filter(pc.is_valid(part[recipe.unpivot.value])))
        rows = pa.concat_tables(parts) if parts else pa.table(base).slice(0, 0)
        sources[recipe.unpivot.value] = months
    return Applied(rows, rejects, dropped, analysis, source, sources)


def _lookup_table(cur, lk, sheets: list[RawSheet], canon: str) -> tuple[pa.Array, pa.Array]:
    """(codes as text, values) of a lookup sheet; its codes must be unique."""
    found = [r for r in sheets if r.sheet == lk.sheet]
    if not found:
        shown = _shown([r.sheet for r in sheets])
        raise RecipeError(f"lookup.{canon}.sheet: there is no sheet {lk.sheet!r} ({shown})")
    analysis = analyse_sheet(found[0])
    table = typed.typed_sheet(cur, found[0], analysis).table
    for part, name in (("key", lk.key), ("value", lk.value)):
        if name not in table.column_names:
            cols = _shown([c for c in table.column_names if c != "_row"])
            raise RecipeError(
                f"lookup.{canon}.{part}: sheet {lk.sheet!r} has no column {name!r} ({cols})"
            )
    keys = cast(table.column(lk.key), datasets.TEXT).combine_chunks()
    if len(set(keys.to_pylist())) != len(keys):
        raise RecipeError(f"lookup.{canon}: the codes of {lk.key!r} in sheet {lk.sheet!r} repeat")
    return keys, table.column(lk.value).combine_chunks()


_KIND_WORDS = {datasets.BOOL: "yes/no", datasets.NUMBER: "a number", datasets.DATE: "a date",
               datasets.TIMESTAMP: "a date and time", datasets.TEXT: "text"}  # fmt: skip


def _cast(col, ds, canon: str, field: str):
    """A result column in the canonical column's type, or the field named with the reason."""
    kind = ds.column(canon).type
    try:
        return cast(col, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        hint = (
            " (write an expression such as \"outcome\" = 'AGENT')" if kind == datasets.BOOL else ""
        )
        raise RecipeError(
            f"{field}: its values cannot be read as {_KIND_WORDS[kind]} for {canon}{hint}: "
            f"{str(exc).splitlines()[0][:120]}"
        ) from None


def _failing(con, exprs: dict[str, str], keep: str) -> str | None:
    """'columns.NAME: why' for the first expression that fails on the rows (one at a time)."""
    for canon, e in exprs.items():
        try:
            con.sql(f"select {e} from _recipe_t where {keep}").to_arrow_table()
        except duckdb.Error as exc:
            field = f"columns.{canon}" if not canon.startswith("_") else "unpivot.columns"
            return f"{field}: {_first(exc)}"
    return None


def ident_any(name: str) -> str:
    """A source column's name quoted for SQL (any text: a sheet's headers are not plain)."""
    return '"' + str(name).replace('"', '""') + '"'


def _convert(x: str, spec: str, decimal_comma: bool) -> str:
    """SQL turning trimmed text `x` into the [types] spec (NULL when it does not parse)."""
    if spec == "number":
        return typed.number_sql(x, decimal_comma)
    if spec == "number:decimal-comma":
        return typed.number_sql(x, True)
    if spec == "text":
        return f"nullif(trim({x}), '')"
    if spec == "bool":
        return typed.bool_sql(x, False)
    if spec == "duration":
        minutes = typed.duration_minutes_sql(x)
        return f"to_microseconds(cast(round(({minutes}) * 60000000) as bigint))"
    kind, _, fmt = spec.partition(":")
    target = {"date": "date", "timestamp": "timestamp", "time": "time"}[kind]
    if fmt in DATE_ORDERS:
        # As detection reads dates in a known order: %Y formats only for year-first text,
        # since %Y also accepts "01" (01/02/03 would be the year 1).
        formats = date_formats(fmt)
        y4 = _list([f for f in formats if f.startswith("%Y")])
        rest = _list([f for f in formats if not f.startswith("%Y")])
        s = typed.zone_stripped_sql(x)
        parsed = (
            f"case when regexp_matches({s}, '^\\d{{4}}[-/]') then try_strptime({s}, {y4})"
            f" else try_strptime({s}, {rest}) end"
        )
        return f"cast({parsed} as {target})"
    return f"cast(try_strptime(trim({x}), {_literal(fmt)}) as {target})"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _list(formats: list[str]) -> str:
    return "[" + ", ".join(_literal(f) for f in formats) + "]"


def _to_canonical(con, e: str, canon: str, ds, keep: str) -> str:
    """`e` in the canonical column's type and unit: an INTERVAL or a time of day is seconds
    for a *_seconds column, else minutes."""
    want = ds.column(canon).type
    try:
        got = str(con.sql(f"select {e} from _recipe_t where {keep} limit 0").types[0]).upper()
    except duckdb.Error as exc:
        raise RecipeError(f"columns.{canon}: {_first(exc)}") from None
    if want == datasets.NUMBER and got in ("INTERVAL", "TIME"):
        seconds = f"epoch({e})"  # an INTERVAL or a TIME: its seconds
        return seconds if canon.endswith("seconds") else f"({seconds}) / 60.0"
    if want == datasets.TIMESTAMP and got == "DATE":
        return f"cast({e} as timestamp)"
    return e


def _rejects(detected, out: pa.Table, checks, source: pa.Table, kept_rows: set) -> list[dict]:
    """Unreadable cells of kept rows: detection's and those of the recipe's [types]."""
    found = [r for r in detected if r["row"] in kept_rows]
    rows = out.column("_row").to_pylist()
    for i, (name, _) in enumerate(checks):
        flags = out.column(f"_bad{i}").to_pylist()
        bad = {r for r, f in zip(rows, flags, strict=True) if f}
        if not bad:
            continue
        values = dict(
            zip(source.column("_row").to_pylist(), source.column(name).to_pylist(), strict=True)
        )
        found += [
            {
                "row": r,
                "column": name,
                "value": values.get(r),
                "reason": "not readable as the recipe's type",
            }
            for r in sorted(bad)
        ]
    return sorted(found, key=lambda r: r["row"])


def _first(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]


def prepared_sheet(
    cur, raw: RawSheet, recipe: Recipe, version: int | None, sheets: list[RawSheet] = ()
) -> PreparedSheet:
    """A ready PreparedSheet of `raw` made by the recipe, for validate and commit."""
    applied = apply_to_sheet(cur, raw, recipe, sheets)
    names = [p.name for p in applied.analysis.columns]
    label = f"recipe {recipe.name!r}" + (f" version {version}" if version else "")
    m = Mapping(
        recipe.dataset,
        {c: v for c, v in recipe.columns.items() if v in names},
        confidence=1.0,
        reasons=[f"loaded with {label}"],
        constants={
            k: constant_value(datasets.get(recipe.dataset), k, v)
            for k, v in recipe.constants.items()
        },
    )
    m.derived = applied.sources
    m.recipe = {"name": recipe.name, "version": version}
    sheet = PreparedSheet(
        raw=raw,
        analysis=applied.analysis,
        mapping=m,
        fingerprint=mapping_mod.fingerprint(raw.sheet, names),
        status="ready",
        rows=applied.rows,
        rejects=applied.rejects,
        typed=applied.typed,
    )
    sheet.messages.append(f"loaded with {label}")
    if applied.dropped:
        sheet.messages.append(f"{len(applied.dropped):,} row(s) left out by the recipe's where")
    sheet.dropped = applied.dropped
    return sheet
