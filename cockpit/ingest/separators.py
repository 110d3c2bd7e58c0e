"""Which character is a column's decimal separator: its own values, else the file's convention.

`1.250,50` and `1,250.50` say so themselves; `1.010` alone does not (1010 with a dot for
thousands, or 1.01). A column whose separated values are all of that ambiguous shape is
decided, in order, by:
- its own values: a value with a trailing zero after the separator (`1.000`, which no
  shortest-form writer puts out) beside plain whole numbers (`800`, which a fixed-decimals
  writer would have written `800.000`) can only be thousands;
- the file's convention: the separators that other columns' values show unambiguously (in a
  workbook only text cells count: calamine writes number cells `1250.5`), then a csv's
  delimiter (`;` is the list separator where the comma is decimal; `,` where it is not);
- in a workbook, values that number cells may have written (`1.234`: no trailing zero) are
  numbers with a decimal point.
Anything else is ambiguous: the column reads as thousands and the sheet is held, with why,
since a silently wrong number is worse than a question.

Only the first HEAD_ROWS rows are looked at (fewer in a wide sheet, HEAD_CELLS): a value further down that the decided reading
cannot parse is a bad value, reported with its row, never a silently other number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HEAD_ROWS = 2000
HEAD_CELLS = 200_000  # a wide sheet is looked at in fewer rows ...
HEAD_ROWS_WIDE = 50  # ... but never fewer than these

# A value written like a number at all (sign, currency, digits and separators, %).
_NUMBERISH = r"^\(?[-+]?([$£€¥]|[A-Z]{3})?\s?[-+]?\d[\d.,\s'’]*%?\)?-?$"
# Shapes of the value stripped to its digits and separators (k), each counted per column.
SHAPES = {
    "dot": r"^(\d{1,3}(,\d{3})+\.\d+|\d*\.(\d{1,2}|\d{4,})|\d{4,}\.\d+|0\.\d+"
    r"|\d{1,3}(,\d{3}){2,})$",
    "comma": r"^(\d{1,3}(\.\d{3})+,\d+|\d*,(\d{1,2}|\d{4,})|\d{4,},\d+|0,\d+"
    r"|\d{1,3}(\.\d{3}){2,})$",
    # what no number cell writes: comma groups, or a sure decimal point with a trailing zero
    "dot_text": r"^(\d{1,3}(,\d{3})+\.\d+|\d*\.\d?0|\d*\.\d{3,}0|\d{4,}\.\d*0|0\.\d*0)$",
    "dot_amb": r"^[1-9]\d{0,2}\.\d{3}$",
    "comma_amb": r"^[1-9]\d{0,2},\d{3}$",
    "amb_zero": r"^[1-9]\d{0,2}[.,]\d{2}0$",
}


@dataclass
class Convention:
    decimal_comma: bool
    ambiguous: str | None = None  # why the sheet is held


def conventions(
    table: pa.Table, columns: list[int], *, decimal_comma: bool, delimiter: str | None
) -> dict[int, Convention]:
    """Per column c{i} with separated numbers: its decimal separator (see the module doc).

    `delimiter` is the csv's (None for a workbook); `decimal_comma` the sheet's default."""
    head = table.slice(0, max(HEAD_ROWS_WIDE, min(HEAD_ROWS, HEAD_CELLS // len(columns or [0]))))
    n = head.num_rows
    if not columns or n == 0:
        return {}
    rows = _shapes(head, columns)
    if not rows:
        return {}
    amb = [r["col"] for r in rows if r["amb_zero"]]
    plain = _plain_counts(head, amb) if amb else {}
    workbook = delimiter is None
    comma_votes = sum(r["comma"] for r in rows) + (1 if decimal_comma else 0)
    dot_votes = sum(r["dot_text" if workbook else "dot"] for r in rows)
    for r in rows:  # a column that proves its thousands separator tells the file's
        if _thousands_proven(r, plain.get(r["col"], 0)):
            comma_votes += r["dot_amb"]
            dot_votes += r["comma_amb"]
    if comma_votes != dot_votes:
        vote: bool | None = comma_votes > dot_votes
    else:
        vote = {";": True, ",": False}.get(delimiter or "")
    out = {}
    for r in rows:
        conv = _decide(r, plain.get(r["col"], 0), vote, workbook, decimal_comma)
        if conv is not None:
            out[r["col"]] = conv
    return out


def _shapes(head: pa.Table, columns: list[int]) -> list[dict]:
    """Per column with separated numbers: how many of its values have each of SHAPES (Arrow's
    regex kernels over the columns laid end to end: wide sheets have thousands of columns)."""
    n = head.num_rows
    chunks = [c for i in columns for c in head.column(f"c{i}").chunks]
    # One array: Arrow's regex kernels compile their pattern per chunk.
    values = pa.concat_arrays([c.cast(pa.string()) for c in chunks])
    col = np.repeat(np.arange(len(columns)), n)
    keep = pc.fill_null(pc.match_substring_regex(values, r"\d[.,]\d"), False)
    values, col = values.filter(keep), col[keep.to_numpy(zero_copy_only=False)]
    if not len(values):
        return []
    values = pc.utf8_trim_whitespace(values)
    keep = pc.fill_null(pc.match_substring_regex(values, _NUMBERISH), False)
    values, col = values.filter(keep), col[keep.to_numpy(zero_copy_only=False)]
    if not len(values):
        return []
    k = pc.replace_substring_regex(values, r"[^\d.,]", "")
    counts = {
        name: np.bincount(
            col,
            weights=pc.match_substring_regex(k, rx).to_numpy(zero_copy_only=False),
            minlength=len(columns),
        )  # fmt: skip
        for name, rx in SHAPES.items()
    }
    seen = set(np.unique(col).tolist())
    return [
        {"col": c, **{name: int(counts[name][j]) for name in SHAPES}}
        for j, c in enumerate(columns)
        if j in seen
    ]


def _plain_counts(head: pa.Table, columns: list[int]) -> dict[int, int]:
    """Per column: its plain whole numbers ('800')."""
    out = {}
    for i in columns:
        v = pc.utf8_trim_whitespace(head.column(f"c{i}"))
        out[i] = pc.sum(pc.fill_null(pc.match_substring_regex(v, r"^[-+]?\d+$"), False)).as_py()
    return out


def _thousands_proven(r: dict, plain: int) -> bool:
    """'1.000' beside '800' (and nothing unambiguous): only thousands write both."""
    only_one = bool(r["dot_amb"]) != bool(r["comma_amb"])
    return only_one and not (r["dot"] or r["comma"]) and bool(r["amb_zero"] and plain)


def _decide(r: dict, plain: int, vote: bool | None, workbook: bool, default: bool):
    dot, comma, da, ca = r["dot"], r["comma"], r["dot_amb"], r["comma_amb"]
    if dot or comma:
        return Convention(comma > dot) if dot != comma else None
    if not (da or ca):
        return None
    if da and ca:
        return Convention(
            default,
            "numbers written both 1.010 and 1,010: which separator is the decimal one cannot "
            "be told",
        )
    if _thousands_proven(r, plain):
        return Convention(bool(da))
    if vote is not None:
        return Convention(vote)
    if workbook and da and not r["amb_zero"]:
        return Convention(False)  # what number cells write: 1.234
    sep = "." if da else ","
    return Convention(
        bool(da),
        f"numbers like 1{sep}010 may be 1010 or 1{sep}01 and nothing else in the file tells "
        "which (read as thousands)",
    )
