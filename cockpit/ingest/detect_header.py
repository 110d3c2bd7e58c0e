"""Find the header row(s), the title block above it, the data range and the rows to leave out.

The header is the first "full" row near the top (at least half as many cells as the widest
row, not mostly plain numbers); one-cell rows and blank rows above it are the title block.
A sparse text row right above it (a merged super-header such as "Income" over "Budget",
"Actual") or a text row right below it over numeric data makes a two-row header; names are
joined "Super Sub". Inside the data, blank rows, repeated header rows, total/subtotal rows
(by label, or a blank key cell with numbers equal to the sum of the rows above) and one-cell
notes below the data are excluded, each with its reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit import vocabulary
from cockpit.ingest import scratch, typed
from cockpit.ingest.header_words import strip_accents
from cockpit.ingest.kernels import map_columns
from cockpit.ingest.kernels import present as present_cells
from cockpit.ingest.read import RawSheet

SCAN_ROWS = 100
_NUMBER = re.compile(r"^[-+(]?\s*[$£€¥]?\s*[-+]?[\d.,]*\d[\d.,]*\s*%?\)?-?$")
# Total and subtotal labels in the seven languages (queries/vocabulary/common.toml, matched on
# accentless lower-case labels): "Total", "Grand total", "Summe", "Gesamt", "Totale", "Leeds
# Total", "Subtotal", "Zwischensumme"...
_TOTAL = re.compile(vocabulary.common()["row_labels"]["total"])
_SUBTOTAL = re.compile(vocabulary.common()["row_labels"]["subtotal"])
# Where such a label may start or end (a cheap first pass: the vocabulary's patterns decide).
_CANDIDATE = r"^\s*(grand|sub|sous|zwischen|tota|sum|som|gesamt)|(tota\w*|gesamt)\s*:?\s*$"
MAX_SUM_CHECKS = 100  # label rows per column whose numbers are checked against the rows above
SUM_ROWS_ABOVE = 20_000  # ... when there are at most this many (a check reads them all)


@dataclass
class Layout:
    title: str | None
    header_rows: list[int]
    names: dict[int, str]  # table column index -> header name, for the kept data columns
    data_start: int
    data_stop: int
    excluded_rows: list[tuple[int, str]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def _grid(table: pa.Table, rows: int) -> list[list[str | None]]:
    part = table.slice(0, rows)
    cols = [c.to_pylist() for c in part.columns]
    return [
        [(v.strip() or None) if isinstance(v, str) else None for v in row]
        for row in zip(*cols, strict=True)
    ]


def _is_number(v: str | None) -> bool:
    return v is not None and bool(_NUMBER.match(v))


def _numbered(cells: list[str]) -> bool:
    """Columns numbered 1, 2, 3 … (cause or factor codes under a super-header such as
    'Downtime factor'): a header, though its cells are numbers. Data rows are not counted."""
    numbers = [float(v) for v in cells if _is_number(v)]
    return len(numbers) >= 3 and all(b - a == 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _merges_in_row(raw: RawSheet, row: int) -> list[tuple[int, int]]:
    """(first col, last col) of merges starting in `row` and spanning columns."""
    return [(c0, c1) for r0, c0, r1, c1 in raw.merged_ranges if r0 == row and c1 > c0]


def find_header(raw: RawSheet, grid: list[list[str | None]]) -> list[int]:
    """0-based grid rows forming the header (one or two); [] when no row looks like one."""
    counts = [sum(v is not None for v in row) for row in grid]
    if not counts or max(counts) == 0:
        return []
    width = max(counts)
    need = 1 if width == 1 else max(2, math.ceil(width / 2))
    header = None
    for r, row in enumerate(grid):
        cells = [v for v in row if v is not None]
        if counts[r] >= need and (
            sum(map(_is_number, cells)) <= len(cells) / 2 or _numbered(cells)
        ):
            header = r
            break
    if header is None:
        return [next(r for r, n in enumerate(counts) if n)]
    if header > 0 and (
        _is_super_row(raw, grid, header - 1, header, width) or _is_lone_super(grid, header)
    ):
        return [header - 1, header]
    if header + 1 < len(grid) and (
        _is_sub_row(raw, grid, header, width) or _is_units_row(grid, header)
    ):
        return [header, header + 1]
    return [header]


_UNIT = re.compile(
    r"(?i)^[(\[]?\s*(£|\$|€|¥|%|#|n°|no\.?|eur|usd|gbp|chf|jpy|cad|aud|min|mins|minutes?|s|sec"
    r"|secs|seconds?|h|hr|hrs|hours?|hh:mm(:ss)?|h:mm(:ss)?|units?|pcs|pieces|qty|kg|g|t|km|m|l"
    r"|date|dd/mm/yyyy|mm/dd/yyyy|yyyy-mm-dd|dd\.mm\.yyyy|text|count|ratio|pct|percent|x|y/n"
    r"|1-5|0-10|days?|calls|tickets|orders)\s*[)\]]?$"
)


def _is_units_row(grid, header: int) -> bool:
    """A row of units under the header ('£', 'min', '#', 'dd/mm/yyyy') over data."""
    top, sub = grid[header], grid[header + 1]
    cells = [v for v in sub if v is not None]
    if len(cells) < 2 or not all(_UNIT.match(v) for v in cells):
        return False
    if any(v is not None and top[c] is None for c, v in enumerate(sub)):
        return False  # a unit under no header: not a units row
    below = grid[header + 2 : header + 12]
    return any(_is_number(v) for row in below for v in row)


def _known_names() -> frozenset[str]:
    global _KNOWN
    if _KNOWN is None:
        from cockpit import datasets
        from cockpit.ingest.header_words import words

        known = set()
        for ds in datasets.DATASETS:
            for col in datasets.get(ds).column_names:
                known.add(words(col.replace("_", " ")))
                known.update(words(s) for s in vocabulary.synonyms(ds, col))
        _KNOWN = frozenset(known)
    return _KNOWN


_KNOWN: frozenset[str] | None = None


def _is_lone_super(grid, header: int) -> bool:
    """One word right above a header cell ('Interval' over 'Start') that together name a known
    column: a super-header over one column (a title is words, or stands apart)."""
    from cockpit.ingest.header_words import words

    above, below = grid[header - 1], grid[header]
    cells = [(c, v) for c, v in enumerate(above) if v is not None]
    if len(cells) != 1:
        return False
    c, v = cells[0]
    sub = below[c] if c < len(below) else None
    if sub is None or _is_number(v) or len(v.split()) > 1:
        return False
    return words(f"{v} {sub}") in _known_names()


def _is_super_row(raw: RawSheet, grid, sup: int, header: int, width: int) -> bool:
    above, below = grid[sup], grid[header]
    cells = [v for v in above if v is not None]
    if not cells or any(_is_number(v) for v in cells):
        return False
    merges = _merges_in_row(raw, sup)
    if merges:
        # One merge across (nearly) the whole table is a title, not a super-header.
        return not (len(merges) == 1 and len(cells) == 1 and merges[0][1] - merges[0][0] + 1
                    >= 0.8 * width)  # fmt: skip
    gaps = any(a is None and b is not None for a, b in zip(above, below, strict=True))
    return len(cells) >= 2 and gaps


def _is_sub_row(raw: RawSheet, grid, header: int, width: int) -> bool:
    top, sub = grid[header], grid[header + 1]
    cells = [v for v in sub if v is not None]
    if len(cells) < 2 or any(_is_number(v) for v in cells):
        return False
    fills_gaps = any(a is None and b is not None for a, b in zip(top, sub, strict=True))
    if not (_merges_in_row(raw, header) or (fills_gaps and len(set(cells)) < len(cells))):
        return False
    below = grid[header + 2 : header + 12]
    sub_cols = [c for c, v in enumerate(sub) if v is not None]
    numeric = sum(any(_is_number(row[c]) for row in below) for c in sub_cols)
    return bool(below) and numeric >= len(sub_cols) / 2


def header_names(raw: RawSheet, grid, header_rows: list[int]) -> list[str | None]:
    """Per column: the header text, a super-header joined as "Super Sub"; None when blank."""
    ncols = raw.table.num_columns
    last = grid[header_rows[-1]]
    if len(header_rows) == 1:
        return list(last)
    top = grid[header_rows[0]]
    if _is_units_row(grid, header_rows[0]):  # 'Revenue' over '£': 'Revenue (£)'
        return [f"{t} ({u})" if t and u else t for t, u in zip(top, last, strict=True)]
    sup_row = list(grid[header_rows[0]])
    merges = _merges_in_row(raw, header_rows[0])
    if merges:
        for c0, c1 in merges:
            for c in range(c0 + 1, min(c1, ncols - 1) + 1):
                sup_row[c] = sup_row[c0]
    else:
        # Without merge information a super-header spans right over its sub-headers.
        carry = None
        for c in range(ncols):
            if sup_row[c] is not None:
                carry = sup_row[c] if last[c] is not None else None
            elif carry is not None and last[c] is not None:
                sup_row[c] = carry
            else:
                carry = None
    names = []
    for sup, sub in zip(sup_row, last, strict=True):
        parts = [p for p in (sup, sub) if p]
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]
        names.append(" ".join(parts) or None)
    return names


def unique_names(names: list[str | None]) -> list[str]:
    """Blank names become "Column N" (1-based position); repeats get " (2)", " (3)"."""
    out, seen = [], {}
    for i, n in enumerate(names):
        base = n or f"Column {i + 1}"
        k = seen.get(base.lower(), 0) + 1
        seen[base.lower()] = k
        out.append(base if k == 1 else f"{base} ({k})")
    return out


def find_layout(raw: RawSheet) -> Layout:
    """Header rows, title, data range, excluded rows and column names of a raw sheet."""
    table = raw.table
    grid = _grid(table, SCAN_ROWS)
    header_rows = find_header(raw, grid)
    if not header_rows:
        return Layout(None, [], {}, 0, 0, messages=["the sheet has no cells"])
    first = header_rows[0]
    title_lines = [" ".join(v for v in row if v) for row in grid[:first]]
    title = " / ".join(t for t in title_lines if t) or None
    names = header_names(raw, grid, header_rows)
    start = header_rows[-1] + 1
    stop = table.num_rows
    body = table.slice(start, max(0, stop - start))
    present = map_columns(present_cells, body.columns)
    data_cols = [
        c for c in range(table.num_columns) if names[c] is not None or pc.any(present[c]).as_py()
    ]
    counts = _row_counts(present, data_cols, body.num_rows)
    excluded: list[tuple[int, str]] = []
    messages: list[str] = []

    # One-cell rows after the last full row (footnotes like "Source: ERP") are not data.
    width = len(data_cols)
    last = body.num_rows
    while width >= 3 and last > 0 and counts[last - 1] <= 1:
        last -= 1
    if last < body.num_rows:
        for r in range(last, body.num_rows):
            if counts[r]:
                excluded.append((start + r, "note below the data"))
        stop = start + last
        body = body.slice(0, last)
        present = [p.slice(0, last) for p in present]
        counts = counts[:last]

    blank = np.flatnonzero(counts == 0).tolist()
    excluded += [(start + r, "blank row") for r in blank]
    excluded += [(start + r, "repeated header row") for r in _repeated_header(body, names)]
    numbers = _Numbers(body, data_cols, raw.decimal_comma)
    skip = {r - start for r, _ in excluded}
    excluded += [(start + r, why) for r, why in _label_rows(body, data_cols, numbers, skip)]
    skip = {r - start for r, _ in excluded}
    excluded += [(start + r, why) for r, why in _sum_rows(body, data_cols, present, numbers, skip)]
    excluded = sorted(set(excluded))
    n_total = sum(1 for _, why in excluded if "total" in why)
    if n_total:
        messages.append(f"{n_total} total/subtotal row(s) left out of the data")
    final = unique_names([names[c] for c in range(table.num_columns)])
    return Layout(
        title=title,
        header_rows=header_rows,
        names={c: final[c] for c in data_cols},
        data_start=start,
        data_stop=stop,
        excluded_rows=excluded,
        messages=messages,
    )


def _row_counts(present: list, cols: list[int], n: int) -> np.ndarray:
    total = np.zeros(n, np.int64)
    for c in cols:
        total += present[c].to_numpy(zero_copy_only=False)
    return total


def _label_rows(body: pa.Table, cols: list[int], numbers, skip: set[int]) -> list[tuple[int, str]]:
    """Rows labelled as totals in one of their first three cells.

    A label that is only the word ("Total", "Grand Total", "Summe:", "Subtotal") or names its
    section before it ("Leeds Total") says so; one that goes on ("Total outage at Leeds", a
    ticket's subject) is a total only when its numbers are the sums of the rows above.
    """
    out: dict[int, str] = {}
    for c in cols[:3]:
        col = body.column(c)
        if not pa.types.is_string(col.type):
            continue
        # One pass of an anchored regex finds the few candidates; only they pay for the rest.
        maybe = pc.match_substring_regex(col, _CANDIDATE, ignore_case=True)
        hits = pc.indices_nonzero(pc.fill_null(maybe, False)).to_pylist()
        # Hundreds of such labels in a column are its values ('Total Care' products): only a
        # label that says so alone is then a total.
        sums = len(hits) <= MAX_SUM_CHECKS
        for r in hits:
            if r in out or r in skip:
                continue
            why = _total_label(col[r].as_py(), r, numbers if sums else None, skip | set(out))
            if why:
                out[r] = why
    return sorted(out.items())


def _total_label(label: str, r: int, numbers, skip: set[int]) -> str | None:
    text = strip_accents(label).strip().lower()
    sub = _SUBTOTAL.search(text)
    found = sub or _TOTAL.search(text)
    if not found:
        return None
    kind = "subtotal" if sub else ("grand total" if "grand" in text else "total")
    rest = (text[: found.start()] + text[found.end() :]).strip(" :-")
    said = not rest or found.start() > 0 or sub or kind == "grand total"
    if not said and (numbers is None or not numbers.sums_above(r, skip)):
        return None  # "Total outage at Leeds": a row of data
    return f"{kind} row ({label.strip()!r})"


def _repeated_header(body: pa.Table, names) -> list[int]:
    keyed = [(c, n) for c, n in enumerate(names) if n][:4]
    if len(keyed) < 2:
        return []
    # Only rows whose first key cell repeats its header are candidates: the other columns
    # are compared on those rows alone, not on every row of a large sheet.
    (c, n), rest = keyed[0], keyed[1:]
    rows = pc.indices_nonzero(_same_text(body.column(c), n))
    for c, n in rest:
        if not len(rows):
            break
        rows = rows.filter(_same_text(body.column(c).take(rows), n))
    return rows.to_pylist()


def _same_text(col, text: str) -> pa.Array:
    return pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), text), False)


class _Numbers:
    """The sheet's cells read as numbers (computed once, when a row must be checked)."""

    def __init__(self, body: pa.Table, cols: list[int], decimal_comma: bool):
        self.body, self.cols, self.decimal_comma = body, cols, decimal_comma
        self._values: dict[str, list] | None = None
        self.key: int | None = None

    def values(self, but: int | None = None) -> dict[str, list]:
        if self._values is None:
            con = scratch.cursor()
            try:
                con.register("_sum_src", self.body)
                exprs = [
                    f'{typed.number_sql(f"c{c}", self.decimal_comma)} as "n{c}"' for c in self.cols
                ]
                nums = con.sql(f"select {', '.join(exprs)} from _sum_src").to_arrow_table()
            finally:
                con.close()
            self._values = {nm: nums[nm].to_pylist() for nm in nums.column_names}
        drop = f"n{but}" if but is not None else None
        return {k: v for k, v in self._values.items() if k != drop}

    def sums_above(self, r: int, skip: set[int]) -> bool:
        """Row r's numbers are the sums of the rows above it (since the last total, or all)."""
        if r < 2 or r > SUM_ROWS_ABOVE:
            return False
        values = self.values()
        numeric = {k: v for k, v in values.items() if sum(x is not None for x in v) > 1}
        rows = [i for i in range(r) if i not in skip]
        last = max((i for i in skip if i < r), default=-1)
        for lo in (last + 1, 0):
            part = [i for i in rows if i >= lo]
            if len(part) >= 2 and _sums_match(numeric, part, r):
                return True
        return False


def _sum_rows(body, cols, present, numbers: _Numbers, skip: set[int]) -> list[tuple[int, str]]:
    """Rows with a blank key (first column filled in half the rows or more) whose numbers sum the rows above."""
    if not cols or body.num_rows < 3:
        return []
    n = body.num_rows
    key = next((c for c in cols if pc.sum(pc.cast(present[c], pa.int64())).as_py() >= 0.5 * n),
               None)  # fmt: skip
    if key is None:
        return []
    candidates = [
        r for r in pc.indices_nonzero(pc.invert(present[key])).to_pylist() if r not in skip
    ]
    if not candidates or len(candidates) > 10_000:
        return []
    nums = numbers.values(but=key)
    numeric = [nm for nm, v in nums.items() if sum(x is None for x in v) < n - len(candidates)]
    if not numeric:
        return []
    values = {nm: nums[nm] for nm in numeric}
    out, block_start, found = [], 0, set()
    for r in candidates:
        # a section starts after the last total found above it (labelled, or summing)
        last = max((i for i in (skip | found) if i < r), default=-1)
        for lo in dict.fromkeys((last + 1, block_start, 0)):
            rows = [i for i in range(lo, r) if i not in skip and i not in found]
            if len(rows) >= 2 and _sums_match(values, rows, r):
                out.append((r, "subtotal row (blank key, numbers sum the rows above)"))
                found.add(r)
                block_start = r + 1
                break
    return out


def _sums_match(values: dict[str, list], rows: list[int], r: int) -> bool:
    """Each number of row r is the sum of its column over `rows` (or, a rate, their mean),
    and at least one is a sum."""
    summed = 0
    for col in values.values():
        v = col[r]
        if v is None:
            continue
        seen = [col[i] for i in rows if col[i] is not None]
        total = sum(seen)
        if math.isclose(v, total, rel_tol=1e-9, abs_tol=1e-6):
            summed += 1
        elif not (seen and math.isclose(v, total / len(seen), rel_tol=1e-6, abs_tol=1e-6)):
            return False
    return summed > 0
