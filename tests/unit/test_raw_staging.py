"""`load` writes the raw grids while the file is prepared, in the transaction it then commits:
the same database as preparing and committing apart, and still all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from reliability import db_fingerprint
from workbooks import xlsx

from cockpit import ledger
from cockpit.ingest import raw_staging
from cockpit.ingest.pipeline import commit_file, load_files, prepare_file
from cockpit.store import Store

D = dt.date


def workbook() -> bytes:
    return xlsx(
        {
            "Orders": [
                ["March orders"],
                ["Order ID", "Order Date", "Site", "Qty", "Revenue"],
                *[
                    [f"A{i}", D(2025, 3, 1 + i), ("Leeds", "Lyon")[i % 2], i + 1, 10.0 * i]
                    for i in range(6)
                ],  # fmt: skip
                ["A9", D(2025, 3, 9), "Leeds", "12x", 5],  # rejected: bad quantity
            ],
            "Production": [
                ["Date", "Site", "Line", "Planned Minutes", "Units"],
                [D(2025, 3, 3), "Leeds", "L1", 480, 100],
            ],
            "Notes": [["Figures from the ERP export"]],
        }
    )


def contents(store: Store) -> dict:
    """Tables that do not hold clock times: raw grids, rows, rejects, segments."""
    every = db_fingerprint(store)
    keep = [n for n in every if n.startswith("raw_") or n in ("orders", "production", "rejects")]
    return {n: every[n] for n in keep}


def test_staged_load_stores_what_prepare_then_commit_stores(tmp_path):
    staged, apart = Store.open(tmp_path / "a.duckdb"), Store.open(tmp_path / "b.duckdb")
    report = load_files(staged, [("march.xlsx", workbook())])
    assert report.ok and [s.status for s in report.files[0].sheets] == [
        "loaded", "loaded", "raw-only"
    ]  # fmt: skip
    commit_file(apart, prepare_file(apart, workbook(), "march.xlsx"))
    assert contents(staged) == contents(apart)
    assert {"raw_1", "raw_2", "raw_3"} <= set(contents(staged))
    assert not staged.rows(
        "select table_name from duckdb_tables() where table_name like '\\_raw%' escape '\\'"
    )
    assert staged.scalar("select count(*) from raw_1") == 9  # every grid row, title included


@pytest.mark.parametrize("name", ["insert_rows", "finish_entry"])
def test_a_failure_after_staging_leaves_nothing_and_frees_the_writer(tmp_path, monkeypatch, name):
    store = Store.open(tmp_path / "c.duckdb")
    load_files(store, [("feb.csv", b"Order ID,Order Date,Site,Qty\nF1,2025-02-03,Leeds,2\n")])
    before = db_fingerprint(store)
    real, calls = getattr(ledger, name), []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("injected")
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger, name, flaky)
    with pytest.raises(RuntimeError, match="injected"):
        load_files(store, [("march.xlsx", workbook())])
    assert db_fingerprint(store) == before
    assert not store.write_lock.locked()
    monkeypatch.undo()
    assert load_files(store, [("march.xlsx", workbook())]).ok


def test_a_failing_grid_write_surfaces_and_rolls_back(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "d.duckdb")
    before = db_fingerprint(store)

    def broken(cur, table, name):
        raise OSError("disk full")

    monkeypatch.setattr(raw_staging, "write_grid", broken)
    report = load_files(store, [("march.xlsx", workbook())])  # a message, not a traceback
    (f,) = report.files
    assert f.status == "rejected" and "disk full" in f.messages[0], f.messages
    assert db_fingerprint(store) == before and not store.write_lock.locked()


def test_rejected_and_duplicate_files_leave_no_staged_grid(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "e.duckdb")
    started = []
    real_start = raw_staging.RawStaging.start
    monkeypatch.setattr(
        raw_staging.RawStaging,
        "start",
        lambda self, raws: (started.append(1), real_start(self, raws)),
    )
    header_only = xlsx({"Orders": [["Order ID", "Order Date", "Site", "Qty"]]})
    assert not load_files(store, [("empty.xlsx", header_only)]).ok
    assert len(started) == 1  # the grid went in, then was rolled back with the file
    assert not store.rows("select table_name from duckdb_tables() where table_name like 'raw%'")
    data = workbook()  # built once: openpyxl stamps the time into each file it writes
    assert load_files(store, [("march.xlsx", data)]).ok
    again = load_files(store, [("copy.xlsx", data)])
    assert again.files[0].status == "duplicate" and len(started) == 2  # no staging for a copy
    assert not store.write_lock.locked()
