"""What the SQL explorer shows beside the editor: tables, their columns and row counts."""

from __future__ import annotations

from cockpit import auth, queries
from cockpit.store import Store


def tables(store: Store) -> list[dict]:
    """Canonical and raw tables with columns, types, row counts and, for a raw copy, the file
    (and sheet) it came from; live views first, raw copies in load order."""
    rows = queries.run(store, "schema_tables").to_pylist()
    out: dict[str, dict] = {}
    for r in rows:
        if not auth.explorer_may_read(r["table_name"]):
            continue  # the explorer would refuse it: do not list it either
        t = out.setdefault(
            r["table_name"],
            {
                "name": r["table_name"],
                "rows": r["estimated_size"],
                "source": _source(r.get("source_file"), r.get("source_sheet")),
                "columns": [],
            },
        )
        t["columns"].append({"column": r["column_name"], "type": r["data_type"]})
    return list(out.values())


def _source(file: str | None, sheet: str | None) -> str | None:
    """'orders.xlsx › Orders' for a raw copy; None for the others."""
    if not file:
        return None
    return f"{file} › {sheet}" if sheet else file
