"""Cost: operating cost against budget, where the variance is, unit costs and margin."""

from cockpit.ui import cached, cards, cost, raise_action
from cockpit.ui.shell import PageContext, page_shell, share_button, view_section

ctx = page_shell("cost", dimensions=("unit", "account", "site", "category"))


def cost_view(view: PageContext) -> None:
    """The cost cards, budget against actual, the variance, unit-cost and margin trends."""
    if cached.no_data(view):
        return
    cards.scorecard_grid(view, cached.scorecard(view), groups=("Cost",), columns=4)
    cached.pace_section(view, "revenue", key="revenue_pace")  # a period still arriving only
    cost.budget_section(view)
    cost.variance_section(view)

    left, right = cached.columns(2)
    with left:
        cached.trend_section(view, "cost_per_unit", key="cpu")
    with right:
        cached.trend_section(view, "cost_per_order", key="cpo")
    cached.trend_section(view, "gross_margin_pct", key="margin")


view_section(ctx, cost_view, actions=(share_button, raise_action.raise_button))
