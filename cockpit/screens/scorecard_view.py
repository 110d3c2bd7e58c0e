"""Turn computed KPI values into what a card shows (texts, colours), without Streamlit."""

from __future__ import annotations

import html
import math

from cockpit.kpis.catalogue import Kpi, decimals_for, format_value
from cockpit.kpis.movers import movers_compare
from cockpit.kpis.periods import MONTHLESS, compare_list, comparison_label
from cockpit.kpis.registry import lookup
from cockpit.kpis.targets import STATUS_WORDS

GROUPS = ("Efficiency", "Cost", "Customer")
STATUS_TEXT = STATUS_WORDS
NO_VALUE = "no value"  # the status word of a card without a value (with or without a target)
# Short enough to fit beside a delta on a quarter-width card (the header says it in full).
COMPARE_SHORT = {
    "prev": "vs previous",
    "yoy": "vs last year",
    "target": "vs target",
    "budget": "vs budget",
}
MISSING_PREVIOUS = {"prev": "no previous value", "yoy": "no value a year earlier"}
COMPARE_TEXT = {
    "prev": "vs previous period",
    "yoy": "vs same period last year",
    "target": "vs target",
    "budget": "vs budget",
}
# A card of several comparisons has a line each: "▲ 2.1 pts vs prev", "1.2 pts below target".
LINE_VS = {"prev": "vs prev", "yoy": "vs last year"}
LINE_SIDES = {"target": ("above", "below", "on target"), "budget": ("over", "under", "on budget")}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def change_text(kpi: Kpi, change: float | None) -> str | None:
    """A signed change in the KPI's own unit: '+1.2 pts' for percentages, '+£12k', '-3 s';
    a change that rounds to zero has no sign ('0.0 pts', never '-0.0 pts')."""
    if _missing(change):
        return None
    if kpi.fmt == "pct":
        text = f"{change:+.1f} pts"
    elif kpi.fmt == "nps":
        text = f"{change:+.0f}"
    else:
        text = ("+" if change >= 0 else "-") + format_value(kpi, abs(change))
    return text[1:] if _rounds_to_zero(text) else text


def _rounds_to_zero(text: str | None) -> bool:
    """'+0.0 pts', '-£0', '+0 s': a change too small to show should not look like a move."""
    return text is not None and not any(ch in "123456789" for ch in text)


def spark_geometry(points: list[tuple]) -> tuple[list[list[tuple[float, float]]], list]:
    """Where a sparkline of monthly values [(month, value or None), ...] is drawn, in
    percent of its box (x from the left, y from the top): the runs of consecutive months
    with a value (each drawn as a line) and the dots (a month alone between gaps, and the
    last month with a value). A month without a value breaks the line; it is never joined
    over or drawn as 0. Nothing is drawn when fewer than two months have values.
    """
    known = [(i, float(x)) for i, (_, x) in enumerate(points) if not _missing(x)]
    if len(known) < 2:
        return [], []
    lo, hi = min(x for _, x in known), max(x for _, x in known)
    span = (hi - lo) or 1.0
    step = 100 / max(len(points) - 1, 1)

    def xy(i: int, x: float) -> tuple[float, float]:
        # 10% margins top and bottom, so the line's thickness and the dots stay inside;
        # a tenth of a percent is a quarter of a pixel on a card.
        return round(i * step, 1), round(90 - (x - lo) / span * 80, 1)

    runs, run, prev = [], [], None
    for i, x in known:
        if prev is not None and i != prev + 1:
            runs.append(run)
            run = []
        run.append(xy(i, x))
        prev = i
    runs.append(run)
    lines = [r for r in runs if len(r) > 1]
    dots = [r[0] for r in runs if len(r) == 1] + [xy(*known[-1])]
    return lines, dots


def sparkline_html(points: list[tuple], label: str) -> str:
    """The card's sparkline in plain HTML and CSS: per run of months, the outline under its
    points (a polygon in the custom property --p) filled in the line's colour, and the same
    outline 2 px lower in the area's colour over it, which leaves a 2 px line along the
    points; a round mark per dot. Nothing to download or decode, and pages may hold it
    (their sanitiser removes inline SVG). Titled with its months; empty when nothing is
    drawn."""
    lines, dots = spark_geometry(points)
    if not lines and not dots:
        return ""
    first = points[0][0]
    last = max(m for m, x in points if not _missing(x))
    title = html.escape(f"{label}, {first:%b %Y} – {last:%b %Y}", quote=True)
    parts = []
    for run in lines:
        outline = [(run[0][0], 100.0), *run, (run[-1][0], 100.0)]
        polygon = ",".join(f"{x:g}% {y:g}%" for x, y in outline)
        # One element per run; the line and the area are its ::before and ::after.
        parts.append(f'<i class="spark-line" style="--p:polygon({polygon})"></i>')
    parts += [f'<i class="spark-dot" style="left:{x:g}%;top:{y:g}%"></i>' for x, y in dots]
    return (
        f'<div class="spark" role="img" aria-label="{title}" title="{title}">{"".join(parts)}</div>'
    )


def compare_lines(kpi: Kpi, v, compares: tuple[str, ...]) -> list[dict]:
    """A card's line per comparison, in the view's order: {"basis", "text", "tone"} with
    tone good / bad / flat / none. A line says which way and how far ("▲ 2.1 pts vs prev",
    "1.2 pts below target", "£3.1k over budget") or that there is nothing a year earlier;
    a target or budget the KPI does not have says nothing. No lines under a missing value."""
    if _missing(v.value):
        return []
    found = getattr(v, "comparisons", None) or {}
    lines = []
    for basis in compares:
        c = found.get(basis)
        against = None if c is None else c.value
        if _missing(against):
            if basis in MISSING_PREVIOUS:
                lines.append({"basis": basis, "text": MISSING_PREVIOUS[basis], "tone": "none"})
            continue
        change = v.value - against
        size = (change_text(kpi, abs(change)) or "").lstrip("+")
        if _rounds_to_zero(size):
            flat = LINE_SIDES[basis][2] if basis in LINE_SIDES else f"unchanged {LINE_VS[basis]}"
            lines.append({"basis": basis, "text": flat, "tone": "flat"})
            continue
        good = (change > 0) == kpi.higher_is_better
        if basis in LINE_SIDES:
            side = LINE_SIDES[basis][0 if change > 0 else 1]
            text = f"{size} {side} {basis}"
        else:
            text = f"{'▲' if change > 0 else '▼'} {size} {LINE_VS[basis]}"
        lines.append({"basis": basis, "text": text, "tone": "good" if good else "bad"})
    return lines


def card_view(v, *, compare: str = "prev", defs: dict[str, Kpi] | None = None) -> dict:
    """What one KPI card shows, from a KpiValue (`defs`: custom metrics' definitions).
    With several comparisons ("prev,yoy,target") the card has a line each (compare_lines)
    instead of the one delta; the status colour is the target's either way."""
    compares = compare_list(compare)
    if len(compares) > 1:
        card = card_view(v, compare=compares[0], defs=defs)
        kpi = lookup(v.id, defs)
        lines = compare_lines(kpi, v, compares)
        foot = [] if not _missing(v.value) else [v.reason or "no data"]
        if card["target_text"]:
            foot.append(f"target {card['target_text']}")
        if getattr(v, "partial", False):
            foot.append("⚠ partial month")
        return card | {
            "delta_text": None,
            "delta_description": None,
            "compare_lines": lines,
            "change_text": " · ".join(line["text"] for line in lines),
            "footnote": " · ".join(foot) if foot else " ",
        }
    kpi = lookup(v.id, defs)
    status = v.status or "none"
    # One precision for the value and what it is set against: different numbers differ.
    shown = [v.value, v.target] + ([v.previous] if compare != "target" else [])
    digits = decimals_for(kpi, shown)
    value_text = format_value(kpi, v.value, digits)
    if compare == "target":
        change = None if _missing(v.value) or _missing(v.target) else v.value - v.target
    else:
        change = v.change
    foot = []
    if _missing(v.value):
        foot.append(v.reason or "no data")
    if not _missing(v.target):
        to_date = " to date" if getattr(v, "pacing", False) else ""
        foot.append(f"target{to_date} {format_value(kpi, v.target, digits)}")
    if compare == "budget" and not _missing(v.previous):
        foot.append(f"budget {format_value(kpi, v.previous, digits)}")
    elif compare != "target" and not _missing(v.previous):
        foot.append(f"was {format_value(kpi, v.previous, digits)}")
    elif compare in MISSING_PREVIOUS and not _missing(v.value):
        foot.append(MISSING_PREVIOUS[compare])
    if getattr(v, "partial", False):
        foot.append("⚠ partial month")
    delta = None if _rounds_to_zero(change_text(kpi, change)) else change_text(kpi, change)
    help_text = kpi.description
    if v.reason and not _missing(v.value):
        help_text += f"\n\nNote: {v.reason}"
    if not _missing(v.target):
        help_text += f"\n\n{target_origin(kpi, v)}"
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
        # A card with a target but no value has no status: it is not "no target".
        "status_text": NO_VALUE if _missing(v.value) else STATUS_TEXT.get(status, status),
        "spark_html": sparkline_html(list(v.spark or []), kpi.label),
        "help": help_text,
        "footnote": " · ".join(foot) if foot else " ",
        "target_text": format_value(kpi, v.target, digits) if not _missing(v.target) else "",
        "change_text": change_text(kpi, change) or "",
        "pacing": bool(getattr(v, "pacing", False)),
        **pace_view(kpi, getattr(v, "forecast", None)),
    }


def pace_view(kpi: Kpi, forecast) -> dict:
    """The card's forecast line, "on pace for 412 (target 450): likely miss", and its hover
    (the 80 % range and the method); empty texts without a forecast."""
    if forecast is None:
        return {"pace_text": "", "pace_help": ""}
    values = [forecast.value, forecast.target, forecast.low, forecast.high]
    digits = decimals_for(kpi, values)
    text = f"on pace for {format_value(kpi, forecast.value, digits)}"
    if forecast.target is not None:
        text += f" (target {format_value(kpi, forecast.target, digits)}): {forecast.verdict}"
    if forecast.method == "seasonal_naive":
        text += " · naive"
    end = f"{forecast.end:%b %Y}"
    if forecast.low is not None:
        lo, hi = (format_value(kpi, x, digits) for x in (forecast.low, forecast.high))
        band = f"Likely between {lo} and {hi} by the end of {end} (80% range)."
    else:
        band = f"Forecast to the end of {end}; no range yet (too little history to backtest)."
    return {"pace_text": text, "pace_help": f"{band} Method: {forecast.note}."}


SOURCE_WORDS = {
    "plan": "the uploaded plan",
    "settings": "Settings",
    "default": "the catalogue default",
}


def target_origin(kpi: Kpi, v) -> str:
    """Where the card's target comes from: "Target 96.0% from the uploaded plan" (the plan
    wins for the months it covers; Settings, then the default, for the others)."""
    source = getattr(v, "target_source", None) or ""
    words = " and ".join(SOURCE_WORDS[s] for s in source.split("+") if s in SOURCE_WORDS)
    text = f"Target {format_value(kpi, v.target)}"
    return f"{text} from {words}" if words else text


EMPTY_SPARK = '<div class="spark"></div>'  # keeps a row of cards aligned


def card_html(card: dict) -> str:
    """A KPI card's body as HTML (see card_view): status, value, change against the
    comparison, sparkline and footnote; the description shows on hover.

    One HTML block per card instead of five Streamlit elements: the Overview draws about
    thirty cards, and each element costs the browser time on every rerun.
    """
    e = html.escape
    status, text = card["status"], card["status_text"]
    if card.get("compare_lines") is not None:  # a view of several comparisons: a line each
        lines = "".join(
            f'<div class="kpi-cmp kpi-cmp-{line["tone"]}">{e(line["text"])}</div>'
            for line in card["compare_lines"]
        )
        change = f'<div class="kpi-compares">{lines}</div>'
    else:
        change = f'<div class="kpi-change">{_delta_html(card)}</div>'
    return (
        f'<div class="kpi" data-kpi="{e(card["id"])}" data-label="{e(card["label"])}"'
        f' title="{e(card["help"])}">'
        f'<div class="card-head"><span class="rag rag-{status}" title="{e(text)}"></span>'
        f'{card["label_html"]}<span class="rag-text rag-text-{status}">{e(text)}</span></div>'
        f'<div class="kpi-value">{e(card["value_text"])}</div>'
        + change
        + (card["spark_html"] or EMPTY_SPARK)
        + f'<div class="kpi-foot">{e(card["footnote"])}</div>'
        + _pace_html(card)
        # Open actions on it (cockpit/actions.py add_counts), when there are any.
        + (f'<div class="kpi-actions">{e(card["actions_text"])}</div>'
           if card.get("actions_text") else "")
        + "</div>"
    )  # fmt: skip


def _delta_html(card: dict) -> str:
    """The one change of a single-comparison card, coloured good or bad."""
    e = html.escape
    delta = ""
    if card["delta_text"]:
        up = card["delta_text"].startswith("+")
        good = up == (card["delta_color"] == "normal")
        delta = (
            f'<span class="kpi-delta kpi-delta-{"good" if good else "bad"}">'
            f"{'↑' if up else '↓'} {e(card['delta_text'])}</span>"
            f'<span class="kpi-vs">{e(card["delta_description"] or "")}</span>'
        )
    return delta


def _pace_html(card: dict) -> str:
    """The forecast line of an unfinished period (its range on hover); nothing otherwise."""
    if not card.get("pace_text"):
        return ""
    e = html.escape
    return f'<div class="kpi-pace" title="{e(card["pace_help"])}">{e(card["pace_text"])}</div>'


def _linked(inner: str, link: dict | None, css: str) -> str:
    """`inner` wrapped in an in-app link (cockpit/ui/in_app_links.py), or in a plain block."""
    if not link:
        return f'<div class="{css}">{inner}</div>'
    e = html.escape
    return (
        f'<a class="{css} in-app" href="{e(link["href"])}" data-page="{e(link["page"])}"'
        f' aria-label="{e(link["help"])}">{inner}</a>'
    )


def scorecard_html(sections: list[dict], *, columns: int = 4) -> str:
    """The card groups as one HTML block. Each section: {"title": group heading or None,
    "cards": card_view dicts, "link": {"page", "href", "help"} or None, "details": the
    heading's own link or None, "card_links": a link per card or None}. Every card opens its
    own link where the section has them (the rows behind it), else the section's link."""
    e = html.escape
    parts = []
    for section in sections:
        if section.get("title"):
            details = section.get("details")
            more = (
                f'<a class="kpi-details in-app" href="{e(details["href"])}"'
                f' data-page="{e(details["page"])}">{e(details["label"])}</a>'
                if details
                else ""
            )
            parts.append(f'<div class="kpi-group-head"><h3>{e(section["title"])}</h3>{more}</div>')
        own = section.get("card_links") or [None] * len(section["cards"])
        cells = "".join(
            _linked(card_html(card), link or section.get("link"), "kpi-card")
            for card, link in zip(section["cards"], own, strict=True)
        )
        parts.append(f'<div class="kpi-grid" style="--cols:{int(columns)}">{cells}</div>')
    return '<div class="kpi-groups">' + "".join(parts) + "</div>"


def period_basis(period, compare: str) -> str:
    """The period and what it is compared with: "Q3 2026 quarter-to-date (to Aug) vs the
    same months of Q2 2026 (Apr – May 2026)" (the headline, the brief); every comparison
    of a view of several ("Sep 2026 vs Aug 2026, the same period last year (…) and target")."""
    return f"{period.label} {comparison_label(period, compare)}"


def movers_heading(period, compare: str) -> str:
    """The "What moved" heading with what the moves are against: the comparison, or with
    Compare = Target the previous period, said plainly (kpis.movers.movers_compare)."""
    basis = comparison_label(period, movers_compare(compare))
    compares = compare_list(compare)
    if all(c in MONTHLESS for c in compares):
        what = " and ".join(f"{c}s" for c in MONTHLESS if c in compares)
        return f"What moved {basis} (changes since the previous period; {what} have no slices)"
    return f"What moved {basis}"


def movers_html(
    movers: list[dict], links: list[dict | None], *, heading: str = "What moved"
) -> str:
    """The "what moved" tiles as one HTML block under `heading` (see movers_heading): KPI,
    what changed and (when a tile has a link) "Open <slice> →"."""
    e = html.escape
    tiles = []
    for mover, link in zip(movers, links, strict=True):
        inner = (
            f'<div class="mover-label">{e(mover["label"])}</div>'
            f'<div class="mover-text">{e(mover["text"])}</div>'
        )
        if link:
            inner += f'<div class="mover-open">{e(link["label"])}</div>'
        tiles.append(_linked(inner, link, "mover"))
    n = min(len(movers), 5)
    return (
        f'<div class="kpi-group-head"><h3>{e(heading)}</h3></div>'
        f'<div class="movers" style="--cols:{n}">{"".join(tiles)}</div>'
    )


MOVERS_PENDING = "Working out what moved…"
MOVERS_FAILED = (
    "Could not work out what moved for this view; the cards below are complete. "
    "Try again in a moment, or choose another view."
)
SCORECARD_PENDING = "Working out the scorecard for {period}…"


def movers_note_html(text: str) -> str:
    """ "What moved" while it is computed, or when it failed: its heading and one line."""
    return (
        '<div class="kpi-group-head"><h3>What moved</h3></div>'
        f'<div class="kpi-pending">{html.escape(text)}</div>'
    )


def skeleton_html(groups: dict[str, list[str]], period_label: str, *, columns: int = 4) -> str:
    """The Overview before its numbers: the headline saying what is computed, "what moved"
    pending and each group's cards with their labels and an empty value (no .kpi-value, so
    nothing mistakes a skeleton for a drawn card)."""
    e = html.escape
    parts = [
        f'<h4 class="kpi-headline kpi-pending">{e(SCORECARD_PENDING.format(period=period_label))}</h4>',
        movers_note_html(MOVERS_PENDING),
    ]
    for group, labels in groups.items():
        parts.append(f'<div class="kpi-group-head"><h3>{e(group)}</h3></div>')
        cells = "".join(
            f'<div class="kpi-card kpi-skeleton"><div class="card-head">{e(label)}</div>'
            '<div class="kpi-skeleton-value"></div>' + EMPTY_SPARK + "</div>"
            for label in labels
        )
        parts.append(f'<div class="kpi-grid" style="--cols:{int(columns)}">{cells}</div>')
    return '<div class="kpi-groups">' + "".join(parts) + "</div>"


def by_group(
    values: list, *, compare: str = "prev", defs: dict[str, Kpi] | None = None
) -> dict[str, list[dict]]:
    """Cards grouped Efficiency / Cost / Customer (then Custom), in catalogue order."""
    out: dict[str, list[dict]] = {g: [] for g in GROUPS}
    for v in values:
        card = card_view(v, compare=compare, defs=defs)
        out.setdefault(card["group"], []).append(card)
    return {g: cards for g, cards in out.items() if cards}


def headline_html(headline_text: str, period_label: str) -> str:
    """The headline as HTML: '9 of 22 KPIs off target, ...' and, smaller, the period."""
    e = html.escape
    return (
        f'<h4 class="kpi-headline">{e(headline_text)} '
        f'<span class="kpi-headline-period">· {e(period_label)}</span></h4>'
    )


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


# The xlsx scorecard's columns per comparison: the figure compared with (a target has its
# own column always), then the change from it.
TABLE_BASIS = {
    "prev": "Previous period",
    "yoy": "Same period last year",
    "target": None,
    "budget": "Budget",
}


def scorecard_table(values: list, *, compare: str = "prev", defs: dict[str, Kpi] | None = None):
    """The scorecard as a table to export: a row per KPI (group, KPI, unit, value, target,
    status) and, per comparison of the view in its order, the figure compared with and the
    change ("Change vs budget"). Values as the cards compute them, in the KPI's own unit
    (percentages as 0-100, the Unit column says which) -> (frame, formats)."""
    import pandas as pd

    compares = compare_list(compare)
    rows = []
    for v in values:
        kpi = lookup(v.id, defs)
        found = getattr(v, "comparisons", None) or {}
        row = {
            "Group": kpi.group,
            "KPI": kpi.label,
            "Unit": v.unit or kpi.unit,
            "Value": None if _missing(v.value) else v.value,
            "Target": None if _missing(v.target) else v.target,
            "Status": NO_VALUE if _missing(v.value) else STATUS_TEXT.get(v.status or "none"),
        }
        for c in compares:
            cmp_ = found.get(c)
            against = v.target if c == "target" else (cmp_.value if cmp_ else None)
            if TABLE_BASIS[c]:
                row[TABLE_BASIS[c]] = None if _missing(against) else against
            change = None if _missing(v.value) or _missing(against) else v.value - against
            row[f"Change {COMPARE_TEXT[c]}"] = change
        rows.append(row)
    frame = pd.DataFrame(rows)
    numeric = [c for c in frame.columns if c not in ("Group", "KPI", "Unit", "Status")]
    for c in numeric:
        frame[c] = pd.array(pd.to_numeric(frame[c], errors="coerce"), dtype="Float64").round(4)
    return frame, {c: "num2" for c in numeric}
