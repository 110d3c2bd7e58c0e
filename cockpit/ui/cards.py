"""KPI cards and the scorecard grid: value, change, sparkline, RAG, hover description."""

from __future__ import annotations

import streamlit as st

from cockpit import currency, links, navigation
from cockpit.kpis.registry import lookup
from cockpit.screens import scorecard_view
from cockpit.ui import cached
from cockpit.ui.shell import PageContext


def scorecard_grid(ctx: PageContext, values: list, *, columns: int = 4, groups=None) -> None:
    """KPI cards grouped by Efficiency / Cost / Customer (`groups`: only those), one HTML
    block; see cockpit/ui/in_app_links.py for why, and how its links work."""
    st.html(_grid_html(ctx, values, columns=columns, groups=groups))


def overview_body(ctx: PageContext, values: list, movers: list[dict]) -> None:
    """The Overview under its header, as one HTML block: the headline (how many KPIs are
    off target), "what moved" and the card groups. A tile opens the KPI's page filtered to
    the slice that moved most; a card opens its group's page with the same view."""
    # The same view draws the same block: kept per view, money symbol and link parameters
    # (settings changes clear every cache), so a rerun only re-sends it.
    defs = cached.kpi_definitions(ctx)
    key = (
        cached.view_cache_key(ctx),
        currency.shown(),
        ctx.page,
        repr(sorted(_qp(ctx).items())),
        repr(sorted((k, repr(v)) for k, v in defs.items())),
    )
    st.html(_overview_html(key, ctx, values, movers))


@st.cache_data(show_spinner=False, max_entries=64)
def _overview_html(key: tuple, _ctx: PageContext, _values: list, _movers: list[dict]) -> str:
    """The Overview's block for `key`: only `key` is hashed (Streamlit skips underscored
    arguments), so it must name everything the block shows."""
    return (
        scorecard_view.headline_html(scorecard_view.headline(_values), _ctx.period.label)
        + _movers_html(_ctx, _movers)
        + _grid_html(_ctx, _values)
    )


def _grid_html(ctx: PageContext, values: list, *, columns: int = 4, groups=None) -> str:
    sections = []
    for group, cards in scorecard_view.by_group(
        values, compare=ctx.state.compare, defs=cached.kpi_definitions(ctx)
    ).items():
        if groups and group not in groups:
            continue
        detail = navigation.for_group(group)
        # A group's own page has it as its title, and its cards link nowhere further.
        elsewhere = detail is not None and detail.id != ctx.page
        link = _link(ctx, detail, f"Open {group}") if elsewhere else None
        sections.append(
            {
                "title": group if detail is None or elsewhere else None,
                "cards": cards,
                "link": link,
                "details": {**link, "label": "Details →"} if link else None,
            }
        )
    return scorecard_view.scorecard_html(sections, columns=columns)


def _link(ctx: PageContext, page, help_text: str, **extra: str) -> dict:
    params = _qp(ctx) | extra
    return {"page": page.id, "href": links.page_href(page.id, params), "help": help_text}


def _qp(ctx: PageContext) -> dict:
    params = links.to_query_params(ctx.state)
    params.pop("page", None)
    return params


def _movers_html(ctx: PageContext, movers: list[dict]) -> str:
    if not movers:
        return ""
    tile_links = []
    for m in movers:
        detail = navigation.for_group(lookup(m["id"]).group)  # movers are built-ins
        if detail is None:
            tile_links.append(None)
            continue
        driver = m.get("driver")
        if driver:
            slice_ = str(driver["slice"])
            link = _link(ctx, detail, f"Open {detail.label}: {slice_}",
                         **{f"f_{driver['dimension']}": slice_})  # fmt: skip
            link["label"] = f"Open {slice_} →"
        else:
            link = _link(ctx, detail, f"Open {detail.label}")
            link["label"] = "Open →"
        tile_links.append(link)
    return scorecard_view.movers_html(movers, tile_links)


def header_row(ctx: PageContext):
    """The line under the title: the period shown (and why this month), then the page's
    buttons (Share, exports) on the right: the container to draw them in."""
    p = ctx.period
    text = f"**{p.label}** · compared with {scorecard_view.COMPARE_TEXT[ctx.state.compare][3:]}"
    if ctx.month_note:  # one element: the line and, under it, why this month
        text += f"  \n:small[:gray[Showing {ctx.month_note}.]]"
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    row.markdown(text, width="stretch")
    return row
