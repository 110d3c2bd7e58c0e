"""KPI cards and the scorecard grid: value, change, sparkline, RAG, hover description."""

from __future__ import annotations

import streamlit as st

from cockpit import navigation
from cockpit.kpis.registry import lookup
from cockpit.screens import scorecard_view
from cockpit.ui import cached
from cockpit.ui.shell import PageContext


def kpi_card(card: dict, link: dict | None = None) -> None:
    """One KPI card from a scorecard_view.card_view dict; `link` opens its page."""
    with st.container(border=True):
        st.html(scorecard_view.card_html(card))
        if link:
            st.page_link(
                link["page"], label="Open →", query_params=link["params"], help=link["help"]
            )


def scorecard_grid(ctx: PageContext, values: list, *, columns: int = 4, groups=None) -> None:
    """KPI cards grouped by Efficiency / Cost / Customer, each group linking to its page."""
    compare = ctx.state.compare
    for group, cards in scorecard_view.by_group(
        values, compare=compare, defs=cached.kpi_definitions(ctx)
    ).items():
        if groups and group not in groups:
            continue
        detail = navigation.for_group(group)
        on_own_page = detail is not None and detail.id == ctx.page
        if not on_own_page:  # a group's own page already has it as its title
            head = st.columns([6, 1])
            head[0].subheader(group)
            if detail is not None:
                head[1].page_link(detail.file, label="Details →", query_params=_qp(ctx))
        # On the overview a card opens its group's page with the same view (period, filters).
        link = None
        if detail is not None and not on_own_page:
            link = {"page": detail.file, "params": _qp(ctx), "help": f"Open {group}"}
        for start in range(0, len(cards), columns):
            row = st.columns(columns)
            for col, card in zip(row, cards[start : start + columns], strict=False):
                with col:
                    kpi_card(card, link)


def _qp(ctx: PageContext) -> dict:
    from cockpit import links

    params = links.to_query_params(ctx.state)
    params.pop("page", None)
    return params


def movers_strip(movers: list[dict], ctx: PageContext | None = None) -> None:
    """The 'what moved' strip: the biggest changes and the slice behind each; a tile opens
    the KPI's page filtered to that slice."""
    if not movers:
        return
    st.subheader("What moved")
    cols = st.columns(min(len(movers), 5))
    for col, m in zip(cols, movers, strict=False):
        with col, st.container(border=True):
            st.markdown(f"**{m['label']}**")
            st.caption(m["text"])
            detail = navigation.for_group(lookup(m["id"]).group)  # movers are built-ins
            if ctx is not None and detail is not None:
                params, label = _qp(ctx), "Open →"
                driver = m.get("driver")
                if driver:
                    params[f"f_{driver['dimension']}"] = str(driver["slice"])
                    label = f"Open {driver['slice']} →"
                st.page_link(detail.file, label=label, query_params=params)


def header_row(ctx: PageContext):
    """The line under the title: the period shown and room for Share / export buttons."""
    cols = st.columns([6, 1, 1])
    p = ctx.period
    cols[0].markdown(
        f"**{p.label}** · compared with {scorecard_view.COMPARE_TEXT[ctx.state.compare][3:]}"
    )
    if ctx.month_note:
        cols[0].caption(f"Showing {ctx.month_note}.")
    return cols


def headline(ctx: PageContext, values: list) -> None:
    """The one line a COO reads first: how many KPIs are off target, watch, on target."""
    st.markdown(
        f"#### {scorecard_view.headline(values)} "
        f"<span style='font-weight:400;font-size:0.9rem'>· {ctx.period.label}</span>",
        unsafe_allow_html=True,
    )
