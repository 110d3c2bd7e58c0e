"""The browser's side of a sign-in session: store its cookie, or forget it.

A script cannot set an HttpOnly cookie (it has no HTTP response), so this JavaScript-only
component asks the server: POST /api/session with the sign-in's one-time ticket answers with
the cookie (cockpit.api, cockpit.sessions); DELETE /api/session drops it after a sign-out.
Each ticket is sent once per page, however often the page reruns.
"""

from __future__ import annotations

import secrets

import streamlit as st

_JS = """
export default function ({ data }) {
  const sent = (window.__cockpitSession = window.__cockpitSession || new Set());
  const ticket = data && data.ticket;
  const forget = data && data.forget;
  const once = ticket || forget;
  if (!once || sent.has(once)) return;
  sent.add(once);
  const request = ticket
    ? { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ticket }) }
    : { method: "DELETE" };
  fetch("/api/session", { ...request, credentials: "same-origin" }).catch(() => {});
}
"""

_component = st.components.v2.component("cockpit.session_cookie", js=_JS)
_KEY = "session_cookie"


def keep(ticket: str) -> None:
    """Have the browser trade `ticket` for the session cookie (sent once)."""
    _component(key=_KEY, data={"ticket": ticket})


def forget() -> None:
    """Have the browser drop the session cookie (signed out: the session already ended)."""
    _component(key=_KEY, data={"forget": secrets.token_hex(8)})
