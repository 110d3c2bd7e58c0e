"""Classify a sheet (data, lookup, notes, pivot, empty) and combine the detectors: analyse_sheet.

- empty: no cells; pivot: the sheet hosts a pivot table or reads like one ("Row Labels",
  "Sum of ..."), a summary rather than the underlying rows;
- notes: a single column or mostly prose (long text, hardly any numbers or dates);
- lookup: a small code -> value table (2-3 columns, at most 500 rows, unique text keys),
  e.g. cause -> category or product -> ideal minutes;
- data: everything else.
"""

from __future__ import annotations

import re

from cockpit.ingest import scratch, typed
from cockpit.ingest.detect_header import Layout, find_layout
from cockpit.ingest.detect_types import ColumnProfile, profile_columns, swap_order
from cockpit.ingest.profile import SheetAnalysis
from cockpit.ingest.read import RawSheet

LOOKUP_MAX_ROWS = 500
_PIVOT_LABEL = re.compile(r"(?i)^(row labels|column labels|sum of |count of |average of )")


def analyse_sheet(raw: RawSheet, *, date_order: str | None = None) -> SheetAnalysis:
    """Detect sheet kind, header rows, data range, totals rows and column types (date_order overrides ambiguous dates)."""
    if raw.n_cells == 0:
        return SheetAnalysis(
            raw.file, raw.sheet, "empty", "the sheet has no cells", None, [], 0, 0, [], []
        )
    layout = find_layout(raw)
    columns = _profiles(raw, layout, date_order)
    analysis = SheetAnalysis(
        file=raw.file,
        sheet=raw.sheet,
        kind="data",
        kind_reason="",
        title=layout.title,
        header_rows=layout.header_rows,
        data_start=layout.data_start,
        data_stop=layout.data_stop,
        excluded_rows=layout.excluded_rows,
        columns=[c for c in columns if not (c.kind == "empty" and c.name.startswith("Column "))],
        messages=list(layout.messages),
    )
    analysis.kind, analysis.kind_reason = classify(raw, analysis)
    for c in analysis.columns:
        if c.ambiguous:
            analysis.messages.append(f"column {c.name!r}: {c.ambiguous}")
        if c.number_ambiguous:
            analysis.messages.append(f"column {c.name!r}: {c.number_ambiguous}")
        if c.bad_count:
            analysis.messages.append(
                f"column {c.name!r}: {c.bad_count} value(s) are not {c.kind}"
                f" (e.g. {', '.join(repr(v) for v in c.bad_sample[:3])})"
            )
    return analysis


def _profiles(raw: RawSheet, layout: Layout, date_order: str | None) -> list[ColumnProfile]:
    rows = typed.data_rows(raw, layout)
    con = scratch.cursor()
    try:
        profiles = profile_columns(
            con,
            rows,
            layout.names,
            decimal_comma=raw.decimal_comma,
            date_order=date_order,
            delimiter=raw.delimiter,
        )
    finally:
        con.close()
    for p in profiles:
        if p.serial and raw.date1904:
            p.epoch1904 = True
            p.evidence += " (1904 date system)"
    _settle_ambiguous_dates(profiles, date_order)
    return profiles


def _settle_ambiguous_dates(profiles: list[ColumnProfile], override: str | None) -> None:
    """An ambiguous column follows the order the sheet's other date columns prove."""
    if override:
        return
    proven = {p.date_order for p in profiles if p.date_order in ("dmy", "mdy") and not p.ambiguous}
    if len(proven) != 1:
        return
    order = proven.pop()
    for p in profiles:
        if p.ambiguous and p.date_order in ("dmy", "mdy") and "cannot be told" in p.ambiguous:
            p.date_order = order
            p.formats = swap_order(p.formats, order)
            word = "day" if order == "dmy" else "month"
            p.ambiguous = p.ambiguous.rsplit(";", 1)[0] + (
                f"; read as {word}-first like the sheet's other date columns"
            )


def classify(raw: RawSheet, a: SheetAnalysis) -> tuple[str, str]:
    """(kind, reason) for an analysed sheet."""
    cells = raw.table.slice(0, 200).to_pylist()
    texts = [str(v).strip() for row in cells for v in row.values() if v and str(v).strip()]
    if raw.has_pivot or any(_PIVOT_LABEL.match(t) for t in texts[:400]):
        return "pivot", "the sheet holds a pivot table (a summary); load the underlying data"
    if not a.columns or a.data_rows == 0:
        if texts:
            return "notes", "text without a table (no data rows under a header)"
        return "empty", "the sheet has no data"
    typed_cols = [c for c in a.columns if c.kind not in ("text", "empty")]
    long_text = sum(1 for t in texts if len(t) > 60)
    if len(a.columns) == 1 and not typed_cols:
        return "notes", "a single column of text"
    if long_text > len(texts) / 3 and not typed_cols:
        return "notes", "mostly prose (long text, no numbers or dates)"
    if 2 <= len(a.columns) <= 3 and a.data_rows <= LOOKUP_MAX_ROWS:
        key = a.columns[0]
        values = typed.data_rows(raw, a).column(f"c{key.index}").drop_null().to_pylist()
        if key.kind == "text" and values and len(set(values)) == len(values):
            other = ", ".join(c.name for c in a.columns[1:])
            return "lookup", f"a small table of unique {key.name!r} keys -> {other}"
    return "data", f"a table of {a.data_rows:,} rows and {len(a.columns)} columns"
