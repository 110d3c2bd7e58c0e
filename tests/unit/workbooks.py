"""Small workbook and text-file builders for the ingest tests (in memory, no fixtures on disk)."""

from __future__ import annotations

import io
import zipfile

import openpyxl


def xlsx(
    sheets: dict[str, list[list]],
    *,
    merges: dict[str, list[str]] | None = None,
    hidden: tuple[str, ...] = (),
    formats: dict[str, dict[str, str]] | None = None,
) -> bytes:
    """An .xlsx with one sheet per entry (rows of Python values); merges like {"S": ["B1:C1"]}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
        for ref, fmt in (formats or {}).get(name, {}).items():
            ws[ref].number_format = fmt
        if name in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls(rows: list[list], sheet: str = "Sheet1") -> bytes:
    """A legacy .xls (BIFF8) built with xlwt; dates get a date number format."""
    import datetime as dt

    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            elif value is not None:
                ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ods(
    rows: list[list],
    sheet: str = "Sheet1",
    *,
    spans: dict[tuple[int, int], tuple[int, int]] | None = None,
) -> bytes:
    """An OpenDocument spreadsheet built with odfpy (strings, floats and ISO dates).

    `spans` merges cells: {(row, col): (columns, rows)} for the top-left cell of each range;
    the cells it covers are written as covered cells whatever `rows` holds there.
    """
    import datetime as dt

    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    spans = spans or {}
    covered = {
        (r0 + dr, c0 + dc)
        for (r0, c0), (ncols, nrows) in spans.items()
        for dr in range(nrows)
        for dc in range(ncols)
        if dr or dc
    }
    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for r, row in enumerate(rows):
        tr = TableRow()
        for c, value in enumerate(row):
            span = {}
            if (r, c) in spans:
                span = {"numbercolumnsspanned": spans[r, c][0], "numberrowsspanned": spans[r, c][1]}
            if (r, c) in covered:
                cell = CoveredTableCell()
            elif value is None:
                cell = TableCell(**span)
            elif isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat(), **span)
                cell.addElement(P(text=value.isoformat()))
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value, **span)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string", **span)
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def encrypted(data: bytes, password: str = "secret") -> bytes:
    """`data` (an .xlsx) encrypted with a password, as Excel does (OLE2 + EncryptedPackage)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """A copy of a zip package with extra parts added (e.g. a pivot cache)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for name, body in parts.items():
            dst.writestr(name, body)
    return out.getvalue()


def with_text_replaced(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """A copy of a zip package with `old` replaced by `new` in one part (e.g. a sheet's XML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, body.replace(old, new) if item.filename == part else body)
    return out.getvalue()


def zip_bomb(size: int = 8 * 1024**2) -> bytes:
    """A small zip that unpacks to `size` bytes of zeros (ratio ~1000)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return out.getvalue()


def text(rows: list[list], delimiter: str = ",", *, newline: str = "\n") -> str:
    """Delimited text with minimal quoting (fields holding the delimiter or a quote)."""
    lines = []
    for row in rows:
        cells = []
        for v in row:
            s = "" if v is None else str(v)
            if delimiter in s or '"' in s or "\n" in s:
                s = '"' + s.replace('"', '""') + '"'
            cells.append(s)
        lines.append(delimiter.join(cells))
    return newline.join(lines) + newline
