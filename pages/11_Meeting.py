"""Meeting packs: the list of packs, or one pack (`pack=`): its agenda of red and amber KPIs
with their owners and actions, and what changed since the last pack."""

from cockpit.ui import meeting_page
from cockpit.ui.shell import page_body, page_shell

ctx = page_shell("meeting")

with page_body(ctx):
    meeting_page.body(ctx)
