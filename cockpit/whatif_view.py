"""What the What-if page shows, without Streamlit: output tables, fits, scenario comparison."""

from __future__ import annotations

import math

import pandas as pd

from cockpit.whatif.model import DRIVERS, OUTPUTS

GROUP_LABELS = {"demand": "Demand", "cost": "Cost", "capacity": "Capacity", "service": "Service"}
MAX_COMPARED = 4


def drivers_by_group() -> dict[str, list]:
    out: dict[str, list] = {g: [] for g in GROUP_LABELS}
    for d in DRIVERS.values():
        out.setdefault(d.group, []).append(d)
    return out


def fmt_output(output_id: str, value: float | None) -> str:
    """An output value in its unit: '£1.2M', '94.1%', '52 s'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    o = OUTPUTS[output_id]
    text = format(value, o.fmt)
    if o.unit == "currency":
        return f"£{text}"
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
                "R²": None if f.r2 is None else round(f.r2, 2),
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
    """Long table for the scenario comparison chart: output, scenario, value, unit."""
    rows = []
    for name, values in list(named.items())[: MAX_COMPARED + 1]:
        for v in values:
            val = v.scenario if name != "Baseline" else v.baseline
            if val is None or not math.isfinite(val):
                continue
            rows.append(
                {"output": v.label, "scenario": name, "value": val, "unit": OUTPUTS[v.id].unit}
            )
    return pd.DataFrame(rows, columns=["output", "scenario", "value", "unit"])


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
