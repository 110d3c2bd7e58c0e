"""Disk full and a read-only data directory on a real small filesystem (a tmpfs mounted for
the test), through the real command line: a message, no traceback, the database unchanged.

Mounting needs root (CAP_SYS_ADMIN); where it is not permitted these tests skip with the
reason, and the injected-error tests in test_ingest_bounds.py still run."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

from cockpit.store import Store
from reliability import db_fingerprint
from reliability.bad_files import ORDERS, csv_text

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


@contextmanager
def tmpfs(path: Path, size: str):
    path.mkdir()
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    if done.returncode != 0:
        reason = (
            f"NOT RUN: cannot mount a {size} tmpfs here ({done.stderr.strip() or 'not root'}); "
            "disk full and read-only were not tried on a real filesystem"
        )
        warnings.warn(reason, stacklevel=2)
        pytest.skip(reason)
    try:
        yield path
    finally:
        if _run("umount", str(path)).returncode != 0:
            _run("umount", "-l", str(path))


def cockpit(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COCKPIT_SERVER", None)
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args],
        capture_output=True, text=True, timeout=300, env=env, cwd=ROOT,
    )  # fmt: skip


def fingerprint(db: Path) -> dict:
    store = Store.open(db)
    try:
        return db_fingerprint(store)
    finally:
        store.close()


def test_a_load_that_does_not_fit_on_the_disk_is_a_message_and_changes_nothing(tmp_path):
    big = tmp_path / "big.csv"
    rows = ["Order ID,Order Date,Site,Qty,Revenue"]
    rows += [f"A{i},2025-01-{i % 28 + 1:02d},Leeds,{i % 7},{i * 1.5}" for i in range(200_000)]
    big.write_text("\n".join(rows) + "\n")  # 7 MB: more than the 3 MB filesystem holds
    with tmpfs(tmp_path / "small", "3m") as small:
        db = small / "c.duckdb"
        assert cockpit("loads", "--db", str(db)).returncode == 0
        before = fingerprint(db)
        done = cockpit("load", str(big), "--db", str(db))
        out = done.stdout + done.stderr
        assert done.returncode == 1, out
        assert "big.csv: the disk is full while storing the file; nothing was loaded" in out
        assert "Traceback" not in out
        assert fingerprint(db) == before
        # The partial copy of the original (uploads/<xx>/<sha>.csv.tmp) is gone: it kept the
        # disk full, and the next load failed too (issue 22).
        assert sorted(p.name for p in (small / "uploads").rglob("*") if p.is_file()) == []
        small_file = tmp_path / "o.csv"
        small_file.write_text(csv_text(ORDERS))
        done = cockpit("load", str(small_file), "--db", str(db))
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_read_only_data_directory_is_a_message_and_changes_nothing(tmp_path):
    orders = tmp_path / "o.csv"
    orders.write_text(csv_text(ORDERS))
    with tmpfs(tmp_path / "ro", "16m") as ro:
        db = ro / "c.duckdb"
        assert cockpit("loads", "--db", str(db)).returncode == 0
        before = fingerprint(db)
        assert _run("mount", "-o", "remount,ro", str(ro)).returncode == 0
        done = cockpit("load", str(orders), "--db", str(db))
        out = done.stdout + done.stderr
        assert done.returncode != 0, out
        assert "cannot open or write the database" in out and "Read-only file system" in out
        assert "Traceback" not in out
        assert _run("mount", "-o", "remount,rw", str(ro)).returncode == 0
        assert fingerprint(db) == before
