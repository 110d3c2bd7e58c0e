"""The SQL explorer's guard: run one user-written SELECT read-only, briefly, and capped.

Safety comes in layers (after datasette), each enough to stop a class of attack alone:

1. Parse: DuckDB's own parser (`extract_statements`) must find exactly one statement and it
   must be a SELECT (WITH, FROM-first, VALUES, DESCRIBE, SUMMARIZE and SHOW TABLES parse as
   SELECT).
0. Catalogue (structural): the query runs with `USE explorer`, an in-memory database holding
   only views of the readable tables (cockpit.sqlsandbox), so an unqualified name can only
   ever resolve to readable data, whatever the checks below make of it. INSERT, DELETE, COMMIT, ATTACH, COPY, INSTALL, LOAD, SET, PRAGMA, CALL, EXPORT,
   CREATE, EXPLAIN, PIVOT statements... are refused before anything runs.
2. Inspect: the statement's syntax tree (`json_serialize_sql`, before binding, so macros and
   replacement scans are seen as written) is walked and every reference is checked:
   - table functions: only `range`, `generate_series`, `unnest` and the database's own table
     macros (`orders_asof(...)`, ...), so read_csv, read_parquet, read_json, read_text,
     read_blob, glob, sniff_csv, query(), duckdb_settings() and the like never run;
   - tables: a CTE in scope (a CTE sees the earlier ones; a recursive one sees itself in
     its recursive part only, as DuckDB binds it), or a view of the explorer's catalogue
     (named plainly, or qualified with it or with the data file's catalog) that
     `cockpit.auth.explorer_may_read` allows. Anything else is refused, which stops
     replacement scans of files and URLs (`FROM '/etc/passwd'`, `FROM 's3://...'`) and of
     Python variables, and information_schema / pg_catalog (they list every database);
   - functions called through a catalog or schema (`system.main.repeat`) are refused, so the
     size-capping macros below cannot be bypassed;
   - functions: they must already exist (so an extension is never auto-installed to provide
     one) and must not read configuration or have side effects (current_setting,
     getvariable, nextval, setseed, write_log, ...);
   - SHOW: only DESCRIBE, SUMMARIZE, SHOW TABLES and SHOW <table> (other SHOWs read settings;
     SHOW ALL TABLES lists every database).
3. Read-only transaction: the query runs on a fresh cursor inside `BEGIN TRANSACTION READ
   ONLY`, so even a write that slipped past 1-2 fails, and the transaction is rolled back.
4. Time limit: `timeout_s` is clamped to 0.1-300 s (NaN and infinities are refused); once it
   expires a watchdog thread calls `cursor.interrupt()` every 50 ms until the query ends (an
   interrupt sent while no query runs is forgotten), and `interrupt_all()` does the same for
   every running query when the server shuts down. DuckDB checks
   for an interrupt between vectors only, so one value that takes minutes to build
   (`repeat('x', 10^9)`, a scalar `range(10^9)`) would run past it: the functions that
   multiply a value's size are capped (`repeat`, `lpad`, `rpad` through per-cursor temp
   macros that raise an error above MAX_VALUE_SIZE before anything is built), and the scalar
   list builders (`range(...)`/`generate_series(...)` in an expression, `list_resize`) are
   refused: the table functions `FROM range(...)` stream and stop at the limit. printf() and
   format() must have a literal format whose widths and precisions are at most
   MAX_FORMAT_WIDTH (`printf('%999999999d', 1)` is refused, as is a `*` or `{}` width).
   Memory: the database instance runs with a memory limit and a capped temp directory
   (cockpit.store.resource_settings), so a huge `list()` or `string_agg()` fails with a
   message instead of taking the machine's memory.
5. Row and byte caps: the query is wrapped as a relation with `limit(max_rows + 1)`, so
   DuckDB stops producing rows at the cap (10^8 rows are never materialised); one extra row
   tells us it was truncated. The result is read in Arrow batches and refused above
   MAX_RESULT_BYTES (64 MB), before it is converted, sent or shown.

Why not a separate locked-down database instance: `enable_external_access`, `lock_configuration` and
the extension autoload settings are global to a DuckDB database instance in DuckDB 2.0 (not
settable per session), and a second connection to the same file in the same process with a
different configuration (or read_only=True) is refused. Setting them on the shared instance
would also disable file access for ingest and exports. Layer 2 is therefore the file,
network and configuration barrier; layer 0 keeps the private tables out of reach, layer 3
guards the data. DuckDB's memory limits do not bound one value built by one call
(`repeat('x', 1.5e9)` passed a 1 GB `memory_limit`, and the per-connection
`operator_memory_limit` covers sorts and hash tables only: measured), hence the caps in 4.

Values are bound as $named parameters (only the ones the SQL text uses are passed).
`current_setting()` is refused: settings are nobody's business in the explorer.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from cockpit import auth, queries, sqlsandbox

MAX_SQL_CHARS = 100_000
# The time limit: never off (0, negative and NaN are not "no limit"), at most five minutes.
MIN_TIMEOUT_S = 0.1
MAX_TIMEOUT_S = 300.0
INTERRUPT_EVERY_S = 0.05
# A result is refused above this size (Arrow bytes), before it is converted, sent or shown.
MAX_RESULT_BYTES = 64 * 1024**2
RESULT_BATCH_ROWS = 2048
ALLOWED_TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
# Existing functions that read configuration or change state (sequences, seed, log).
REFUSED_FUNCTIONS = frozenset(
    {
        "current_setting",
        "getvariable",
        "getenv",
        "nextval",
        "currval",
        "setval",
        "setseed",
        "write_log",
        "sleep_ms",
        "pg_sleep",
        "json_execute_serialized_sql",
        "parse_duckdb_log_message",
        # Scalar list builders: one value of any size, built without an interrupt check.
        "range",
        "generate_series",
        "list_resize",
        "array_resize",
    }
)
# A value may be at most this long (characters or list elements) when a function would
# multiply its size; above it the query fails at once with a readable message.
MAX_VALUE_SIZE = 10_000_000
_CAP = (
    f"case when {{n}} > {MAX_VALUE_SIZE} or {{size}} > {MAX_VALUE_SIZE} then "
    f"error('That value would be longer than {MAX_VALUE_SIZE:,} characters or elements; "
    "the explorer caps repeat(), lpad() and rpad().') else {n} end"
)
# Per-cursor temp macros that shadow the built-ins for the explorer's cursor only. The cap
# sits in an argument holding error(), so the optimizer cannot fold (build) the big value
# while planning.
SIZE_CAPS = (
    "create or replace temp macro repeat(s, n) as system.main.repeat(s, "
    + _CAP.format(n="n", size="n * length(s)")
    + ")",
    "create or replace temp macro lpad(s, n, p) as system.main.lpad(s, "
    + _CAP.format(n="n", size="n")
    + ", p)",
    "create or replace temp macro rpad(s, n, p) as system.main.rpad(s, "
    + _CAP.format(n="n", size="n")
    + ", p)",
)
# printf('%999999999d', 1) and format('{:>999999999}', 'x') build one huge value each, as
# repeat() would: their widths and precisions are capped (and must be written in the format).
FORMAT_FUNCTIONS = frozenset({"printf", "format"})
MAX_FORMAT_WIDTH = 10_000
_PRINTF_SPEC = re.compile(r"%[-+ #0']*(\*|\d*)(?:\.(\*|\d*))?")
REFUSED_PREFIXES = ("duckdb_", "pragma_", "read_", "__internal")
# SHOW TABLES (this catalogue's tables); SHOW ALL TABLES would list every attached database.
ALLOWED_SHOW_SPECIAL = frozenset({'"tables"'})

# Guard metadata look-ups: fixed text, user-derived names bound as a list parameter.
_CATALOG_SQL = """
with user_tables as (
    select lower(table_name) as name from duckdb_tables()
    where database_name = current_database() and schema_name = 'main'
    union all
    select lower(view_name) from duckdb_views()
    where database_name = current_database() and schema_name = 'main' and not internal
),
table_macros as (
    select lower(function_name) as name from duckdb_functions()
    where function_type = 'table_macro' and not internal
      and database_name = current_database() and schema_name = 'main'
),
known_functions as (
    select distinct lower(function_name) as name from duckdb_functions()
    where function_type in ('scalar', 'aggregate', 'window', 'macro')
      and lower(function_name) in (select unnest($names))
)
select 'table' as kind, name from user_tables
union all select 'table_macro', name from table_macros
union all select 'function', name from known_functions
union all select 'database', lower(current_database())
"""


class QueryRefused(Exception):
    """A query the guard refused, stopped or could not run; the message is for the user.

    `kind` is "refused" (not allowed), "timeout" (stopped by the time limit) or "error"
    (DuckDB rejected it: a typo, a missing column, a missing parameter).
    """

    def __init__(self, message: str, kind: str = "refused"):
        super().__init__(message)
        self.kind = kind


@dataclass
class QueryResult:
    table: pa.Table
    truncated: bool  # row cap hit
    elapsed_ms: float


@dataclass
class References:
    """What a statement's syntax tree refers to."""

    table_functions: set[tuple[str, str, str]] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)
    tables: set[tuple[str, str, str]] = field(default_factory=set)
    shows: set[tuple[str, str]] = field(default_factory=set)
    # printf()/format() calls: (function, its format string when written as a literal)
    formats: list[tuple[str, str | None]] = field(default_factory=list)
    # functions called by a catalog- or schema-qualified name (system.main.repeat)
    qualified_functions: set[str] = field(default_factory=set)
    # the data file's catalog ("cockpit"): a qualified name may say it, for a readable table
    data_catalog: str = ""


def run_readonly(
    store,
    sql: str,
    *,
    params: dict | None = None,
    max_rows: int = 10_000,
    timeout_s: float = 10.0,
    user=None,
) -> QueryResult:
    """Run one SELECT/WITH statement read-only with a time limit and row cap; refuse anything else.

    With a `user` (a cockpit.auth.User), the analyst role is required first; the command line
    passes none (whoever can run it can open the file anyway). `timeout_s` is clamped to
    MIN_TIMEOUT_S..MAX_TIMEOUT_S; a value that is not a finite number is refused.
    """
    if user is not None:
        auth.require(user, "sql")
    timeout_s = clamp_timeout(timeout_s)
    started = time.perf_counter()
    check_statement(store, sql)
    bound = _bind(sql, params or {})
    sqlsandbox.prepare(store)
    cur = store.cursor()
    watch = _Watch(cur, timeout_s)
    try:
        data_catalog = cur.sql("select current_database() as d").fetchall()[0][0]
        cur.execute(f"USE {sqlsandbox.SANDBOX}")  # only the readable tables exist there
        for stmt in SIZE_CAPS:
            cur.execute(stmt)
        cur.sql("begin transaction read only")
        watch.start()
        try:
            refs = extract_references(cur, sql)
            refs.data_catalog = data_catalog.lower()
            check_references(cur, refs)
            watch.raise_if_stopped()
            rel = cur.sql(sql, params=bound or None)
            if rel is None:
                raise QueryRefused("The query returned no result set.")
            table = _fetch_capped(rel.limit(max_rows + 1))
            watch.raise_if_stopped()
        except duckdb.Error as exc:
            watch.raise_if_stopped()
            raise QueryRefused(f"The query failed: {_first_line(exc)}", "error") from None
        finally:
            watch.finish()
    finally:
        _rollback_quietly(cur)
        cur.close()
    truncated = table.num_rows > max_rows
    if truncated:
        table = table.slice(0, max_rows)
    return QueryResult(table, truncated, (time.perf_counter() - started) * 1000)


def clamp_timeout(value) -> float:
    """A time limit in seconds, clamped to MIN_TIMEOUT_S..MAX_TIMEOUT_S (0, a negative number
    or NaN must never mean "no limit"); anything but a finite number is refused."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise QueryRefused(f"The time limit must be a number of seconds, not {value!r}.") from None
    if not math.isfinite(seconds):
        raise QueryRefused(
            f"The time limit must be a finite number of seconds "
            f"({MIN_TIMEOUT_S:g} to {MAX_TIMEOUT_S:g}), not {value!r}."
        )
    return min(max(seconds, MIN_TIMEOUT_S), MAX_TIMEOUT_S)


def _fetch_capped(rel) -> pa.Table:
    """The result as Arrow, refused once it holds more than MAX_RESULT_BYTES (read in batches,
    so a huge result stops before it is all converted, sent or shown)."""
    batches, total = [], 0
    reader = rel.to_arrow_reader(RESULT_BATCH_ROWS)
    for batch in reader:
        total += batch.nbytes
        if total > MAX_RESULT_BYTES:
            raise QueryRefused(
                f"The result is larger than {MAX_RESULT_BYTES // 1024**2} MB; select fewer "
                "columns or rows, or aggregate it.",
                "error",
            )
        batches.append(batch)
    return pa.Table.from_batches(batches, schema=reader.schema)


class _Watch:
    """The time limit of one guarded query: once it expires (or the server shuts down), keep
    interrupting the cursor until the query ends. DuckDB forgets an interrupt that arrives
    while no query runs, so a single interrupt sent between two steps would be lost."""

    def __init__(self, cur, timeout_s: float):
        self.cur, self.timeout_s = cur, timeout_s
        self.fire, self.done = threading.Event(), threading.Event()
        self.reason = "timeout"
        self.thread = threading.Thread(target=self._run, name="sqlguard-watch", daemon=True)

    def start(self) -> None:
        with _RUNNING_LOCK:
            _RUNNING.add(self)
            if _SHUTTING_DOWN.is_set():
                self.stop("shutdown")
        self.thread.start()

    def stop(self, reason: str) -> None:
        self.reason = reason
        self.fire.set()

    def _run(self) -> None:
        self.fire.wait(self.timeout_s)
        self.fire.set()
        while not self.done.is_set():
            with contextlib.suppress(duckdb.Error):
                self.cur.interrupt()
            self.done.wait(INTERRUPT_EVERY_S)

    def raise_if_stopped(self) -> None:
        if not self.fire.is_set():
            return
        if self.reason == "shutdown":
            raise QueryRefused(
                "Stopped: the server is shutting down. Run it again later.", "timeout"
            )
        raise QueryRefused(_timeout_message(self.timeout_s), "timeout")

    def finish(self) -> None:
        self.done.set()
        self.fire.set()  # wake the watchdog now: the query ended within its limit
        if self.thread.is_alive() or self.thread.ident is not None:
            self.thread.join()
        with _RUNNING_LOCK:
            _RUNNING.discard(self)


_RUNNING: set[_Watch] = set()
_RUNNING_LOCK = threading.Lock()
_SHUTTING_DOWN = threading.Event()


def interrupt_all() -> int:
    """Stop every guarded query running in this process (the server is shutting down) and
    any that starts from now on; returns how many were running."""
    with _RUNNING_LOCK:
        _SHUTTING_DOWN.set()
        running = list(_RUNNING)
    for watch in running:
        watch.stop("shutdown")
    return len(running)


def check_statement(store, sql: str) -> None:
    """Refuse unless `sql` parses as exactly one SELECT statement (layer 1)."""
    if not sql or not sql.strip():
        raise QueryRefused("Write a SELECT query first.")
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused(f"The query is longer than {MAX_SQL_CHARS:,} characters.")
    cur = store.cursor()
    try:
        statements = cur.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"The query could not be parsed: {_first_line(exc)}", "error") from None
    finally:
        cur.close()
    if not statements:
        raise QueryRefused("Write a SELECT query first.")
    if len(statements) > 1:
        raise QueryRefused(
            f"Only one statement can run at a time; this text holds {len(statements)}."
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        name = getattr(kind, "name", str(kind))
        raise QueryRefused(
            f"Only SELECT (or WITH ... SELECT) queries can run here; this is a {name} statement."
        )


def extract_references(cur, sql: str) -> References:
    """Walk the parsed syntax tree of one SELECT and collect what it refers to (layer 2)."""
    raw = cur.sql("select json_serialize_sql($q) as tree", params={"q": sql}).to_arrow_table()
    tree = json.loads(raw.column("tree")[0].as_py())
    if tree.get("error"):
        message = tree.get("error_message", "unsupported statement")
        raise QueryRefused(f"The query cannot be checked, so it is refused: {message}")
    refs = References()
    for statement in tree["statements"]:
        _walk(statement, frozenset(), refs)
    return refs


def check_references(cur, refs: References) -> None:
    """Refuse table functions, tables and functions outside the allowed set (layer 2)."""
    names = sorted(refs.functions)
    rows = cur.sql(_CATALOG_SQL, params={"names": names}).to_arrow_table().to_pylist()
    known: dict[str, set[str]] = {}
    for row in rows:
        known.setdefault(row["kind"], set()).add(row["name"])
    database = next(iter(known.get("database", {""})))
    # The explorer's own catalogue (cockpit.sqlsandbox): only the readable tables are there.
    user_tables = known.get("table", set())
    catalogs = {"", database, refs.data_catalog or database}
    local = {"", "main"}

    for catalog, schema, name in sorted(refs.table_functions):
        allowed = name in ALLOWED_TABLE_FUNCTIONS or name in known.get("table_macro", set())
        if not allowed or catalog not in catalogs or schema not in local:
            raise QueryRefused(
                f"The table function {name}() is not allowed here: the explorer reads only "
                "this database's tables (files, URLs and settings are off limits)."
            )
    for catalog, schema, name in sorted(refs.tables):
        if not auth.explorer_may_read(name):
            raise QueryRefused(
                f"{name!r} is private: the explorer reads the data (live views, the "
                "dataset and raw tables, the loads ledger), not the audit, settings, "
                "users or tokens."
            )
        if catalog in catalogs and schema in local and name in user_tables:
            continue
        shown = ".".join(p for p in (catalog, schema, name) if p)
        if schema in {"information_schema", "pg_catalog"}:
            raise QueryRefused(
                f"{shown!r} is not available here: it lists every table, private ones too. "
                "Use SHOW TABLES and DESCRIBE <table> to see what the explorer reads."
            )
        raise QueryRefused(
            f"{shown!r} is not a table of this database. The explorer reads only this "
            "database's tables and views (not files, URLs or settings)."
        )
    if refs.qualified_functions:
        name = min(refs.qualified_functions)
        raise QueryRefused(
            f"Call {name}() by its name alone here; functions are not called through a "
            "catalog or schema in the explorer."
        )
    for name in names:
        if name in {"range", "generate_series"}:
            raise QueryRefused(
                f"{name}() is allowed as a table (FROM {name}(...)), not inside an expression, "
                "where one call can build a list too large to stop."
            )
        if name in REFUSED_FUNCTIONS or name.startswith(REFUSED_PREFIXES):
            raise QueryRefused(
                f"The function {name}() is not allowed here: it reads settings, changes state "
                "or builds values too large to stop."
            )
        # unnest() in a select list is a parser special, not a catalogued scalar function.
        if name not in known.get("function", set()) and name not in ALLOWED_TABLE_FUNCTIONS:
            raise QueryRefused(f"There is no function named {name}().")
    for name, text in refs.formats:
        check_format(name, text)
    for show_type, name in sorted(refs.shows):
        if show_type in {"DESCRIBE", "SUMMARY"}:
            continue
        if show_type == "SHOW_SPECIAL" and name in ALLOWED_SHOW_SPECIAL:
            continue
        if show_type == "SHOW" and name in user_tables and auth.explorer_may_read(name):
            continue
        raise QueryRefused(
            f"SHOW {name.strip(chr(34))} is not available here; try SHOW TABLES or DESCRIBE."
        )


# -- syntax tree walk -------------------------------------------------------------------


def _walk(node, ctes: frozenset[str], refs: References) -> None:
    """Collect references under `node`; `ctes` are the CTE names in scope there."""
    if isinstance(node, list):
        for item in node:
            _walk(item, ctes, refs)
        return
    if not isinstance(node, dict):
        return
    cte_map = node.get("cte_map")
    if isinstance(cte_map, dict) and cte_map.get("map"):
        # A CTE sees the ones before it; a recursive one also sees itself in its recursive
        # part (not in its anchor, where its own name is the table of that name); the query
        # body sees them all.
        scope = ctes
        for entry in cte_map["map"]:
            name, value = entry["key"].lower(), entry["value"]
            query = value.get("query_node") if isinstance(value, dict) else None
            if isinstance(query, dict) and query.get("type") == "RECURSIVE_CTE_NODE":
                _walk(query.get("left"), scope, refs)
                rest = {k: v for k, v in query.items() if k != "left"}
                _walk(rest, scope | {name}, refs)
                _walk({k: v for k, v in value.items() if k != "query_node"}, scope, refs)
            else:
                _walk(value, scope, refs)
            scope = scope | {name}
        ctes = scope
        node = {k: v for k, v in node.items() if k != "cte_map"}
    kind = node.get("type")
    if kind == "TABLE_FUNCTION":
        function = node.get("function") or {}
        refs.table_functions.add(_qualified(function, "catalog", "schema", "function_name"))
        _walk(function.get("arguments"), ctes, refs)
        _walk({k: v for k, v in node.items() if k not in {"function", "type"}}, ctes, refs)
        return
    if kind == "BASE_TABLE":
        ref = _qualified(node, "catalog_name", "schema_name", "table_name")
        if not (ref[0] == ref[1] == "" and ref[2] in ctes):
            refs.tables.add(ref)
        _walk(node.get("sample"), ctes, refs)
        _walk(node.get("at_clause"), ctes, refs)
        return
    if kind == "SHOW_REF":
        refs.shows.add((node.get("show_type", ""), (node.get("table_name") or "").lower()))
    if node.get("class") == "FUNCTION":
        name = (node.get("function_name") or "").lower()
        refs.functions.add(name)
        if node.get("catalog") or node.get("schema"):
            refs.qualified_functions.add(name)
        if name in FORMAT_FUNCTIONS:
            refs.formats.append((name, _literal_text(node)))
    for value in node.values():
        if isinstance(value, (dict, list)):
            _walk(value, ctes, refs)


def _literal_text(function: dict) -> str | None:
    """A function call's first argument when it is a string literal, else None."""
    args = function.get("arguments") or function.get("children") or []
    if not args or not isinstance(args[0], dict):
        return None
    expr = args[0].get("expression", args[0])
    if not isinstance(expr, dict) or expr.get("class") != "CONSTANT":
        return None
    literal = expr.get("literal")
    if isinstance(literal, dict) and literal.get("kind") == "STRING":
        return literal.get("text")
    value = expr.get("value")  # DuckDB's own serialisation: {"type": {"id": ...}, "value": ...}
    if isinstance(value, dict) and (value.get("type") or {}).get("id") == "VARCHAR":
        return value.get("value")
    return None


def check_format(name: str, text: str | None) -> None:
    """Refuse a printf()/format() whose widths could build a huge value (layer 4)."""
    if text is None:
        raise QueryRefused(
            f"{name}() needs its format written out as a literal string here, so that its "
            "widths can be checked."
        )
    if name == "printf":
        specs = _PRINTF_SPEC.findall(text.replace("%%", ""))
        sizes = [n for spec in specs for n in spec]
        dynamic = any(n == "*" for n in sizes)
    else:
        specs = _format_specs(text)
        dynamic = any("{" in spec for spec in specs)
        # the digits after the field's ':' (fill, width, precision), not its argument index
        sizes = [n for spec in specs for n in re.findall(r"\d+", spec.partition(":")[2])]
    if dynamic:
        raise QueryRefused(
            f"{name}() with a width or precision taken from an argument is not allowed here; "
            "write the width in the format."
        )
    widest = max((int(n) for n in sizes if n.isdigit()), default=0)
    if widest > MAX_FORMAT_WIDTH:
        raise QueryRefused(
            f"{name}() with a width or precision of {widest:,} is not allowed here; the "
            f"explorer caps printf() and format() widths at {MAX_FORMAT_WIDTH:,}."
        )


def _format_specs(text: str) -> list[str]:
    """The replacement fields of a format() string ('{:>5}' -> ':>5'), nested braces kept;
    '{{' and '}}' outside a field are literal braces."""
    fields, i = [], 0
    while i < len(text):
        if text.startswith(("{{", "}}"), i):
            i += 2
            continue
        if text[i] != "{":
            i += 1
            continue
        depth, j = 1, i + 1
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        fields.append(text[i + 1 : j - 1])
        i = j
    return fields


def _qualified(node: dict, *keys: str) -> tuple[str, str, str]:
    return tuple((node.get(k) or "").lower() for k in keys)  # type: ignore[return-value]


# -- helpers ----------------------------------------------------------------------------


def _bind(sql: str, params: dict) -> dict:
    """Only the $parameters the text uses; a missing one is refused with its name."""
    wanted = queries.parameters(sql)
    missing = [p for p in wanted if p not in params]
    if missing:
        raise QueryRefused(f"The query needs a value for: {', '.join('$' + p for p in missing)}")
    return {p: params[p] for p in wanted}


def _timeout_message(timeout_s: float) -> str:
    return (
        f"Stopped after {timeout_s:g} s: the query took too long. "
        "Filter it down (WHERE, a shorter period) or aggregate before joining."
    )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return re.split(r"\n\s*\n", text, maxsplit=1)[0]


def _rollback_quietly(cur) -> None:
    # No transaction may be open (BEGIN failed) or it may already be aborted.
    with contextlib.suppress(duckdb.Error):
        cur.sql("rollback")
