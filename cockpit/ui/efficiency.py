"""Efficiency page sections: OEE decomposition and the downtime Pareto."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit.charts.breakdowns import oee_decomposition, pareto
from cockpit.ui import cached
from cockpit.ui.shell import PageContext

OEE_PARTS = ("availability_pct", "performance_pct", "quality_pct", "oee_pct")


def oee_table(ctx: PageContext, dimension: str) -> pd.DataFrame:
    """OEE and its three factors side by side per site (or line)."""
    merged = None
    for kpi_id in OEE_PARTS:
        df = cached.breakdown(ctx, kpi_id, dimension)[[dimension, "value"]].rename(
            columns={"value": kpi_id}
        )
        merged = df if merged is None else merged.merge(df, on=dimension, how="outer")
    return merged if merged is not None else pd.DataFrame()


def oee_section(ctx: PageContext) -> None:
    st.subheader("OEE = availability × performance × quality")
    dim = st.segmented_control("By", ["site", "line"], default="site", key="oee_dim") or "site"
    df = oee_table(ctx, dim)
    if df.empty:
        st.caption("No production data for this period.")
        return
    chart = oee_decomposition(df.rename(columns={dim: "site"}), title=f"OEE by {dim}")
    st.altair_chart(chart, width="stretch", key="chart_oee")
    cached.table_download(
        ctx, df, f"OEE by {dim}", f"oee-by-{dim}", key="oee", formats={k: "pct" for k in OEE_PARTS}
    )


def downtime_section(ctx: PageContext) -> None:
    st.subheader("Downtime by cause")
    df = cached.pareto(ctx)
    if df.empty:
        st.caption("No downtime recorded for this period.")
        return
    chart = pareto(df, category_col="cause", value_col="minutes", title="Downtime Pareto (minutes)")
    st.altair_chart(chart, width="stretch", key="chart_pareto")
    cached.table_download(
        ctx,
        df,
        "Downtime by cause",
        "downtime-pareto",
        key="pareto",
        formats={"minutes": "int", "share": "share", "cumulative_share": "share"},
    )
