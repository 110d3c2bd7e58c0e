"""Monthly trend charts: KPI card sparklines, a KPI's trend against target, several series."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import altair as alt
import pandas as pd

from cockpit.charts import theme

MonthLike = date | datetime | pd.Timestamp | str

# Lines break at missing months instead of silently joining across the gap.
BREAK_AT_GAPS = "break-paths-show-path-domains"
SPARK_WIDTH, SPARK_HEIGHT = 160, 40


def _monthly(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["month"] = theme.to_months(df["month"]).to_numpy()
    return out.sort_values("month").reset_index(drop=True)


def _highlighted(highlight_month: MonthLike | Iterable[MonthLike] | None) -> list[pd.Timestamp]:
    if highlight_month is None:
        return []
    if isinstance(highlight_month, (str, date, datetime, pd.Timestamp)):
        highlight_month = [highlight_month]
    return list(theme.to_months(highlight_month))


def sparkline(df: pd.DataFrame, *, color: str | None = None) -> alt.TopLevelMixin:
    """A tiny axis-free line of the monthly value for a KPI card, last month marked."""
    if theme.is_empty(df, "value"):
        return theme.no_data(width=SPARK_WIDTH, height=SPARK_HEIGHT)
    data = _monthly(df)
    data["is_last"] = data.index == data["value"].last_valid_index()
    color = color or theme.PRIMARY
    base = alt.Chart(data).encode(
        x=alt.X("month:T", axis=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("month:T", title="Month", format="%b %Y"),
            alt.Tooltip("value:Q", title="Value", format=",.4~g"),
        ],
    )
    line = base.mark_line(color=color, strokeWidth=2, invalid=BREAK_AT_GAPS)
    points = base.mark_point(filled=True, color=color).encode(
        size=alt.condition("datum.is_last", alt.value(36), alt.value(10)),
        opacity=alt.condition("datum.is_last", alt.value(1.0), alt.value(0.25)),
    )
    return theme.finish(
        alt.layer(line, points).properties(width=SPARK_WIDTH, height=SPARK_HEIGHT), padding=2
    )


def kpi_trend(
    df: pd.DataFrame,
    *,
    title: str,
    unit: str,
    fmt: str,
    target: float | None = None,
    highlight_month: MonthLike | Iterable[MonthLike] | None = None,
    direction: str = "higher",
    amber: float | None = None,
    forecast: list[tuple] | None = None,
) -> alt.TopLevelMixin:
    """A KPI's monthly line with points coloured by whether they meet target, target dashed.

    A monthly `target` column is drawn as a dashed line; otherwise a constant `target` is a
    dashed rule. The months of the selected period (`highlight_month`) sit on a shaded band.
    `forecast` [(month, value, low, high), ...] continues the line dashed to the period's
    end, its 80 % range as a band (cockpit.kpis.forecast).
    """
    if theme.is_empty(df, "value"):
        return theme.no_data(title)
    data = _monthly(df)
    monthly_target = "target" in data.columns and data["target"].notna().any()
    has_amber = False
    if monthly_target:
        amber = data["amber"] if "amber" in data.columns else amber
        has_amber = amber is not None and pd.Series(amber).notna().any()
        data["status"] = theme.rag_status(data["value"], data["target"], direction, amber)
    elif target is not None:
        has_amber = amber is not None
        data["status"] = theme.rag_status(data["value"], float(target), direction, amber)

    tooltip = [
        alt.Tooltip("month:T", title="Month", format="%b %Y"),
        theme.value_tooltip("value", title, unit, fmt),
    ]
    if monthly_target:
        tooltip.append(theme.value_tooltip("target", "Target", unit, fmt))
    if "status" in data.columns:
        tooltip.append(alt.Tooltip("status:N", title="Status"))

    months = _highlighted(highlight_month)
    data["selected"] = data["month"].isin(months)
    hover = alt.selection_point(
        name="hover", on="pointerover", nearest=True, fields=["month"], empty=False
    )
    x = alt.X("month:T", axis=theme.month_axis(data["month"]))
    y_axis = theme.value_axis(title, unit)
    y = alt.Y("value:Q", axis=y_axis, scale=alt.Scale(zero=False))
    base = alt.Chart(data).encode(x=x, y=y, tooltip=tooltip)

    layers: list[alt.Chart] = []
    if months:
        half_month = pd.Timedelta(days=15)
        band = pd.DataFrame(
            {
                "start": [min(months) - half_month],
                "end": [max(months) + half_month],
                "label": ["Selected period"],
            }
        )
        layers.append(
            alt.Chart(band)
            .mark_rect(color=theme.PRIMARY, opacity=0.08)
            .encode(
                x="start:T",
                x2="end:T",
                tooltip=[alt.Tooltip("label:N", title="Period")],
            )
        )
    layers.append(base.mark_line(color=theme.PRIMARY, invalid=BREAK_AT_GAPS))
    if monthly_target:
        layers.append(
            base.mark_line(color=theme.GREY, strokeDash=[6, 4], strokeWidth=2).encode(
                y=alt.Y("target:Q", axis=y_axis)
            )
        )
    elif target is not None:
        layers.append(_target_rule(float(target), y_axis, unit, fmt))

    if forecast:
        layers += _forecast_layers(forecast_frame(forecast), y_axis, unit, fmt, "month")

    point_color = (
        alt.Color("status:N", scale=theme.rag_scale(amber=has_amber), legend=alt.Legend(title=None))
        if "status" in data.columns
        else alt.value(theme.PRIMARY)
    )
    layers.append(
        base.mark_point(filled=True, opacity=1)
        .encode(
            color=point_color,
            size=alt.condition(hover, alt.value(160), alt.value(60)),
            stroke=alt.condition("datum.selected", alt.value(theme.TEXT), alt.value(None)),
            strokeWidth=alt.value(1.5),
        )
        .add_params(hover)
    )
    chart = alt.layer(*layers).properties(title=title, height=280)
    return theme.finish(chart)


def _target_rule(target: float, axis: alt.Axis, unit: str, fmt: str) -> alt.Chart:
    """A dashed horizontal rule at a constant target, with its own tooltip."""
    return (
        alt.Chart(pd.DataFrame({"target": [target]}))
        .mark_rule(color=theme.GREY, strokeDash=[6, 4], strokeWidth=2)
        .encode(
            y=alt.Y("target:Q", axis=axis),
            tooltip=[theme.value_tooltip("target", "Target", unit, fmt)],
        )
    )


def multi_trend(
    df: pd.DataFrame,
    *,
    title: str,
    unit: str,
    series_col: str = "series",
    fmt: str = ",.1f",
    independent_y: bool = False,
) -> alt.TopLevelMixin:
    """Several monthly series; click the legend to highlight one.

    With `independent_y` each series gets its own row and y scale (for series in different
    units, e.g. answer time and abandonment), which reads better than a dual axis.
    """
    if theme.is_empty(df, "value") or series_col not in df.columns:
        return theme.no_data(title)
    data = _monthly(df)
    order = list(dict.fromkeys(data[series_col].dropna()))
    pick = alt.selection_point(name="series_pick", fields=[series_col], bind="legend")
    tooltip = [
        alt.Tooltip("month:T", title="Month", format="%b %Y"),
        alt.Tooltip(f"{series_col}:N", title="Series"),
        alt.Tooltip("value:Q", title="Value", format=fmt),
    ]
    color = alt.Color(
        f"{series_col}:N",
        sort=order,
        scale=alt.Scale(domain=order, range=theme.PALETTE[: len(order)] or theme.PALETTE),
        legend=alt.Legend(title=None),
    )
    base = alt.Chart().encode(
        x=alt.X("month:T", axis=theme.month_axis(data["month"])),
        y=alt.Y("value:Q", axis=theme.value_axis("", unit), scale=alt.Scale(zero=False)),
        color=color,
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
        tooltip=tooltip,
    )
    line = base.mark_line(invalid=BREAK_AT_GAPS).add_params(pick)
    points = base.mark_point(filled=True, size=40)
    layered = alt.layer(line, points, data=data)
    if independent_y:
        chart = (
            layered.properties(height=140)
            .facet(row=alt.Row(f"{series_col}:N", sort=order, title=None))
            .resolve_scale(y="independent")
            .properties(title=title)
        )
    else:
        chart = layered.properties(title=title, height=280)
    return theme.finish(chart)


def _forecast_layers(line: pd.DataFrame, y_axis: alt.Axis, unit: str, fmt: str, x: str):
    """A forecast continued dashed from the last actual point, its 80 % range as a band."""
    tooltip = [
        alt.Tooltip(f"{x}:T", title="To", format="%d %b %Y" if x == "day" else "%b %Y"),
        theme.value_tooltip("value", "Forecast", unit, fmt),
    ]
    layers = []
    if line["low"].notna().all():
        tooltip += [theme.value_tooltip("low", "Low (80%)", unit, fmt),
                    theme.value_tooltip("high", "High (80%)", unit, fmt)]  # fmt: skip
        layers.append(
            alt.Chart(line)
            .mark_area(color=theme.PRIMARY, opacity=0.15)
            .encode(x=f"{x}:T", y=alt.Y("low:Q", axis=y_axis), y2="high:Q", tooltip=tooltip)
        )
    layers.append(
        alt.Chart(line)
        .mark_line(color=theme.PRIMARY, strokeDash=[5, 4], strokeWidth=2, point=True)
        .encode(x=f"{x}:T", y=alt.Y("value:Q", axis=y_axis), tooltip=tooltip)
    )
    return layers


def forecast_frame(points: list[tuple], x: str = "month") -> pd.DataFrame:
    """[(x, value, low, high), ...] as the frame the forecast layers draw."""
    frame = pd.DataFrame(points, columns=[x, "value", "low", "high"])
    frame[x] = pd.to_datetime(frame[x])
    for c in ("value", "low", "high"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce")
    return frame


def pace_chart(points: dict, *, title: str, label: str, unit: str, fmt: str) -> alt.TopLevelMixin:
    """An unfinished period's cumulative value by day against the pacing line (the
    cumulative target), the forecast continued dashed to the period's end with its band
    (points from cockpit.kpis.forecast.pace_points)."""
    actual = pd.DataFrame(points["actual"], columns=["day", "value"])
    actual["day"] = pd.to_datetime(actual["day"])
    y_axis = theme.value_axis(label, unit)
    tooltip = [alt.Tooltip("day:T", title="To", format="%d %b %Y"),
               theme.value_tooltip("value", f"{label} to date", unit, fmt)]  # fmt: skip
    layers = []
    if points["pacing"]:
        pacing = pd.DataFrame(points["pacing"], columns=["day", "value"])
        pacing["day"] = pd.to_datetime(pacing["day"])
        layers.append(
            alt.Chart(pacing)
            .mark_line(color=theme.GREY, strokeDash=[2, 2], strokeWidth=2)
            .encode(x="day:T", y=alt.Y("value:Q", axis=y_axis),
                    tooltip=[alt.Tooltip("day:T", title="To", format="%d %b %Y"),
                             theme.value_tooltip("value", "Target (cumulative)", unit, fmt)])
        )  # fmt: skip
    layers += _forecast_layers(forecast_frame(points["forecast"], "day"), y_axis, unit, fmt, "day")
    layers.append(
        alt.Chart(actual)
        .mark_line(color=theme.PRIMARY, strokeWidth=2.5, point=True)
        .encode(
            x=alt.X("day:T", axis=alt.Axis(title=None, format="%d %b")),
            y=alt.Y("value:Q", axis=y_axis),
            tooltip=tooltip,
        )
    )
    return theme.finish(alt.layer(*layers).properties(title=title, height=240))
