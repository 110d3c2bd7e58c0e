"""Overview extras: the one-page brief for leadership packs."""

from __future__ import annotations

import streamlit as st

from cockpit import currency
from cockpit.alerts import rules as alert_rules
from cockpit.export import xlsx
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
