"""Bench: a what-if scenario recompute at 1M order lines, beside a rescan of the rows.

The model reads the slice's monthly history once (build_baseline); a scenario then works on
those monthly sums only. Budget: a scenario recompute <= 100 ms. The rescan (re-running the
history query over every row, as a naive model would for each scenario) is the baseline.

    .venv/bin/python bench/whatif.py [--lines 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cockpit import ledger  # noqa: E402
from cockpit.store import Store  # noqa: E402
from cockpit.whatif import build_baseline, goal_seek, run_scenario, sensitivity  # noqa: E402

BUDGET_MS = 100.0
DRIVERS = {"volume": 15, "price": 2, "downtime": -10, "agents": 2, "contacts_per_order": 5}


def generated_tables(lines: int, months: int = 24, seed: int = 7) -> dict[str, pa.Table]:
    """Orders, production, budget and contacts with fixed + variable cost and load effects."""
    rng = np.random.default_rng(seed)
    starts = np.array(
        [np.datetime64(f"{2024 + m // 12}-{m % 12 + 1:02d}-01") for m in range(months)]
    )
    demand = 1 + 0.25 * np.sin(np.arange(months) / 2.5) + rng.normal(0, 0.03, months)
    per_month = np.maximum((lines / months * demand).astype(int), 1)
    month = np.repeat(np.arange(months), per_month)
    n = len(month)
    order_date = starts[month] + rng.integers(0, 28, n).astype("timedelta64[D]")
    qty = rng.integers(1, 8, n).astype(float)
    units_m = np.bincount(month, weights=qty, minlength=months)
    util = 0.6 + 0.3 * (demand - demand.min()) / np.ptp(demand)
    late = rng.random(n) < 0.05 + 0.5 * (util[month] - 0.6)
    orders = pa.table({
        "order_date": order_date.astype("datetime64[D]"),
        "order_id": pa.array(np.char.add("O", (np.arange(n) // 2).astype(str))),
        "promised_date": (order_date + np.timedelta64(5, "D")).astype("datetime64[D]"),
        "delivered_date": (order_date + np.where(late, 8, 3).astype("timedelta64[D]")).astype(
            "datetime64[D]"),
        "site": np.where(rng.random(n) < 0.6, "Leeds", "Lyon"),
        "quantity": qty,
        "revenue": qty * 25 * rng.normal(1, 0.02, n),
        "cost": qty * 11 + 40_000 / per_month[month],
    })  # fmt: skip
    production = pa.table({
        "date": starts.astype("datetime64[D]"),
        "site": ["Leeds"] * months,
        "planned_minutes": np.full(months, 200_000.0),
        "run_minutes": 200_000.0 * util,
        "units": units_m * 1.04,
        "scrap_units": units_m * 0.04,
    })  # fmt: skip
    budget = pa.table({
        "month": starts.astype("datetime64[D]"),
        "unit": ["Operations"] * months,
        "kind": ["cost"] * months,
        "actual": 250_000 + 4.0 * units_m + rng.normal(0, 3_000, months),
    })  # fmt: skip
    contacts_m = (units_m / 60).astype(int)
    cmonth = np.repeat(np.arange(months), contacts_m)
    k = len(cmonth)
    wait = rng.exponential(15 + 90 * (demand[cmonth] - demand.min()))
    contacts = pa.table({
        "contact_date": (starts[cmonth].astype("datetime64[s]")
                         + rng.integers(0, 28 * 86_400, k).astype("timedelta64[s]")),
        "agent": np.char.add("A", rng.integers(0, 40, k).astype(str)),
        "answered": rng.random(k) < 0.95,
        "wait_seconds": wait,
        "handle_seconds": rng.normal(320, 40, k),
        "csat": np.clip(np.round(4.7 - wait / 50 + rng.normal(0, 0.6, k)), 1, 5),
    })  # fmt: skip
    return {"orders": orders, "production": production, "budget": budget, "contacts": contacts}


def tables(lines: int) -> tuple[dict[str, pa.Table], str]:
    try:
        from cockpit.demo.synth import synth_tables
    except ImportError:
        return generated_tables(lines), "bench generator"
    return synth_tables(lines, seed=7), "cockpit.demo.synth"


def timed_ms(fn, repeat: int) -> float:
    """Median wall time of `repeat` calls, in milliseconds."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()

    store = Store.open(":memory:")
    data, source = tables(args.lines)
    t = time.perf_counter()
    for name, table in data.items():
        ledger.load_table(store, name, table)
    print(f"data: {data['orders'].num_rows:,} order lines from {source}, "
          f"loaded in {time.perf_counter() - t:.1f} s")  # fmt: skip

    baseline = build_baseline(store)
    rescan = timed_ms(lambda: run_scenario(build_baseline(store), DRIVERS), repeat=3)
    recompute = timed_ms(lambda: run_scenario(baseline, DRIVERS), repeat=50)
    seek = timed_ms(lambda: goal_seek(baseline, output="asa_seconds", target=30,
                                      driver="agents", drivers=DRIVERS), repeat=5)  # fmt: skip
    tornado = timed_ms(lambda: sensitivity(baseline, output="gross_margin_pct"), repeat=5)

    print(f"rescan (history query + fits + scenario): {rescan:8.1f} ms")
    print(
        f"scenario recompute on monthly sums:       {recompute:8.2f} ms "
        f"({rescan / recompute:,.0f}x faster than a rescan; budget {BUDGET_MS:.0f} ms)"
    )
    print(f"goal seek (agents for 30 s answer time):  {seek:8.2f} ms")
    print(f"sensitivity (9 drivers x 2):              {tornado:8.2f} ms")
    ok = recompute <= BUDGET_MS
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
