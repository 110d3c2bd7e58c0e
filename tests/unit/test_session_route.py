"""POST /api/session trades a sign-in's one-time ticket for the session cookie: HttpOnly,
SameSite=Lax, Secure over HTTPS; a ticket works once; DELETE drops the cookie."""

from __future__ import annotations

import json

from starlette.requests import Request

from cockpit import api, sessions
from tests.coroutines import run_coroutine


def _call(method: str, body: dict | None = None, *, scheme: str = "http", headers=()) -> object:
    payload = json.dumps(body).encode() if body is not None else b""
    scope = {"type": "http", "method": method, "scheme": scheme, "path": "/api/session",
             "query_string": b"", "server": ("127.0.0.1", 8501),
             "headers": [(k.encode(), v.encode()) for k, v in headers]}  # fmt: skip

    async def receive():
        return {"type": "http.request", "body": payload, "more_body": False}

    return run_coroutine(api.session_cookie(Request(scope, receive)))


def _set_cookie(response) -> str:
    (header,) = response.headers.getlist("set-cookie")
    return header


def test_a_ticket_is_traded_once_for_an_httponly_lax_cookie():
    ticket = sessions.ticket_for("sid.signature")
    response = _call("POST", {"ticket": ticket})
    assert response.status_code == 204
    header = _set_cookie(response)
    assert header.startswith(f"{sessions.COOKIE}=sid.signature;")
    parts = {p.strip().split("=")[0].lower(): p for p in header.split(";")}
    assert {"httponly", "path", "samesite", "max-age"} <= set(parts)
    assert parts["samesite"].strip().lower() == "samesite=lax"
    assert parts["max-age"].strip() == f"Max-Age={sessions.MAX_S}"
    assert "secure" not in parts  # plain HTTP
    again = _call("POST", {"ticket": ticket})
    assert again.status_code == 404 and not again.headers.getlist("set-cookie")


def test_the_cookie_is_secure_over_https_and_behind_an_https_proxy():
    for scheme, headers in (("https", ()), ("http", (("x-forwarded-proto", "https"),))):
        ticket = sessions.ticket_for("sid.signature")
        header = _set_cookie(_call("POST", {"ticket": ticket}, scheme=scheme, headers=headers))
        assert "secure" in header.lower().replace("; ", ";").split(";")


def test_no_ticket_no_cookie_and_delete_drops_it():
    for body in (None, {}, {"ticket": 5}, {"ticket": "made-up"}):
        response = _call("POST", body)
        assert response.status_code == 404 and not response.headers.getlist("set-cookie")
    dropped = _set_cookie(_call("DELETE"))
    assert dropped.startswith(f'{sessions.COOKIE}="";') and "Max-Age=0" in dropped
