"""Benchmark: GET /api/kpis on a running app server against `cockpit kpis` computed
in-process, on the same database of 1M order lines (cockpit.demo.synth).

    python bench/api.py                 # 1M order lines
    python bench/api.py --lines 2e5     # a quick run

The in-process side calls the command's own `report()` (what `cockpit kpis --json` prints)
on an open store; the API side is the same document over HTTP from `streamlit run server.py`
(token check, audit insert, JSON). Both read the same file and must return the same numbers.
Prints cold and warm medians and the API/in-process ratio measured in this run.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _args(**kw) -> SimpleNamespace:
    base = dict(period=None, from_=None, to=None, period_kind="month", filter=[],
                compare="prev", asof=None)  # fmt: skip
    return SimpleNamespace(**{**base, **kw})


CASES = {
    "latest month": ({}, "period_kind=month"),
    "quarter, Lyon": ({"period_kind": "quarter", "filter": ["site=Lyon"]},
                      "period_kind=quarter&filter=site%3DLyon"),
}  # fmt: skip


def _canon(doc) -> str:
    """A comparable text of a document: NaN equals NaN, dates as the API writes them, and
    floats to 10 significant digits (DuckDB's parallel sums may differ in the last bits from
    one run to the next)."""
    from cockpit.commands import json_default

    def fix(v):
        if isinstance(v, float):
            return float(f"{v:.10g}")
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v

    return json.dumps(fix(json.loads(json.dumps(doc, default=json_default))), sort_keys=True)


def _timed(fn, repeat: int) -> tuple[float, float]:
    t = time.perf_counter()
    first = _canon(fn())
    cold = time.perf_counter() - t
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        again = _canon(fn())
        if again != first:
            a, b = json.loads(first), json.loads(again)
            diff = [
                (x, y) for x, y in zip(a.get("kpis", []), b.get("kpis", []), strict=False) if x != y
            ]
            raise AssertionError(f"two runs differ: {diff[:2] or (a, b)}")
        runs.append(time.perf_counter() - t)
    return cold, statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=float, default=1e6)
    ap.add_argument("--repeat", type=int, default=7)
    opts = ap.parse_args()
    from cockpit import ledger
    from cockpit.commands.kpis import report
    from cockpit.demo.synth import synth_tables
    from cockpit.store import Store

    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    db = work / "bench.duckdb"
    store = Store.open(db)
    for name, table in synth_tables(int(opts.lines), seed=7).items():
        ledger.load_table(store, name, table, file=f"bench-{name}")
    store.close()
    store = Store.open(db)  # as the server will find it: checkpointed, freshly opened
    in_process = {name: _timed(lambda a=a: report(store, _args(**a)), opts.repeat)
                  for name, (a, _) in CASES.items()}  # fmt: skip
    docs = {name: report(store, _args(**a)) for name, (a, _) in CASES.items()}
    store.close()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "COCKPIT_DB": str(db)}
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=2) as r:
                    if json.loads(r.read())["status"] == "ok":
                        break
            except OSError:
                time.sleep(0.2)
        token = json.loads(Path(str(db) + ".server.json").read_text())["local_token"]

        def get(query: str) -> dict:
            req = urllib.request.Request(f"{url}/api/kpis?{query}")
            req.add_header("Authorization", f"Bearer {token}")
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.loads(r.read())

        over_api = {name: _timed(lambda q=q: get(q), opts.repeat) for name, (_, q) in CASES.items()}
        for name, (_, q) in CASES.items():
            same = _canon(docs[name]) == _canon(get(q))
            assert same, f"{name}: the API and the command disagree"
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"{int(opts.lines):,} order lines; median of {opts.repeat} warm runs (cold first)")
    print(f"{'case':<16}{'in-process':>22}{'GET /api/kpis':>22}{'ratio':>8}")
    for name in CASES:
        (ic, iw), (ac, aw) = in_process[name], over_api[name]
        print(f"{name:<16}{ic * 1000:>9.0f} / {iw * 1000:>6.0f} ms{ac * 1000:>9.0f} / "
              f"{aw * 1000:>6.0f} ms{aw / iw:>8.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
