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

from cockpit.ingest import scratch, typed
from cockpit.ingest.kernels import map_columns
from cockpit.ingest.kernels import present as present_cells
from cockpit.ingest.read import RawSheet

SCAN_ROWS = 100
_NUMBER = re.compile(r"^[-+(]?\s*[$£€¥]?\s*[-+]?[\d.,]*\d[\d.,]*\s*%?\)?-?$")
TOTAL_PATTERN = r"(?i)^\s*(grand\s+total|sub[\s-]?totals?|totals?)\b|\btotals?\s*:?\s*$"
_EXACT_TOTAL = re.compile(r"(?i)^\s*(grand\s+total|sub[\s-]?total|totals?)\s*:?\s*$")


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
    if header > 0 and _is_super_row(raw, grid, header - 1, header, width):
        return [header - 1, header]
    if header + 1 < len(grid) and _is_sub_row(raw, grid, header, width):
        return [header, header + 1]
    return [header]


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
    excluded += [(start + r, why) for r, why in _label_rows(body, data_cols, names)]
    excluded += [(start + r, "repeated header row") for r in _repeated_header(body, names)]
    done = {r for r, _ in excluded}
    skip = {r - start for r in done}
    excluded += [
        (start + r, why) for r, why in _sum_rows(body, data_cols, present, raw.decimal_comma, skip)
    ]
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


def _label_rows(body: pa.Table, cols: list[int], names) -> list[tuple[int, str]]:
    """Rows labelled Total / Grand Total / Subtotal ... in one of their first three cells."""
    out = {}
    for c in cols[:3]:
        col = body.column(c)
        if not _may_contain(col, (b"otal", b"OTAL")):
            continue
        # Every label says "total" in some case: a plain substring search finds the few
        # candidates, and only they pay for the regex.
        maybe = pc.or_(pc.match_substring(col, "otal"), pc.match_substring(col, "OTAL"))
        rows = pc.indices_nonzero(pc.fill_null(maybe, False))
        hits = rows.filter(
            pc.fill_null(pc.match_substring_regex(col.take(rows), TOTAL_PATTERN), False)
        ).to_pylist()
        for r in hits:
            label = col[r].as_py().strip()
            # "Total Care Shampoo" in a full row is a product, not a total.
            if not _EXACT_TOTAL.match(label) and not re.search(r"(?i)sub[\s-]?total|grand", label):
                full = all(body.column(k)[r].is_valid for k in cols)
                if full:
                    continue
            kind = "grand total" if "grand" in label.lower() else (
                "subtotal" if re.search(r"(?i)sub[\s-]?total", label) else "total")  # fmt: skip
            out.setdefault(r, f"{kind} row ({label!r})")
    return sorted(out.items())


def _may_contain(col: pa.ChunkedArray, needles: tuple[bytes, ...]) -> bool:
    """False when no string of the column can contain any needle (one scan of its bytes)."""
    if not pa.types.is_string(col.type):
        return True
    for chunk in col.chunks:
        data = chunk.buffers()[2]
        if data is not None and any(memoryview(data).tobytes().find(n) >= 0 for n in needles):
            return True
    return False


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


def _sum_rows(body, cols, present, decimal_comma, skip: set[int]) -> list[tuple[int, str]]:
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
    con = scratch.cursor()
    try:
        con.register("_sum_src", body)
        exprs = [f'{typed.number_sql(f"c{c}", decimal_comma)} as "n{c}"' for c in cols if c != key]
        nums = con.sql(f"select {', '.join(exprs)} from _sum_src").to_arrow_table()
    finally:
        con.close()
    numeric = [nm for nm in nums.column_names if nums[nm].null_count < n - len(candidates)]
    if not numeric:
        return []
    values = {nm: nums[nm].to_pylist() for nm in numeric}
    out, block_start, found = [], 0, set()
    for r in candidates:
        for lo in (block_start, 0):
            rows = [i for i in range(lo, r) if i not in skip and i not in found]
            if len(rows) >= 2 and _sums_match(values, rows, r):
                out.append((r, "subtotal row (blank key, numbers sum the rows above)"))
                found.add(r)
                block_start = r + 1
                break
    return out


def _sums_match(values: dict[str, list], rows: list[int], r: int) -> bool:
    checked = 0
    for col in values.values():
        v = col[r]
        if v is None:
            continue
        total = sum(col[i] for i in rows if col[i] is not None)
        if not math.isclose(v, total, rel_tol=1e-9, abs_tol=1e-6):
            return False
        checked += 1
    return checked > 0
