"""What the What-if page shows, without Streamlit: output tables, fits, scenario comparison."""

from __future__ import annotations

import math

import pandas as pd

from cockpit import currency
from cockpit.kpis.catalogue import format_money
from cockpit.whatif.model import DRIVERS, OUTPUTS

# Output units as shown on axes and labels ("£", not "currency"; counts have none).
DISPLAY_UNITS = {"count": ""}  # money: the data's currency (cockpit.currency)
GROUP_LABELS = {"demand": "Demand", "cost": "Cost", "capacity": "Capacity", "service": "Service"}
MAX_COMPARED = 4


def drivers_by_group() -> dict[str, list]:
    out: dict[str, list] = {g: [] for g in GROUP_LABELS}
    for d in DRIVERS.values():
        out.setdefault(d.group, []).append(d)
    return out


def display_unit(unit: str) -> str:
    if unit == "currency":
        return currency.shown()
    return DISPLAY_UNITS.get(unit, unit)


def fmt_output(output_id: str, value: float | None) -> str:
    """An output value in its unit: '£103k' (the cards' money format), '94.1%', '52 s'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    o = OUTPUTS[output_id]
    if o.unit == "currency":
        return format_money(value)
    text = format(value, o.fmt)
    if o.unit == "%":
        return f"{text}%"
    if o.unit == "s":
        return f"{text} s"
    return text


def fmt_change(output_id: str, change: float | None, baseline: float | None) -> str:
    if change is None or (isinstance(change, float) and not math.isfinite(change)):
        return "—"
    o = OUTPUTS[output_id]
    if o.unit == "%":
        return f"{change:+.1f} pts"
    pct = f" ({100 * change / baseline:+.1f}%)" if baseline else ""
    return f"{'+' if change >= 0 else '-'}{fmt_output(output_id, abs(change))}{pct}"


def outputs_table(values: list) -> pd.DataFrame:
    """Baseline vs scenario for every output, formatted, with how each was computed."""
    return pd.DataFrame(
        [
            {
                "Output": v.label,
                "Baseline": fmt_output(v.id, v.baseline),
                "Scenario": fmt_output(v.id, v.scenario),
                "Change": fmt_change(v.id, v.change, v.baseline),
                "How": v.explain,
            }
            for v in values
        ]
    )


def fits_table(baseline) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Relation": f.relation,
                "R²": "—" if f.r2 is None or not math.isfinite(f.r2) else f"{f.r2:.2f}",
                "Months": f.months,
                "Used": "yes" if f.used else "no",
                "Note": f.note,
            }
            for f in baseline.fits
        ]
    )


def clean_drivers(raw: dict[str, float]) -> dict[str, float]:
    """Only known drivers with non-zero values (the URL and saved scenarios keep these)."""
    return {k: float(v) for k, v in raw.items() if k in DRIVERS and v not in (None, 0, 0.0)}


def compare_frame(named: dict[str, list]) -> pd.DataFrame:
    """Long table for the scenario comparison chart: output, scenario, value, unit, and the
    value as the table beside it writes it (text)."""
    rows = []
    for name, values in list(named.items())[: MAX_COMPARED + 1]:
        for v in values:
            val = v.scenario if name != "Baseline" else v.baseline
            if val is None or not math.isfinite(val):
                continue
            rows.append(
                {
                    "output": v.label,
                    "scenario": name,
                    "value": val,
                    "unit": display_unit(OUTPUTS[v.id].unit),
                    "text": fmt_output(v.id, val),
                }
            )
    return pd.DataFrame(rows, columns=["output", "scenario", "value", "unit", "text"])


def compare_table(named: dict[str, list]) -> pd.DataFrame:
    """Outputs as rows, scenarios as columns, formatted."""
    table: dict[str, dict[str, str]] = {}
    for name, values in named.items():
        for v in values:
            val = v.baseline if name == "Baseline" else v.scenario
            table.setdefault(v.label, {})[name] = fmt_output(v.id, val)
    return pd.DataFrame(table).T.rename_axis("Output").reset_index()


def describe_drivers(drivers: dict[str, float]) -> str:
    if not drivers:
        return "no change (baseline)"
    parts = []
    for k, v in drivers.items():
        d = DRIVERS[k]
        parts.append(f"{d.label} {v:+g}{'' if d.unit == 'agents' else '%'}")
    return ", ".join(parts)


def driver_text(driver: str, value: float) -> str:
    """A driver setting in words: '+7 agents' (its unit names it once), 'Order volume +15%'."""
    d = DRIVERS[driver]
    return f"{value:+g} agents" if d.unit == "agents" else f"{d.label} {value:+g}%"


Bounds = dict[str, tuple[float, float]]


def driver_bounds(baseline=None) -> Bounds:
    """Each driver's slider range for this baseline: agents can take away at most the agents
    the baseline has less one (13.7 fitted agents: down to -13), never a team below zero."""
    bounds = {k: (float(d.min), float(d.max)) for k, d in DRIVERS.items()}
    values = getattr(baseline, "values", None) or {}
    headcount = values.get("headcount")
    if isinstance(headcount, (int, float)) and math.isfinite(headcount) and headcount > 0:
        lo, hi = bounds["agents"]
        bounds["agents"] = (max(lo, -float(math.ceil(headcount) - 1)), hi)
    return bounds


def driver_help(driver: str, baseline=None) -> str:
    """A slider's help: what the driver is, and for agents the team it starts from."""
    d = DRIVERS[driver]
    headcount = (getattr(baseline, "values", None) or {}).get("headcount")
    if driver == "agents" and isinstance(headcount, (int, float)) and math.isfinite(headcount):
        return f"{d.help}; the baseline team is {headcount:.1f} agents"
    return d.help


def slider_value(driver: str, value: float, bounds: Bounds | None = None) -> tuple[float, bool]:
    """A driver value on its slider: rounded to the step, clamped to the range (the baseline's
    `bounds` where given); and whether it had to be clamped."""
    d = DRIVERS[driver]
    lo, hi = (bounds or {}).get(driver, (float(d.min), float(d.max)))
    clamped = min(max(float(value), lo), hi)
    stepped = round(round((clamped - lo) / d.step) * d.step + lo, 6)
    return stepped, clamped != float(value)


def goal_seek_text(r) -> str:
    """What goal seek found, with the driver value itself (not only 'reaches the target')."""
    if r.value is None:
        return r.message
    achieved = fmt_output(r.output, r.achieved)
    label = OUTPUTS[r.output].label
    label = label[0].lower() + label[1:] if label[1:2].islower() else label  # not "cSAT %"
    found = f"{driver_text(r.driver, r.value)} brings {label} to {achieved}"
    return found if r.reachable else f"{r.message}. Nearest: {found}"


def clamp_drivers(
    raw: dict[str, float], bounds: Bounds | None = None
) -> tuple[dict[str, float], list[str]]:
    """Drivers from a link or scenario on their sliders, and a notice per clamped value."""
    out, notices = {}, []
    for name, value in raw.items():
        if name not in DRIVERS:
            continue
        v, clamped = slider_value(name, value, bounds)
        if clamped:
            d = DRIVERS[name]
            lo, hi = (bounds or {}).get(name, (float(d.min), float(d.max)))
            notices.append(
                f"{d.label} {value:+g} is outside the model's range ({lo:+g} to {hi:+g}); "
                f"set to {v:+g}"
            )
        out[name] = v
    return out, notices
