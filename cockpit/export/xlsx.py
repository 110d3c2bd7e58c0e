"""Tables to formatted xlsx workbooks (openpyxl), with the view's context written on top."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import math
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# Percentages arrive as reported (0-100) and are written as fractions (92.1 -> 0.921) with a
# percent format, so a formula over them computes as Excel users expect. Money shows pence
# only below 100 (a cost per unit, not a total) and carries the data's currency symbol.
NUMBER_FORMATS: dict[str, str] = {
    "pct": "0.0%",
    "share": "0.0%",  # already a fraction (0.921)
    "money": "[>=100]#,##0;[<=-100]-#,##0;#,##0.00",
    "int": "#,##0",
    "num1": "#,##0.0",
    "num2": "#,##0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "text": "@",
    # The KPI catalogue's format names (cockpit/kpis/catalogue.py FORMATS).
    "days": "#,##0.0",
    "seconds": "#,##0",
    "hours": "#,##0.0",
    "count": "#,##0",
    "minutes": "#,##0",
    "score": "0.00",
    "nps": "+0;-0;0",
    "number": "#,##0.0",
}
MAX_CELL_CHARS = 32_767
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 8
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="8A94A6"))

Sheet = tuple[str, pd.DataFrame, dict[str, str] | None]

# Words a column name abbreviates, written as a reader says them in a header.
_HEADER_WORDS = {
    "pct": "%", "id": "ID", "kpi": "KPI", "oee": "OEE", "csat": "CSAT", "nps": "NPS",
    "fcr": "FCR", "sla": "SLA", "aht": "AHT", "asa": "ASA", "qty": "quantity", "avg": "average",
    "num": "number", "dt": "date", "yoy": "vs last year",
}  # fmt: skip


def header_label(name: str) -> str:
    """A column name in words: 'availability_pct' -> 'Availability %', 'kpi_id' -> 'KPI ID'."""
    text = str(name)
    if not re.fullmatch(r"[A-Za-z0-9_]+", text) or "_" not in text and not text.islower():
        return text  # already written for people ('Cost (£)', 'Site')
    words = [_HEADER_WORDS.get(w.lower(), w.lower()) for w in text.split("_") if w]
    if not words:
        return text
    first = words[0]
    words[0] = first if first.isupper() or first == "%" else first[:1].upper() + first[1:]
    return " ".join(words)


def money_format(symbol: str) -> str:
    """The money number format with the currency symbol in front (none when unknown)."""
    if not symbol:
        return NUMBER_FORMATS["money"]
    quoted = '"' + symbol.replace('"', "") + '"'
    return f"[>=100]{quoted}#,##0;[<=-100]-{quoted}#,##0;{quoted}#,##0.00"


def table_to_xlsx(
    df: pd.DataFrame,
    *,
    title: str,
    context: list[tuple[str, str]],
    formats: dict[str, str] | None = None,
    sheet: str = "Data",
    currency: str = "",
    words: bool = True,
) -> bytes:
    """One table as an xlsx workbook: title, context lines, then a filterable table."""
    return tables_to_xlsx(
        [(sheet, df, formats)], title=title, context=context, currency=currency, words=words
    )


def tables_to_xlsx(
    sheets: list[Sheet],
    *,
    title: str,
    context: list[tuple[str, str]],
    currency: str = "",
    words: bool = True,
) -> bytes:
    """Several tables, one sheet each (name, table, formats), each with the same header.

    Column names are written in words (`header_label`) unless `words` is false (a query's
    own column names); `currency` is the symbol money columns are formatted with.
    """
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = _clean_text(title)
    used: set[str] = set()
    for name, df, formats in sheets:
        ws = wb.create_sheet(_sheet_name(name, used))
        _write_sheet(
            ws,
            df,
            title=title,
            context=context,
            formats=formats or {},
            currency=currency,
            words=words,
        )
    if not sheets:
        _write_sheet(wb.create_sheet("Data"), pd.DataFrame(), title=title, context=context,
                     formats={}, currency=currency, words=words)  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_sheet(
    ws: Worksheet,
    df: pd.DataFrame,
    *,
    title: str,
    context: list[tuple[str, str]],
    formats: dict[str, str],
    currency: str = "",
    words: bool = True,
) -> None:
    ws.cell(1, 1, _clean_text(title)).font = Font(bold=True, size=14)
    row = 2
    for label, value in context:
        cell = _set_text(ws.cell(row, 1), f"{label}: {value}")
        if str(value).startswith(("http://", "https://")):
            cell.hyperlink = str(value)
            cell.style = "Hyperlink"
        row += 1
    header_row = row + 1  # one blank row between the context and the table

    df = df if isinstance(df.index, pd.RangeIndex) else df.reset_index()
    names = [str(c) for c in df.columns]
    shown = [header_label(n) if words else n for n in names]
    for j, name in enumerate(shown, start=1):
        cell = _set_text(ws.cell(header_row, j), name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER

    for j, (name, label, series) in enumerate(zip(names, shown, df.columns, strict=True), 1):
        values = _cell_values(df[series])
        kind = formats.get(name)
        fmt = money_format(currency) if kind == "money" else _column_format(kind, values)
        if kind == "pct":
            values = [v / 100 if isinstance(v, (int, float)) else v for v in values]
        for i, value in enumerate(values, start=header_row + 1):
            cell = ws.cell(i, j)
            if isinstance(value, str):
                _set_text(cell, value)
            else:
                cell.value = value
            if fmt and value is not None:
                cell.number_format = fmt
        width = max([len(label) + 3] + [_shown_width(v, fmt) for v in values])
        width = min(max(width + 1, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)
        ws.column_dimensions[get_column_letter(j)].width = width

    ws.freeze_panes = ws.cell(header_row + 1, 1)
    if names:
        last = get_column_letter(len(names))
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + len(df)}"
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0


def _column_format(kind: str | None, values: list) -> str | None:
    if kind is not None:
        if kind not in NUMBER_FORMATS:
            raise ValueError(f"unknown format {kind!r}; use one of {', '.join(NUMBER_FORMATS)}")
        return NUMBER_FORMATS[kind]
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, dt.datetime) for v in present):
        midnight = all(v.time() == dt.time() for v in present)
        return NUMBER_FORMATS["date" if midnight else "datetime"]
    if all(isinstance(v, dt.date) for v in present):
        return NUMBER_FORMATS["date"]
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        whole = all(float(v).is_integer() for v in present)
        return NUMBER_FORMATS["int" if whole else "num2"]
    return None


def _cell_values(series: pd.Series) -> list:
    """Plain Python values openpyxl can store; missing and non-finite values become None."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    return [_cell_value(v) for v in series.tolist()]


def _cell_value(value):
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, decimal.Decimal):
        return _cell_value(float(value))
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass  # list-like values: written as text below
    if isinstance(value, np.generic):
        return _cell_value(value.item())
    if isinstance(value, np.ndarray):  # a LIST column of a query: '[1, 2]', even of one item
        return str(value.tolist())
    return str(value)


def _clean_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))[:MAX_CELL_CHARS]


def _set_text(cell, text: str):
    """Store text as text: a value starting with '=' from the data must not become a formula."""
    cell.value = _clean_text(text)
    cell.data_type = "s"
    return cell


def _shown_width(value, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 16 if fmt == NUMBER_FORMATS["datetime"] else 10
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        first = (fmt or "").split(";")[0]
        percent = first.endswith("%")
        decimals = re.search(r"\.(0*)", first)
        shown = value * 100 if percent else value
        text = f"{shown:,.{len(decimals[1]) if decimals else 0}f}"
        symbol = re.search(r'"([^"]*)"#', first)  # a currency in front of the number
        extra = (1 if percent or '"%"' in first or "+" in first else 0) + len(
            symbol[1] if symbol else ""
        )
        return len(text) + extra
    return max((len(line) for line in str(value).splitlines()), default=0)


def _sheet_name(name: str, used: set[str]) -> str:
    """An Excel-legal, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _SHEET_NAME_BAD.sub("-", ILLEGAL_CHARACTERS_RE.sub("", name)).strip("' ") or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate
