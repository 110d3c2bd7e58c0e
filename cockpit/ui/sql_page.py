"""SQL explorer pieces: schema browser, editor, results with a quick chart, saved queries."""

from __future__ import annotations

import datetime as dt
import decimal

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
        if st.button("Save query", key="save_query"):
            if name.strip():
                saving.save(ctx.store, "queries", name, sql, ctx.user, shared=shared)
            else:  # the button did nothing at all without a name
                st.warning("Give the query a name first.")
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
    """A first look: the first column against the first other numeric column."""
    chart = quick_chart_spec(df)
    if chart is not None:
        st.altair_chart(chart, width="stretch", key="sql_chart")


def quick_chart_spec(df: pd.DataFrame) -> alt.Chart | None:
    """The quick chart of a result, or None when it has no x and numeric y to plot.

    Columns are taken by position and renamed for the chart: a query's own names
    ('sum(revenue)', 'rev.total', two columns both called 'a') are Vega-Lite field syntax.
    """
    if df.empty or len(df.columns) < 2:
        return None
    df = df.apply(_decimals_as_float)  # SUM over a DECIMAL column is a number too
    ys = [j for j in range(1, len(df.columns)) if _is_number(df.iloc[:, j])]
    if not ys:
        return None
    names = [str(c) for c in df.columns]
    shown = list(range(min(len(df.columns), 6)))
    if ys[0] not in shown:
        shown.append(ys[0])
    temporal = _is_temporal(df.iloc[:, 0])
    data = df.iloc[: 500 if temporal else 50, shown].copy()
    data.columns = [f"c{j}" for j in shown]
    for name in data.columns:
        data[name] = _chartable(data[name])
    if temporal:
        data["c0"] = pd.to_datetime(data["c0"], utc=True).dt.tz_localize(None)
    mark = alt.Chart(data).mark_line(point=True) if temporal else alt.Chart(data).mark_bar()
    return mark.encode(
        x=alt.X("c0", type="temporal" if temporal else "nominal", sort=None, title=names[0]),
        y=alt.Y(f"c{ys[0]}", type="quantitative", title=names[ys[0]]),
        tooltip=[alt.Tooltip(f"c{j}", title=names[j]) for j in shown],
    ).properties(height=280)


def _is_number(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def _is_temporal(col: pd.Series) -> bool:
    """Dates or timestamps (DuckDB DATE arrives as Python dates), not text that names months."""
    if pd.api.types.is_datetime64_any_dtype(col):
        return True
    present = col.dropna()
    return not present.empty and all(isinstance(v, dt.date) for v in present)


def _decimals_as_float(col: pd.Series) -> pd.Series:
    present = col.dropna()
    decimals = not present.empty and all(isinstance(v, decimal.Decimal) for v in present)
    return col.astype(float) if col.dtype == object and decimals else col


def _chartable(col: pd.Series) -> pd.Series:
    """Values Vega can take: lists, dicts, bytes, dates and times in a text column as text."""
    if col.dtype != object:
        return col
    return col.map(lambda v: v if v is None or isinstance(v, (str, int, float, bool)) else str(v))


def columns():
    return st.columns([1, 3])
