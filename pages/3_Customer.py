"""Customer: satisfaction, loyalty, contact-centre service and resolution."""

from cockpit.ui import cached, cards, customer
from cockpit.ui.shell import page_shell, share_button

ctx = page_shell("customer", dimensions=("channel", "agent", "topic", "segment", "site"))

if not cached.no_data(ctx):
    share_button(ctx)
    cards.scorecard_grid(ctx, cached.scorecard(ctx), groups=("Customer",), columns=4)

    left, right = cached.columns(2)
    with left:
        cached.trend_section(ctx, "csat_pct", key="csat")
    with right:
        cached.trend_section(ctx, "nps", key="nps")
    left, right = cached.columns(2)
    with left:
        cached.trend_section(ctx, "asa_seconds", key="asa")
    with right:
        cached.trend_section(ctx, "abandon_pct", key="abandon")
    customer.pair_trend(
        ctx,
        ("fcr_pct", "resolved_pct"),
        title="First-contact resolution and resolved %",
        unit="%",
        key="fcr",
    )
    customer.resolution_section(ctx)
    cached.breakdown_section(ctx, "csat_pct", ["agent", "topic", "channel"], key="csat_by")
