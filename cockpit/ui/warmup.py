"""Server start-up warm-up for the pages: import what they draw with once, up front.

The first script run of a fresh server otherwise imports pandas, Altair, openpyxl and the
page code (about a second on two cores) while the first visitor waits.
"""

from __future__ import annotations

import importlib

PAGE_MODULES = (
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
)


def import_pages() -> None:
    """Import every module the pages draw with (idempotent; cheap once done)."""
    for name in PAGE_MODULES:
        importlib.import_module(name)
