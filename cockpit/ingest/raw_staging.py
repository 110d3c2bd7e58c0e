"""The raw copy of every cell, written as read: now, or early while the file is prepared.

`load` (the command line, the demo seed) prepares and commits a file in one go. There the raw
grids are written by a second thread while the main one detects types, maps and validates
(profiling runs on one core, the grid write on the other): the write transaction is opened
as soon as the file is read and stays open until the commit, so the load is still one
transaction, and anything that stops it rolls the grids back with it. The upload page
prepares a file and commits it later, on a click: there the grids are written at commit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import duckdb
import numpy as np
import pyarrow as pa

from cockpit.ingest.read import RawSheet
from cockpit.store import Store, unregister


def write_grid(cur: duckdb.DuckDBPyConnection, table: pa.Table, name: str) -> None:
    """Store a sheet's grid as table `name`: its columns c0.. plus `_row`, the grid row."""
    # One chunk: written straight to the file, not through the WAL. (Measured: as one chunk
    # the all-text grid stores faster than cut in row groups, unlike typed rows.)
    grid = table.append_column(
        "_row", pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64))
    ).combine_chunks()
    cur.register("_grid", grid)
    try:
        cur.execute(f"CREATE TABLE {name} AS SELECT * FROM _grid")
    finally:
        unregister(cur, "_grid")


class RawStaging:
    """Grids written ahead in an open write transaction that commit_file then finishes."""

    def __init__(self, store: Store):
        self.store = store
        self.cur: duckdb.DuckDBPyConnection | None = None
        self.staged: dict[int, tuple[str, pa.Table]] = {}  # id(RawSheet) -> (table, its grid)
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._job: Future | None = None
        self._locked = False

    def start(self, raws: list[RawSheet]) -> None:
        """Open the write transaction and begin writing the grids (in the background)."""
        self.store.write_lock.acquire()
        self._locked = True
        self.cur = self.store.cursor()
        self.cur.begin()
        self._job = self._pool.submit(self._write, list(raws))

    def _write(self, raws: list[RawSheet]) -> None:
        for i, raw in enumerate(raws):
            name = f"_raw_staged_{i}"  # renamed to raw_<load id> at commit
            write_grid(self.cur, raw.table, name)
            self.staged[id(raw)] = (name, raw.table)

    @property
    def active(self) -> bool:
        return self.cur is not None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The open transaction, once the grids are written: committed on success."""
        try:
            self._job.result()
            yield self.cur
            # Grids of sheets that were not committed go before anyone can see them.
            for name, _grid in self.staged.values():
                self.cur.execute(f"DROP TABLE IF EXISTS {name}")
            self.cur.commit()
            self.store.committed()
        finally:
            self.close()

    def take(self, cur, raw: RawSheet, name: str) -> bool:
        """Rename the staged grid of `raw` to `name`; False when it was not staged as it is."""
        staged = self.staged.pop(id(raw), None)
        if staged is None or staged[1] is not raw.table:
            return False
        cur.execute(f"ALTER TABLE {staged[0]} RENAME TO {name}")
        return True

    def close(self) -> None:
        """Roll back whatever is still open and free the write lock (idempotent)."""
        if self._job is not None:
            with contextlib.suppress(BaseException):
                self._job.result()
        self._pool.shutdown(wait=True)
        if self.cur is not None:
            with contextlib.suppress(duckdb.Error):
                self.cur.rollback()  # nothing to undo after a commit
            self.cur.close()
            self.cur = None
        if self._locked:
            self._locked = False
            self.store.write_lock.release()
