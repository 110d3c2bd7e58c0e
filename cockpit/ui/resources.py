"""Process-wide resources for the app: the one DuckDB connection, cached by Streamlit."""

from __future__ import annotations

import streamlit as st

from cockpit import store as store_mod
from cockpit.store import Store, default_db_path


@st.cache_resource(show_spinner=False)
def _store_for(path: str) -> Store:
    # The process-wide Store, shared with the HTTP API served beside the pages (cockpit.api).
    return store_mod.get_store(path)


def get_store() -> Store:
    """The Store for $COCKPIT_DB (one connection per process; a cursor per query)."""
    return _store_for(str(default_db_path().resolve()))
