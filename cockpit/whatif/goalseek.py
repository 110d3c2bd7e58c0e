"""Goal seek: the driver value that brings an output to a target, by bisection."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from cockpit.whatif.model import DRIVERS, OUTPUTS, Baseline, run_scenario

MAX_STEPS = 200


@dataclass
class GoalSeekResult:
    output: str
    target: float
    driver: str
    value: float | None
    achieved: float | None
    reachable: bool
    message: str

    def as_json(self) -> dict:
        d = asdict(self)
        if d["achieved"] is not None and not math.isfinite(d["achieved"]):
            d["achieved"] = None
        return d


def scenario_output(baseline: Baseline, drivers: dict[str, float], output: str) -> float | None:
    """One output of the scenario `drivers`."""
    return next(o.scenario for o in run_scenario(baseline, drivers) if o.id == output)


def driver_range(baseline: Baseline, driver: str) -> tuple[float, float]:
    """The driver's allowed range; agents never take the headcount below one."""
    d = DRIVERS[driver]
    lo, hi = float(d.min), float(d.max)
    headcount = baseline.values.get("headcount")
    if d.unit == "agents" and headcount:
        lo = max(lo, math.ceil(1 - headcount))
    return lo, hi


def goal_seek(
    baseline: Baseline,
    *,
    output: str,
    target: float,
    driver: str,
    lo: float | None = None,
    hi: float | None = None,
    drivers: dict[str, float] | None = None,
) -> GoalSeekResult:
    """The value of `driver` (other drivers held at `drivers`) where `output` reaches `target`.

    Assumes the output moves one way as the driver moves (true of every driver/output pair
    of the model); agents are searched in whole numbers and the first count that reaches
    the target is returned.
    """
    if output not in OUTPUTS:
        raise KeyError(f"unknown output {output!r}; known: {', '.join(OUTPUTS)}")
    if driver not in DRIVERS:
        raise KeyError(f"unknown driver {driver!r}; known: {', '.join(DRIVERS)}")
    held = {k: v for k, v in (drivers or {}).items() if k != driver}
    rlo, rhi = driver_range(baseline, driver)
    lo = rlo if lo is None else float(lo)
    hi = rhi if hi is None else float(hi)
    whole = DRIVERS[driver].unit == "agents"
    if whole:
        lo, hi = float(math.ceil(lo)), float(math.floor(hi))

    def gap(x: float) -> float | None:
        y = scenario_output(baseline, {**held, driver: x}, output)
        return None if y is None else y - target

    def result(value, reachable, message):
        achieved = (
            None if value is None else scenario_output(baseline, {**held, driver: value}, output)
        )
        return GoalSeekResult(output, target, driver, value, achieved, reachable, message)

    g_lo, g_hi = gap(lo), gap(hi)
    label = OUTPUTS[output].label
    if g_lo is None or g_hi is None:
        return result(None, False, f"{label} has no data in this slice")
    if g_lo == 0 or g_hi == 0:
        return result(lo if g_lo == 0 else hi, True, f"{label} reaches the target")
    if (g_lo > 0) == (g_hi > 0):
        nearest = lo if abs(g_lo) <= abs(g_hi) else hi
        return result(
            nearest,
            False,
            (
                f"target {target:g} is out of reach: {label} goes from {g_lo + target:,.4g} to "
                f"{g_hi + target:,.4g} as {DRIVERS[driver].label.lower()} goes from {lo:g} to {hi:g}"
            ),
        )
    below = g_lo < 0
    tolerance = 1e-9 * max(1.0, abs(target))
    for _ in range(MAX_STEPS):
        if (hi - lo <= 1) if whole else (hi - lo <= 1e-9 * max(1.0, abs(hi))):
            break
        mid = math.floor((lo + hi) / 2) if whole else (lo + hi) / 2
        g = gap(mid)
        if not whole and abs(g) <= tolerance:
            return result(mid, True, f"{label} reaches the target")
        if (g < 0) == below:
            lo = mid
        else:
            hi = mid
    return result(float(hi) if whole else (lo + hi) / 2, True, f"{label} reaches the target")
