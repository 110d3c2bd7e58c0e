"""Overview: the COO's scorecard — are we on track, what moved, where to look next."""

from cockpit.ui import cached, cards
from cockpit.ui.overview import brief_download
from cockpit.ui.shell import page_shell, share_button

ctx = page_shell("overview", dimensions=("site", "region", "channel", "category"))

if not cached.no_data(ctx):
    st_cols = cards.header_row(ctx)
    with st_cols[1]:
        share_button(ctx)
    with st_cols[2]:
        brief_download(ctx)
    values = cached.scorecard(ctx)
    cards.headline(ctx, values)
    cards.movers_strip(cached.movers(ctx), ctx)
    cards.scorecard_grid(ctx, values)
