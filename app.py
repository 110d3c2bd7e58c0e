"""Overview: the COO's scorecard — are we on track, what moved, where to look next.

Also the app server when started with `streamlit run app.py` (what a Streamlit user types
first): Streamlit then finds the `st.App` below and imports this file as a module to serve
it, the same app as `streamlit run server.py` (pages, HTTP API, server file), so the command
line reaches it instead of waiting on the database file. As the Overview page, Streamlit runs
this file as `__main__`.
"""

import streamlit as st

if __name__ != "__main__":  # imported to be served: the whole app, as server.py
    import server

    app = st.App(server.ENTRY, routes=server.ROUTES, lifespan=server.lifespan)
else:
    from cockpit.ui import alerts_page, cached, cards, meeting_page, raise_action
    from cockpit.ui.overview import brief_download, scorecard_download
    from cockpit.ui.shell import PageContext, page_shell, share_button, view_section

    ctx = page_shell("overview", dimensions=("site", "region", "channel", "category"))

    def overview(view: PageContext) -> None:
        """The headline, what moved and the KPI cards of the view."""
        if not cached.no_data(view):
            alerts_page.new_alerts_line(view)
            cards.overview_body(view)
            scorecard_download(view)  # under the cards, as a table's export on other pages

    view_section(
        ctx,
        overview,
        actions=(
            share_button,
            brief_download,
            raise_action.raise_button,
            meeting_page.start_button,
        ),
    )
