"""Cached data for pages and the reusable sections they are built from.

Results are cached by their parameters plus the data version they were read at, so a new
load (a new version) is picked up at once and a pinned link keeps hitting the same entry.
"""

from __future__ import annotations

import threading

import pandas as pd
import streamlit as st

from cockpit import auth, currency, kpis, links, navigation
from cockpit.charts.theme import d3_format, format_unit
from cockpit.export import images, xlsx
from cockpit.export.names import view_file_name
from cockpit.kpis import custom_metrics
from cockpit.kpis.movers import movers_compare
from cockpit.kpis.periods import COMPARES, add_months, make_period, parse_month
from cockpit.kpis.registry import lookup
from cockpit.kpis.targets import is_additive
from cockpit.screens import scorecard_view
from cockpit.ui import raise_action
from cockpit.ui.resources import get_store
from cockpit.ui.shell import PageContext, public_base_url


def view_key(version: int, period, compare: str, filters: dict) -> tuple:
    """Hashable cache key of a view: the version read, period, comparison, filters."""
    period_key = (
        (period.kind, period.end.isoformat(), period.start.isoformat())
        if period is not None
        else None
    )
    return version, period_key, compare, tuple(sorted((k, tuple(v)) for k, v in filters.items()))


def view_cache_key(ctx: PageContext) -> tuple:
    """The cache key of the page's view (data version, period, comparison, filters)."""
    version = ctx.state.asof if ctx.state.asof is not None else ctx.latest_seq
    return view_key(version, ctx.period, ctx.state.compare, ctx.filters)


def warm(version: int, period) -> None:
    """Fill the caches of a view nobody has opened yet (the server's start-up warm-up):
    the same keys a page computes, so its first visitor finds them."""
    # Each comparison: "compare with" is the choice a viewer changes first.
    for compare in COMPARES:
        _scorecard(*view_key(version, period, compare, {}), None)
    for compare in {movers_compare(c) for c in COMPARES}:
        _movers(*view_key(version, period, compare, {}), currency.shown())


# Which views this process has computed (their scorecard, movers): a page draws a view not
# computed yet in steps (card skeletons, the cards, "what moved") instead of a blank body.
# The marks are cache entries themselves, so clearing the caches (a settings change, the
# demo load) clears them too: a check of a key not marked caches False, a mark replaces it.
_marking = threading.local()


@st.cache_data(show_spinner=False, max_entries=2048)
def _computed(key: tuple) -> bool:
    return getattr(_marking, "on", False)


def _mark(*key) -> None:
    _computed.clear(key)
    _marking.on = True
    try:
        _computed(key)
    finally:
        _marking.on = False


def _period(period_key):
    if not period_key:
        return None
    kind, end, start = period_key
    return make_period(kind, parse_month(end[:7]), parse_month(start[:7]))


@st.cache_data(show_spinner=False, max_entries=256)
def _scorecard(version, period_key, compare, filters, kpi_ids):
    values = kpis.scorecard(
        get_store(),
        period=_period(period_key),
        compare=compare,
        filters=dict(filters),
        as_of=version,
        kpi_ids=kpi_ids,
    )
    _mark("scorecard", version, period_key, compare, filters, kpi_ids)
    return values


@st.cache_data(show_spinner=False, max_entries=256)
def _movers(version, period_key, compare, filters, symbol):
    # `symbol`: the money symbol the texts are written with ("rose £21k"), part of the key.
    moved = kpis.what_moved(
        get_store(),
        period=_period(period_key),
        compare=compare,
        filters=dict(filters),
        as_of=version,
        # The same cached scorecard the cards use (one computation per view and version).
        cards=_scorecard(version, period_key, compare, filters, None),
    )
    _mark("movers", version, period_key, compare, filters, symbol)
    return moved


@st.cache_data(show_spinner=False, max_entries=512)
def _series(version, months, filters, kpi_id):
    return kpis.monthly_series(
        get_store(), kpi_id, months=list(months), filters=dict(filters), as_of=version
    )


@st.cache_data(show_spinner=False, max_entries=512)
def _breakdown(version, period_key, filters, kpi_id, dimension):
    return kpis.breakdown(
        get_store(),
        kpi_id,
        dimension,
        period=_period(period_key),
        filters=dict(filters),
        as_of=version,
    )


@st.cache_data(show_spinner=False, max_entries=128)
def _pareto(version, period_key, filters):
    return kpis.downtime_pareto(
        get_store(), period=_period(period_key), filters=dict(filters), as_of=version
    )


@st.cache_data(show_spinner=False, max_entries=128)
def _variance(version, period_key, filters):
    return kpis.budget_variance_table(
        get_store(), period=_period(period_key), filters=dict(filters), as_of=version
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _custom(version, period_key, compare, filters, metrics):
    store = get_store()
    values = [
        custom_metrics.compute(
            store,
            m,
            period=_period(period_key),
            compare=compare,
            filters=dict(filters),
            as_of=version,
        )
        for m in metrics
    ]
    _mark("custom", version, period_key, compare, filters, metrics)
    return values


def scorecard(ctx: PageContext, kpi_ids: tuple[str, ...] | None = None) -> list:
    """Built-in KPIs (all, or `kpi_ids`) and, for the full scorecard, the custom metrics."""
    version, period, compare, filters = view_cache_key(ctx)
    values = _scorecard(version, period, compare, filters, kpi_ids)
    if kpi_ids is None:
        metrics = tuple(custom_metrics.list_metrics(ctx.store))
        if metrics:
            values = values + _custom(version, period, compare, filters, metrics)
    return values


def scorecard_ready(ctx: PageContext) -> bool:
    """Whether `scorecard(ctx)` is (most likely) cached: this process has computed it."""
    version, period, compare, filters = view_cache_key(ctx)
    if not _computed(("scorecard", version, period, compare, filters, None)):
        return False
    metrics = tuple(custom_metrics.list_metrics(ctx.store))
    return not metrics or _computed(("custom", version, period, compare, filters, metrics))


def movers_ready(ctx: PageContext) -> bool:
    """Whether `movers(ctx)` is (most likely) cached: this process has computed it."""
    version, period, compare, filters = view_cache_key(ctx)
    return _computed(
        ("movers", version, period, movers_compare(compare), filters, currency.shown())
    )


def kpi_definitions(ctx: PageContext) -> dict:
    """Custom metrics' definitions by KPI id (built-ins come from the catalogue)."""
    return custom_metrics.definitions(ctx.store)


def movers(ctx: PageContext) -> list[dict]:
    version, period, compare, filters = view_cache_key(ctx)
    # Against the target the movers are those of the previous period: one cached computation.
    return _movers(version, period, movers_compare(compare), filters, currency.shown())


def trend_months(ctx: PageContext, n: int = 24) -> tuple:
    """The n months ending at the period's end (for trends and sparklines)."""
    end = ctx.period.end
    return tuple(add_months(end, -i) for i in range(n - 1, -1, -1))


def series(ctx: PageContext, kpi_id: str, n: int = 24):
    version, _, _, filters = view_cache_key(ctx)
    return _series(version, trend_months(ctx, n), filters, kpi_id)


def breakdown(ctx: PageContext, kpi_id: str, dimension: str):
    version, period, _, filters = view_cache_key(ctx)
    return _breakdown(version, period, filters, kpi_id, dimension)


def pareto(ctx: PageContext):
    version, period, _, filters = view_cache_key(ctx)
    return _pareto(version, period, filters)


def variance(ctx: PageContext):
    version, period, _, filters = view_cache_key(ctx)
    return _variance(version, period, filters)


def no_data(ctx: PageContext) -> bool:
    """Draw the empty state when nothing is loaded; True means the page should stop."""
    if ctx.period is not None:
        return False
    st.info(
        "No data loaded yet. Upload this month's exports on **Data**, or load the demo company "
        "(Northwind Components: 3 sites, 24 months) to explore."
    )
    cols = st.columns([1, 1, 4])
    data = navigation.page("data")
    cols[0].page_link(data.file, label=f"Go to {data.label}", icon=data.icon)
    if auth.can(ctx.user, "upload") and cols[1].button("Load the demo data", key="demo_seed"):
        from cockpit.demo import seed_demo

        with st.spinner("Loading the demo exports through the normal upload path…"):
            seed_demo(ctx.store)
        st.cache_data.clear()
        st.rerun()
    return True


def pinned_link(ctx: PageContext) -> str:
    """The absolute link to this view pinned to the data it shows (brief, exports)."""
    from dataclasses import replace

    state = ctx.state if ctx.state.asof is not None else replace(ctx.state, asof=ctx.latest_seq)
    return links.to_url(state, public_base_url())


def context_lines(ctx: PageContext) -> list[tuple[str, str]]:
    """The view's filters, period and data date, written above exported tables."""
    from cockpit.briefs.document import context_lines as lines

    version = ctx.state.asof or ctx.latest_seq
    return [*lines(ctx.store, ctx.period, ctx.filters, version), ("Link", pinned_link(ctx))]


def trend_section(ctx: PageContext, kpi_id: str, *, key: str) -> None:
    """A KPI's monthly trend, the target as a rule, the selected period highlighted."""
    from cockpit.charts.trends import kpi_trend

    kpi = lookup(kpi_id)
    df = series(ctx, kpi_id)
    chart = kpi_trend(
        df,
        title=kpi.label,
        unit=format_unit(kpi.fmt),
        fmt=d3_format(kpi.fmt),
        highlight_month=list(ctx.period.months),
        direction=kpi.direction,
        forecast=_trend_forecast(ctx, kpi_id, df),
    )
    st.altair_chart(chart, width="stretch", key=f"chart_{key}")
    chart_downloads(chart, f"{kpi_id}-trend", key=key)


def _forecast_of(ctx: PageContext, kpi_id: str):
    card = next((v for v in scorecard(ctx, (kpi_id,)) if v.id == kpi_id), None)
    return card.forecast if card else None


def _trend_forecast(ctx: PageContext, kpi_id: str, df) -> list[tuple] | None:
    """An unfinished period's months forecast (the month in progress, the later months to
    the period's end), dashed on from the last month before them with a value."""
    f = _forecast_of(ctx, kpi_id)
    if f is None or not f.months:
        return None
    before = df[(df["month"] < f.months[0][0]) & df["value"].notna()]
    if before.empty:
        return None
    last = before.iloc[-1]
    start = float(last["value"])
    return [(last["month"], start, start, start), *f.months]


def pace_section(ctx: PageContext, kpi_id: str, *, key: str) -> None:
    """An unfinished period of an additive KPI: the cumulative value by day against the
    pacing line and the forecast to the period's end; nothing for a finished period."""
    from cockpit.charts.trends import pace_chart
    from cockpit.kpis import forecast as fc
    from cockpit.kpis.periods import month_span

    f = _forecast_of(ctx, kpi_id)
    kpi = lookup(kpi_id)
    if f is None or not is_additive(kpi):
        return
    df = series(ctx, kpi_id)
    values = {
        m: (None if pd.isna(v) else float(v)) for m, v in zip(df["month"], df["value"], strict=True)
    }
    months = month_span(ctx.period.start, f.end)
    plan = _series(view_cache_key(ctx)[0], tuple(months), view_cache_key(ctx)[3], kpi_id)
    targets = (
        {
            m: (None if pd.isna(t) else float(t))
            for m, t in zip(plan["month"], plan["target"], strict=True)
        }
        if "target" in plan.columns
        else {}
    )
    points = fc.pace_points(ctx.period, values, targets, f)
    title = f"{kpi.label}: pace to the end of {f.end:%b %Y}"
    chart = pace_chart(points, title=title, label=kpi.label, unit=format_unit(kpi.fmt),
                       fmt=d3_format(kpi.fmt))  # fmt: skip
    st.altair_chart(chart, width="stretch", key=f"chart_{key}")
    pace = "dotted: the target's pace; " if points["pacing"] else ""
    st.caption(f"Solid: {kpi.label.lower()} to date; {pace}dashed: the forecast ({f.note}), "
               "its 80% range shaded.")  # fmt: skip
    chart_downloads(chart, f"{kpi_id}-pace", key=key)


def breakdown_section(ctx: PageContext, kpi_id: str, dimensions: list[str], *, key: str) -> None:
    """A KPI broken down by a dimension the viewer picks, as bars and a table to export."""
    from cockpit.charts.breakdowns import breakdown_bar

    kpi = lookup(kpi_id)
    dim = (
        st.segmented_control(
            f"{kpi.label} by",
            dimensions,
            default=dimensions[0],
            key=f"dim_{key}",
            format_func=lambda d: d.replace("_", " ").capitalize(),
        )
        or dimensions[0]
    )
    df = breakdown(ctx, kpi_id, dim)
    card = next((v for v in scorecard(ctx, (kpi_id,)) if v.id == kpi_id), None)
    chart = breakdown_bar(
        df.assign(n=df["denominator"]) if kpi.denominator else df,
        dimension=dim,
        title=f"{kpi.label} by {dim.replace('_', ' ')}",
        unit=format_unit(kpi.fmt),
        fmt=d3_format(kpi.fmt),
        target=card.target if card else None,
        amber=card.amber if card else None,
        direction=kpi.direction,
    )
    event = st.altair_chart(
        chart, width="stretch", key=f"chart_{key}", on_select="rerun", selection_mode="pick"
    )
    filter_to_pick(ctx, event, dim, key=key)
    if dim in ctx.dimensions:
        st.caption("Click a bar to filter the page to it.")
    table, formats = scorecard_view.breakdown_table(df, kpi, dim)
    label = dim.replace("_", " ")
    row = st.container(horizontal=True)  # its export, and an action on what it shows
    with row:
        table_download(
            ctx, table, f"{kpi.label} by {label}", f"{kpi_id}-by-{dim}", key=key, formats=formats
        )
        raise_action.breakdown_raise(ctx, kpi_id, dim, key=key)


def filter_to_pick(ctx: PageContext, event, dimension: str, *, key: str) -> None:
    """A click on a breakdown bar filters the page to that slice: the filter goes in the
    link (f_<dimension>) and the whole page reruns with it, as if chosen in Filters. A
    pick is acted on once: the chart keeps its selection across reruns."""
    from cockpit.charts.breakdowns import picked_value

    value = picked_value(event, dimension)
    seen = st.session_state.setdefault("_picked", {})
    if value is None or seen.get(key) == (dimension, value):
        seen[key] = (dimension, value) if value is not None else None
        return
    seen[key] = (dimension, value)
    if ctx.filters.get(dimension) == [value] or dimension not in ctx.dimensions:
        return
    st.query_params[f"f_{dimension}"] = [value]
    st.rerun(scope="app")


def table_download(ctx: PageContext, df, title: str, name: str, *, key: str, formats=None) -> None:
    """An xlsx download of a table with the view's context written above it."""
    context = context_lines(ctx)  # now, in the page's run: the link needs the browser's URL
    money = currency.shown()
    st.download_button(
        "⬇ xlsx",
        lambda: xlsx.table_to_xlsx(
            df, title=title, context=context, formats=formats, currency=money
        ),
        file_name=view_file_name(
            name,
            ctx.period.label if ctx.period is not None else None,
            filters=ctx.filters,
            ext="xlsx",
        ),
        key=f"xlsx_{key}",
        on_click="ignore",
        type="tertiary",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def chart_downloads(chart, name: str, *, key: str) -> None:
    """PNG and SVG downloads of a chart, rendered only when clicked."""
    row = st.container(horizontal=True)
    row.download_button(
        "⬇ PNG",
        lambda: images.chart_png(chart),
        file_name=f"{name}.png",
        key=f"png_{key}",
        on_click="ignore",
        type="tertiary",
        mime="image/png",
    )
    row.download_button(
        "⬇ SVG",
        lambda: images.chart_svg(chart),
        file_name=f"{name}.svg",
        key=f"svg_{key}",
        on_click="ignore",
        type="tertiary",
        mime="image/svg+xml",
    )


def columns(n: int):
    """Side-by-side sections."""
    return st.columns(n)
