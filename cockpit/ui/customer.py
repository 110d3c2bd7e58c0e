"""Customer page sections: satisfaction trends, service levels, resolution times."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit.charts.breakdowns import distribution
from cockpit.charts.trends import multi_trend
from cockpit.kpis.catalogue import format_value
from cockpit.kpis.registry import lookup
from cockpit.screens import cost_customer
from cockpit.ui import cached
from cockpit.ui.resources import get_store
from cockpit.ui.shell import PageContext


def pair_trend(
    ctx: PageContext, kpi_ids: tuple[str, str], *, title: str, unit: str, key: str
) -> None:
    """Two KPIs of one unit on one chart (e.g. CSAT % and FCR %)."""
    frames = []
    for kpi_id in kpi_ids:
        s = cached.series(ctx, kpi_id)[["month", "value"]].assign(series=lookup(kpi_id).label)
        frames.append(s)
    df = pd.concat(frames, ignore_index=True)
    chart = multi_trend(df, title=title, unit=unit)
    st.altair_chart(chart, width="stretch", key=f"chart_{key}")
    cached.chart_downloads(chart, key, key=key)


@st.cache_data(show_spinner=False, max_entries=64)
def _resolution(version, months, filters):
    return cost_customer.resolution_hours(
        get_store(), months=list(months), filters=dict(filters), as_of=version
    )


def resolution_section(ctx: PageContext) -> None:
    st.subheader(f"Resolution time · {ctx.period.label}")
    version, _, _, filters = cached.view_cache_key(ctx)
    df = _resolution(version, tuple(ctx.period.months), filters)
    if df.empty:
        st.caption("No resolved contacts with resolution times in this period.")
        return
    st.altair_chart(
        distribution(
            df,
            value_col="hours",
            title="Hours from contact to resolution",
            unit="hours",
            # In the card's words ('15 min'), not '0.2 hours' beside a card saying 15 min.
            median_text=format_value(lookup("resolution_hours_median"), df["hours"].median()),
        ),
        width="stretch",
        key="chart_resolution",
    )
