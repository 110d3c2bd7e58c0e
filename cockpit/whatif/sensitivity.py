"""Sensitivity: one output under each driver moved down and up around a scenario."""

from __future__ import annotations

import pandas as pd

from cockpit.whatif.goalseek import scenario_output
from cockpit.whatif.model import DRIVERS, OUTPUTS, Baseline

COLUMNS = ["driver", "label", "base", "low", "high", "delta_low", "delta_high", "swing"]


def driver_step(baseline: Baseline, driver: str, step: float) -> float:
    """How far `driver` moves for a `step` % test: points of change, or agents for agents."""
    if DRIVERS[driver].unit != "agents":
        return step
    headcount = baseline.values.get("headcount") or 0.0
    return max(1.0, round(headcount * step / 100))


def sensitivity(
    baseline: Baseline,
    *,
    output: str,
    drivers: dict[str, float] | None = None,
    step: float = 10.0,
) -> pd.DataFrame:
    """Output at each driver -step and +step around `drivers`, widest swing first."""
    if output not in OUTPUTS:
        raise KeyError(f"unknown output {output!r}; known: {', '.join(OUTPUTS)}")
    drivers = dict(drivers or {})
    base = scenario_output(baseline, drivers, output)
    rows = []
    for d in DRIVERS.values():
        delta = driver_step(baseline, d.id, step)
        at = drivers.get(d.id, 0.0)
        low = scenario_output(baseline, {**drivers, d.id: at - delta}, output)
        high = scenario_output(baseline, {**drivers, d.id: at + delta}, output)
        rows.append({"driver": d.id, "label": d.label, "base": base, "low": low, "high": high})
    frame = pd.DataFrame(rows, columns=COLUMNS[:5]).astype(
        {"base": "float64", "low": "float64", "high": "float64"}
    )
    frame["delta_low"] = frame["low"] - frame["base"]
    frame["delta_high"] = frame["high"] - frame["base"]
    frame["swing"] = (frame["high"] - frame["low"]).abs()
    return frame.sort_values("swing", ascending=False, na_position="last", kind="stable")[
        COLUMNS
    ].reset_index(drop=True)
