"""Process-wide resources for the app: the one DuckDB connection, cached by Streamlit."""

from __future__ import annotations

import time

import streamlit as st

from cockpit import store as store_mod
from cockpit.store import Store, default_db_path


@st.cache_resource(show_spinner=False, validate=lambda store: store.is_open())
def _store_for(path: str) -> Store:
    # The process-wide Store, shared with the HTTP API served beside the pages (cockpit.api).
    return store_mod.get_store(path)


def get_store() -> Store:
    """The Store for $COCKPIT_DB (one connection per process; a cursor per query).

    While another process holds the file (a command-line load run without the app server),
    the page says so and tries again by itself, instead of showing DuckDB's lock error."""
    try:
        return _store_for(str(default_db_path().resolve()))
    except Exception as exc:
        if not store_mod.is_lock_error(exc):
            raise
    st.info(store_mod.BUSY_MESSAGE + "…", icon=":material/hourglass_top:")
    time.sleep(2)
    st.rerun()
