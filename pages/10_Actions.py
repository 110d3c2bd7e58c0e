"""Actions: what is to be done about each KPI, by whom and by when; overdue first."""

from cockpit.ui import actions_page
from cockpit.ui.shell import page_body, page_shell

ctx = page_shell("actions")

with page_body(ctx):
    actions_page.body(ctx)
