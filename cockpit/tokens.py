"""API tokens per user and role, kept hashed in a file beside the database.

`python -m cockpit token NAME --role analyst` prints a new token once; only its SHA-256 is
kept, in `<database>.tokens.json` (mode 0600). A file rather than a table: tokens can be made
while the app holds the database, and no SQL can ever read them. Tokens are long random
strings, so one unsalted SHA-256 is enough (nothing to guess from the hash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from cockpit import auth


def tokens_path(db: Path | str) -> Path:
    return Path(str(db) + ".tokens.json")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _read(db) -> dict[str, dict]:
    try:
        return json.loads(tokens_path(db).read_text())
    except FileNotFoundError:
        return {}


def _write(db, items: dict) -> None:
    path = tokens_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(items, f, indent=2)
    os.replace(tmp, path)


def issue(db, name: str, role: str) -> str:
    """A new token for `name` with `role` (replacing their previous one); shown only now."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValueError("give a user name of 1-80 characters")
    auth.role_rank(role)
    token = "ck_" + secrets.token_urlsafe(32)
    items = _read(db)
    items[name] = {
        "role": role,
        "sha256": _digest(token),
        "created": dt.datetime.now().isoformat(timespec="seconds"),
    }
    _write(db, items)
    return token


def revoke(db, name: str) -> bool:
    items = _read(db)
    if items.pop(name, None) is None:
        return False
    _write(db, items)
    return True


def user_for(db, token: str | None) -> auth.User | None:
    """The user a token belongs to, or None."""
    if not token:
        return None
    wanted = _digest(token)
    found = None
    for name, item in _read(db).items():
        if hmac.compare_digest(item.get("sha256", ""), wanted):
            found = auth.User(name, item.get("role", "viewer"))
    return found


def listing(db) -> list[dict]:
    return [{"name": n, "role": i["role"], "created": i["created"]} for n, i in _read(db).items()]
