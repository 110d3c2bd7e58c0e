"""Rows: the rows behind a KPI in the view — what a card or a bar adds up, page by page."""

from cockpit.datasets import FILTER_DIMENSIONS
from cockpit.ui import cached, rows_page
from cockpit.ui.shell import PageContext, page_shell, share_button, view_section

ctx = page_shell("rows", dimensions=FILTER_DIMENSIONS)


def rows_view(view: PageContext) -> None:
    """The KPI, what its rows are, one page of them, and downloads of them all."""
    if not cached.no_data(view):
        rows_page.body(view)


view_section(ctx, rows_view, actions=(share_button,))
