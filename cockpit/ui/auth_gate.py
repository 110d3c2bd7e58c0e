"""Login gate: with auth on, nothing below it runs (so no data shows) until the user is in.

Modes come from .streamlit/secrets.toml (see cockpit.auth.auth_config): off (a single local
user with every right), password (salted hashes), or OIDC through st.login.

A password sign-in lasts beyond its tab: it starts a session (cockpit.sessions) whose cookie
the browser keeps, so a reload, a new tab or a shared link resumes it without the form.
Every page run checks the session again, so signing out in one tab ends the others too.
"""

from __future__ import annotations

import time

import streamlit as st

from cockpit import auth, login, navigation, sessions
from cockpit.store import Store, audit
from cockpit.ui import session_cookie

_USER = "cockpit_user"
_SESSION = "cockpit_session"  # this tab's session cookie value
_TICKET = "cockpit_session_ticket"  # (ticket, void after): the browser still has to trade it
_ENDED = "cockpit_session_ended"  # this tab was signed in, and its session ended elsewhere
_FORGET = "cockpit_forget_cookie"  # signed out here: the browser drops the dead cookie


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


def require_login(store: Store) -> auth.User:
    """The signed-in user, or draw the login form and stop the script. What the user may
    open is the page shell's to say (stop_unless_allowed), under the page's sidebar."""
    config = current_config()
    if config.mode == "off":
        return auth.LOCAL_ADMIN
    if config.mode == "oidc":
        return _oidc_user(config)
    user = _session_user(store, config)
    if user is None:
        _password_form(store, config)
        st.stop()
    return user


def stop_unless_allowed(user: auth.User, page: navigation.Page) -> None:
    """On a page `user` may not open: say who may, and stop (the sidebar is drawn)."""
    if auth.can(user, page.needs):
        return
    name = page.title if " " in page.title else f"{page.title} page"
    st.info(
        f"The {name} is for {auth.who_may(page.needs)}. "
        f"You are signed in as {auth.a_role(user.role)}.",
        icon=":material/lock:",
    )
    st.stop()


def _browser_cookie() -> str | None:
    try:
        cookie = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # noqa: BLE001 - no browser request (bare mode)
        return None
    return cookie if isinstance(cookie, str) else None  # AppTest's client is a mock


def _session_user(store: Store, config: auth.AuthConfig) -> auth.User | None:
    """The user of this tab's session, else of the browser's session cookie; checked on
    every run, so a session ended elsewhere (sign-out, an admin, expiry) ends here too."""
    cookie = st.session_state.get(_SESSION) or _browser_cookie()
    name = sessions.resume(store.path, cookie) if cookie else None
    user = auth.user_named(config, name)
    if user is None:
        if st.session_state.pop(_USER, None) is not None:
            st.session_state[_ENDED] = True
        st.session_state.pop(_SESSION, None)
        return None
    st.session_state[_USER] = user
    st.session_state[_SESSION] = cookie
    return user


def _password_form(store: Store, config: auth.AuthConfig) -> None:
    st.title("Ops Cockpit")
    st.caption("Sign in to see the numbers.")
    if st.session_state.pop(_ENDED, False):
        st.info("You were signed out (in another tab, by an admin, or after a long pause). "
                "Please sign in again.")  # fmt: skip
    if st.session_state.pop(_FORGET, False):
        session_cookie.forget()
    with st.form("login"):
        # What password managers look for to fill a sign-in (not "new-password").
        name = st.text_input("User name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
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
        cookie = sessions.start(store.path, user.name)
        st.session_state[_USER] = user
        st.session_state[_SESSION] = cookie
        until = time.monotonic() + sessions.TICKET_S
        st.session_state[_TICKET] = (sessions.ticket_for(cookie), until)
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
    """Who is signed in, with a sign-out button when auth is on; hands a fresh sign-in's
    session to the browser."""
    if user == auth.LOCAL_ADMIN:
        return
    pending = st.session_state.get(_TICKET)
    if pending and pending[1] > time.monotonic():
        session_cookie.keep(pending[0])
    else:
        st.session_state.pop(_TICKET, None)
    st.caption(f"Signed in as **{user.name}** ({user.role})")
    if st.button("Sign out", key="signout"):
        _sign_out(user)


def _sign_out(user: auth.User) -> None:
    """Sign out everywhere: every session of this user ends, not only this tab's."""
    mode = current_config().mode
    for key in (_USER, _SESSION, _TICKET):
        st.session_state.pop(key, None)
    if mode == "password":
        from cockpit.ui.resources import get_store

        store = get_store()
        ended = sessions.end_all(store.path, user.name)
        with store.transaction() as cur:
            audit(cur, user.name, "logout", {"sessions": ended})
        st.session_state[_FORGET] = True
    if mode == "oidc":
        st.logout()
    st.rerun()
