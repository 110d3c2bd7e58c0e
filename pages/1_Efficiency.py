"""Efficiency: on-time delivery, cycle time, throughput, OEE and downtime."""

from cockpit.ui import cached, cards, efficiency, raise_action
from cockpit.ui.shell import PageContext, page_shell, share_button, view_section

ctx = page_shell(
    "efficiency", dimensions=("site", "region", "channel", "ship_mode", "category", "line")
)


def efficiency_view(view: PageContext) -> None:
    """The efficiency cards, on-time and cycle-time trends, on-time by slice, OEE, downtime."""
    if cached.no_data(view):
        return
    cards.scorecard_grid(view, cached.scorecard(view), groups=("Efficiency",), columns=5)
    cached.pace_section(view, "orders", key="orders_pace")  # a period still arriving only

    left, right = cached.columns(2)
    with left:
        cached.trend_section(view, "on_time_pct", key="ontime")
    with right:
        cached.trend_section(view, "cycle_time_days", key="cycle")
    cached.breakdown_section(
        view, "on_time_pct", ["site", "region", "ship_mode", "channel"], key="ontime_by"
    )

    efficiency.oee_section(view)
    efficiency.downtime_section(view)


view_section(ctx, efficiency_view, actions=(share_button, raise_action.raise_button))
