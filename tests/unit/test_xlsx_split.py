"""Big xlsx sheets read in two halves at once: the same grid as calamine's ordinary read.

The halves are forced on small workbooks by lowering the size threshold, and the cut is moved
through the sheet; every result is compared with the ordinary read of the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from shared_files import MISSING_REALDATA, REALDATA
from workbooks import with_text_replaced, xlsx

from cockpit.ingest import xlsx_split
from cockpit.ingest.pipeline import load_files
from cockpit.ingest.read import read_file
from cockpit.store import Store

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.fixture
def halves_used(monkeypatch):
    """Force the two-halves read on any sheet; count the sheets it actually read."""
    used = []
    real = xlsx_split.read_split

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        used.append(out is not None)
        return out

    monkeypatch.setattr(xlsx_split, "read_split", spy)
    monkeypatch.setattr(xlsx_split, "SPLIT_MIN_BYTES", 0)
    return used


def ordinary(data: bytes, name: str, monkeypatch) -> list:
    with monkeypatch.context() as m:
        m.setattr(xlsx_split, "SPLIT_MIN_BYTES", 2**40)
        return read_file(data, name)


def same(a, b) -> None:
    assert [s.sheet for s in a] == [s.sheet for s in b]
    for x, y in zip(a, b, strict=True):
        assert x.table.column_names == y.table.column_names
        assert x.table.to_pylist() == y.table.to_pylist(), x.sheet
        assert sorted(x.merged_ranges) == sorted(y.merged_ranges)
        assert (x.hidden, x.has_pivot) == (y.hidden, y.has_pivot)


def orders_rows(n: int) -> list[list]:
    start = dt.date(2025, 1, 1)
    return [
        ["Northwind — order lines"],
        [],
        ["Order", "Date", "Site", "Qty", "Net", "Paid"],
        *[
            [
                f"SO{i}",
                start + dt.timedelta(days=i % 90),
                ["Leeds", "Lyon"][i % 2],
                i % 7,
                round(i * 1.25, 2),
                i % 3 == 0,
            ]
            for i in range(n)
        ],  # fmt: skip
        ["Total", None, None, None, None, None],
    ]


@pytest.mark.parametrize("at", [0.05, 0.3, 0.55, 0.8, 0.97])
def test_halves_match_the_ordinary_read_wherever_the_cut_falls(at, halves_used, monkeypatch):
    monkeypatch.setattr(xlsx_split, "SPLIT_AT", at)
    data = xlsx(
        {"Orders": orders_rows(400), "Notes": [["See the orders sheet"]]},
        merges={"Orders": ["A1:F1"]},
    )
    split = read_file(data, "o.xlsx")
    assert halves_used == [True, False]  # a one-row sheet has no row to cut at
    same(split, ordinary(data, "o.xlsx", monkeypatch))
    assert split[0].table.num_rows == 404 and split[0].merged_ranges == [(0, 0, 0, 5)]


@pytest.mark.parametrize("demo", sorted(p.name for p in DEMO.glob("*.xlsx")))
def test_demo_exports_read_the_same_in_halves(demo, halves_used, monkeypatch):
    data = (DEMO / demo).read_bytes()
    split = read_file(data, demo)
    assert any(halves_used)
    same(split, ordinary(data, demo, monkeypatch))


def test_data_starting_right_of_column_a_keeps_its_columns(halves_used, monkeypatch):
    # calamine drops leading columns without cells; the halves (with their column-A
    # sentinels) must drop the same ones, and keep a column of blank cells.
    rows = [[None, None, "Title"], [], [None, None, "Date", "Qty"]]
    rows += [[None, None, dt.date(2025, 1, 1 + i % 28), i] for i in range(120)]
    blank_b = [[None, " ", *r[2:]] if i > 2 else r for i, r in enumerate(rows)]
    for sheet_rows in (rows, blank_b):
        data = xlsx({"S": sheet_rows}, merges={"S": ["C1:D1"]})
        split = read_file(data, "s.xlsx")
        assert halves_used[-1] is True
        same(split, ordinary(data, "s.xlsx", monkeypatch))
    assert split[0].table.num_columns == 3  # blank column B kept, empty column A dropped


def test_rows_out_of_order_fall_back_to_the_ordinary_read(halves_used, monkeypatch):
    data = xlsx({"S": [["k", "v"], *[[f"r{i}", i] for i in range(200)]]})
    # Move row 2 to the end of the sheet data: legal XML that the cut cannot line up.
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    start = xml.index(b'<row r="2"')
    end = xml.index(b"</row>", start) + len(b"</row>")
    moved = xml[:start] + xml[end:].replace(b"</sheetData>", xml[start:end] + b"</sheetData>")
    data = with_text_replaced(data, "xl/worksheets/sheet1.xml", xml, moved)
    split = read_file(data, "s.xlsx")
    assert halves_used == [False]
    same(split, ordinary(data, "s.xlsx", monkeypatch))


def test_a_load_in_halves_stores_the_same_rows(tmp_path, halves_used, monkeypatch):
    data = (DEMO / "orders_export.xlsx").read_bytes()
    counts = []
    for name, force in (("split", True), ("plain", False)):
        with monkeypatch.context() as m:
            if not force:
                m.setattr(xlsx_split, "SPLIT_MIN_BYTES", 2**40)
            path = tmp_path / f"{name}.xlsx"
            path.write_bytes(data)
            store = Store.open(tmp_path / f"{name}.duckdb")
            report = load_files(store, [path])
            assert report.ok
            counts.append(
                store.rows(
                    "select count(*) n, sum(quantity) q, min(order_date) d0, max(order_date) d1,"
                    " (select count(*) from rejects) rej from orders"
                )
            )
            store.close()
    assert halves_used and halves_used[0] is True
    assert counts[0] == counts[1] and counts[0][0]["n"] > 0


def test_a_full_scratch_disk_falls_back_to_the_ordinary_read(halves_used, monkeypatch):
    def no_space(self, piece):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_split._Part, "write", no_space)
    data = xlsx({"Orders": orders_rows(50)})
    split = read_file(data, "o.xlsx")
    assert halves_used == [False]
    same(split, ordinary(data, "o.xlsx", monkeypatch))


def test_halves_go_to_dev_shm_only_when_it_has_room(monkeypatch):
    class Fs:
        f_frsize = 4096
        f_bavail = 1000  # about 4 MB free

    monkeypatch.setattr(xlsx_split.os, "statvfs", lambda path: Fs())
    assert xlsx_split._scratch_dir(10 * 1024**2) is None
    assert xlsx_split._scratch_dir(1024**2) in ("/dev/shm", None)  # None if not writable


def test_prefixed_sheet_xml_is_read_the_ordinary_way(halves_used, monkeypatch):
    # Some writers spell every tag with a namespace prefix (<x:row>): no plain <sheetData>.
    data = xlsx({"S": [["k", "v"], *[[f"r{i}", i] for i in range(300)]]})
    part = "xl/worksheets/sheet1.xml"
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part)
    prefixed = re.sub(rb"<(/?)([A-Za-z]+)([ >/])", rb"<\1x:\2\3", xml).replace(
        b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x="
    )
    monkeypatch.setattr(xlsx_split, "_LOOK_AHEAD", 64)
    data = with_text_replaced(data, part, xml, prefixed)
    split = read_file(data, "s.xlsx")
    assert halves_used == [False]
    same(split, ordinary(data, "s.xlsx", monkeypatch))
    assert split[0].table.num_rows == 301


REAL = sorted(REALDATA.glob("*.csv"))


@pytest.mark.skipif(not REAL, reason=f"{MISSING_REALDATA}: {REALDATA}")
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_a_real_export_saved_as_a_workbook_reads_the_same_in_halves(path, halves_used, monkeypatch):
    # Real values (shared strings, blanks, long text) in a layout nobody here designed.
    import csv

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Deliveries")
    ws.append(["Delivery history"])
    ws.append([])
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.reader(f):
            ws.append([v or None for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    split = read_file(data, "real.xlsx")
    assert halves_used == [True]
    same(split, ordinary(data, "real.xlsx", monkeypatch))
