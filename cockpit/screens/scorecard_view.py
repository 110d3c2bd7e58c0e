"""Turn computed KPI values into what a card shows (texts, colours), without Streamlit."""

from __future__ import annotations

import base64
import html
import math

from cockpit.kpis.catalogue import Kpi, format_value
from cockpit.kpis.registry import lookup
from cockpit.kpis.targets import STATUS_WORDS

GROUPS = ("Efficiency", "Cost", "Customer")
STATUS_TEXT = STATUS_WORDS
# Short enough to fit beside a delta on a quarter-width card (the header says it in full).
COMPARE_SHORT = {"prev": "vs previous", "yoy": "vs last year", "target": "vs target"}
MISSING_PREVIOUS = {"prev": "no previous value", "yoy": "no value a year earlier"}
COMPARE_TEXT = {
    "prev": "vs previous period",
    "yoy": "vs same period last year",
    "target": "vs target",
}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def change_text(kpi: Kpi, change: float | None) -> str | None:
    """A signed change in the KPI's own unit: '+1.2 pts' for percentages, '+£12k', '-3 s'."""
    if _missing(change):
        return None
    if kpi.fmt == "pct":
        return f"{change:+.1f} pts"
    if kpi.fmt == "nps":
        return f"{change:+.0f}"
    return ("+" if change >= 0 else "-") + format_value(kpi, abs(change))


def _rounds_to_zero(text: str | None) -> bool:
    """'+0.0 pts', '-£0', '+0 s': a change too small to show should not look like a move."""
    return text is not None and not any(ch in "123456789" for ch in text)


SPARK_W, SPARK_H = 120, 28  # the viewBox; the drawing stretches to the card's width


def sparkline_svg(points: list[tuple]) -> str:
    """A tiny standalone SVG line of monthly values [(month, value or None), ...].

    A month without a value breaks the line instead of being joined over or drawn as 0; a
    month alone between gaps is a dot, and so is the last month with a value. Empty when
    fewer than two months have values. Strokes keep their width however the image is
    stretched, and dots stay round (zero-length strokes with round caps).
    """
    known = [(i, float(x)) for i, (_, x) in enumerate(points) if not _missing(x)]
    if len(known) < 2:
        return ""
    lo, hi = min(x for _, x in known), max(x for _, x in known)
    span = (hi - lo) or 1.0
    step = SPARK_W / max(len(points) - 1, 1)

    def xy(i: int, x: float) -> str:
        return f"{i * step:.1f},{SPARK_H - 3 - (x - lo) / span * (SPARK_H - 6):.1f}"

    runs, run, prev = [], [], None
    for i, x in known:
        if prev is not None and i != prev + 1:
            runs.append(run)
            run = []
        run.append(xy(i, x))
        prev = i
    runs.append(run)
    marks = [f'<polyline points="{" ".join(r)}" />' for r in runs if len(r) > 1]
    dots = [r[0] for r in runs if len(r) == 1] + [xy(*known[-1])]
    marks += [f'<path class="dot" d="M{d.replace(",", " ")}h0" />' for d in dots]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_W} {SPARK_H}"'
        ' preserveAspectRatio="none"><style>*{fill:none;stroke:#4c78a8;stroke-width:1.5px;'
        "vector-effect:non-scaling-stroke;stroke-linejoin:round}"
        ".dot{stroke-width:4px;stroke-linecap:round}</style>" + "".join(marks) + "</svg>"
    )


def sparkline_html(points: list[tuple], label: str) -> str:
    """The sparkline as an <img> for a card (pages may not hold inline SVG; an image may),
    titled with its months; empty when there is no line to draw."""
    svg = sparkline_svg(points)
    if not svg:
        return ""
    first = points[0][0]
    last = max(m for m, x in points if not _missing(x))
    title = html.escape(f"{label}, {first:%b %Y} – {last:%b %Y}", quote=True)
    data = base64.b64encode(svg.encode()).decode()
    return (
        f'<img class="spark" src="data:image/svg+xml;base64,{data}" alt="{title}" title="{title}">'
    )


def card_view(v, *, compare: str = "prev", defs: dict[str, Kpi] | None = None) -> dict:
    """What one KPI card shows, from a KpiValue (`defs`: custom metrics' definitions)."""
    kpi = lookup(v.id, defs)
    status = v.status or "none"
    spark = [float(x) for _, x in (v.spark or []) if not _missing(x)]
    value_text = format_value(kpi, v.value)
    if compare == "target":
        change = None if _missing(v.value) or _missing(v.target) else v.value - v.target
    else:
        change = v.change
    foot = []
    if _missing(v.value):
        foot.append(v.reason or "no data")
    if not _missing(v.target):
        foot.append(f"target {format_value(kpi, v.target)}")
    if compare != "target" and not _missing(v.previous):
        foot.append(f"was {format_value(kpi, v.previous)}")
    elif compare in MISSING_PREVIOUS and not _missing(v.value):
        foot.append(MISSING_PREVIOUS[compare])
    if getattr(v, "partial", False):
        foot.append("⚠ partial month")
    delta = None if _rounds_to_zero(change_text(kpi, change)) else change_text(kpi, change)
    help_text = kpi.description
    if v.reason and not _missing(v.value):
        help_text += f"\n\nNote: {v.reason}"
    return {
        "id": v.id,
        "label": kpi.label,
        "label_html": html.escape(kpi.label),
        "group": kpi.group,
        "value_text": value_text,
        "delta_text": delta,
        "delta_color": "normal" if kpi.higher_is_better else "inverse",
        # No comparison under a value that has none (no "vs last year" beneath a "—").
        "delta_description": COMPARE_SHORT.get(compare) if delta else None,
        "status": status,
        "status_text": STATUS_TEXT.get(status, status),
        "spark": spark if len(spark) >= 2 else [],
        "spark_html": sparkline_html(list(v.spark or []), kpi.label),
        "help": help_text,
        "footnote": " · ".join(foot) if foot else " ",
        "target_text": format_value(kpi, v.target) if not _missing(v.target) else "",
        "change_text": change_text(kpi, change) or "",
    }


def by_group(
    values: list, *, compare: str = "prev", defs: dict[str, Kpi] | None = None
) -> dict[str, list[dict]]:
    """Cards grouped Efficiency / Cost / Customer (then Custom), in catalogue order."""
    out: dict[str, list[dict]] = {g: [] for g in GROUPS}
    for v in values:
        card = card_view(v, compare=compare, defs=defs)
        out.setdefault(card["group"], []).append(card)
    return {g: cards for g, cards in out.items() if cards}


def headline(values: list) -> str:
    """'9 of 22 KPIs off target, 5 watch, 8 on target': KPIs with a target and a value."""
    counts = {k: sum(1 for v in values if v.status == k) for k in ("red", "amber", "green")}
    rated = sum(counts.values())
    if not rated:
        return "No KPI has both a value and a target for this period"
    return (
        f"{counts['red']} of {rated} KPIs off target, {counts['amber']} watch, "
        f"{counts['green']} on target"
    )


def breakdown_table(df, kpi, dimension: str):
    """A breakdown as people read it: human headers, n beside the rate, target and status;
    with the xlsx number format of each column -> (frame, formats)."""
    import pandas as pd

    name = dimension.replace("_", " ").capitalize()
    out = pd.DataFrame({name: df[dimension].astype(object).where(df[dimension].notna(), "(blank)")})
    out[kpi.label] = pd.to_numeric(df["value"], errors="coerce").round(4)
    formats = {kpi.label: kpi.fmt}
    if kpi.denominator and "denominator" in df.columns:
        out["n"] = pd.to_numeric(df["denominator"], errors="coerce")
        formats["n"] = "int"
    if "target" in df.columns and df["target"].notna().any():
        out["Target"] = pd.to_numeric(df["target"], errors="coerce").round(4)
        formats["Target"] = kpi.fmt
        out["Status"] = [STATUS_TEXT.get(x, "") if isinstance(x, str) else "" for x in df["status"]]
    return out[out[kpi.label].notna()].reset_index(drop=True), formats
