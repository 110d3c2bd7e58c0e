"""Query results remembered per store, data version and parameters, for every session.

A KPI query at a fixed version (`as_of` = a load number, not "latest") reads rows that never
change: later loads and undos get later numbers. So its result can be kept and handed to
every caller asking the same thing — a leadership meeting opening one link eight times, a
page rerun after a view change that needs the same months, the API and the pages. Queries
at "latest" are never remembered (their answer moves with the next load).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable

from cockpit import queries
from cockpit.store import LATEST

MAX_ENTRIES = 1024

_lock = threading.Lock()
_entries: OrderedDict[tuple, object] = OrderedDict()
_stats = {"hits": 0, "misses": 0}


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = [_frozen(v) for v in value]
        return tuple(sorted(items, key=repr) if isinstance(value, set | frozenset) else items)
    if isinstance(value, str | int | float | bool | dt.date | type(None)):
        return value
    raise TypeError(f"cannot remember a query parameter of type {type(value).__name__}")


@functools.cache
def _reads(query: str) -> tuple[str, ...]:
    return tuple(queries.parameters(queries.sql_text(query)))


def remembered(store, query: str, params: dict, compute: Callable[[], object]):
    """`compute()`, or its result for the same store, query and parameters at a fixed version.

    The store's token (not its path) is in the key: a store opened anew on the same file
    starts empty, so a replaced database file never answers from an older one's results.
    """
    if params.get("as_of") in (None, LATEST):
        return compute()
    # Only the parameters the query reads: a family's query is the same whatever the others need.
    used = {p: params.get(p) for p in _reads(query)}
    key = (store.token, query, _frozen(used))
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            _stats["hits"] += 1
            return _entries[key]
    value = compute()  # outside the lock: other queries go on meanwhile
    with _lock:
        _stats["misses"] += 1
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def rows(store, query: str, **params) -> list[dict]:
    """queries/<query>.sql's rows as dicts, remembered at a fixed version (see above)."""
    return remembered(store, query, params, lambda: queries.run(store, query, **params).to_pylist())


def stats() -> dict[str, int]:
    """Hits and misses since start (for the benchmark and tests)."""
    with _lock:
        return dict(_stats, entries=len(_entries))


def clear() -> None:
    with _lock:
        _entries.clear()
        _stats.update(hits=0, misses=0)
