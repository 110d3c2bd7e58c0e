"""Kept items, one row each: saved views, scenarios and queries, custom metrics, Settings
targets. A row is keyed by (kind, name) in the `saved_items` table (private: the SQL explorer
never reads it).

Each save or delete is one transaction on its own row, and the caller's permission check runs
inside it on the row as it is then (under the store's writer lock), so two saves at the same
moment are both kept and a check never judges a stale copy. (They used to be one JSON value
per kind, read, changed and written back whole: of two saves 2 ms apart, one was lost;
migration 6 in cockpit.store moved them here.)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from cockpit import queries
from cockpit.store import Store, audit

Check = Callable[[dict | None], None]


def _item(row: dict) -> dict:
    """The row as callers know an item: value, user (the owner), shared, saved_at."""
    return {
        "value": json.loads(row["value"]) if row["value"] is not None else None,
        "user": row["owner"],
        "shared": bool(row["shared"]),
        "saved_at": row["saved_at"] or "",
    }


def listing(store: Store, kind: str) -> dict[str, dict]:
    """name -> item for every item of `kind`, newest first (fresh dicts: callers may change
    them)."""
    rows = store._cached_read(("items", kind), lambda: _read(store, kind))
    return {r["name"]: _item(r) for r in rows}


def _read(store: Store, kind: str) -> list[dict]:
    return queries.run(store, "saved_items", kind=kind).to_pylist()


def get(store: Store, kind: str, name: str) -> dict | None:
    """The item of `kind` named `name`, or None."""
    return listing(store, kind).get(name)


def now_text() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def put(
    store: Store,
    kind: str,
    name: str,
    value,
    *,
    user: str,
    shared: bool = True,
    check: Check | None = None,
) -> None:
    """Save one item as `user` (its owner from now on) in its own transaction, after
    `check(existing item or None)` passed inside it (raise to refuse: nothing is written)."""
    put_many(store, kind, {name: value}, user=user, shared=shared, check=check)


def put_many(
    store: Store,
    kind: str,
    values: dict,
    *,
    user: str,
    shared: bool = True,
    check: Check | None = None,
) -> None:
    """Save (value) or remove (None) several items of one kind in one transaction; only the
    named rows are touched."""
    with store.transaction() as cur:
        for name, value in values.items():
            if check is not None:
                check(_row(cur, kind, name))
            if value is None:
                queries.execute(cur, "saved_item_delete", kind=kind, item_name=name)
                continue
            queries.execute(
                cur,
                "saved_item_put",
                kind=kind,
                item_name=name,
                owner=user,
                shared=bool(shared),
                value=json.dumps(value),
                saved_at=now_text(),
            )
        detail = {"kind": kind, "items": values, "shared": bool(shared)}
        audit(cur, user, "save", detail)


def remove(store: Store, kind: str, name: str, *, user: str, check: Check | None = None) -> bool:
    """Delete one item (after `check(item)` passed); False when there is none."""
    with store.transaction() as cur:
        existing = _row(cur, kind, name)
        if existing is None:
            return False
        if check is not None:
            check(existing)
        queries.execute(cur, "saved_item_delete", kind=kind, item_name=name)
        audit(cur, user, "delete", {"kind": kind, "name": name})
    return True


def _row(cur, kind: str, name: str) -> dict | None:
    got = queries.execute(cur, "saved_item", kind=kind, item_name=name).fetchone()
    if got is None:
        return None
    return _item(dict(zip(("name", "owner", "shared", "value", "saved_at"), got, strict=True)))
