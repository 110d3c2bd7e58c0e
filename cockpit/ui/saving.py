"""Saving a view, scenario or query from a page: the share choice and the role check's answer."""

from __future__ import annotations

import streamlit as st

from cockpit import auth
from cockpit.screens import saved


def share_choice(user: auth.User, *, key: str) -> bool:
    """A "share with everyone" box for those allowed to share (analysts and up); viewers keep
    their items to themselves, so they see a caption instead."""
    if auth.can(user, "save_shared"):
        return st.checkbox("Share with everyone", value=True, key=key)
    st.caption("Saved for you only (sharing needs the analyst role).")
    return False


def save(store, kind: str, name: str, value, user: auth.User, *, shared: bool) -> bool:
    """Save through the core's role check; say why not when it refuses."""
    try:
        saved.save(store, kind, name, value, user=user, shared=shared)
    except (auth.PermissionDenied, ValueError) as exc:
        st.error(f"Not saved: {exc}")
        return False
    st.toast(f"Saved {name.strip()}")
    return True
