"""Read an uploaded file into RawSheets: every cell as a string, every row kept, nothing evaluated.

Workbooks (xlsx, xlsm, xls, ods) are read with fastexcel (calamine), which returns cached
formula values and never evaluates anything. How calamine renders cells as strings:
- dates and date-times: "2024-01-05 00:00:00", "2024-01-05 08:30:15";
- time-of-day cells: "1899-12-31 08:30:00"; [h]:mm durations likewise from the 1899-12-31
  epoch, so 26:15 reads "1900-01-01 02:15:00" (detect_types turns both back into times
  and minutes);
- booleans: "true" / "false"; integers: "42"; floats: at most 9 decimals ("0.333333333",
  1e-12 reads "0"), which is exact for any money or count a spreadsheet shows;
- a formula without a cached value, and an empty or whitespace-only cell: null.
Leading empty rows are kept (grid row numbers stay true); leading empty columns are dropped
by calamine, so column c0 is the first used column.

CSV/TSV/TXT files are read by DuckDB's CSV reader from a temporary UTF-8 file after
detecting the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252), the
delimiter (, ; TAB |) and a decimal comma. Fully blank lines are skipped by the reader.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import tempfile
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

import duckdb
import fastexcel
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.ingest import scratch, xlsx_split, zipguard
from cockpit.ingest.errors import IngestError
from cockpit.ingest.kernels import present

WORKBOOK_EXTS = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_EXTS = {".csv", ".tsv", ".txt"}
DELIMITERS = (",", ";", "\t", "|")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_SNIFF_BYTES = 256 * 1024
CSV_BATCH_ROWS = 1000000  # Arrow batches from the CSV reader: fewer, larger ones convert faster


@dataclass
class Limits:
    max_bytes: int = 200 * 1024**2
    max_cells: int = 50_000_000  # per sheet
    max_ratio: float = 200.0  # zip uncompressed/compressed ratio limit (zip bomb)
    max_uncompressed: int = 4 * 1024**3  # total unpacked size of a zip container
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_line_bytes: int = 16 * 1024**2  # one physical line of delimited text
    # Real exports have tens of columns; thousands is a pivot or a transposed table. Time
    # grows with the cells (5,000 columns x 100 rows: seconds); the cap bounds the width.
    max_columns: int = 20_000


# csv.reader (sniffing the delimiter) refuses fields over 128 KB by default: allow what the
# reader itself allows, so a long cell in the first rows is measured, not a crash.
csv.field_size_limit(max(csv.field_size_limit(), Limits.max_line_bytes))


def read_path(path, limits: Limits | None = None) -> bytes:
    """The bytes of the file at `path`, after checking its size (an oversize file is never
    read into memory)."""
    limits = limits or Limits()
    name = PurePath(str(path)).name
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})", file=name) from None
    _check_size(size, name, limits)
    try:
        with open(path, "rb") as f:
            return f.read(limits.max_bytes + 1)
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})", file=name) from None


def _check_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise IngestError(
            f"the file is {size / 1024**2:.1f} MB, over the {limits.max_bytes / 1024**2:.0f} MB"
            " upload limit",
            file=name,
        )


def _check_columns(n: int, name: str, sheet: str | None, limits: Limits) -> None:
    if n > limits.max_columns:
        raise IngestError(
            f"the {'sheet' if sheet else 'file'} has {n:,} columns, more than the "
            f"{limits.max_columns:,} the cockpit reads; delete the unused columns (or export "
            "a narrower report) and load it again",
            file=name,
            sheet=sheet,
        )


@dataclass
class RawSheet:
    file: str
    sheet: str | None
    table: pa.Table  # every cell a string, columns c0.., all rows in order, trailing blanks trimmed
    decimal_comma: bool = False
    delimiter: str | None = None  # a csv's; None for a workbook sheet
    notes: list[str] = field(default_factory=list)
    merged_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    has_pivot: bool = False  # the sheet hosts a pivot table (xlsx)
    date1904: bool = False  # the workbook counts serial dates from 1904 (xlsx)

    @property
    def n_cells(self) -> int:
        return self.table.num_rows * self.table.num_columns


def read_file(data: bytes, name: str, *, limits: Limits | None = None) -> list[RawSheet]:
    """Every sheet of a workbook (xlsx, xlsm, xls, ods) or the one table of a csv/tsv/txt, as strings."""
    limits = limits or Limits()
    ext = PurePath(name).suffix.lower()
    if ext not in WORKBOOK_EXTS | TEXT_EXTS:
        supported = ", ".join(sorted(WORKBOOK_EXTS | TEXT_EXTS))
        raise IngestError(f"unsupported file type {ext or '(none)'}; use {supported}", file=name)
    if not data:
        raise IngestError("the file is empty (0 bytes)", file=name)
    _check_size(len(data), name, limits)
    scratch.sweep()  # temporary files of loads that were killed
    if data.startswith(_OLE2) and _is_encrypted_ole(data):
        raise IngestError(
            "the workbook is password-protected (encrypted); save an unprotected copy and upload"
            " that",
            file=name,
        )
    if ext in TEXT_EXTS:
        return [_read_text(data, name, ext, limits)]
    return _read_workbook(data, name, ext, limits)


# --- workbooks ---------------------------------------------------------------------------


def _is_encrypted_ole(data: bytes) -> bool:
    # OOXML encryption wraps the package in an OLE2 file with an "EncryptedPackage" stream;
    # directory entry names are UTF-16LE.
    return "EncryptedPackage".encode("utf-16-le") in data


@dataclass
class _ZipInfo:
    """What the zip container says about each sheet, found without reading any cell."""

    sheet_paths: dict[str, str] = field(default_factory=dict)  # sheet name -> its XML part
    col_offset: dict[str, int] = field(default_factory=dict)
    pivot_sheets: set[str] = field(default_factory=set)
    has_pivot_cache: bool = False
    has_data_model: bool = False
    sheet_rows_cols: dict[str, tuple[int, int]] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)  # sheets with state hidden / veryHidden
    date1904: bool = False
    members: list[zipfile.ZipInfo] = field(default_factory=list)
    split: set[str] = field(default_factory=set)  # big sheets read in two halves at once


def _check_zip(data: bytes, name: str, ext: str, limits: Limits) -> _ZipInfo:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise IngestError(
            f"the file is corrupt or truncated (not a valid {ext} package: {e})", file=name
        ) from None
    packed = sum(i.compress_size for i in infos) or 1
    unpacked = sum(i.file_size for i in infos)
    if unpacked / packed > limits.max_ratio or unpacked > limits.max_uncompressed:
        raise IngestError(
            f"the file unpacks to {unpacked / 1024**2:.0f} MB from {packed / 1024**2:.1f} MB"
            f" (ratio {unpacked / packed:.0f}, limit {limits.max_ratio:.0f}); refusing a possible"
            " zip bomb",
            file=name,
        )
    info = _ZipInfo()
    names = {i.filename for i in infos}
    info.has_pivot_cache = any(n.startswith("xl/pivotCache/") for n in names)
    info.has_data_model = any(n.startswith("xl/model/") for n in names)
    if ext in {".xlsx", ".xlsm"} and "xl/workbook.xml" in names:
        # Layout hints only: fastexcel reports real corruption below.
        with contextlib.suppress(*_ZIP_ERRORS):
            _scan_xlsx_sheets(zf, names, info)
        info.members = infos
        by_name = {i.filename: i for i in infos}
        info.split = {
            sheet
            for sheet, path in info.sheet_paths.items()
            if xlsx_split.split_eligible(by_name[path])
        }
    # A sheet read in halves is inflated under its declared size by the split itself.
    split = {info.sheet_paths[sheet] for sheet in info.split}
    _check_inflated(data, [i for i in infos if i.filename not in split], name, limits)
    return info


def _check_inflated(data: bytes, infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    """Refuse a package whose parts inflate to more than their headers declare (the sizes
    checked above), before any reader inflates them: inflated under a budget, step by step."""
    budget = min(limits.max_uncompressed, int(len(data) * limits.max_ratio))
    try:
        zipguard.check_parts(data, infos, budget)
    except zipguard.TooBig as e:
        raise _bomb(e, data, name) from None
    except ValueError as e:
        raise IngestError(f"the file cannot be read: {e}", file=name) from None


def _bomb(e: zipguard.TooBig, data: bytes, name: str) -> IngestError:
    if e.cap == e.info.file_size:
        limit = f"the {zipguard.size_text(e.cap)} its zip header declares"
    else:
        limit = f"{zipguard.size_text(e.cap)}, the limit for a {zipguard.size_text(len(data))} file"
    return IngestError(
        f"the part {e.info.filename} unpacks to more than {limit}; refusing a possible zip bomb",
        file=name,
    )


_ZIP_ERRORS = (
    ElementTree.ParseError, KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError,
    zlib.error,
)  # fmt: skip
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]+)(\d+)")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+\d+):([A-Z]+\d+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"')


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cell(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)) - 1, _col_index(m.group(1))


def _scan_xlsx_sheets(zf: zipfile.ZipFile, names: set[str], info: _ZipInfo) -> None:
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    pr = wb.find(f"{_NS_MAIN}workbookPr")
    info.date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    for sh in wb.iter(f"{_NS_MAIN}sheet"):
        sheet_name = sh.get("name")
        if sh.get("state") in ("hidden", "veryHidden"):
            info.hidden.add(sheet_name)
        target = targets.get(sh.get(f"{_NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if path not in names:
            continue
        sheet_rels = path.replace("worksheets/", "worksheets/_rels/") + ".rels"
        if sheet_rels in names and b"pivotTable" in zf.read(sheet_rels):
            info.pivot_sheets.add(sheet_name)
        with zf.open(path) as f:
            head = f.read(4096)
        dim = _DIMENSION.search(head)
        if dim:
            r0, c0 = _cell(dim.group(1).decode())
            r1, c1 = _cell(dim.group(2).decode()) if dim.group(2) else (r0, c0)
            info.col_offset[sheet_name] = c0
            info.sheet_rows_cols[sheet_name] = (r1 + 1, c1 - c0 + 1)
        info.sheet_paths[sheet_name] = path


def _scan_merges(data: bytes, paths: dict[str, str]) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged ranges per sheet (0-based r0, c0, r1, c1); {} when the package cannot tell."""
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    with contextlib.suppress(*_ZIP_ERRORS):
        zf = zipfile.ZipFile(io.BytesIO(data))
        for sheet_name, path in paths.items():
            merges = _merges_in(_merge_xml(zf, path))
            if merges:
                out[sheet_name] = merges
    return out


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_ODS_TEXT_P = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"
_ODS_CELLS = (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell")


def _scan_ods(data: bytes) -> tuple[dict[str, list[tuple[int, int, int, int]]], dict[str, int]]:
    """Merged ranges (0-based r0, c0, r1, c1) and first used column, per sheet of an .ods.

    calamine drops the empty columns left of a sheet's first used one, as for xlsx, so the
    merges are shifted by that column; ({}, {}) when content.xml cannot tell.
    """
    merges: dict[str, list[tuple[int, int, int, int]]] = {}
    first_col: dict[str, int] = {}

    def attr(el, name: str) -> int:
        return int(el.get(_ODS_TABLE + name, 1))

    def used(sheet: str, col: int) -> None:
        first_col[sheet] = min(first_col.get(sheet, col), col)

    with contextlib.suppress(*_ZIP_ERRORS), zipfile.ZipFile(io.BytesIO(data)) as zf:
        with zf.open("content.xml") as f:
            sheet, row, col, cell = None, 0, 0, None
            for event, el in ElementTree.iterparse(f, events=("start", "end")):
                if event == "start":
                    if el.tag == _ODS_TABLE + "table":
                        sheet, row = el.get(_ODS_TABLE + "name"), 0
                    elif el.tag == _ODS_TABLE + "table-row":
                        col = 0
                    elif el.tag in _ODS_CELLS and sheet is not None:
                        cols, rows = (
                            attr(el, "number-columns-spanned"),
                            attr(el, "number-rows-spanned"),
                        )
                        if cols > 1 or rows > 1:
                            merges.setdefault(sheet, []).append(
                                (row, col, row + rows - 1, col + cols - 1)
                            )
                        cell = col
                        if el.get(_ODS_VALUE_TYPE):
                            used(sheet, col)
                        col += attr(el, "number-columns-repeated")
                    elif el.tag == _ODS_TEXT_P and cell is not None and sheet is not None:
                        used(sheet, cell)
                elif el.tag == _ODS_TABLE + "table-row":
                    row += attr(el, "number-rows-repeated")
                    el.clear()
                elif el.tag in _ODS_CELLS:
                    cell = None
        return merges, first_col
    return {}, {}


def _merges_in(xml: bytes) -> list[tuple[int, int, int, int]]:
    with contextlib.suppress(ValueError):
        return [(*_cell(a.decode()), *_cell(b.decode())) for a, b in _MERGE.findall(xml)]
    return []


def _merge_xml(zf: zipfile.ZipFile, path: str, chunk: int = 1 << 20) -> bytes:
    """The <mergeCells> part of a sheet, streamed: the cell data before it is never held whole."""
    tail = b""
    with zf.open(path) as f:
        while block := f.read(chunk):
            text = tail + block
            at = text.find(b"<mergeCells")
            if at < 0:
                at = text.find(b":mergeCells")  # a prefixed namespace
            if at >= 0:
                return text[at:] + f.read()
            tail = text[-64:]
    return b""


def _read_workbook(data: bytes, name: str, ext: str, limits: Limits) -> list[RawSheet]:
    if data.startswith(_ZIP) or ext in {".xlsx", ".xlsm", ".ods"}:
        zinfo = _check_zip(data, name, ext, limits)
    else:
        zinfo = _ZipInfo()
        if not data.startswith(_OLE2):
            raise IngestError(f"the file is not a valid {ext} workbook", file=name)
    ods_merges = {}
    if ext == ".ods":  # merges and the first used column, before the read names columns
        ods_merges, zinfo.col_offset = _scan_ods(data)
    # The merge scan inflates every sheet's XML: it runs beside calamine (both release the GIL).
    # A sheet read in halves finds its merges on the way.
    scan = {k: v for k, v in zinfo.sheet_paths.items() if k not in zinfo.split}
    with ThreadPoolExecutor(max_workers=1) as pool:
        merges = pool.submit(_scan_merges, data, scan)
        sheets = _read_sheets(data, name, zinfo, limits)
        merged = merges.result() | ods_merges
    for raw in sheets:
        if raw.merged_ranges:
            merged[raw.sheet] = raw.merged_ranges
    for raw in sheets:
        offset = zinfo.col_offset.get(raw.sheet, 0)
        raw.merged_ranges = [
            (r0, c0 - offset, r1, c1 - offset)
            for r0, c0, r1, c1 in merged.get(raw.sheet, [])
            if c1 - offset >= 0
        ]

    if not any(s.n_cells for s in sheets):
        if zinfo.has_pivot_cache or zinfo.has_data_model:
            where = "a pivot table" if zinfo.has_pivot_cache else "the data model"
            raise IngestError(
                f"the workbook's data is only in {where} (pivot cache / data model), not in"
                " sheet cells; export the underlying data to a sheet (or CSV) and upload that",
                file=name,
            )
        raise IngestError("the workbook has no data cells in any sheet", file=name)
    return sheets


def _read_sheets(data: bytes, name: str, zinfo: _ZipInfo, limits: Limits) -> list[RawSheet]:
    try:
        reader = fastexcel.read_excel(data)
        sheet_names = reader.sheet_names
    except Exception as e:  # calamine raises several types for bad containers
        raise IngestError(
            f"the workbook cannot be read (corrupt or truncated: {e})", file=name
        ) from None

    sheets = []
    for i, sheet_name in enumerate(sheet_names):
        rows_cols = zinfo.sheet_rows_cols.get(sheet_name)
        if rows_cols and rows_cols[0] * rows_cols[1] > limits.max_cells:
            raise _too_many_cells(name, sheet_name, rows_cols[0] * rows_cols[1], limits)
        if rows_cols:
            _check_columns(rows_cols[1], name, sheet_name, limits)
        halves = None
        if sheet_name in zinfo.split:
            path = zinfo.sheet_paths[sheet_name]
            try:
                halves = xlsx_split.read_split(data, zinfo.members, path, sheet_name)
            except zipguard.TooBig as e:
                raise _bomb(e, data, name) from None
            if halves is None:  # calamine reads it whole: not inflated to its end yet
                _check_inflated(data, [i for i in zinfo.members if i.filename == path], name,
                                limits)  # fmt: skip
        try:
            if halves is not None:
                table, batch = halves[0], None
                hidden = sheet_name in zinfo.hidden
            elif sheet_name in zinfo.sheet_paths:
                # Eager: calamine streams cells into Arrow without building the whole
                # range first (faster and smaller on big sheets); visibility comes from
                # workbook.xml.
                batch = reader.load_sheet(
                    i, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True,
                    eager=True,
                )  # fmt: skip
                hidden = sheet_name in zinfo.hidden
            else:
                sh = reader.load_sheet(
                    i, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True
                )
                batch = sh.to_arrow()
                hidden = str(sh.visible) != "visible"
        except Exception as e:
            raise IngestError(
                f"the sheet cannot be read: {e}", file=name, sheet=sheet_name
            ) from None
        if batch is not None:
            table = pa.Table.from_batches([batch])
        table = _trim(_as_string_table(table))
        raw = RawSheet(file=name, sheet=sheet_name, table=table, hidden=hidden)
        if halves is not None:
            raw.merged_ranges = _merges_in(halves[1])
        if raw.n_cells > limits.max_cells:
            raise _too_many_cells(name, sheet_name, raw.n_cells, limits)
        _check_columns(table.num_columns, name, sheet_name, limits)
        offset = zinfo.col_offset.get(sheet_name, 0)
        check_cell_sizes(table, name, sheet_name, limits, col_offset=offset)
        raw.has_pivot = sheet_name in zinfo.pivot_sheets
        raw.date1904 = zinfo.date1904
        sheets.append(raw)
    return sheets


def _too_many_cells(name: str, sheet: str, cells: int, limits: Limits) -> IngestError:
    return IngestError(
        f"the sheet has {cells:,} cells, over the limit of {limits.max_cells:,}",
        file=name,
        sheet=sheet,
    )


def check_cell_sizes(
    table: pa.Table, name: str, sheet: str | None, limits: Limits, *, col_offset: int = 0
) -> None:
    """Refuse a grid with a cell of limits.max_cell_chars or more, naming its row and column.

    A cell exactly at Excel's maximum is refused too: Excel and its writers cut longer text
    to that length, so such a cell has most likely lost its end.
    """
    cap = limits.max_cell_chars
    for i, col in enumerate(table.columns):
        # Bytes bound characters from above and need no decoding: most columns stop here.
        if (pc.max(pc.binary_length(col)).as_py() or 0) < cap:
            continue
        chars = pc.utf8_length(col)
        longest = pc.max(chars).as_py() or 0
        if longest < cap:
            continue
        if longest == cap:
            why = f"a cell holds {cap:,} characters, Excel's per-cell maximum: it was probably cut"
        else:
            why = f"a cell holds {longest:,} characters, over the per-cell maximum of {cap:,}"
        if sheet is None:
            why += "; is a field missing its closing quote?"
        raise IngestError(
            why,
            file=name,
            sheet=sheet,
            row=pc.index(chars, longest).as_py() + 1,
            column=column_letter(i + col_offset),
        )


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _as_string_table(table: pa.Table) -> pa.Table:
    cols = [c if c.type == pa.string() else c.cast(pa.string()) for c in table.columns]
    return pa.table(cols, names=[f"c{i}" for i in range(len(cols))])


def _any_present(col: pa.ChunkedArray) -> bool:
    # Growing blocks from the top: a used column answers in its first few rows.
    start, block = 0, 1024
    while start < len(col):
        if pc.any(present(col.slice(start, block))).as_py():
            return True
        start, block = start + block, block * 4
    return False


def _trim(table: pa.Table) -> pa.Table:
    """Drop trailing fully-empty rows and columns (whitespace-only counts as empty)."""
    # Scan from the end so a large sheet costs one column and a few row blocks, not all cells.
    last_col = next(
        (i for i in range(table.num_columns - 1, -1, -1) if _any_present(table[i])), None
    )
    if last_col is None or table.num_rows == 0:
        return pa.table({})
    table = table.select(list(range(last_col + 1)))
    stop, block = table.num_rows, 1024
    while stop > 0:
        start = max(0, stop - block)
        part = table.slice(start, stop - start)
        any_row = present(part[0])
        for col in part.columns[1:]:
            any_row = pc.or_(any_row, present(col))
        idx = pc.indices_nonzero(any_row)
        if len(idx):
            table = table.slice(0, start + pc.max(idx).as_py() + 1)
            break
        stop = start
    return pa.table(table.columns, names=[f"c{i}" for i in range(table.num_columns)])


# --- csv / tsv / txt --------------------------------------------------------------------


def _decode(data: bytes, name: str) -> tuple[bytes, str, list[str]]:
    """(UTF-8 bytes without BOM, a text sample, notes)."""
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        return body, _utf8_sample(body, name), ["encoding UTF-8 with BOM"]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError("the file is not valid UTF-16 text", file=name) from None
        return text.encode("utf-8"), text[:_SNIFF_BYTES], ["encoding UTF-16"]
    bom_less = _utf16_without_bom(data)
    if bom_less:
        try:
            text = data.decode(bom_less)
        except UnicodeDecodeError:
            raise IngestError("the file is not valid UTF-16 text", file=name) from None
        label = "UTF-16 LE" if bom_less.endswith("le") else "UTF-16 BE"
        return text.encode("utf-8"), text[:_SNIFF_BYTES], [f"encoding {label} (no BOM)"]
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise IngestError(
            "the file is not text (it contains binary data); is it a workbook renamed to .csv?",
            file=name,
        )
    try:
        data.decode("utf-8")
        return data, _utf8_sample(data, name), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise IngestError(
            "the file's text encoding is not UTF-8, UTF-16 or Windows-1252", file=name
        ) from None
    return text.encode("utf-8"), text[:_SNIFF_BYTES], ["encoding cp1252 (Windows-1252)"]


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when the text is UTF-16 without a BOM: mostly-ASCII text then
    has a zero in every other byte (odd positions: little-endian), and nowhere else."""
    head = data[: min(len(data), _SNIFF_BYTES) // 2 * 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    half = len(head) // 2
    if zeros_odd > 0.6 * half and zeros_even < 0.05 * half:
        return "utf-16-le"
    if zeros_even > 0.6 * half and zeros_odd < 0.05 * half:
        return "utf-16-be"
    return None


def _utf8_sample(body: bytes, name: str) -> str:
    sample = body[:_SNIFF_BYTES].decode("utf-8", errors="ignore")
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(8, len(sample) // 100):
        raise IngestError("the file is not text (it contains binary data)", file=name)
    return sample


def _sample_lines(sample: str) -> list[str]:
    lines = sample.splitlines()
    if len(sample) >= _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample is partial
    return [ln for ln in lines[:500] if ln.strip()]


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample lines into the most consistent field count (> 1)."""
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=d, quotechar='"')]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = d, score
    return best


_DEC_COMMA = re.compile(r"^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+%?$")
_DEC_DOT = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+%?$")


def sniff_decimal_comma(lines: list[str], delimiter: str) -> bool:
    """True when numbers in the sample are written "1.234,56" (never with a ',' delimiter)."""
    if delimiter == ",":
        return False
    comma = dot = 0
    for row in csv.reader(lines, delimiter=delimiter, quotechar='"'):
        for cell in row:
            cell = cell.strip().lstrip("$£€ ")
            if _DEC_COMMA.match(cell) and not re.match(r"^\d{1,3},\d{3}$", cell):
                comma += 1
            elif _DEC_DOT.match(cell) and not re.match(r"^\d{1,3}\.\d{3}$", cell):
                dot += 1
    return comma > dot


def _widest_line(con: duckdb.DuckDBPyConnection, path: str, delim: str, max_line: int) -> int:
    """The most fields on any line of the file, in one pass over its lines."""
    # Quoted sections can hold the delimiter: drop them before counting, per physical line.
    (fields,) = con.sql(
        """
        select max(length(s) - length(replace(s, $d, ''))) + 1
        from (
            select case when contains(line, '"')
                then regexp_replace(line, '"[^"]*"', '', 'g') else line end as s
            from read_csv($p, columns = {'line': 'varchar'}, delim = chr(1), quote = '',
                          escape = '', header = false, auto_detect = false,
                          strict_mode = false, max_line_size = $max_line)
        )
        """,
        params={"d": delim, "p": path, "max_line": max_line},
    ).fetchall()[0]
    return fields or 1


_LINE_NO = re.compile(r"CSV Error on Line: (\d+)")


def _csv_error(e: duckdb.Error, limits: Limits) -> str:
    """DuckDB's CSV error in a few words: never the offending line (maybe MBs) or a temp path."""
    text = str(e)
    line = _LINE_NO.search(text)
    where = f" (line {line.group(1)})" if line else ""
    if "maximum line size" in text.lower() or "max_line_size" in text:
        size = limits.max_line_bytes
        limit = f"{size / 1024**2:g} MB" if size >= 1024**2 else f"{size:,} bytes"
        return f"a line is longer than {limit}{where}; is a field missing its closing quote?"
    first = text.splitlines()[0] if text else type(e).__name__
    first = re.sub(r"(/[^\s'\"]+)+", "<file>", first)
    if len(first) > 80:
        first = first[:77] + "..."
    return f"the file cannot be read as delimited text{where}: {first}"


def _read_text(data: bytes, name: str, ext: str, limits: Limits) -> RawSheet:
    try:
        return _read_text_checked(data, name, ext, limits)
    except csv.Error as exc:  # a sample line the csv module cannot split
        raise IngestError(f"the file cannot be read as delimited text: {exc}", file=name) from None


def _read_text_checked(data: bytes, name: str, ext: str, limits: Limits) -> RawSheet:
    body, sample, notes = _decode(data, name)
    lines = _sample_lines(sample)
    if not lines:
        raise IngestError("the file has no data (only blank lines)", file=name)
    delim = "\t" if ext == ".tsv" else sniff_delimiter(lines)
    decimal_comma = sniff_decimal_comma(lines, delim)
    notes.append("delimiter TAB" if delim == "\t" else f"delimiter {delim!r}")
    if decimal_comma:
        notes.append("decimal comma (1.234,56)")
    # The sample's widest line plus a spare column: the reader drops fields past the last
    # column, so a filled spare means a wider line further down, and only then is the whole
    # file scanned for its widest line and read again.
    width = max(len(row) for row in csv.reader(lines, delimiter=delim, quotechar='"'))
    _check_columns(width, name, None, limits)  # before reading: width costs time
    try:
        fd, path = tempfile.mkstemp(suffix=".csv", prefix=scratch.prefix("ingest"))
    except OSError as exc:
        msg = scratch.os_error_message(exc, "making a temporary copy")
        raise IngestError(msg, file=name) from None
    try:
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
        except OSError as exc:
            msg = scratch.os_error_message(exc, "writing the temporary copy")
            raise IngestError(msg, file=name) from None
        con = scratch.cursor()
        try:
            table = _read_csv_grid(con, path, delim, width + 1, limits)
            if table.column(width).null_count < table.num_rows:
                width = _widest_line(con, path, delim, limits.max_line_bytes)
                _check_columns(width, name, None, limits)
                table = _read_csv_grid(con, path, delim, width, limits)
            else:
                table = table.remove_column(width)
        except duckdb.Error as e:
            raise IngestError(_csv_error(e, limits), file=name) from None
        finally:
            con.close()
    finally:
        os.unlink(path)
    table = _trim(_as_string_table(table))
    _check_columns(table.num_columns, name, None, limits)
    raw = RawSheet(
        file=name,
        sheet=None,
        table=table,
        decimal_comma=decimal_comma,
        notes=notes,
        delimiter=delim,
    )
    if raw.n_cells > limits.max_cells:
        raise _too_many_cells(name, None, raw.n_cells, limits)
    if raw.n_cells == 0:
        raise IngestError("the file has no data", file=name)
    check_cell_sizes(table, name, None, limits)
    return raw


def _read_csv_grid(con, path: str, delim: str, width: int, limits: Limits) -> pa.Table:
    """Every field of the file as text in columns c0..c{width-1}; short lines padded with nulls."""
    columns = {f"c{i}": "VARCHAR" for i in range(width)}
    params = {"p": path, "cols": columns, "d": delim, "max_line": limits.max_line_bytes}
    try:
        return _csv_grid(con, params, parallel=True)
    except duckdb.Error as e:
        # DuckDB's parallel reader cannot pad short rows when quoted fields hold line breaks
        # (comments exported with Enter in them); the single-threaded reader can.
        if "quoted new lines" not in str(e):
            raise
        return _csv_grid(con, params, parallel=False)


def _csv_grid(con, params: dict, *, parallel: bool) -> pa.Table:
    return con.sql(
        """
        select * from read_csv($p, columns = $cols, header = false, delim = $d,
                               quote = '"', escape = '"', auto_detect = false,
                               null_padding = true, strict_mode = false,
                               parallel = $parallel, max_line_size = $max_line)
        """,
        params={**params, "parallel": parallel},
    ).to_arrow_table(CSV_BATCH_ROWS)
