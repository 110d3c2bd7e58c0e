"""Cost page sections: budget vs actual by month and the variance table."""

from __future__ import annotations

import streamlit as st

from cockpit import currency
from cockpit.charts.breakdowns import budget_vs_actual, variance_bars
from cockpit.screens import cost_customer
from cockpit.ui import cached
from cockpit.ui.resources import get_store
from cockpit.ui.shell import PageContext


@st.cache_data(show_spinner=False, max_entries=128)
def _budget_monthly(version, months, filters):
    return cost_customer.budget_vs_actual(
        get_store(), months=list(months), filters=dict(filters), as_of=version
    )


def budget_section(ctx: PageContext) -> None:
    st.subheader("Budget vs actual by month (cost lines)")
    version, _, _, filters = cached.view_cache_key(ctx)
    df = _budget_monthly(version, cached.trend_months(ctx, 24), filters)
    if df.empty:
        st.caption(
            df.attrs.get("reason")
            or "No budget data loaded. Upload the finance budget-vs-actual export on **Data**."
        )
        return
    chart = budget_vs_actual(df, title="Operating cost: budget vs actual")
    st.altair_chart(chart, width="stretch", key="chart_bva")
    cached.chart_downloads(chart, "budget-vs-actual", key="bva")


def variance_section(ctx: PageContext) -> None:
    st.subheader(f"Variance by unit and account · {ctx.period.label}")
    df = cached.variance(ctx)
    df = df[df["kind"] != "income"] if "kind" in df else df  # income is Revenue's story
    if df.empty:
        st.caption(df.attrs.get("reason") or "No budget cost lines in this period.")
        return
    df = df.assign(label=df["unit"].fillna("—") + " · " + df["account"].fillna("—"))
    left, right = st.columns([3, 2])
    money = currency.shown()
    with left:
        # Variance first after the names: on a phone the table shows the columns that matter.
        st.dataframe(
            df[["unit", "account", "variance", "variance_pct", "budget", "actual"]],
            hide_index=True,
            width="stretch",
            height=420,
            column_config={
                "unit": st.column_config.TextColumn("Unit", pinned=True),
                "account": st.column_config.TextColumn("Account"),
                "budget": st.column_config.NumberColumn("Budget", format=f"{money}%,.0f"),
                "actual": st.column_config.NumberColumn("Actual", format=f"{money}%,.0f"),
                "variance": st.column_config.NumberColumn(
                    f"Variance ({money.strip()})" if money else "Variance", format="%+,.0f"
                ),
                "variance_pct": st.column_config.NumberColumn("Variance %", format="%+.1f%%"),
            },
            placeholder="—",
        )
        cached.table_download(
            ctx,
            df.drop(columns=["label"]),
            "Budget variance by unit and account",
            "budget-variance",
            key="variance",
            formats={
                "budget": "money",
                "actual": "money",
                "variance": "money",
                "variance_pct": "pct",
            },
        )
    with right:
        top = df.reindex(df["variance"].abs().sort_values(ascending=False).index).head(12)
        st.altair_chart(
            variance_bars(top, label_col="label", title="Largest variances", unit=money),
            width="stretch",
            key="chart_var",
        )
