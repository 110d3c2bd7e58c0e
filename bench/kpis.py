"""Benchmark: the whole KPI scorecard (all KPIs, 24-month sparklines, a comparison) and a
filter change, against the independent pandas implementation of the same figures.

    python bench/kpis.py               # 1M and 10M order lines
    python bench/kpis.py --sizes 1e6   # a quick run

Synthetic data (cockpit.demo.synth, other datasets in proportion) is loaded into a temporary
DuckDB file. Each side is timed in its own subprocess so its peak memory (VmHWM: DuckDB
allocates outside Python, so tracemalloc would not see it) is its own. Prints medians and
the pandas/engine ratio measured in this run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

FILTER = {"site": ["Lyon"]}


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(db: str, lines: int) -> dict:
    from cockpit import ledger
    from cockpit.demo.synth import synth_tables
    from cockpit.store import Store

    t0 = time.perf_counter()
    tables = synth_tables(lines, seed=7)
    t1 = time.perf_counter()
    store = Store.open(db)
    for name, table in tables.items():
        ledger.load_table(store, name, table, file=f"bench-{name}")
    store.close()
    rows = {k: v.num_rows for k, v in tables.items()}
    return {"synth_s": t1 - t0, "load_s": time.perf_counter() - t1, "rows": rows}


def _timed(fn, repeat: int) -> dict:
    """Cold wall time, then wall and CPU seconds per run (CPU counts DuckDB's threads too,
    so it shows the work done even when other processes share the cores)."""
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"cold": cold, "wall": wall, "cpu": cpu}


def time_engine(db: str, repeat: int) -> dict:
    from cockpit.kpis import resolve_period, scorecard
    from cockpit.store import Store

    store = Store.open(db)
    period = resolve_period(store)

    def full():
        cards = scorecard(store, period=period, compare="prev")
        assert sum(c.value is not None for c in cards) >= 25

    full_runs = _timed(full, repeat)
    filtered = _timed(lambda: scorecard(store, period=period, filters=FILTER), repeat)
    return {"full": full_runs, "filter": filtered, "peak_mb": peak_rss_mb()}


def time_pandas(db: str, repeat: int) -> dict:
    from pandas_kpis import pandas_scorecard

    from cockpit import datasets
    from cockpit.kpis import comparison_months, resolve_period
    from cockpit.kpis.engine import spark_months
    from cockpit.store import LATEST, Store

    store = Store.open(db)
    period = resolve_period(store)
    frames = {}
    for name in datasets.DATASETS:
        cols = ", ".join(datasets.get(name).column_names)  # catalogue identifiers only
        frames[name] = store.arrow(f"select {cols} from {name}_asof($v)", {"v": LATEST}).to_pandas()
    store.close()
    months = {
        "period_months": period.months,
        "compare_months": comparison_months(period, "prev"),
        "spark_months": spark_months(period.end),
    }
    full_runs = _timed(lambda: pandas_scorecard(frames, **months), repeat)
    filtered = _timed(lambda: pandas_scorecard(frames, **months, filters=FILTER), repeat)
    return {"full": full_runs, "filter": filtered, "peak_mb": peak_rss_mb()}


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1e6,1e7", help="order lines, comma-separated")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--child", nargs=2, metavar=("WHAT", "DB"), help=argparse.SUPPRESS)
    p.add_argument("--lines", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        what, db = args.child
        result = {
            "build": lambda: build(db, args.lines),
            "engine": lambda: time_engine(db, args.repeat),
            "pandas": lambda: time_pandas(db, args.repeat),
        }[what]()
        print(json.dumps(result))
        return
    print(f"KPI scorecard benchmark: {os.cpu_count()} cores, median of {args.repeat} runs")
    for size in (int(float(s)) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="kpi-bench-") as tmp:
            db = str(Path(tmp) / "bench.duckdb")
            b = _child("--child", "build", db, "--lines", str(size))
            eng = _child("--child", "engine", db, "--repeat", str(args.repeat))
            pdk = _child("--child", "pandas", db, "--repeat", str(args.repeat))
        print(f"\n{size:,} order lines (synth {b['synth_s']:.1f} s, load {b['load_s']:.1f} s)")
        print(f"  load average now: {os.getloadavg()[0]:.1f} (shared cores make wall times noisy)")
        for case, label in (("full", "scorecard"), ("filter", "filter change")):
            e, p = eng[case], pdk[case]
            ew, pw = statistics.median(e["wall"]), statistics.median(p["wall"])
            ec, pc = statistics.median(e["cpu"]), statistics.median(p["cpu"])
            print(f"  engine {label:14} {ew * 1000:7.0f} ms wall {ec * 1000:7.0f} ms CPU"
                  f"  (cold {e['cold'] * 1000:.0f} ms)")  # fmt: skip
            print(f"  pandas {label:14} {pw * 1000:7.0f} ms wall {pc * 1000:7.0f} ms CPU"
                  f"  -> engine {pw / ew:.1f}x faster (wall), {pc / ec:.1f}x (CPU)")  # fmt: skip
        print(
            f"  peak memory           engine {eng['peak_mb']:.0f} MB, pandas {pdk['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
