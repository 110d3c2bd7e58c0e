"""Alerts: what fired after each load (and daily for stale data), newest first, with how
each e-mail and webhook went."""

from cockpit.ui import alerts_page
from cockpit.ui.shell import page_body, page_shell

ctx = page_shell("alerts")

with page_body(ctx):
    alerts_page.body(ctx)
