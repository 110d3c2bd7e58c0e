"""The app server: the Streamlit pages and the HTTP API in one process, which alone holds the
database file (`make run` starts it: `streamlit run server.py`; `streamlit run app.py` serves
the same app, see app.py).

Streamlit's ASGI `st.App` serves app.py and pages/ as usual, plus the routes of cockpit.api;
its lifespan writes `<database>.server.json` so the command line finds us, and removes it on
the way out, and warms up: the page code imported and the default view computed before the
first visitor comes (GET /api/health says "warm": true once done).

Without sign-in configured it serves this machine only (cockpit.exposure): `make run` passes
--server.address 127.0.0.1 then, and started any other way on another address it refuses to
serve, saying so in the log.
"""

import logging
import sys
from contextlib import asynccontextmanager

import streamlit as st
from streamlit import config

from cockpit import api, auth, exposure, navigation
from cockpit.ui import warmup

log = logging.getLogger("cockpit.server")


def _auth_mode() -> str:
    try:
        return auth.auth_config(st.secrets.to_dict()).mode
    except Exception:  # noqa: BLE001 - no or unreadable secrets.toml: sign-in is off
        return "off"


def _check_exposure() -> None:
    """Sign-in off: say so and how to open up; refuse to serve on a non-loopback address
    (the socket is bound before this module is imported, so it cannot be moved now)."""
    mode, bound = _auth_mode(), config.get_option("server.address")
    said = exposure.notice(mode, bound)
    if said is None:
        return
    if exposure.is_loopback(bound):
        log.warning(said)
        return
    where = bound or "every interface"
    log.error(
        "Not serving on %s: sign-in is off, so anyone on the network would be the admin. "
        "Start with --server.address 127.0.0.1 (make run does). %s",
        where,
        exposure.HOW_TO_OPEN,
    )
    sys.exit(3)


_check_exposure()


@asynccontextmanager
async def lifespan(_app):
    address = config.get_option("server.address") or "127.0.0.1"
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"  # listening everywhere: the local CLI uses loopback
    # The pages' modules first, before any visitor: a page importing them while the warm-up
    # thread does (a package half-initialised in the other thread) failed on a busy machine.
    warmup.import_pages()
    # Off the event loop: the default view's caches.
    api.start(int(config.get_option("server.port") or 8501), host=address, warm_pages=warmup.warm)
    try:
        yield {}
    finally:
        api.stop()


ENTRY, ROUTES = navigation.ENTRY, api.routes()  # app.py serves the same app
app = st.App(ENTRY, routes=ROUTES, lifespan=lifespan)
