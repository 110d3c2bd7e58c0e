"""The cockpit's visual theme: colours, font sizes and shared helpers for every chart builder.

Every builder ends with `finish()`, so the configuration travels inside the chart spec and a
PNG rendered by vl-convert looks the same as the chart in the browser. Streamlit's chart theme
keeps a chart's own config where it sets one; `st.altair_chart(chart, theme=None)` shows it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import numpy as np
import pandas as pd

from cockpit import currency
from cockpit.kpis.targets import STATUS_WORDS

PRIMARY = "#2f5d8c"  # calm steel blue; also theme.primaryColor in .streamlit/config.toml
PRIMARY_LIGHT = "#a9c1da"
GREEN = "#1a9850"
AMBER = "#f0a500"
RED = "#d73027"
GREY = "#8c8c8c"
LIGHT_GREY = "#e3e3e3"
BLUE_GREY = "#8fa3b8"
TEXT = "#1f2933"
MUTED_TEXT = "#52606d"
GRID = "#e8ebef"

# Categorical palette: starts with the primary colour and avoids pure green/red so series
# never read as a RAG status.
PALETTE = [
    PRIMARY,
    "#e08a2e",
    "#5aa0c8",
    "#8c6bb1",
    "#4d9e8f",
    "#c05a7a",
    "#b8a13a",
    "#7f7f7f",
]

# The cards' words for each status (one definition: kpis.targets.STATUS_WORDS).
RAG_DOMAIN = [STATUS_WORDS["green"], STATUS_WORDS["amber"], STATUS_WORDS["red"]]
RAG_RANGE = [GREEN, AMBER, RED]

FONT = "Source Sans Pro, Liberation Sans, Helvetica, Arial, sans-serif"
LABEL_SIZE = 12
AXIS_TITLE_SIZE = 14
TITLE_SIZE = 16

NO_DATA = "No data"

CONFIG: dict = {
    "font": FONT,
    "background": "white",
    "padding": 8,
    "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 280},
    "title": {
        "fontSize": TITLE_SIZE,
        "subtitleFontSize": 13,
        "fontWeight": 600,
        "color": TEXT,
        "anchor": "start",
        "offset": 10,
    },
    "axis": {
        "labelFontSize": LABEL_SIZE,
        "titleFontSize": AXIS_TITLE_SIZE,
        "titleFontWeight": 500,
        "labelColor": MUTED_TEXT,
        "titleColor": TEXT,
        "gridColor": GRID,
        "domainColor": GREY,
        "tickColor": GREY,
        "labelLimit": 220,
    },
    "axisBand": {"grid": False},
    "legend": {
        "labelFontSize": LABEL_SIZE,
        "titleFontSize": 13,
        "titleColor": TEXT,
        "labelColor": MUTED_TEXT,
        "orient": "bottom",
        "direction": "horizontal",
        "symbolSize": 120,
    },
    "header": {"labelFontSize": 13, "titleFontSize": AXIS_TITLE_SIZE, "labelColor": TEXT},
    "range": {"category": PALETTE},
    "line": {"strokeWidth": 2.5},
    "bar": {"cornerRadiusEnd": 2},
    "text": {"fontSize": LABEL_SIZE, "color": TEXT},
}


def finish(chart: alt.TopLevelMixin, **overrides) -> alt.TopLevelMixin:
    """Apply the cockpit configuration (plus top-level overrides) to a finished chart.

    A configured chart can no longer be layered or concatenated, so call this last.
    """
    return chart.configure(**{**CONFIG, **overrides})


def no_data(
    title: str | None = None, *, message: str = NO_DATA, width: int = 320, height: int = 120
) -> alt.Chart:
    """A placeholder chart whose only mark is a grey 'No data' text."""
    chart = (
        alt.Chart(pd.DataFrame({"message": [message]}))
        .mark_text(fontSize=16 if height >= 80 else LABEL_SIZE, color=GREY)
        .encode(text="message:N", tooltip=alt.Tooltip("message:N", title="Status"))
        .properties(width=width, height=height)
    )
    if title:
        chart = chart.properties(title=title)
    return finish(chart)


def is_empty(df: pd.DataFrame | None, *value_cols: str) -> bool:
    """True when there is nothing to plot: no frame, no rows, a missing or all-null value column."""
    if df is None or df.empty:
        return True
    return any(col not in df.columns or df[col].isna().all() for col in value_cols)


def with_unit(label: str, unit: str | None) -> str:
    """An axis or tooltip title carrying the unit, e.g. 'Answer time (s)'."""
    if not unit:
        return label
    if unit.lower() in label.lower().split():  # 'Hours' with unit 'hours', 'Margin %' with '%'
        return label
    return f"{label} ({unit})" if label else unit


def is_currency(unit: str | None) -> bool:
    """Whether a unit is a money symbol ('£', 'R$', 'CHF '), written before the number."""
    return bool(unit) and unit.strip() in _CURRENCY_SYMBOLS


_CURRENCY_SYMBOLS = {s.strip() for s in (*currency.SYMBOLS.values(), *currency.CODES.values())}


def money_label_expr(symbol: str, field: str = "datum.value") -> str:
    """A Vega expression writing a number as the cards do: '£103k', '-£1.2M', '£950', '£0.6'.

    SI prefixes only from a thousand up: below one, '.3~s' writes 0.6 as '600m', which reads
    as six hundred million (the What-if tornado of cost per unit said '-£600m' for -£0.60).
    """
    sym = symbol.replace("\\", "").replace("'", "")
    short = (
        f"(abs({field}) < 1000 ? format(abs({field}), ',.3~r')"
        f" : replace(format(abs({field}), '.3~s'), 'G', 'B'))"
    )
    return f"({field} < 0 ? '-' : '') + '{sym}' + ({field} == 0 ? '0' : {short})"


def value_axis(title: str, unit: str | None, **kwargs) -> alt.Axis:
    """A quantitative axis; percentages (reported 0-100) get a '%' suffix on each label and
    money the currency symbol in front ('£103k')."""
    if unit == "%":
        return alt.Axis(title=title, labelExpr="datum.label + '%'", **kwargs)
    if is_currency(unit):
        return alt.Axis(
            title=with_unit(title, unit.strip()), labelExpr=money_label_expr(unit), **kwargs
        )
    return alt.Axis(title=with_unit(title, unit), **kwargs)


def value_tooltip(field: str, title: str, unit: str | None, fmt: str) -> alt.Tooltip:
    """A tooltip entry for a quantitative field, formatted and titled with its unit."""
    return alt.Tooltip(f"{field}:Q", title=with_unit(title, unit), format=fmt)


def month_axis(months: pd.Series, *, title: str | None = None) -> alt.Axis:
    """A temporal axis with one label every 1, 2, 3 or 6 months depending on the span."""
    n = pd.to_datetime(months).dt.to_period("M").nunique()
    step = 1 if n <= 6 else 2 if n <= 12 else 3 if n <= 36 else 6
    return alt.Axis(
        title=title,
        format="%b %Y",
        labelAngle=0,
        tickCount={"interval": "month", "step": step},
        grid=False,
    )


def to_months(values: Iterable | pd.Series) -> pd.Series:
    """Month values (dates, datetimes or 'YYYY-MM' strings) as first-of-month timestamps."""
    return pd.Series(pd.to_datetime(pd.Series(list(values))).dt.to_period("M").dt.to_timestamp())


def rag_status(
    value: pd.Series,
    target: pd.Series | float,
    direction: str,
    amber: pd.Series | float | None = None,
) -> pd.Series:
    """'on target', 'watch' or 'off target': the cards' rule and words (kpis.targets).

    `amber` is the absolute amber threshold (on-time target 96, amber 91: 91 <= v < 96 is
    watch), mirrored for lower-is-better; without one there is no 'watch'.
    """
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', not {direction!r}")
    sign = 1.0 if direction == "higher" else -1.0
    target = pd.Series(target, index=value.index) if not isinstance(target, pd.Series) else target
    if not isinstance(amber, pd.Series):
        amber = pd.Series(np.nan if amber is None else amber, index=value.index, dtype=float)
    amber = amber.astype(float)
    status = pd.Series(RAG_DOMAIN[2], index=value.index, dtype=object)
    near = (sign * value >= sign * amber).fillna(False).astype(bool) & amber.notna()
    status[near] = RAG_DOMAIN[1]
    status[(sign * value >= sign * target).fillna(False).astype(bool)] = RAG_DOMAIN[0]
    status[value.isna() | target.isna()] = None
    return status


def rag_scale(*, amber: bool = True) -> alt.Scale:
    """The fixed green/amber/red colour scale for RAG statuses (green/red only without amber)."""
    if not amber:
        return alt.Scale(domain=[RAG_DOMAIN[0], RAG_DOMAIN[2]], range=[GREEN, RED])
    return alt.Scale(domain=RAG_DOMAIN, range=RAG_RANGE)


# Catalogue number formats (cockpit/kpis) -> d3 formats for axes and tooltips, and units.
D3_FORMATS = {
    "pct": ".1f",
    "money": ",.0f",
    "days": ".1f",
    "seconds": ".0f",
    "hours": ".1f",
    "count": ",.0f",
    "minutes": ",.0f",
    "score": ".2f",
    "nps": "+.0f",
    "number": ",.1f",
}
FORMAT_UNITS = {
    "pct": "%",
    "days": "days",
    "seconds": "s",
    "hours": "hours",
    "minutes": "min",
    "count": "",
    "score": "",
    "nps": "",
    "number": "",
}


def d3_format(catalogue_fmt: str) -> str:
    """The d3 format for a KPI catalogue format name (unknown names pass through)."""
    return D3_FORMATS.get(catalogue_fmt, catalogue_fmt)


def format_unit(catalogue_fmt: str) -> str:
    """The axis unit for a KPI catalogue format name."""
    if catalogue_fmt == "money":
        return currency.shown()
    return FORMAT_UNITS.get(catalogue_fmt, "")
