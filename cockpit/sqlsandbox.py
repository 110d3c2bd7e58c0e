"""The SQL explorer's catalogue: an in-memory database holding only what the explorer may read.

Guarded queries run with `USE explorer`, a `:memory:` database attached to the store's
connection. It holds one view per readable base table of the data file (the datasets, the raw
tables, the ledger: whatever `cockpit.auth.explorer_may_read` allows) and the store's own
table macros and `<dataset>_live` views, created in it so that their unqualified names bind
to those views. The private tables (audit, settings, layouts, rejects, login failures...) do
not exist there, so a name that slips past the guard's checks (a CTE shadowing a table, SHOW
TABLES, DESCRIBE) cannot resolve to them: the guard's reference check then only has to hold
catalog-qualified names to this catalogue.

The views are refreshed when the data file's readable tables or their columns change (a load
adds a raw table), checked with one catalogue query before each guarded query.
"""

from __future__ import annotations

import threading

from cockpit import auth, queries
from cockpit import store as store_mod

SANDBOX = "explorer"

# The readable base tables of the store's catalog (the cursor's current database) and a
# signature of their columns; fixed text, no user input.
_TABLES_SQL = """
select table_name as name,
       string_agg(column_name || ' ' || data_type, ', ' order by column_index) as cols
from duckdb_columns()
where database_name = current_database() and schema_name = 'main'
  and table_name in (
      select table_name from duckdb_tables()
      where database_name = current_database() and schema_name = 'main' and not temporary)
group by all order by name
"""
_SANDBOX_VIEWS_SQL = """
select view_name as name from duckdb_views()
where database_name = $sandbox and schema_name = 'main' and not internal
"""

_LOCK = threading.Lock()


def prepare(store) -> None:
    """Attach the explorer's catalogue to `store` and bring its views up to date."""
    cur = store.cursor()
    try:
        data = cur.sql("select current_database() as d").fetchall()[0][0]
        tables = {
            name: cols
            for name, cols in cur.sql(_TABLES_SQL).fetchall()
            if auth.explorer_may_read(name) and _plain(name)
        }
        signature = (data, tuple(sorted(tables.items())))
        if getattr(store, "_sandbox_signature", None) == signature:
            return
        with _LOCK:
            if getattr(store, "_sandbox_signature", None) == signature:
                return
            _rebuild(cur, data, tables)
            store._sandbox_signature = signature
    finally:
        cur.close()


def _rebuild(cur, data: str, tables: dict[str, str]) -> None:
    cur.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {SANDBOX}")
    cur.execute(f"USE {SANDBOX}")
    sandbox_views = {
        r[0] for r in cur.sql(_SANDBOX_VIEWS_SQL, params={"sandbox": SANDBOX}).fetchall()
    }
    live = {f"{name}_live" for name in store_mod.datasets.DATASETS}
    for stale in sorted(sandbox_views - set(tables) - live):
        cur.execute(f"DROP VIEW IF EXISTS {SANDBOX}.main.{queries.ident(stale)}")
    source = queries.ident(data)
    for name in sorted(tables):
        cur.execute(
            f"CREATE OR REPLACE VIEW {SANDBOX}.main.{queries.ident(name)} AS "
            f"SELECT * FROM {source}.main.{queries.ident(name)}"
        )
    # The store's macros and live views, bound here: their `orders`, `loads`, `segments`...
    # resolve to the views above, never to the data file's own catalogue.
    own_currency = store_mod.CURRENCY_SETTING.format(settings="settings")
    for stmt in store_mod.MACROS:
        if stmt == own_currency:  # the data file's settings, read for the currency alone
            stmt = store_mod.CURRENCY_SETTING.format(settings=f"{source}.main.settings")
        cur.execute(stmt)


def _plain(name: str) -> bool:
    try:
        queries.ident(name)
    except ValueError:
        return False  # a name we cannot quote safely is simply not offered
    return True
