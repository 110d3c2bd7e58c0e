"""Overview: the COO's scorecard — are we on track, what moved, where to look next."""

from cockpit.ui import alerts_page, cached, cards
from cockpit.ui.overview import brief_download
from cockpit.ui.shell import PageContext, page_shell, share_button, view_section

ctx = page_shell("overview", dimensions=("site", "region", "channel", "category"))


def overview(view: PageContext) -> None:
    """The headline, what moved and the KPI cards of the view."""
    if not cached.no_data(view):
        alerts_page.new_alerts_line(view)
        cards.overview_body(view, cached.scorecard(view), cached.movers(view))


view_section(ctx, overview, actions=(share_button, brief_download))
