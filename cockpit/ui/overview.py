"""Overview extras: the one-page brief for leadership packs."""

from __future__ import annotations

import streamlit as st

from cockpit import currency
from cockpit.briefs import document
from cockpit.export import xlsx
from cockpit.export.names import view_file_name
from cockpit.screens import scorecard_view
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


def scorecard_xlsx(ctx: PageContext, context: list[tuple[str, str]]) -> bytes:
    """The view's scorecard as an xlsx table, a column per comparison of the view."""
    table, formats = scorecard_view.scorecard_table(
        cached.scorecard(ctx), compare=ctx.state.compare, defs=cached.kpi_definitions(ctx)
    )
    title = f"Operations scorecard: {scorecard_view.period_basis(ctx.period, ctx.state.compare)}"
    return xlsx.table_to_xlsx(
        table, title=title, context=context, formats=formats, words=False,
        currency=currency.shown(),
    )  # fmt: skip


def scorecard_download(ctx: PageContext) -> None:
    """ "⬇ xlsx" beside the brief: the cards of the view as a table."""
    context = cached.context_lines(ctx)  # now, in the page's run: the link needs its URL
    st.download_button(
        "⬇ Scorecard xlsx",
        lambda: scorecard_xlsx(ctx, context),
        file_name=view_file_name(
            "scorecard",
            ctx.period.label if ctx.period is not None else None,
            filters=ctx.filters,
            compare=ctx.state.compare,
            ext="xlsx",
        ),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="scorecard_xlsx",
        on_click="ignore",
        type="tertiary",
        help="The scorecard of this view as a table (xlsx), a column per comparison",
    )
