"""Login gate: with auth on, nothing below it runs (so no data shows) until the user is in.

Modes come from .streamlit/secrets.toml (see cockpit.auth.auth_config): off (a single local
user with every right), password (salted hashes), or OIDC through st.login.
"""

from __future__ import annotations

import streamlit as st

from cockpit import auth, login
from cockpit.store import Store


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - no secrets.toml at all means auth off
        return {}


def current_config() -> auth.AuthConfig:
    try:
        return auth.auth_config(_secrets())
    except ValueError as exc:
        st.error(f"Sign-in is misconfigured in .streamlit/secrets.toml: {exc}")
        st.stop()


def require_login(store: Store, *, needs: str = "read") -> auth.User:
    """The signed-in user, or draw the login form and stop the script."""
    config = current_config()
    if config.mode == "off":
        user = auth.LOCAL_ADMIN
    elif config.mode == "password":
        user = st.session_state.get("cockpit_user")
        if user is None:
            _password_form(store, config)
            st.stop()
    else:
        user = _oidc_user(config)
    if not auth.can(user, needs):
        st.error(
            f"This page needs the {auth.PERMISSIONS[needs]} role; "
            f"you are signed in as {auth.a_role(user.role)}."
        )
        st.stop()
    return user


def _password_form(store: Store, config: auth.AuthConfig) -> None:
    st.title("Ops Cockpit")
    st.caption("Sign in to see the numbers.")
    with st.form("login"):
        name = st.text_input("User name")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            user = login.sign_in(store, config, name, password)
        except login.LoginLocked as exc:
            st.error(str(exc))
            return
        if user is None:
            st.error("Unknown user name or wrong password.")
            return
        st.session_state["cockpit_user"] = user
        st.rerun()


def _oidc_user(config: auth.AuthConfig) -> auth.User:
    if not st.user.is_logged_in:
        st.title("Ops Cockpit")
        st.caption("Sign in with your company account to see the numbers.")
        if st.button("Sign in", type="primary"):
            st.login(config.provider) if config.provider else st.login()
        st.stop()
    email = st.user.get("email") or st.user.get("name") or "unknown"
    return auth.oidc_user(config, email)


def user_badge(user: auth.User) -> None:
    """Who is signed in, with a sign-out button when auth is on."""
    if user == auth.LOCAL_ADMIN:
        return
    st.caption(f"Signed in as **{user.name}** ({user.role})")
    if st.button("Sign out", key="signout"):
        st.session_state.pop("cockpit_user", None)
        if current_config().mode == "oidc":
            st.logout()
        st.rerun()
