"""The app server: the Streamlit pages and the HTTP API in one process, which alone holds the
database file (`make run` starts it: `streamlit run server.py`; `streamlit run app.py` serves
the same app, see app.py).

Streamlit's ASGI `st.App` serves app.py and pages/ as usual, plus the routes of cockpit.api;
its lifespan writes `<database>.server.json` so the command line finds us, and removes it on
the way out, and warms up: the page code imported and the default view computed before the
first visitor comes (GET /api/health says "warm": true once done).
"""

from contextlib import asynccontextmanager

import streamlit as st
from streamlit import config

from cockpit import api, navigation
from cockpit.ui import warmup


@asynccontextmanager
async def lifespan(_app):
    address = config.get_option("server.address") or "127.0.0.1"
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"  # listening everywhere: the local CLI uses loopback
    # Off the event loop: the pages' imports and the default view's caches.
    api.start(int(config.get_option("server.port") or 8501), host=address, warm_pages=warmup.warm)
    try:
        yield {}
    finally:
        api.stop()


ENTRY, ROUTES = navigation.ENTRY, api.routes()  # app.py serves the same app
app = st.App(ENTRY, routes=ROUTES, lifespan=lifespan)
