"""Breakdown charts: a KPI by site/line/channel, downtime Pareto, budget, OEE, distributions."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd

from cockpit.charts import theme

OEE_MEASURES = {
    "availability_pct": "Availability",
    "performance_pct": "Performance",
    "quality_pct": "Quality",
    "oee_pct": "OEE",
}
OEE_COLORS = ["#7fb2d9", "#e0a35e", "#8fc9b8", theme.PRIMARY]
PARETO_REFERENCE = 80.0  # the classic 80% line of a Pareto chart
BAR_STEP = 28  # pixels per bar on horizontal bar charts


PICK = "pick"  # the selection a click on a breakdown bar makes
BLANK = "(blank)"


def picked_value(event, dimension: str) -> str | None:
    """The slice a click on a breakdown bar picked (st.altair_chart's selection event), or
    None: no click, or the '(blank)' bar, which no filter value names."""
    selection = getattr(event, "selection", None) or (event or {}).get("selection") or {}
    points = selection.get(PICK) if hasattr(selection, "get") else None
    for point in points or []:
        value = point.get(dimension) if hasattr(point, "get") else None
        if isinstance(value, str) and value and value != BLANK:
            return value
    return None


def _labels(values: pd.Series) -> pd.Series:
    """Category labels as text (a blank category shows as '(blank)')."""
    return values.astype(object).where(values.notna(), BLANK).astype(str)


def _format_expr(field: str, fmt: str, unit: str | None) -> str:
    """A Vega expression formatting a number like the axis does: '%' suffix or unit after."""
    suffix = "%" if unit == "%" else f" {unit}" if unit else ""
    return f"format(datum[{json.dumps(field)}], {json.dumps(fmt)}) + {json.dumps(suffix)}"


def _vertical_rule(value: float, field: str, title: str, unit: str, fmt: str) -> alt.Chart:
    """A dashed vertical rule at `value` (a target or a median), with its own tooltip."""
    return (
        alt.Chart(pd.DataFrame({field: [value]}))
        .mark_rule(color=theme.TEXT, strokeDash=[6, 4], strokeWidth=2)
        .encode(x=alt.X(f"{field}:Q"), tooltip=[theme.value_tooltip(field, title, unit, fmt)])
    )


def breakdown_bar(
    df: pd.DataFrame,
    *,
    dimension: str,
    value_col: str = "value",
    title: str,
    unit: str,
    fmt: str,
    target: float | None = None,
    direction: str = "higher",
    amber: float | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bars of a KPI by a dimension, largest on top, RAG-coloured against a target.

    Colours follow the cards' rule (kpis.targets.status): per-row `target`/`amber` columns
    when the frame has them (a site's own plan), else the one `target` and absolute `amber`
    threshold given. The target is a rule; `n` (the denominator), when present, is shown.
    """
    if theme.is_empty(df, value_col) or dimension not in df.columns:
        return theme.no_data(title)
    keep = [c for c in (dimension, value_col, "target", "amber", "n") if c in df.columns]
    # A slice without a value (no ratings at all) has no bar: never a "null%" row.
    data = df.loc[df[value_col].notna(), keep].copy()
    data[dimension] = _labels(data[dimension])
    data = data.sort_values(value_col, ascending=False, kind="stable").reset_index(drop=True)
    order = list(data[dimension])

    tooltip = [
        alt.Tooltip(f"{dimension}:N", title=dimension.replace("_", " ").capitalize()),
        theme.value_tooltip(value_col, title, unit, fmt),
    ]
    if "n" in data.columns:
        tooltip.append(alt.Tooltip("n:Q", title="n", format=",.0f"))
    row_targets = "target" in data.columns and data["target"].notna().any()
    if row_targets or target is not None:
        tgt = data["target"].astype(float) if row_targets else float(target)
        amb = data["amber"] if row_targets and "amber" in data.columns else amber
        data["status"] = theme.rag_status(data[value_col].astype(float), tgt, direction, amb)
        color = alt.Color("status:N", scale=theme.rag_scale(), legend=alt.Legend(title=None))
        tooltip.append(alt.Tooltip("status:N", title="Status"))
    else:
        color = alt.value(theme.PRIMARY)
    if target is None and row_targets and data["target"].nunique() == 1:
        target = float(data["target"].dropna().iloc[0])

    hover = alt.selection_point(name="hover", on="pointerover", fields=[dimension], empty=False)
    # A click on a bar picks its slice: the page filters to it (st.altair_chart on_select).
    pick = alt.selection_point(name=PICK, on="click", fields=[dimension], empty=False)
    y = alt.Y(f"{dimension}:N", sort=order, title=None)
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    bars = (
        base.mark_bar(cursor="pointer")
        .encode(
            x=alt.X(f"{value_col}:Q", axis=theme.value_axis(title, unit)),
            color=color,
            opacity=alt.condition(hover, alt.value(1.0), alt.value(0.85)),
        )
        .add_params(hover, pick)
    )
    # Values in a column right of the plot, clear of the bars and of the target rule.
    label = _format_expr(value_col, fmt, unit)
    if "n" in data.columns:  # the sample size beside every rate: 100% of 3 is not 100% of 300
        label += " + '  (n=' + format(datum.n, ',.0f') + ')'"
    labels = (
        base.mark_text(align="left", x="width", dx=8, color=theme.TEXT)
        .transform_calculate(label=label)
        .encode(text="label:N")
    )
    layers = [bars, labels]
    if target is not None:
        layers.append(_vertical_rule(float(target), "target", "Target", unit, fmt))
    chart = alt.layer(*layers).properties(title=title, height=alt.Step(BAR_STEP))
    return theme.finish(chart)


def pareto(
    df: pd.DataFrame,
    *,
    category_col: str = "cause",
    value_col: str = "minutes",
    title: str,
    unit: str = "min",
    fmt: str = ",.0f",
) -> alt.TopLevelMixin:
    """Bars sorted largest first with the cumulative share (0-100%) on a second axis.

    Shares are recomputed from the values after sorting, so bars and line always agree.
    """
    if theme.is_empty(df, value_col) or category_col not in df.columns:
        return theme.no_data(title)
    data = df[[category_col, value_col]].copy()
    data[category_col] = _labels(data[category_col])
    data = data.sort_values(value_col, ascending=False, kind="stable").reset_index(drop=True)
    total = data[value_col].sum()
    data["share"] = 100.0 * data[value_col] / total if total else np.nan
    data["cumulative_share"] = data["share"].cumsum()
    order = list(data[category_col])

    x = alt.X(
        f"{category_col}:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelAngle=-30 if len(order) > 6 else 0, labelLimit=140),
    )
    tooltip = [
        alt.Tooltip(f"{category_col}:N", title=category_col.replace("_", " ").capitalize()),
        theme.value_tooltip(value_col, value_col.replace("_", " ").capitalize(), unit, fmt),
        alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
        alt.Tooltip("cumulative_share:Q", title="Cumulative share (%)", format=".1f"),
    ]
    base = alt.Chart(data).encode(x=x, tooltip=tooltip)
    bars = base.mark_bar(color=theme.PRIMARY).encode(
        y=alt.Y(f"{value_col}:Q", axis=theme.value_axis(value_col.capitalize(), unit))
    )
    share_axis = alt.Axis(
        title="Cumulative share", labelExpr="datum.label + '%'", orient="right", grid=False
    )
    share_y = alt.Y("cumulative_share:Q", scale=alt.Scale(domain=[0, 100]), axis=share_axis)
    line = base.mark_line(color=theme.AMBER, strokeWidth=2.5).encode(y=share_y)
    points = base.mark_point(color=theme.AMBER, filled=True, size=50).encode(y=share_y)
    reference = (
        alt.Chart(pd.DataFrame({"cumulative_share": [PARETO_REFERENCE]}))
        .mark_rule(color=theme.GREY, strokeDash=[4, 4])
        .encode(
            y=share_y,
            tooltip=[alt.Tooltip("cumulative_share:Q", title="Reference (%)", format=".0f")],
        )
    )
    share_layer = alt.layer(line, points, reference)
    chart = (
        alt.layer(bars, share_layer)
        .resolve_scale(y="independent")
        .properties(title=title, height=300, width=alt.Step(max(40, min(80, 520 // len(order)))))
    )
    return theme.finish(chart)


def budget_vs_actual(
    df: pd.DataFrame, *, title: str, unit: str | None = None, fmt: str = ",.0f"
) -> alt.TopLevelMixin:
    """Budget and actual side by side per month, the variance in the tooltip; amounts in the
    data's currency unless `unit` says otherwise."""
    unit = theme.format_unit("money") if unit is None else unit
    if theme.is_empty(df, "actual") or "budget" not in df.columns:
        return theme.no_data(title)
    data = df[["month", "budget", "actual"]].copy()
    data["month"] = theme.to_months(data["month"]).to_numpy()
    data = data.sort_values("month").reset_index(drop=True)
    data["period"] = data["month"].dt.strftime("%b %y")
    data["variance"] = data["actual"] - data["budget"]
    data["variance_pct"] = 100.0 * data["variance"] / data["budget"].where(data["budget"] != 0)
    long = data.melt(
        id_vars=["period", "variance", "variance_pct"],
        value_vars=["budget", "actual"],
        var_name="measure",
        value_name="amount",
    )
    long["measure"] = long["measure"].map({"budget": "Budget", "actual": "Actual"})
    order = list(data["period"])

    tooltip = [
        alt.Tooltip("period:N", title="Month"),
        alt.Tooltip("measure:N", title="Measure"),
        theme.value_tooltip("amount", "Cost", unit, fmt),
        theme.value_tooltip("variance", "Variance (actual - budget)", unit, fmt),
        alt.Tooltip("variance_pct:Q", title="Variance (% of budget)", format="+.1f"),
    ]
    pick = alt.selection_point(name="measure_pick", fields=["measure"], bind="legend")
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "period:N",
                sort=order,
                title=None,
                axis=alt.Axis(labelAngle=-30 if len(order) > 12 else 0),
            ),
            xOffset=alt.XOffset("measure:N", sort=["Budget", "Actual"]),
            y=alt.Y("amount:Q", axis=theme.value_axis("Cost", unit)),
            color=alt.Color(
                "measure:N",
                sort=["Budget", "Actual"],
                scale=alt.Scale(
                    domain=["Budget", "Actual"], range=[theme.BLUE_GREY, theme.PRIMARY]
                ),
                legend=alt.Legend(title=None),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3)),
            tooltip=tooltip,
        )
        .add_params(pick)
        .properties(title=title, height=300, width=max(360, min(900, 64 * len(order))))
    )
    return theme.finish(chart)


def variance_bars(
    df: pd.DataFrame,
    *,
    label_col: str,
    title: str,
    kind: str = "cost",
    unit: str = "",
    fmt: str = ",.0f",
) -> alt.TopLevelMixin:
    """Diverging bars of actual - budget, largest overspend on top.

    For cost lines spending over budget is red; for income lines (`kind="income"`) being over
    budget is green.
    """
    if kind not in ("cost", "income"):
        raise ValueError(f"kind must be 'cost' or 'income', not {kind!r}")
    if theme.is_empty(df, "variance") or label_col not in df.columns:
        return theme.no_data(title)
    data = df[[label_col, "variance", "variance_pct"]].copy()
    data[label_col] = _labels(data[label_col])
    data = data.sort_values("variance", ascending=False, kind="stable").reset_index(drop=True)
    over = "over budget" if kind == "cost" else "above budget"
    under = "under budget" if kind == "cost" else "below budget"
    data["assessment"] = np.where(data["variance"] > 0, over, under)
    good, bad = (under, over) if kind == "cost" else (over, under)

    tooltip = [
        alt.Tooltip(f"{label_col}:N", title=label_col.replace("_", " ").capitalize()),
        theme.value_tooltip("variance", "Variance (actual - budget)", unit, fmt),
        alt.Tooltip("variance_pct:Q", title="Variance (% of budget)", format="+.1f"),
        alt.Tooltip("assessment:N", title="Assessment"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label_col}:N", sort=list(data[label_col]), title=None),
            x=alt.X("variance:Q", axis=theme.value_axis("Actual - budget", unit)),
            color=alt.Color(
                "assessment:N",
                scale=alt.Scale(domain=[good, bad], range=[theme.GREEN, theme.RED]),
                legend=alt.Legend(title=None),
            ),
            tooltip=tooltip,
        )
    )
    zero = (
        alt.Chart(pd.DataFrame({"zero": [0.0]}))
        .mark_rule(color=theme.TEXT)
        .encode(x="zero:Q", tooltip=[alt.Tooltip("zero:Q", title="On budget")])
    )
    chart = alt.layer(bars, zero).properties(title=title, height=alt.Step(BAR_STEP))
    return theme.finish(chart)


def oee_decomposition(
    df: pd.DataFrame, *, title: str, dimension: str | None = None
) -> alt.TopLevelMixin:
    """Availability, performance, quality and OEE (0-100%) side by side per site or line.

    `dimension` defaults to the one column that is not a measure; rows sort by OEE, best first.
    """
    if theme.is_empty(df, "oee_pct"):
        return theme.no_data(title)
    if dimension is None:
        others = [c for c in df.columns if c not in OEE_MEASURES]
        if not others:
            raise ValueError("oee_decomposition needs a site or line column")
        dimension = others[0]
    data = df[[dimension, *OEE_MEASURES]].copy()
    data[dimension] = _labels(data[dimension])
    data = data.sort_values("oee_pct", ascending=False, kind="stable").reset_index(drop=True)
    order = list(data[dimension])
    long = data.melt(id_vars=[dimension], var_name="measure", value_name="pct")
    long["measure"] = long["measure"].map(OEE_MEASURES)
    labels = list(OEE_MEASURES.values())

    pick = alt.selection_point(name="measure_pick", fields=["measure"], bind="legend")
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(f"{dimension}:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=labels),
            y=alt.Y(
                "pct:Q",
                scale=alt.Scale(domain=[0, 100]),
                axis=theme.value_axis("Percent", "%"),
            ),
            color=alt.Color(
                "measure:N",
                sort=labels,
                scale=alt.Scale(domain=labels, range=OEE_COLORS),
                legend=alt.Legend(title=None, columns=2),  # fits a phone: 2 rows of 2
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
            tooltip=[
                alt.Tooltip(f"{dimension}:N", title=dimension.replace("_", " ").capitalize()),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("pct:Q", title="Value (%)", format=".1f"),
            ],
        )
        .add_params(pick)
        .properties(title=title, height=300)
    )
    return theme.finish(chart)


def distribution(
    df: pd.DataFrame,
    *,
    value_col: str,
    title: str,
    unit: str,
    bins: int = 30,
    fmt: str = ",.1f",
    median_text: str | None = None,
) -> alt.TopLevelMixin:
    """A histogram (binned here, so any number of rows stays small) with a median rule,
    labelled 'Median ' + `median_text` when given (the card's own words: '15 min')."""
    if theme.is_empty(df, value_col):
        return theme.no_data(title)
    values = df[value_col].dropna().astype(float).to_numpy()
    lo, hi = float(values.min()), float(values.max())
    if lo == hi:  # one distinct value: give the single bar some width
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(values, bins=bins, range=(lo, hi))
    data = pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "count": counts})
    median = float(np.median(values))

    label = value_col.replace("_", " ").capitalize()
    bars = (
        alt.Chart(data)
        .mark_bar(color=theme.PRIMARY, cornerRadiusEnd=0, binSpacing=1)
        .encode(
            x=alt.X("bin_start:Q", bin="binned", axis=theme.value_axis(label, unit)),
            x2="bin_end:Q",
            y=alt.Y("count:Q", title="Count"),
            tooltip=[
                theme.value_tooltip("bin_start", "From", unit, fmt),
                theme.value_tooltip("bin_end", "To", unit, fmt),
                alt.Tooltip("count:Q", title="Count", format=","),
            ],
        )
    )
    rule = _vertical_rule(median, "median", "Median", unit, fmt)
    median_label = (
        alt.Chart(pd.DataFrame({"median": [median]}))
        .transform_calculate(
            label=f"'Median {_quoted(median_text)}'"
            if median_text
            else "'Median ' + " + _format_expr("median", fmt, unit)
        )
        .mark_text(align="left", baseline="top", dx=5, y=4, fontWeight=600, color=theme.TEXT)
        .encode(
            x="median:Q",
            text="label:N",
            tooltip=[theme.value_tooltip("median", "Median", unit, fmt)],
        )
    )
    chart = alt.layer(bars, rule, median_label).properties(title=title, height=280)
    return theme.finish(chart)


def _quoted(text: str) -> str:
    """Text inside a single-quoted Vega string."""
    return text.replace("\\", "\\\\").replace("'", "\\'")
