"""Overview: the COO's scorecard — are we on track, what moved, where to look next."""

from cockpit.ui import cached, cards
from cockpit.ui.overview import brief_download
from cockpit.ui.shell import page_shell, share_button

ctx = page_shell("overview", dimensions=("site", "region", "channel", "category"))

if not cached.no_data(ctx):
    with cards.header_row(ctx):
        share_button(ctx)
        brief_download(ctx)
    cards.overview_body(ctx, cached.scorecard(ctx), cached.movers(ctx))
