"""Where DuckDB spills (issue 22): beside the database file or in the temp dir, never in the
working directory (an in-memory DuckDB's default is `./.tmp`, so a big sort from a checkout
left `.tmp/` in it), and the folders are removed when the connections close."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs a sort that must spill (64 MB of memory for 20M rows) on the store's connection and
# on the ingest's scratch DuckDB, from the working directory it is started in, while a thread
# notes every file that appears under the working directory, the data folder and the temp dir.
SPILLER = """
import os, sys, threading, time
from pathlib import Path
from cockpit.ingest import scratch
from cockpit.store import Store
roots = [Path.cwd(), Path(sys.argv[1]).parent, Path(os.environ["TMPDIR"])]
seen, done = set(), threading.Event()
def watch():
    while not done.is_set():
        for root in roots:
            for folder, dirs, files in os.walk(root):
                seen.update(os.path.join(folder, f) for f in files)
        time.sleep(0.002)
watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
SORT = "select count(*) from (select range % 1000003 as k, range as v from range(20000000) order by k desc, v)"
store = Store.open(sys.argv[1])
assert store.con.sql(SORT).fetchall() == [(20_000_000,)]
store.close()
cur = scratch.cursor()
cur.execute("set memory_limit = '64MB'")
assert cur.sql(SORT).fetchall() == [(20_000_000,)]
cur.close()
done.set()
watcher.join()
for path in sorted(seen):
    print(path)
"""


def test_spills_go_beside_the_database_and_to_the_temp_dir_and_are_removed(tmp_path):
    work, data, tmp = tmp_path / "work", tmp_path / "data", tmp_path / "tmp"
    for d in (work, data, tmp):
        d.mkdir()
    db = data / "c.duckdb"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TMPDIR": str(tmp),
        "COCKPIT_MEMORY_LIMIT": "64MB",
    }
    out = subprocess.run(
        [sys.executable, "-c", SPILLER, str(db)],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    seen = [Path(p) for p in out.stdout.split("\n") if p]
    assert [p for p in seen if work in p.parents] == []  # nothing in the working directory
    store_spills = [p for p in seen if Path(str(db) + ".tmp") in p.parents]
    scratch_spills = [p for p in seen if tmp in p.parents and "cockpit-spill-" in str(p)]
    assert store_spills and scratch_spills, seen  # both spilled, each in its own place
    # Closed (and the process gone): the spill folders are removed.
    assert list(work.iterdir()) == [] and list(tmp.iterdir()) == []
    assert sorted(p.name for p in data.iterdir()) == ["c.duckdb"]
