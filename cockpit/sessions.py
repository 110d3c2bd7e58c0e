"""Sign-in sessions of password users: a signed, expiring, revocable cookie.

Signing in starts a session: a random id, kept only as its SHA-256 in
`<database>.sessions.json` (mode 0600) with the user's name, when it started and when it
was last used. The browser keeps `<id>.<signature>` (HMAC-SHA256 under a key kept in the same
file) in an HttpOnly cookie. A page's script cannot set such a cookie, so the page hands its
browser a one-time ticket that POST /api/session (cockpit.api) trades for it. A reload, a new
tab or a shared link then sends the cookie and the page resumes the session.

A session ends after IDLE_S unused or MAX_S after sign-in, whichever comes first. Signing out
ends every session of that user, everywhere; an admin can do the same for anyone
(`python -m cockpit sessions --end NAME`). A file rather than a table, as for API tokens:
the command line can end sessions while the app holds the database, and no SQL reads it.
Deleting the file ends every session (and makes a new key).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from pathlib import Path

COOKIE = "cockpit_session"
IDLE_S = 12 * 3600  # unused this long: signed out
MAX_S = 7 * 24 * 3600  # signed in this long: signed out, however busy
TOUCH_S = 300  # "last used" is written at most this often (not on every page run)
TICKET_S = 120  # a ticket the browser has not traded by then is void

_LOCK = threading.Lock()
_MEMORY: dict[str, dict] = {}  # an in-memory database's sessions (tests)
_TICKETS: dict[str, tuple[str, float]] = {}  # sha256(ticket) -> (cookie value, void after)


def sessions_path(db: Path | str) -> Path:
    return Path(str(db) + ".sessions.json")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sign(key: str, sid: str) -> str:
    mac = hmac.new(bytes.fromhex(key), b"cockpit-session\0" + sid.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii").rstrip("=")


@contextlib.contextmanager
def _file(db):
    """The sessions document, read under a lock (threads and processes); changes to it are
    written back when the block ends."""
    with _LOCK:
        if str(db) == ":memory:":
            yield _complete(_MEMORY.setdefault(str(db), {}))
            return
        path = sessions_path(db)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(str(path) + ".lock", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                data = json.loads(path.read_text())
            except FileNotFoundError:
                data = {}
            before = json.dumps(data, sort_keys=True)
            yield _complete(data)
            if json.dumps(data, sort_keys=True) != before:
                _write(path, data)
        finally:
            os.close(fd)


def _complete(data: dict) -> dict:
    data.setdefault("key", secrets.token_hex(32))
    data.setdefault("sessions", {})
    return data


def _write(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, path)


def _live(item: dict, now: float) -> bool:
    return now - item["seen"] < IDLE_S and now - item["started"] < MAX_S


def start(db, name: str, *, now: float | None = None) -> str:
    """Start a session for `name`; returns the cookie's value (shown to nobody but the
    browser). Sessions that ran out are forgotten on the way."""
    now = time.time() if now is None else now
    sid = secrets.token_urlsafe(32)
    with _file(db) as data:
        items = data["sessions"]
        for gone in [h for h, item in items.items() if not _live(item, now)]:
            del items[gone]
        items[_digest(sid)] = {"user": name, "started": now, "seen": now}
        return f"{sid}.{_sign(data['key'], sid)}"


def resume(db, cookie: str | None, *, now: float | None = None) -> str | None:
    """The user name of the session `cookie` names, or None when the cookie is missing,
    tampered with, ended or run out. Marks the session used."""
    sid, _, signature = (cookie if isinstance(cookie, str) else "").partition(".")
    if not sid or not signature:
        return None
    now = time.time() if now is None else now
    with _file(db) as data:
        if not hmac.compare_digest(signature, _sign(data["key"], sid)):
            return None
        item = data["sessions"].get(_digest(sid))
        if item is None:
            return None
        if not _live(item, now):
            del data["sessions"][_digest(sid)]
            return None
        if now - item["seen"] >= TOUCH_S:
            item["seen"] = now
        return item["user"]


def end_all(db, name: str) -> int:
    """End every session of `name` (any letter case), everywhere; returns how many."""
    wanted = (name or "").strip().lower()
    with _file(db) as data:
        items = data["sessions"]
        gone = [h for h, item in items.items() if item["user"].lower() == wanted]
        for h in gone:
            del items[h]
    return len(gone)


def listing(db, *, now: float | None = None) -> list[dict]:
    """The live sessions: user, started and last used (epoch seconds), oldest first."""
    now = time.time() if now is None else now
    with _file(db) as data:
        items = [i for i in data["sessions"].values() if _live(i, now)]
    return sorted(({"user": i["user"], "started": i["started"], "seen": i["seen"]}
                   for i in items), key=lambda i: i["started"])  # fmt: skip


def ticket_for(cookie: str, *, now: float | None = None) -> str:
    """A one-time ticket the browser trades for `cookie` (POST /api/session)."""
    now = time.monotonic() if now is None else now
    ticket = secrets.token_urlsafe(24)
    with _LOCK:
        for gone in [t for t, (_, until) in _TICKETS.items() if until <= now]:
            del _TICKETS[gone]
        _TICKETS[_digest(ticket)] = (cookie, now + TICKET_S)
    return ticket


def redeem(ticket: str | None, *, now: float | None = None) -> str | None:
    """The cookie value a ticket stands for, once; None when unknown, used or void."""
    now = time.monotonic() if now is None else now
    with _LOCK:
        found = _TICKETS.pop(_digest(ticket or ""), None)
    if found is None or found[1] <= now:
        return None
    return found[0]
