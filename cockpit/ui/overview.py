"""Overview extras: the one-page brief for leadership packs."""

from __future__ import annotations

import streamlit as st

from cockpit.alerts import rules as alert_rules
from cockpit.export.brief import brief_html
from cockpit.export.names import view_file_name
from cockpit.screens import scorecard_view
from cockpit.ui import cached
from cockpit.ui.shell import PageContext


def brief_bytes(ctx: PageContext, link: str | None = None) -> bytes:
    """The scorecard of the current view as a self-contained one-page HTML brief."""
    values = cached.scorecard(ctx)
    cards = [
        c
        for group in scorecard_view.by_group(
            values, compare=ctx.state.compare, defs=cached.kpi_definitions(ctx)
        ).values()
        for c in group
    ]
    alert_rules.add_owners(cards, alert_rules.owners_by_kpi(ctx.store), ctx.filters)
    html = brief_html(
        title="Operations scorecard",
        subtitle=(
            f"{scorecard_view.period_basis(ctx.period, ctx.state.compare)}"
            f" · {scorecard_view.headline(values)}"
        ),
        cards=cards,
        movers=cached.movers(ctx),
        context=cached.context_lines(ctx)[:3],
        link=link or cached.pinned_link(ctx),
        movers_title=scorecard_view.movers_heading(ctx.period, ctx.state.compare),
    )
    return html.encode("utf-8")


def brief_download(ctx: PageContext) -> None:
    # The link is made now, in the page's run: the click's callback has no browser URL.
    link = cached.pinned_link(ctx)
    st.download_button(
        "Brief",
        lambda: brief_bytes(ctx, link),
        file_name=view_file_name(
            "ops-brief",
            ctx.period.label if ctx.period is not None else None,
            filters=ctx.filters,
            compare=ctx.state.compare,
            ext="html",
        ),
        mime="text/html",
        key="brief",
        on_click="ignore",
        icon=":material/print:",
        help="A one-page brief of this view (HTML, prints on one page)",
    )
