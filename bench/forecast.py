"""Backtest of the forecast to period end (cockpit/kpis/forecast.py) against the seasonal
naive, rolling origin, over the demo's 24 months and the real files with enough months.

    python bench/forecast.py            # demo + ../shared/realdata (sncf 42 months, ventas 12)

Each complete month is forecast from the months before it (at least three), by the model and
by the seasonal naive (the same month a year earlier, else the month before). Prints per KPI:
n (months forecast), MAPE of each, MASE (model MAE / naive MAE: below 1 the model beats the
naive, and the app shows the model), and the coverage of the 80 % interval: for the k-th
month, the 10th-90th percentile of the errors of the months before it (from the 5th month
on), for each method.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REALDATA = ROOT.parent / "shared" / "realdata"
DEMO_KPIS = ("orders", "units", "revenue", "operating_cost", "downtime_minutes", "on_time_pct",
             "oee_pct", "gross_margin_pct", "abandon_pct", "csat_pct",
             "contacts_per_1000_orders")  # fmt: skip
REAL = {
    "sncf (punctuality)": (
        REALDATA / "sncf_tgv_regularite" / "regularite-mensuelle-tgv-aqst.csv",
        ("on_time_pct",),
    ),  # fmt: skip
    "ventas (sales)": (
        REALDATA / "ventas_presupuesto_es" / "Presupuesto.xlsx",
        ("orders", "revenue"),
    ),  # fmt: skip
}


def monthly_sums(store, kpi_id: str) -> dict:
    """{month: components summed} of every loaded month of the KPI's families."""
    from cockpit.kpis import engine
    from cockpit.kpis.periods import available_months
    from cockpit.kpis.registry import lookup
    from cockpit.store import resolve_as_of

    kpi = lookup(kpi_id)
    months = available_months(store)
    if not months:
        return {}
    comps = engine.Components(
        engine.fetch_components(
            store,
            list(kpi.families),
            start=months[0],
            end=months[-1],
            filters={},
            as_of=resolve_as_of(None),
        )  # fmt: skip
    )
    out = {}
    for m in months:
        sums = comps.sums([m])
        if any((sums.get(f) or {}).get("rows") for f in kpi.families):
            out[m] = sums
    return out


def coverage(errors: list[float]) -> tuple[float | None, int]:
    """Share of errors inside the 10th-90th percentile of the errors before them."""
    from cockpit.kpis import forecast as fc

    hits = n = 0
    for k in range(fc.MIN_BACKTEST, len(errors)):
        before = errors[:k]
        lo, hi = fc.quantile(before, fc.LOW_Q), fc.quantile(before, fc.HIGH_Q)
        n += 1
        hits += lo <= errors[k] <= hi
    return (hits / n if n else None), n


def rows_for(store, name: str, kpi_ids) -> list[dict]:
    from cockpit.kpis import engine
    from cockpit.kpis import forecast as fc
    from cockpit.kpis.registry import lookup

    out = []
    for k in kpi_ids:
        by_month = monthly_sums(store, k)
        bt = fc.backtest(lookup(k), by_month, lambda kpi, s: engine.evaluate(kpi, s).value)
        cov_m, _ = coverage(bt.errors_model)
        cov_n, _ = coverage(bt.errors_naive)
        out.append({"data": name, "kpi": k, "months": len(by_month), "n": bt.n,
                    "mape_model": bt.mape_model, "mape_naive": bt.mape_naive, "mase": bt.mase,
                    "cov_model": cov_m, "cov_naive": cov_n,
                    "shown": "model" if bt.method == fc.MODEL else "naive"})  # fmt: skip
    return out


def _pct(v) -> str:
    return "—" if v is None else f"{v:.1f}%"


def main() -> int:
    from cockpit.cli import main as cli
    from cockpit.demo import seed_demo
    from cockpit.store import Store

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "demo.duckdb"))
        seed_demo(store)
        rows += rows_for(store, "demo", DEMO_KPIS)
        store.close()
        for name, (path, kpi_ids) in REAL.items():
            if not path.exists():
                print(f"skipped {name}: {path} not found")
                continue
            db = Path(tmp) / f"{name.split()[0]}.duckdb"
            with contextlib.redirect_stdout(io.StringIO()):
                cli(["load", str(path), "--db", str(db)])
            from cockpit import store as store_mod

            real = store_mod.get_store(db)
            rows += rows_for(real, name, kpi_ids)
    print("| data | KPI | months | n | MAPE model | MAPE naive | MASE | 80% cover model "
          "| 80% cover naive | shown |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        mase = "—" if r["mase"] is None else f"{r['mase']:.2f}"
        cov = [_pct(None if c is None else 100 * c) for c in (r["cov_model"], r["cov_naive"])]
        print(
            f"| {r['data']} | {r['kpi']} | {r['months']} | {r['n']} | {_pct(r['mape_model'])} "
            f"| {_pct(r['mape_naive'])} | {mase} | {cov[0]} | {cov[1]} | {r['shown']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
