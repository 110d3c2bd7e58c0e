"""Overview extras: the one-page brief for leadership packs."""

from __future__ import annotations

import streamlit as st

from cockpit import links, scorecard_view
from cockpit.export.brief import brief_html
from cockpit.ui import views
from cockpit.ui.shell import PageContext, _base_url


def brief_bytes(ctx: PageContext) -> bytes:
    """The scorecard of the current view as a self-contained one-page HTML brief."""
    values = views.scorecard(ctx)
    cards = [
        c
        for group in scorecard_view.by_group(
            values, compare=ctx.state.compare, defs=views.kpi_definitions(ctx)
        ).values()
        for c in group
    ]
    pinned = links.to_url(ctx.state if ctx.state.asof else _pin(ctx), _base_url())
    html = brief_html(
        title="Operations scorecard",
        subtitle=ctx.period.label,
        cards=cards,
        movers=views.movers(ctx),
        context=views.context_lines(ctx)[:3],
        link=pinned,
    )
    return html.encode("utf-8")


def _pin(ctx: PageContext):
    from dataclasses import replace

    return replace(ctx.state, asof=ctx.latest_seq)


def brief_download(ctx: PageContext) -> None:
    st.download_button(
        "Brief",
        lambda: brief_bytes(ctx),
        file_name="ops-brief.html",
        mime="text/html",
        key="brief",
        on_click="ignore",
        icon=":material/print:",
        help="A one-page brief of this view (HTML, prints on one page)",
    )
