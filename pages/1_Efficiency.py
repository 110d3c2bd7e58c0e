"""Efficiency: on-time delivery, cycle time, throughput, OEE and downtime."""

from cockpit.ui import cached, cards, efficiency
from cockpit.ui.shell import page_shell, share_button

ctx = page_shell(
    "efficiency", dimensions=("site", "region", "channel", "ship_mode", "category", "line")
)

if not cached.no_data(ctx):
    share_button(ctx)
    cards.scorecard_grid(ctx, cached.scorecard(ctx), groups=("Efficiency",), columns=5)

    left, right = cached.columns(2)
    with left:
        cached.trend_section(ctx, "on_time_pct", key="ontime")
    with right:
        cached.trend_section(ctx, "cycle_time_days", key="cycle")
    cached.breakdown_section(
        ctx, "on_time_pct", ["site", "region", "ship_mode", "channel"], key="ontime_by"
    )

    efficiency.oee_section(ctx)
    efficiency.downtime_section(ctx)
