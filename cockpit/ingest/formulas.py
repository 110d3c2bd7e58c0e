"""Sheets of formulas that restate other sheets: a dashboard or summary is not data.

A workbook often holds the data and, beside it, a sheet whose cells are formulas reading the
data sheet (`=Budget!D2`, `=SUM(Budget!D2:D9)`). Its cached values look like a budget, but
loading them would count the budget twice. Calamine returns cached values only, so this reads
the sheet XML of an xlsx/xlsm itself, cheaply: a sheet is a restatement when most of its
filled cells are formulas that name another sheet (`!` in the formula; a shared formula's
followers count with their master).
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import PurePath
from xml.etree import ElementTree

# Most of a sheet's filled cells: formulas naming another sheet.
RESTATING_SHARE = 0.5
MIN_FORMULAS = 4  # a handful of lookups in a data sheet is not a dashboard
MAX_XML = 32 * 1024 * 1024  # a sheet part larger than this is data, not a dashboard: skipped

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(rb"<c\b[^>]*?(/>|>(.*?)</c>)", re.S)
_FORMULA = re.compile(rb"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
_SI = re.compile(rb'\bsi="(\d+)"')


def restating_sheets(data: bytes, name: str) -> dict[str, str]:
    """{sheet: why} for each sheet of an xlsx/xlsm that restates other sheets by formulas."""
    if PurePath(name).suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    out: dict[str, str] = {}
    with contextlib.suppress(zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        zf = zipfile.ZipFile(io.BytesIO(data))
        paths = _sheet_paths(zf)
        if len(paths) < 2:
            return {}
        for sheet, path in paths.items():
            info = zf.getinfo(path)
            if info.file_size > MAX_XML:
                continue
            why = _restates(zf.read(path))
            if why:
                out[sheet] = why
    return out


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    names = set(zf.namelist())
    out = {}
    for sh in wb.iter(f"{_NS}sheet"):
        target = targets.get(sh.get(f"{_NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if path in names:
            out[sh.get("name")] = path
    return out


def _restates(xml: bytes) -> str | None:
    filled = formulas = across = 0
    shared_across: dict[bytes, bool] = {}
    for cell in _CELL.finditer(xml):
        inner = cell.group(2)
        if not inner:
            continue
        filled += 1
        f = _FORMULA.search(inner)
        if f is None:
            continue
        formulas += 1
        attrs, text = f.group(1), f.group(2) or b""
        si = _SI.search(attrs)
        if text:
            crosses = b"!" in text
            if si:
                shared_across[si.group(1)] = crosses
        else:  # a shared formula's follower: as its master
            crosses = bool(si) and shared_across.get(si.group(1), False)
        across += crosses
    if across >= MIN_FORMULAS and across >= RESTATING_SHARE * filled:
        return (
            f"{across} of its {filled} filled cells are formulas reading other sheets: a sheet "
            "that restates other sheets is not data"
        )
    return None
