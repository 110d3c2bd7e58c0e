"""Overview extras: the one-page brief for leadership packs."""

from __future__ import annotations

import streamlit as st

from cockpit.briefs import document
from cockpit.export.names import view_file_name
from cockpit.ui import cached
from cockpit.ui.shell import PageContext


def brief_bytes(ctx: PageContext, link: str | None = None) -> bytes:
    """The scorecard of the current view as a self-contained one-page HTML brief (composed
    by cockpit.briefs.document, as `cockpit brief` and the scheduled e-mails are)."""
    html = document.compose(
        ctx.store,
        period=ctx.period,
        compare=ctx.state.compare,
        filters=ctx.filters,
        values=cached.scorecard(ctx),
        movers=cached.movers(ctx),
        context=cached.context_lines(ctx)[:3],
        link=link or cached.pinned_link(ctx),
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
