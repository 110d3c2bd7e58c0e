"""Named things users keep: saved SQL queries, saved views (bookmarks), saved scenarios.

Stored as settings rows (JSON), so they travel with the database file.
"""

from __future__ import annotations

import datetime as dt

from cockpit.store import Store

KINDS = ("queries", "views", "scenarios")


def _key(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown saved kind {kind!r}")
    return f"saved_{kind}"


def list_saved(store: Store, kind: str) -> dict[str, dict]:
    """name -> {"value": ..., "user": ..., "saved_at": ...}, newest first."""
    items = store.get_setting(_key(kind), {}) or {}
    return dict(sorted(items.items(), key=lambda kv: kv[1].get("saved_at", ""), reverse=True))


def save(store: Store, kind: str, name: str, value, *, user: str | None = None) -> None:
    """Save (or overwrite) a named item."""
    name = name.strip()
    if not name:
        raise ValueError("give it a name")
    if len(name) > 80:
        raise ValueError("use a name of at most 80 characters")
    items = store.get_setting(_key(kind), {}) or {}
    items[name] = {
        "value": value,
        "user": user or "local",
        "saved_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    store.set_setting(_key(kind), items, user=user)


def delete(store: Store, kind: str, name: str, *, user: str | None = None) -> bool:
    items = store.get_setting(_key(kind), {}) or {}
    if name not in items:
        return False
    del items[name]
    store.set_setting(_key(kind), items, user=user)
    return True
