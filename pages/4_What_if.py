"""What-if: a driver model fitted on the actuals — change drivers, see the outputs move."""

from cockpit.ui import cached, whatif_page
from cockpit.ui.shell import PageContext, page_shell, share_button, view_section

ctx = page_shell("whatif", dimensions=("site", "region", "channel", "category"))


def whatif_view(view: PageContext) -> None:
    """The baseline, the drivers, the outputs, sensitivity, goal seek and scenarios."""
    if cached.no_data(view):
        return
    base = whatif_page.baseline(view)
    drivers = whatif_page.driver_inputs(view, base)
    whatif_page.outputs_section(base, drivers)

    left, right = cached.columns(2)
    with left:
        whatif_page.sensitivity_section(base, drivers)
    with right:
        whatif_page.goal_seek_section(base, drivers)
    whatif_page.scenarios_section(view, base, drivers)


view_section(ctx, whatif_view, actions=(share_button,))
