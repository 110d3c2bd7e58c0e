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


def brief_pdf_bytes(ctx: PageContext, link: str | None = None) -> bytes:
    """The same brief as a PDF (headless Chromium), as `cockpit brief --pdf` makes it."""
    from cockpit.export.pdf import html_to_pdf

    return html_to_pdf(brief_bytes(ctx, link).decode("utf-8"))


def brief_download(ctx: PageContext) -> None:
    # The link is made now, in the page's run: the click's callback has no browser URL.
    link = cached.pinned_link(ctx)
    box = st.popover("Brief", icon=":material/print:", key="brief_menu",
                     help="A one-page brief of this view, to print or send")  # fmt: skip
    for ext, label, data, mime, icon in (
        ("html", "HTML (prints on one page)", brief_bytes, "text/html", ":material/html:"),
        ("pdf", "PDF (A4 landscape)", brief_pdf_bytes, "application/pdf",
         ":material/picture_as_pdf:"),
    ):  # fmt: skip
        box.download_button(
            label,
            lambda data=data: data(ctx, link),
            file_name=view_file_name(
                "ops-brief",
                ctx.period.label if ctx.period is not None else None,
                filters=ctx.filters,
                compare=ctx.state.compare,
                ext=ext,
            ),
            mime=mime,
            key="brief" if ext == "html" else "brief_pdf",
            on_click="ignore",
            icon=icon,
            width="stretch",
        )
