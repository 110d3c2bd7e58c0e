"""Named things users keep: saved SQL queries, saved views (bookmarks), saved scenarios.

Stored as settings rows (JSON), so they travel with the database file. Each item has an owner
and is private (seen by its owner only) or shared (seen by everyone). Who may save what is
decided by cockpit.auth.require_save: a viewer saves only their own private items; shared
items need an analyst; someone else's private item is never overwritten (admins excepted).
"""

from __future__ import annotations

import datetime as dt

from cockpit import auth
from cockpit.store import Store

KINDS = ("queries", "views", "scenarios")


def _key(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown saved kind {kind!r}")
    return f"saved_{kind}"


def _shared(item: dict) -> bool:
    return bool(item.get("shared", True))  # items saved before owners existed were shared


def list_saved(store: Store, kind: str, user: auth.User | None = None) -> dict[str, dict]:
    """name -> {"value", "user", "shared", "saved_at"}, newest first: with a `user`, only the
    items they may see (their own and the shared ones)."""
    items = store.get_setting(_key(kind), {}) or {}
    if user is not None:
        items = {n: i for n, i in items.items() if _shared(i) or i.get("user") == user.name}
    for item in items.values():
        item["shared"] = _shared(item)
    return dict(sorted(items.items(), key=lambda kv: kv[1].get("saved_at", ""), reverse=True))


def save(
    store: Store, kind: str, name: str, value, *, user: auth.User, shared: bool = False
) -> None:
    """Save (or overwrite) a named item as `user`; PermissionDenied if their role forbids it."""
    if not isinstance(user, auth.User):
        raise TypeError("save() needs the signed-in auth.User")
    name = name.strip()
    if not name:
        raise ValueError("give it a name")
    if len(name) > 80:
        raise ValueError("use a name of at most 80 characters")
    if kind == "queries":
        auth.require(user, "sql")
    items = store.get_setting(_key(kind), {}) or {}
    existing = items.get(name)
    auth.require_save(user, shared=shared, owner=existing and existing.get("user"))
    if existing is not None and not _shared(existing) and existing.get("user") != user.name:
        auth.require(user, "users")  # someone's private item: only an admin replaces it
    items[name] = {
        "value": value,
        "user": user.name,
        "shared": bool(shared),
        "saved_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    store.set_setting(_key(kind), items, user=user.name)


def delete(store: Store, kind: str, name: str, *, user: auth.User) -> bool:
    """Delete a named item: its owner, an analyst for a shared one, or an admin."""
    items = store.get_setting(_key(kind), {}) or {}
    if name not in items:
        return False
    item = items[name]
    auth.require_save(user, shared=_shared(item), owner=item.get("user"))
    if not _shared(item) and item.get("user") != user.name:
        auth.require(user, "users")
    del items[name]
    store.set_setting(_key(kind), items, user=user.name)
    return True
