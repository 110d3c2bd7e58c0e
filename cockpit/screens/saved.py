"""Named things users keep: saved SQL queries, saved views (bookmarks), saved scenarios.

Each is one row of the store's kept items (cockpit.items), so it travels with the database
file and two saves at the same moment are both kept. Each item has an owner and is private
(seen by its owner only) or shared (seen by everyone). Who may save what is decided by
cockpit.auth.require_save: a viewer saves only their own private items; shared items need an
analyst; someone else's private item is never overwritten (admins excepted), nor opened.
"""

from __future__ import annotations

from cockpit import auth, items
from cockpit.store import Store

KINDS = ("queries", "views", "scenarios")
_ONE = {"queries": "query", "views": "view", "scenarios": "scenario"}


class NotFound(KeyError):
    """No saved item of that kind and name; the message is for the user."""

    def __str__(self) -> str:
        return str(self.args[0])


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown saved kind {kind!r}")
    return kind


def _visible(item: dict, user: auth.User) -> bool:
    return item["shared"] or item.get("user") == user.name


def list_saved(store: Store, kind: str, user: auth.User | None = None) -> dict[str, dict]:
    """name -> {"value", "user", "shared", "saved_at"}, newest first: with a `user`, only the
    items they may see (their own and the shared ones)."""
    kept = items.listing(store, _kind(kind))
    if user is not None:
        kept = {n: i for n, i in kept.items() if _visible(i, user)}
    return kept


def open_saved(store: Store, kind: str, name: str, *, user: auth.User) -> dict:
    """The item `user` asked for by name (a link's `scenario=`): NotFound if there is none,
    PermissionDenied if it is someone else's private item (admins included: private means
    its owner's alone)."""
    if not isinstance(user, auth.User):
        raise TypeError("open_saved() needs the signed-in auth.User")
    item = items.get(store, _kind(kind), name)
    if item is None:
        raise NotFound(f"There is no saved {_ONE[kind]} named '{name}'.")
    if not _visible(item, user):
        raise auth.PermissionDenied(
            f"The {_ONE[kind]} '{name}' is private to its owner; ask them to share it."
        )
    return item


def _refuse_others_private(
    kind: str, name: str, existing: dict | None, user: auth.User, *, what_to_do: str
) -> None:
    """Someone else's private item is theirs: only an admin replaces or deletes it."""
    if existing is None or existing["shared"] or existing.get("user") == user.name:
        return
    if not auth.can(user, "users"):
        raise auth.PermissionDenied(
            f"The {_ONE[kind]} '{name}' is {existing.get('user')}'s private one; {what_to_do}."
        )


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
    if _kind(kind) == "queries":
        auth.require(user, "sql")

    def check(existing: dict | None) -> None:
        _refuse_others_private(
            kind, name, existing, user, what_to_do="save yours under another name"
        )
        auth.require_save(user, shared=shared, owner=existing and existing.get("user"))

    items.put(store, kind, name, value, user=user.name, shared=bool(shared), check=check)


def delete(store: Store, kind: str, name: str, *, user: auth.User) -> bool:
    """Delete a named item: its owner, an analyst for a shared one, or an admin."""

    def check(item: dict) -> None:
        _refuse_others_private(
            kind, name, item, user, what_to_do="only they or an admin may delete it"
        )
        auth.require_save(user, shared=item["shared"], owner=item.get("user"))

    return items.remove(store, _kind(kind), name, user=user.name, check=check)
