"""Reliability suite: bad inputs, crash safety, concurrency, roles enforced in the core."""

from __future__ import annotations


def db_fingerprint(store) -> dict[str, list[tuple]]:
    """Every table of the database (ledger, canonical, raw_*), rows sorted: equal means unchanged."""
    names = store.arrow(
        "select table_name from duckdb_tables() where schema_name = 'main' order by 1"
    ).column("table_name")
    out = {}
    for name in names.to_pylist():
        quoted = '"' + name.replace('"', '""') + '"'
        rows = store.arrow(f"select * from {quoted}").to_pylist()
        out[name] = sorted(tuple(map(repr, r.values())) for r in rows)
    return out


def seed_store(store, tables: dict[str, list[dict]]) -> None:
    """Fill a store with fixture tables plus two spreadsheet loads (one with a rejected row)."""
    from cockpit import ledger
    from cockpit.ingest.pipeline import load_files
    from reliability.bad_files import ORDERS, ORDERS_FEB, csv_text, xlsx

    for name, rows in tables.items():
        ledger.load_table(store, name, rows)
    report = load_files(
        store,
        [("orders_jan.xlsx", xlsx(ORDERS)), ("orders_feb.csv", csv_text(ORDERS_FEB).encode())],
        replace=False,  # beside the fixture tables' months (replacing is the default)
    )
    assert report.ok, report.to_dict()
    assert store.scalar("select count(*) from rejects") == 1
