"""Generators for the bad-input corpus: malformed, hostile and empty files, made in memory.

Each BadFile says what the loader must do with it: `rejected` (the file is refused with a
message naming it) or `no_rows` (it reads, but has no data rows to load). Either way the
database must not change.
"""

from __future__ import annotations

import codecs
import io
import random
import struct
import zipfile
from dataclasses import dataclass

import openpyxl

GIANT = b"x" * (10 * 1024**2)  # one 10 MB cell

ORDERS = [
    ["Order ID", "Order Date", "Site", "Qty", "Revenue"],
    ["A1", "2025-01-05", "Leeds", 2, 20.5],
    ["A2", "2025-01-06", "Lyon", 3, 30],
]

# A good file with one rejected row (row 10: "12x" is not a number).
ORDERS_FEB = [
    ORDERS[0],
    *[
        [f"B{i}", f"2025-02-{i + 1:02d}", "Leeds" if i % 2 else "Lyon", i, 10 * i]
        for i in range(1, 9)
    ],
    ["B9", "2025-02-20", "Lyon", "12x", 90],
]


@dataclass(frozen=True)
class BadFile:
    name: str
    data: bytes
    expect: str  # "rejected" | "no_rows"
    says: str  # a fragment (lower case) the report's messages must contain


def xlsx(rows: list[list], *, sheet: str = "Orders") -> bytes:
    """A one-sheet .xlsx (openpyxl writes strings starting '=' as formulas, no cached value)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes], *, add: dict[str, bytes] | None = None) -> bytes:
    """A copy of a zip package with some parts replaced and others added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = replace.get(item.filename, src.read(item.filename))
            dst.writestr(item.filename, body, compress_type=zipfile.ZIP_DEFLATED)
        for name, body in (add or {}).items():
            dst.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sheet_xml(rows_xml: str, dimension: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    ).encode()


def encrypted_xlsx(password: str = "secret") -> bytes:
    """A workbook encrypted with a password, as Excel does (OLE2 + EncryptedPackage)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx(ORDERS))).encrypt(password, out)
    return out.getvalue()


def pivot_only_xlsx() -> bytes:
    """An empty sheet plus a pivot cache: the data lives only in the pivot."""
    cache = (
        b'<?xml version="1.0" encoding="UTF-8"?><pivotCacheDefinition '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" recordCount="2"/>'
    )
    return _rezip(xlsx([]), {}, add={"xl/pivotCache/pivotCacheDefinition1.xml": cache})


def data_model_only_xlsx() -> bytes:
    return _rezip(xlsx([]), {}, add={"xl/model/item.data": b"\x01\x02model" * 64})


def formula_only_xlsx() -> bytes:
    """Formulas as openpyxl writes them: no cached values, so nothing to read."""
    return xlsx([["=1+1", "=A1*2"], ["=SUM(A1:B1)", "=NOW()"]])


def huge_dimension_xlsx() -> bytes:
    """A sheet whose <dimension> claims 1,048,576 rows x 16,384 columns (a few cells real)."""
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>Order ID</t></is></c></row>'
    return _rezip(xlsx(ORDERS), {"xl/worksheets/sheet1.xml": _sheet_xml(rows, "A1:XFD1048576")})


def million_empty_rows_xlsx() -> bytes:
    """A header, then 10^6 empty <row> elements (dimension claiming them all)."""
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Order ID</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Order Date</t></is></c></row>'
    )
    empty = "".join(f'<row r="{r}"/>' for r in range(2, 1_000_002))
    sheet = _sheet_xml(header + empty, "A1:B1000001")
    return _rezip(xlsx(ORDERS), {"xl/worksheets/sheet1.xml": sheet})


def malformed_sheet_xml_xlsx() -> bytes:
    return _rezip(xlsx(ORDERS), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"})


def no_workbook_part_xlsx() -> bytes:
    """A zip that is not a spreadsheet package (like a .docx renamed .xlsx)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def zip_bomb_xlsx(size: int = 16 * 1024**2) -> bytes:
    """A small package that unpacks to `size` bytes of zeros (ratio ~1000, over the limit)."""
    return _rezip(xlsx(ORDERS), {"xl/worksheets/sheet1.xml": b"\0" * size})


def ods_garbage() -> bytes:
    """An ODS container (mimetype first) whose content.xml is not XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", b"\x00\x01 this is not xml <<<")
    return out.getvalue()


def xls_garbage() -> bytes:
    """The OLE2 magic followed by noise."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(7).randbytes(4096)


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


def corrupted(data: bytes, seed: int = 3) -> bytes:
    """The same bytes with a run in the middle overwritten with noise."""
    mid = len(data) // 2
    noise = random.Random(seed).randbytes(256)
    return data[:mid] + noise + data[mid + 256 :]


def csv_text(rows: list[list]) -> str:
    return "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\n"


def corpus() -> list[BadFile]:
    """At least 30 bad inputs, each with what the loader must say about it."""
    return [make() for make in CASES.values()]


def _case(name: str, data, expect: str, says: str) -> tuple[str, object]:
    """A lazily built BadFile: `data` is bytes or a function making them."""
    return name, lambda: BadFile(name, data() if callable(data) else data, expect, says)


def _good_xlsx() -> bytes:
    return xlsx(ORDERS)


def _good_csv() -> bytes:
    return csv_text(ORDERS).encode()


def _noise(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


CASES = dict(
    [
        _case("empty.xlsx", b"", "rejected", "empty"),
        _case("empty.csv", b"", "rejected", "empty"),
        _case("empty.ods", b"", "rejected", "empty"),
        _case("truncated.xlsx", lambda: truncated(_good_xlsx()), "rejected", "truncated"),
        _case("truncated_tail.xlsx", lambda: truncated(_good_xlsx(), 0.95), "rejected", "corrupt"),
        _case("corrupt.xlsx", lambda: corrupted(_good_xlsx()), "rejected", "corrupt"),
        _case("random.xlsx", lambda: _noise(5000, 1), "rejected", "corrupt"),
        _case("encrypted.xlsx", encrypted_xlsx, "rejected", "password-protected"),
        _case("header_only.xlsx", lambda: xlsx(ORDERS[:1]), "no_rows", "no data rows"),
        _case("header_only.csv", lambda: csv_text(ORDERS[:1]).encode(), "no_rows", "no data rows"),
        _case("empty_sheet.xlsx", lambda: xlsx([]), "rejected", "no data cells"),
        _case("pivot_only.xlsx", pivot_only_xlsx, "rejected", "pivot table"),
        _case("data_model_only.xlsx", data_model_only_xlsx, "rejected", "data model"),
        _case("formula_only.xlsx", formula_only_xlsx, "rejected", "no data cells"),
        _case("huge_dimension.xlsx", huge_dimension_xlsx, "rejected", "over the limit"),
        _case("million_empty_rows.xlsx", million_empty_rows_xlsx, "no_rows", "no data rows"),
        _case("million_blank_lines.csv", b"\n" * 1_000_000, "rejected", "only blank lines"),
        _case(
            "million_empty_records.csv",
            lambda: csv_text(ORDERS[:1]).encode() + b",,,,\n" * 1_000_000,
            "no_rows",
            "no data rows",
        ),
        _case("giant_cell.csv", lambda: b"Note\n" + GIANT + b"\n", "rejected", "cell"),
        _case("giant_cell.xlsx", lambda: xlsx([["Note"], [GIANT.decode()]]), "rejected", "cell"),
        _case(
            "mixed_encodings.csv",
            "Site,Qty\nCafé,1\n".encode() + "Zürich,2\n".encode("cp1252") + b"\x81\x8d,3\n",
            "rejected",
            "encoding",
        ),
        _case(
            "bad_utf16.csv",
            codecs.BOM_UTF16_LE + "Site,Qty\n".encode("utf-16-le") + b"\x00\xd8\x41",
            "rejected",
            "utf-16",
        ),
        _case("binary_renamed.csv", lambda: _noise(20_000, 2), "rejected", "not text"),
        _case(
            "png_renamed.csv", lambda: b"\x89PNG\r\n\x1a\n" + _noise(3000, 3), "rejected", "text"
        ),
        _case("xlsx_renamed.csv", _good_xlsx, "rejected", "renamed"),
        _case(
            "nul_bytes.csv",
            lambda: _good_csv()[:20] + b"\x00" * 64 + _good_csv()[20:],
            "rejected",
            "not text",
        ),
        _case("zip_bomb.xlsx", zip_bomb_xlsx, "rejected", "zip bomb"),
        _case("garbage.xls", xls_garbage, "rejected", "cannot be read"),
        _case("random.xls", lambda: _noise(3000, 4), "rejected", "not a valid .xls"),
        _case(
            "html_table.xls",
            b"<html><table><tr><td>A</td></tr></table></html>",
            "rejected",
            "not a valid .xls",
        ),  # fmt: skip
        _case("garbage.ods", ods_garbage, "rejected", "cannot be read"),
        _case("random.ods", lambda: _noise(3000, 5), "rejected", "corrupt"),
        _case("csv_named.xlsx", _good_csv, "rejected", "corrupt"),
        _case("malformed_sheet.xlsx", malformed_sheet_xml_xlsx, "rejected", "cannot be read"),
        _case("docx_renamed.xlsx", no_workbook_part_xlsx, "rejected", "cannot be read"),
        _case("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "rejected", "unsupported file type"),
        _case("no_extension", _good_csv, "rejected", "unsupported file type"),
        _case("whitespace.csv", b"  \n\t\n   \r\n", "rejected", "no data"),
        _case("bom_only.csv", codecs.BOM_UTF8, "rejected", "no data"),
    ]
)


SHEET1 = "xl/worksheets/sheet1.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Note</t></is></c></row>'
)


def lying_bomb_xlsx(real: int, declared: int, *, rows: bool = False) -> bytes:
    """An xlsx whose sheet part inflates to about `real` bytes of valid sheet XML (one giant
    cell, or rows of one number each) while its zip headers (local and central) declare
    `declared` bytes. Built a megabyte at a time: the XML is never held whole."""
    if rows:
        body = b'<row r="2"><c r="A2"><v>1</v></c></row>' * (1024**2 // 39)
        start, end = b"", b"</sheetData></worksheet>"
    else:
        body = b"x" * 1024**2
        start = b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        end = b"</t></is></c></row></sheetData></worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx(ORDERS))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != SHEET1:
                dst.writestr(item.filename, src.read(item.filename), zipfile.ZIP_DEFLATED)
                continue
            info = zipfile.ZipInfo(SHEET1, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w") as w:
                w.write(_HEAD + start)
                for _ in range(real // len(body)):
                    w.write(body)
                w.write(end)
    return set_declared_size(out.getvalue(), SHEET1, declared)


def set_declared_size(data: bytes, part: str, size: int) -> bytes:
    """The package with `part`'s uncompressed size rewritten (local header and central
    directory) to `size`; its bytes and CRC stay true."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        offset = z.getinfo(part).header_offset
    assert buf[offset : offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", buf, offset + 22, size)
    end = buf.rfind(b"PK\x05\x06")
    (pos,) = struct.unpack_from("<I", buf, end + 16)  # the central directory's offset
    while buf[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, pos + 28)
        if buf[pos + 46 : pos + 46 + name_len].decode() == part:
            struct.pack_into("<I", buf, pos + 24, size)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(buf)
