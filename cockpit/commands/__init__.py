"""Sub-commands of `python -m cockpit`: each has add_arguments(parser) and run(args) -> int."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import sys


def open_store(args, *, wait_s: float = 600.0):
    """The store named by --db (or the default), opened once for this process.

    While another process holds the file (a load run without the app server), wait for it,
    saying so once, rather than fail with DuckDB's lock error."""
    import time

    from cockpit import currency
    from cockpit.store import get_store, is_lock_error

    deadline, said = time.monotonic() + wait_s, False
    while True:
        try:
            store = get_store(getattr(args, "db", None))
            currency.use(store)
            return store
        except Exception as exc:
            if not is_lock_error(exc) or time.monotonic() > deadline:
                raise
            if not said:
                print("waiting: another process holds the database (a load?)", file=sys.stderr)
                said = True
            time.sleep(0.5)


def api_client(args):
    """The running app server's client for this database, or None (open the file)."""
    from cockpit.client import for_args

    return for_args(args)


def print_json(value) -> None:
    """Print `value` as JSON (dates as ISO strings)."""
    json.dump(value, sys.stdout, indent=2, default=json_default, ensure_ascii=False)
    sys.stdout.write("\n")


def json_default(o):
    """JSON for dates, decimals and bytes (the CLI's and the API's documents)."""
    if isinstance(o, dt.datetime | dt.date | dt.time):
        return o.isoformat()
    if isinstance(o, decimal.Decimal):
        return float(o)
    if isinstance(o, bytes):
        return o.hex()
    return str(o)


def print_table(rows: list[dict], columns: list[str]) -> None:
    """A plain aligned text table for the terminal."""
    if not rows:
        print("(none)")
        return
    cells = [[_text(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ",".join(map(str, v))
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    return str(v)
