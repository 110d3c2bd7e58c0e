"""Customer: satisfaction, loyalty, contact-centre service and resolution."""

from cockpit.ui import cached, cards, customer, raise_action
from cockpit.ui.shell import PageContext, page_shell, share_button, view_section

ctx = page_shell("customer", dimensions=("channel", "agent", "topic", "segment", "site"))


def customer_view(view: PageContext) -> None:
    """The customer cards, CSAT/NPS and service trends, resolution, CSAT by slice."""
    if cached.no_data(view):
        return
    cards.scorecard_grid(view, cached.scorecard(view), groups=("Customer",), columns=4)

    left, right = cached.columns(2)
    with left:
        cached.trend_section(view, "csat_pct", key="csat")
    with right:
        cached.trend_section(view, "nps", key="nps")
    left, right = cached.columns(2)
    with left:
        cached.trend_section(view, "asa_seconds", key="asa")
    with right:
        cached.trend_section(view, "abandon_pct", key="abandon")
    customer.pair_trend(
        view,
        ("fcr_pct", "resolved_pct"),
        title="First-contact resolution and resolved %",
        unit="%",
        key="fcr",
    )
    customer.resolution_section(view)
    cached.breakdown_section(view, "csat_pct", ["agent", "topic", "channel"], key="csat_by")


view_section(ctx, customer_view, actions=(share_button, raise_action.raise_button))
