"""Cost: operating cost against budget, where the variance is, unit costs and margin."""

from cockpit.ui import cached, cards, cost
from cockpit.ui.shell import page_shell, share_button

ctx = page_shell("cost", dimensions=("unit", "account", "site", "category"))

if not cached.no_data(ctx):
    share_button(ctx)
    cards.scorecard_grid(ctx, cached.scorecard(ctx), groups=("Cost",), columns=4)
    cost.budget_section(ctx)
    cost.variance_section(ctx)

    left, right = cached.columns(2)
    with left:
        cached.trend_section(ctx, "cost_per_unit", key="cpu")
    with right:
        cached.trend_section(ctx, "cost_per_order", key="cpo")
    cached.trend_section(ctx, "gross_margin_pct", key="margin")
