"""What-if charts: the sensitivity tornado and saved scenarios side by side."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cockpit.charts import theme

LOW_COLOR = "#e08a2e"
HIGH_COLOR = theme.PRIMARY
LARGE = 10_000  # from here bar labels switch to SI prefixes (1.38M)


def tornado(
    df: pd.DataFrame,
    *,
    output_label: str,
    unit: str,
    fmt: str = ",.1f",
    low_label: str = "Driver -10%",
    high_label: str = "Driver +10%",
) -> alt.TopLevelMixin:
    """Change in one output when each driver moves down or up, widest swing on top."""
    title = f"Sensitivity of {output_label}"
    if theme.is_empty(df, "delta_low") or "delta_high" not in df.columns:
        return theme.no_data(title)
    data = df[["driver", "delta_low", "delta_high"]].copy()
    data["swing"] = (data["delta_high"] - data["delta_low"]).abs()
    data = data.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    order = list(data["driver"].astype(str))
    long = data.melt(
        id_vars=["driver", "swing"],
        value_vars=["delta_low", "delta_high"],
        var_name="case",
        value_name="delta",
    )
    long["driver"] = long["driver"].astype(str)
    long["case"] = long["case"].map({"delta_low": low_label, "delta_high": high_label})

    bars = (
        alt.Chart(long)
        .mark_bar(opacity=0.9)
        .encode(
            y=alt.Y("driver:N", sort=order, title=None),
            x=alt.X("delta:Q", axis=theme.value_axis(f"Change in {output_label}", unit)),
            color=alt.Color(
                "case:N",
                sort=[low_label, high_label],
                scale=alt.Scale(domain=[low_label, high_label], range=[LOW_COLOR, HIGH_COLOR]),
                legend=alt.Legend(title=None),
            ),
            tooltip=[
                alt.Tooltip("driver:N", title="Driver"),
                alt.Tooltip("case:N", title="Case"),
                theme.value_tooltip("delta", f"Change in {output_label}", unit, fmt),
                theme.value_tooltip("swing", "Swing", unit, fmt),
            ],
        )
    )
    zero = (
        alt.Chart(pd.DataFrame({"zero": [0.0]}))
        .mark_rule(color=theme.TEXT)
        .encode(x="zero:Q", tooltip=[alt.Tooltip("zero:Q", title="Baseline change")])
    )
    chart = alt.layer(bars, zero).properties(title=title, height=alt.Step(30))
    return theme.finish(chart)


def scenario_compare(df: pd.DataFrame, *, title: str, fmt: str = ",.1f") -> alt.TopLevelMixin:
    """One small panel per output (own scale and unit), a bar per scenario in saved order."""
    if theme.is_empty(df, "value") or not {"output", "scenario"} <= set(df.columns):
        return theme.no_data(title)
    data = df[["output", "scenario", "value"]].copy()
    # The caller's own text when given ('£9.11'), so a bar says what the table beside it does.
    data["text"] = df["text"] if "text" in df.columns else None
    units = df["unit"] if "unit" in df.columns else pd.Series("", index=df.index)
    units = units.fillna("").astype(str)
    data["unit"] = units
    data["panel"] = [theme.with_unit(str(o), u) for o, u in zip(data["output"], units, strict=True)]
    data["suffix"] = [
        "%" if u == "%" else f" {u}" if u and not theme.is_currency(u) else "" for u in units
    ]
    data["prefix"] = [u if theme.is_currency(u) else "" for u in units]
    # Large values (revenue, cost) get SI prefixes so labels fit above narrow bars.
    data["label_fmt"] = [fmt if abs(v) < LARGE else ".3~s" for v in data["value"].fillna(0)]
    data["scenario"] = data["scenario"].astype(str)
    scenarios = list(dict.fromkeys(data["scenario"]))
    panels = list(dict.fromkeys(data["panel"]))

    color = alt.Color(
        "scenario:N",
        sort=scenarios,
        scale=alt.Scale(domain=scenarios, range=theme.PALETTE[: len(scenarios)]),
        legend=alt.Legend(title=None),
    )
    pick = alt.selection_point(name="scenario_pick", fields=["scenario"], bind="legend")
    base = alt.Chart().encode(
        x=alt.X("scenario:N", sort=scenarios, title=None, axis=alt.Axis(labels=False, ticks=False)),
        y=alt.Y("value:Q", title=None),
        tooltip=[
            alt.Tooltip("output:N", title="Output"),
            alt.Tooltip("scenario:N", title="Scenario"),
            alt.Tooltip("value:Q", title="Value", format=fmt),
            alt.Tooltip("unit:N", title="Unit"),
        ],
    )
    bars = base.mark_bar().encode(
        color=color, opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3))
    )
    labels = (
        base.mark_text(baseline="bottom", dy=-3, color=theme.MUTED_TEXT)
        .transform_calculate(
            label="datum.text ? datum.text : (datum.value < 0 ? '-' : '') + datum.prefix"
            " + format(abs(datum.value), datum.label_fmt) + datum.suffix"
        )
        .encode(text="label:N")
    )
    chart = (
        alt.layer(bars.add_params(pick), labels, data=data)
        .properties(width=max(160, 44 * len(scenarios)), height=180)
        .facet(
            facet=alt.Facet("panel:N", sort=panels, title=None),
            columns=len(panels) if len(panels) <= 4 else 3,
        )
        .resolve_scale(y="independent")
        .properties(title=title)
    )
    return theme.finish(chart)
