"""SQL explorer pieces: schema browser, editor, results with a quick chart, saved queries."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from cockpit.export import safe_csv, xlsx
from cockpit.screens import saved, schema_info
from cockpit.sqlguard import QueryRefused, run_readonly
from cockpit.ui import saving
from cockpit.ui.shell import PageContext

EXAMPLE = """-- Orders and revenue per month (rows visible now)
select _month as month, count(distinct order_id) as orders, sum(revenue) as revenue
from orders_live
group by all
order by month"""


def schema_browser(ctx: PageContext) -> None:
    st.markdown("**Tables**")
    st.caption(
        "`<dataset>_live` views hold the rows visible now; the tables keep every version, and `<dataset>_asof(N)` gives the rows visible at load N."
    )
    for t in schema_info.tables(ctx.store):
        rows = "view" if t["rows"] is None else f"{t['rows']:,} rows"
        source = f" · {t['source']}" if t.get("source") else ""
        with st.expander(f"{t['name']}{source} · {rows}"):
            st.dataframe(
                pd.DataFrame(t["columns"]), hide_index=True, width="stretch", placeholder="—"
            )


def editor(ctx: PageContext) -> str:
    queries = saved.list_saved(ctx.store, "queries", ctx.user)
    if queries:
        pick = st.selectbox("Saved queries", ["—", *queries], key="saved_query_pick")
        if pick != "—" and st.session_state.get("_loaded_query") != pick:
            st.session_state["sql_text"] = queries[pick]["value"]
            st.session_state["_loaded_query"] = pick
    st.session_state.setdefault("sql_text", EXAMPLE)
    return st.text_area("SQL (one SELECT; read-only)", key="sql_text", height=200)


def run_and_show(ctx: PageContext, sql: str) -> None:
    cols = st.columns([1, 1, 4])
    run = cols[0].button("Run", type="primary", key="run_sql")
    with cols[1].popover("Save…"):
        name = st.text_input("Name", key="save_query_name")
        shared = saving.share_choice(ctx.user, key="save_query_shared")
        if st.button("Save query", key="save_query") and name:
            saving.save(ctx.store, "queries", name, sql, ctx.user, shared=shared)
    if not run and "sql_result" not in st.session_state:
        return
    if run:
        try:
            result = run_readonly(ctx.store, sql, max_rows=10_000, timeout_s=15, user=ctx.user)
        except QueryRefused as exc:
            st.session_state.pop("sql_result", None)
            st.error(str(exc))
            return
        st.session_state["sql_result"] = result
    result = st.session_state["sql_result"]
    df = result.table.to_pandas()
    note = " (stopped at the 10,000-row cap)" if result.truncated else ""
    st.caption(f"{len(df):,} rows in {result.elapsed_ms:,.0f} ms{note}")
    st.dataframe(df, width="stretch", hide_index=True, placeholder="—")
    d1, d2, _ = st.columns([1, 1, 4])
    d1.download_button(
        "⬇ csv",
        safe_csv.to_csv_bytes(df),
        file_name="query.csv",
        key="sql_csv",
        on_click="ignore",
    )
    d2.download_button(
        "⬇ xlsx",
        lambda: xlsx.table_to_xlsx(
            df, title="Query result", context=[("SQL", sql[:500])], words=False
        ),
        file_name="query.xlsx",
        key="sql_xlsx",
        on_click="ignore",
    )
    quick_chart(df)


def quick_chart(df: pd.DataFrame) -> None:
    """A first look: the first column against the first numeric column."""
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    if df.empty or len(df.columns) < 2 or not numeric:
        return
    x = df.columns[0]
    y = next((c for c in numeric if c != x), None)
    if y is None:
        return
    kind = (
        "temporal"
        if pd.api.types.is_datetime64_any_dtype(df[x]) or "month" in str(x)
        else "nominal"
    )
    mark = (
        alt.Chart(df.head(500)).mark_line(point=True)
        if kind == "temporal"
        else alt.Chart(df.head(50)).mark_bar()
    )
    chart = mark.encode(
        x=alt.X(f"{x}:{'T' if kind == 'temporal' else 'N'}", sort=None),
        y=alt.Y(f"{y}:Q"),
        tooltip=list(df.columns[:6]),
    ).properties(height=280)
    st.altair_chart(chart, width="stretch", key="sql_chart")


def columns():
    return st.columns([1, 3])
