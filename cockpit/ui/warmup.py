"""Server start-up warm-up for the pages: import what they draw with, and fill the caches
of the view most visitors open first.

The first script run of a fresh server otherwise imports pandas, Altair, openpyxl and the
page code (about a second on two cores) and fills its caches while the first visitor waits.

Then what is in memory is frozen out of the garbage collector's way (`settle`). Streamlit
runs a full collection after every script run (runner.postScriptGC), holding the GIL while
the page's last messages wait to be sent: with the libraries loaded that took 40-60 ms of
every rerun, more than the script itself. Frozen, it scans only what came since.
"""

from __future__ import annotations

import gc
import importlib

from cockpit import currency
from cockpit.datasets import FILTER_DIMENSIONS

PAGE_MODULES = (
    # Streamlit's own, imported on first use: the page icon's emoji check, icon names.
    "streamlit.emojis",
    "streamlit.material_icon_names",
    "cockpit.ui.cards",
    "cockpit.ui.cached",
    "cockpit.ui.overview",
    "cockpit.ui.shell",
    "cockpit.ui.efficiency",
    "cockpit.ui.cost",
    "cockpit.ui.customer",
    "cockpit.ui.whatif_page",
    "cockpit.ui.data_page",
    "cockpit.ui.settings_page",
    "cockpit.ui.sql_page",
    "cockpit.ui.rows_page",
    "cockpit.ui.alerts_page",
    "cockpit.ui.recipe_part",
    "cockpit.ui.raise_action",
    "cockpit.ui.actions_page",
    "cockpit.ui.meeting_page",
)


def import_pages() -> None:
    """Import every module the pages draw with (idempotent; cheap once done)."""
    for name in PAGE_MODULES:
        importlib.import_module(name)


def warm(store) -> None:
    """Imports, then the default view: its queries in the shared memo (cockpit.kpis.warm),
    then the pages' own caches of it (cards, movers, the Overview's block, sidebar lists)."""
    from cockpit.kpis import warm as kpis_warm
    from cockpit.kpis.periods import default_month, make_period
    from cockpit.ui import cached, cards, shell

    import_pages()
    currency.use(store)  # the texts it caches ("rose £21k") are written in the data's money
    try:
        if not kpis_warm.default_view(store):
            return
        version = store.latest_seq()
        period = make_period("month", default_month(store, version).month)
        cached.warm(version, period)
        cards.warm(store, version, period)
        shell.warm_sidebar(store, version, FILTER_DIMENSIONS)
    finally:
        settle()


def settle() -> None:
    """Collect what is garbage now, then freeze the survivors (the libraries, the page code,
    the warm caches) so later collections skip them: see the module's docstring."""
    gc.collect()
    gc.freeze()
