"""What detection makes of a sheet, written as a recipe to confirm or edit (`load --explain`).

Detection's mapping (columns, a date joined to its time column, units columns, spans, due
dates, a month given for a file without dates), its types (text date formats, decimal
commas, durations) and its months-across layouts become [columns], [types], [constants]
and [unpivot]. A recipe loads the same rows detection would, and says so in one place.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cockpit import datasets
from cockpit.ingest import mapping as mapping_mod
from cockpit.ingest.model import PreparedSheet
from cockpit.ingest.months_across import parse_month_header
from cockpit.recipes.apply import ident_any
from cockpit.recipes.model import Lookup, Recipe, Unpivot

_UNITS = {
    ("s", "sec", "secs", "second", "seconds"): ("1.0 / 60", "1"),
    ("min", "mins", "minute", "minutes", "m"): ("1", "60"),
    ("h", "hr", "hrs", "hour", "hours"): ("60", "3600"),
    ("d", "day", "days"): ("1440", "86400"),
}  # unit -> (in minutes, in seconds); fmt: skip


def propose(sheet: PreparedSheet) -> Recipe | None:
    """The recipe for a prepared sheet's proposed mapping; None when no dataset fits it."""
    m = sheet.mapping
    if m.dataset is None or sheet.analysis is None:
        return None
    profiles = {p.name: p for p in sheet.analysis.columns}
    r = Recipe(dataset=m.dataset, name=_name(sheet), sheet=sheet.raw.sheet)
    if sheet.analysis.header_rows and sheet.analysis.header_rows[0] > 0:
        r.header_row = sheet.analysis.header_rows[-1] + 1  # a title block above it
    if m.shape == "months across":
        return _months_across(sheet, r, profiles)
    ds = datasets.get(m.dataset)
    for canon, src in m.columns.items():
        r.columns[canon] = src
        p = profiles.get(src)
        kind = ds.column(canon).type
        if canon in m.combine:
            r.columns[canon] = f"{ident_any(m.combine[canon])} + {ident_any(src)}"
            _type(r, profiles.get(m.combine[canon]))
        elif canon in m.units:
            r.columns[canon] = _in_units(src, m.units[canon], canon)
        elif kind == datasets.BOOL and p is not None and p.kind == "text":
            r.columns[canon] = _status_expr(src)
        elif kind == datasets.BOOL and mapping_mod.normalise(src) in mapping_mod.NEGATED:
            r.columns[canon] = f"NOT {ident_any(src)}"
        _type(r, p)
    for canon, (start, end) in m.span.items():
        r.columns[canon] = f"epoch({ident_any(end)} - {ident_any(start)}) / 60"
        _type(r, profiles.get(start))
        _type(r, profiles.get(end))
    for canon, due in m.due.items():
        resolved = m.columns.get("resolved_at")
        if resolved:
            r.columns[canon] = f"{ident_any(resolved)} <= {ident_any(due)}"
            _type(r, profiles.get(due))
    for canon, lk in m.lookups.items():
        r.lookup[canon] = Lookup(lk["sheet"], lk["column"], lk["key"], lk["value"])
    for canon, value in m.constants.items():
        r.constants[canon] = f"{value:%Y-%m}" if isinstance(value, dt.date) else value
    if m.unpivot is not None:
        return None  # wide causes / account pairs: not yet said by a recipe
    return r


def _name(sheet: PreparedSheet) -> str:
    stem = Path(sheet.raw.file).stem
    return f"{stem} - {sheet.raw.sheet}" if sheet.raw.sheet else stem


def _type(r: Recipe, p) -> None:
    """A text date column's format (detection's order settled) or a decimal-comma number."""
    if p is None or p.name in r.types:
        return
    if p.kind in ("date", "timestamp") and not p.serial and p.formats:
        if p.date_order in ("dmy", "mdy"):  # the order detection settled, kept for next month
            r.types[p.name] = f"{p.kind}:{p.date_order}"
        elif len(p.formats) == 1:
            r.types[p.name] = f"{p.kind}:{p.formats[0]}"


def _in_units(src: str, unit_col: str, canon: str) -> str:
    """The value times its unit column's factor; an unknown unit leaves it empty."""
    pick = 1 if canon.endswith("seconds") else 0
    words = {u: f[pick] for units, f in _UNITS.items() for u in units}
    groups: dict[str, list[str]] = {}
    for u, f in words.items():
        groups.setdefault(f, []).append(f"'{u}'")
    cases = " ".join(f"WHEN u IN ({', '.join(us)}) THEN {f}" for f, us in groups.items())
    cases = cases.replace("WHEN u IN", f"WHEN lower(trim({ident_any(unit_col)})) IN")
    return f"{ident_any(src)} * CASE {cases} END"


_DONE = ("resolved", "closed", "solved", "done", "complete", "completed", "fixed")
_OPEN = ("open", "new", "in progress", "pending", "on hold", "waiting", "assigned", "reopened")


def _status_expr(src: str) -> str:
    x = f"lower(trim({ident_any(src)}))"
    done = ", ".join(f"'{w}'" for w in _DONE)
    still = ", ".join(f"'{w}'" for w in _OPEN)
    return f"CASE WHEN {x} IN ({done}) THEN true WHEN {x} IN ({still}) THEN false END"


def _months_across(sheet: PreparedSheet, r: Recipe, profiles: dict) -> Recipe | None:
    """Months across the columns: the month columns unpivoted, the label column kept."""
    names = list(profiles)
    months = [n for n in names if parse_month_header(n) and parse_month_header(n)[2] == []]
    if len(months) < 3 or sheet.rows is None:
        return None
    years = {parse_month_header(n)[0] for n in months}
    value = "target" if r.dataset == "targets" else "budget"
    r.unpivot = Unpivot(months, value, None if None not in years else dt.date.today().year)
    rows = sheet.rows
    labels = [n for n in names if n not in months and profiles[n].kind == "text"]
    label_canon = "site" if r.dataset == "targets" else "account"
    if labels:
        r.columns[label_canon] = labels[0]
    for canon in rows.column_names:
        if canon.startswith("_") or canon in (value, "month", label_canon):
            continue
        distinct = rows.column(canon).unique().to_pylist()
        if len(distinct) == 1 and distinct[0] is not None:
            r.constants[canon] = distinct[0]
    return r
