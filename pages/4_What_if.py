"""What-if: a driver model fitted on the actuals — change drivers, see the outputs move."""

from cockpit.ui import cached, whatif_page
from cockpit.ui.shell import page_shell, share_button

ctx = page_shell("whatif", dimensions=("site", "region", "channel", "category"))

if not cached.no_data(ctx):
    share_button(ctx)
    base = whatif_page.baseline(ctx)
    drivers = whatif_page.driver_inputs(ctx)
    whatif_page.outputs_section(base, drivers)

    left, right = cached.columns(2)
    with left:
        whatif_page.sensitivity_section(base, drivers)
    with right:
        whatif_page.goal_seek_section(base, drivers)
    whatif_page.scenarios_section(ctx, base, drivers)
