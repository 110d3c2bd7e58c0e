"""The SQL explorer guard: every layer refuses or stops what it should, and nothing changes."""

from __future__ import annotations

import threading
import time

import pytest

from cockpit import sqlguard, sqlsandbox
from cockpit.sqlguard import QueryRefused, run_readonly
from cockpit.store import LATEST, Store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A file database with a small table the tests know by heart: k = 1..10, v = 10 * k."""
    path = tmp_path_factory.mktemp("guard") / "guard.duckdb"
    s = Store.open(path)
    with s.transaction() as cur:
        cur.execute("create table facts as select range as k, range * 10 as v from range(1, 11)")
    sqlsandbox.prepare(s)  # the explorer's catalogue, attached once before the fingerprints
    yield s
    s.close()


@pytest.fixture(scope="module")
def memory_store():
    s = Store.open(":memory:")
    yield s
    s.close()


def fingerprint(store: Store) -> dict:
    """Everything an attack could change: table contents, settings, attachments, sequences."""
    tables = store.rows(
        "select table_name from duckdb_tables() where schema_name = 'main' order by table_name"
    )
    contents = {}
    for row in tables:
        name = row["table_name"]
        # name comes from the catalogue itself, quoted as an identifier.
        contents[name] = store.rows(
            f'select count(*) as n, sum(hash(x)) as h from "{name}" as x'  # noqa: S608
        )[0]
    return {
        "tables": contents,
        "settings": store.rows("select name, value from duckdb_settings() order by name"),
        "databases": store.rows("select database_name from duckdb_databases() order by 1"),
        "extensions": store.rows(
            "select extension_name from duckdb_extensions() where loaded order by 1"
        ),
        "sequences": store.rows("select sequence_name, last_value from duckdb_sequences()"),
    }


def refused(store, sql: str, **kw) -> QueryRefused:
    with pytest.raises(QueryRefused) as info:
        run_readonly(store, sql, **kw)
    return info.value


# -- layer 1: one SELECT statement --------------------------------------------------------

STATEMENT_ATTACKS = [
    ("select 1; select 2", "one statement"),
    ("SELECT 1; DELETE FROM loads", "one statement"),
    ("COMMIT; DELETE FROM facts", "one statement"),
    ("DELETE FROM facts", "DELETE statement"),
    ("DROP TABLE facts", "DROP statement"),
    ("INSERT INTO facts VALUES (11, 110)", "INSERT statement"),
    ("UPDATE facts SET v = 0", "UPDATE statement"),
    ("CREATE TABLE x AS SELECT 1", "CREATE statement"),
    ("ATTACH ':memory:' AS other", "ATTACH statement"),
    ("DETACH guard", "DETACH statement"),
    ("INSTALL httpfs", "Only SELECT"),
    ("LOAD httpfs", "Only SELECT"),
    ("SET threads = 1", "SET statement"),
    ("RESET threads", "SET statement"),
    ("PRAGMA threads = 1", "SET statement"),
    ("PRAGMA version", "PRAGMA statement"),
    ("CALL pragma_version()", "CALL statement"),
    ("CHECKPOINT", "Only SELECT"),
    ("BEGIN TRANSACTION", "TRANSACTION statement"),
    ("EXPLAIN ANALYZE SELECT 1", "EXPLAIN statement"),
    ("PIVOT facts ON k USING sum(v)", "Only SELECT"),
    ("", "Write a SELECT"),
    ("  -- only a comment\n", "Write a SELECT"),
]


@pytest.mark.parametrize(("sql", "message"), STATEMENT_ATTACKS)
def test_non_select_statements_are_refused_and_change_nothing(store, sql, message):
    before = fingerprint(store)
    error = refused(store, sql)
    assert message in str(error)
    assert error.kind == "refused"
    assert fingerprint(store) == before


def test_file_writing_statements_are_refused_and_write_no_file(store, tmp_path):
    out = tmp_path / "x.csv"
    before = fingerprint(store)
    assert "COPY statement" in str(refused(store, f"COPY (SELECT 1) TO '{out}'"))
    assert "EXPORT statement" in str(refused(store, f"EXPORT DATABASE '{tmp_path / 'dump'}'"))
    assert not out.exists() and not (tmp_path / "dump").exists()
    assert fingerprint(store) == before


def test_check_statement_alone_refuses_multiple_statements(store):
    with pytest.raises(QueryRefused, match="this text holds 3"):
        sqlguard.check_statement(store, "select 1; select 2; select 3")
    sqlguard.check_statement(store, "with a as (select 1) select * from a")  # allowed


def test_parse_errors_are_reported_as_errors(store):
    error = refused(store, "selec 1")
    assert error.kind == "error" and "could not be parsed" in str(error)


# -- layer 2: references inside a SELECT ------------------------------------------------------

REFERENCE_ATTACKS = [
    ("select * from read_csv('/etc/passwd')", "read_csv() is not allowed"),
    ("select * from read_csv_auto('/etc/passwd')", "read_csv_auto() is not allowed"),
    ("select * from read_parquet('x.parquet')", "read_parquet() is not allowed"),
    ("select * from parquet_scan('x.parquet')", "parquet_scan() is not allowed"),
    ("select * from read_json('/etc/hosts')", "read_json() is not allowed"),
    ("select * from read_text('/etc/passwd')", "read_text() is not allowed"),
    ("select * from read_blob('/etc/passwd')", "read_blob() is not allowed"),
    ("select * from glob('/etc/*')", "glob() is not allowed"),
    ("select * from sniff_csv('/etc/passwd')", "sniff_csv() is not allowed"),
    ("select * from duckdb_settings()", "duckdb_settings() is not allowed"),
    ("select * from query('select 1')", "query() is not allowed"),
    ("select * from '/etc/passwd'", "'/etc/passwd' is not a table"),
    ("from 'https://example.com/x.csv'", "is not a table"),
    ("select * from facts where k in (select k from 'x.parquet')", "'x.parquet' is not a table"),
    ("select * from pg_settings", "'pg_settings' is not a table"),
    ("select * from system.main.facts", "'system.main.facts' is not a table"),
    ("select current_setting('threads')", "current_setting() is not allowed"),
    ("select getenv('HOME')", "getenv() is not allowed"),
    ("select nextval('load_ids')", "nextval() is not allowed"),
    ("select setseed(0.5)", "setseed() is not allowed"),
    ("select st_point(1, 2)", "no function named st_point()"),
    ("show threads", "SHOW threads is not available"),
    # Hidden one level down: in a table function's argument, a lateral join, a CTE.
    ("select * from range((select count(*) from read_csv('/etc/passwd')))", "read_csv()"),
    ("select * from facts, lateral (select * from read_text(facts.k::varchar))", "read_text()"),
    ("with p as (select * from read_blob('/etc/passwd')) select * from p", "read_blob()"),
    # A CTE named like a file shields only its own scope, not a sibling FROM.
    (
        'select * from (with "/etc/passwd" as (select 1) select * from "/etc/passwd"), '
        "'/etc/passwd'",
        "'/etc/passwd' is not a table",
    ),
    # An earlier CTE cannot see a later one, so this FROM would be a file scan.
    ('with a as (from "x.csv"), "x.csv" as (select 1) from a', "'x.csv' is not a table"),
]


@pytest.mark.parametrize(("sql", "message"), REFERENCE_ATTACKS)
def test_files_settings_and_side_effects_are_refused_inside_select(store, sql, message):
    before = fingerprint(store)
    error = refused(store, sql)
    assert message in str(error)
    assert error.kind == "refused"
    assert fingerprint(store) == before


def test_references_are_collected_with_cte_scope(store):
    cur = store.cursor()
    try:
        refs = sqlguard.extract_references(
            cur,
            "with a as (select k from facts), b as (select * from a) "
            "select upper('x'), * from b, range(3), main.orders_asof(5), 'f.csv'",
        )
    finally:
        cur.close()
    assert refs.tables == {("", "", "facts"), ("", "", "f.csv")}
    assert refs.table_functions == {("", "", "range"), ("", "main", "orders_asof")}
    assert "upper" in refs.functions


# -- layer 3: read-only transaction --------------------------------------------------------


def test_read_only_transaction_stops_a_write_that_passed_the_checks(store, monkeypatch):
    monkeypatch.setattr(sqlguard, "check_references", lambda cur, refs: None)
    before = fingerprint(store)
    # Qualified: the explorer's catalogue has no sequences, the data file's has.
    error = refused(store, "select nextval('cockpit.main.load_ids')")
    assert error.kind == "error" and "read-only" in str(error)
    assert fingerprint(store) == before


def test_store_still_writes_after_refusals(store):
    refused(store, "select * from read_csv('/etc/passwd')")
    with store.transaction() as cur:
        cur.execute("create table scratch as select 1 as one")
    assert store.scalar("select one from scratch") == 1
    with store.transaction() as cur:
        cur.execute("drop table scratch")


# -- layer 4 and 5: time limit and row cap --------------------------------------------------


def test_runaway_query_is_stopped_by_the_time_limit(store):
    before = fingerprint(store)
    error = refused(
        store, "select count(*) from range(10000000000) a, range(1000) b", timeout_s=1.0
    )
    assert error.kind == "timeout"
    assert "Stopped after 1 s" in str(error)
    assert run_readonly(store, "select 42 as x").table.to_pylist() == [{"x": 42}]
    assert fingerprint(store) == before


def test_hundred_million_rows_are_capped(store):
    result = run_readonly(store, "select * from range(100000000)")
    assert result.truncated
    assert result.table.num_rows == 10_000
    assert result.table.column(0).to_pylist()[-1] == 9_999


def test_cap_never_materialises_the_whole_result(store):
    # 10^13 rows cannot be produced within the limit: success means DuckDB stopped at the cap.
    result = run_readonly(store, "select * from range(10000000000000)", max_rows=5, timeout_s=5)
    assert result.truncated and result.table.column(0).to_pylist() == [0, 1, 2, 3, 4]


def test_cap_keeps_order_and_boundary_is_not_truncated(store):
    top = run_readonly(store, "select k from facts order by k desc", max_rows=3)
    assert top.table.column("k").to_pylist() == [10, 9, 8] and top.truncated
    whole = run_readonly(store, "select k from facts", max_rows=10)
    assert whole.table.num_rows == 10 and not whole.truncated


# -- normal queries ------------------------------------------------------------------------


def test_select_with_bound_parameters_returns_values(store):
    result = run_readonly(
        store,
        "select count(*) as n, sum(v) as total from facts where k >= $lo and k <= $hi",
        params={"lo": 4, "hi": 10, "unused": "ignored"},
    )
    # k = 4..10: 7 rows, v = 40 + 50 + ... + 100 = 490
    assert result.table.to_pylist() == [{"n": 7, "total": 490}]
    assert not result.truncated and result.elapsed_ms > 0


def test_parameter_value_is_bound_not_pasted(store):
    result = run_readonly(store, "select $s as s", params={"s": "x'; drop table facts; --"})
    assert result.table.to_pylist() == [{"s": "x'; drop table facts; --"}]
    assert store.scalar("select count(*) from facts") == 10


def test_missing_parameter_is_named(store):
    error = refused(store, "select * from facts where k = $k")
    assert "$k" in str(error)


def test_sql_errors_are_reported_as_errors(store):
    error = refused(store, "select nosuch from facts")
    assert error.kind == "error" and "nosuch" in str(error)


def test_ctes_describe_show_and_catalogue_queries_run(store):
    cte = "with big as (select * from facts where k > 8) select sum(v) as s from big"
    assert run_readonly(store, cte).table.to_pylist() == [{"s": 190}]
    described = run_readonly(store, "describe facts").table.column("column_name").to_pylist()
    assert described == ["k", "v"]
    shown = run_readonly(store, "show tables").table.column("name").to_pylist()
    assert "facts" in shown and "loads" in shown and "orders_live" in shown
    assert not {"audit", "settings", "layouts", "rejects", "login_failures"} & set(shown)
    qualified = run_readonly(store, "select count(*) as n from cockpit.main.facts")
    assert qualified.table.to_pylist() == [{"n": 10}]


def test_dataset_table_macros_are_allowed(memory_store):
    result = run_readonly(
        memory_store, "select count(*) as n from orders_asof($v)", params={"v": LATEST}
    )
    assert result.table.to_pylist() == [{"n": 0}]


def test_expressions_that_parse_as_functions_are_allowed(memory_store):
    sql = (
        "select unnest([1, 2]) as u, [1, 2, 3][2] as second, 'ab' like 'a%' as l, "
        "coalesce(null, 3) as c, list_transform([1, 2], lambda x: x + 1) as t"
    )
    rows = run_readonly(memory_store, sql).table.to_pylist()
    assert rows == [
        {"u": 1, "second": 2, "l": True, "c": 3, "t": [2, 3]},
        {"u": 2, "second": 2, "l": True, "c": 3, "t": [2, 3]},
    ]


# -- values built too large in one call: widths, paddings and repeats are capped -------------


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select printf('%999999999d', 1)", "printf() with a width or precision of 999,999,999"),
        ("select printf('%.99999999f', 1.5)", "printf() with a width or precision of 99,999,999"),
        ("select printf('%-20000s', 'x')", "caps printf() and format() widths at 10,000"),
        ("select '%999999999d'.printf(1)", "width or precision of 999,999,999"),
        ("select format('{:>999999999}', 'x')", "format() with a width or precision of 999,999"),
        ("select format('{0:9>99999999}', 'x')", "width or precision of 99,999,999"),
        ("select format('{:.99999999}', 1.5)", "width or precision of 99,999,999"),
        ("select printf('%*d', 999999999, 1)", "taken from an argument is not allowed"),
        ("select format('{:>{}}', 'x', 999999999)", "taken from an argument is not allowed"),
        ("select format('{0:>{1}}', 'x', 999999999)", "taken from an argument is not allowed"),
        (
            "select printf(concat('%', '999999999d'), 1)",
            "needs its format written out as a literal",
        ),
        ("select printf(v::varchar || 'd', 1) from facts", "written out as a literal"),
        ("select lpad('x', 999999999, 'y')", "caps repeat(), lpad() and rpad()"),
        ("select rpad('x', 999999999, 'y')", "caps repeat(), lpad() and rpad()"),
        ("select repeat('x', 999999999)", "caps repeat(), lpad() and rpad()"),
        ("select repeat('abcdefghij', 2000000)", "caps repeat(), lpad() and rpad()"),
    ],
)
def test_huge_widths_paddings_and_repeats_are_refused_at_once(store, sql, message):
    before = fingerprint(store)
    with pytest.raises(QueryRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_readonly(store, sql, timeout_s=30)
    assert fingerprint(store) == before


def test_ordinary_widths_and_escapes_still_format(store):
    result = run_readonly(
        store,
        "select printf('%5d|%-3s|%%|%.2f|%10000d', 1, 'a', 1.5, 2) as p,"
        " format('{0:>5}|{{}}|{1:0>3}|{{{2:>2}}}|{0}', 'x', 7, 1) as f, lpad('7', 3, '0') as l",
    )
    (row,) = result.table.to_pylist()
    assert row["p"].startswith("    1|a  |%|1.50|") and len(row["p"]) == 17 + 10_000
    assert row["f"] == "    x|{}|007|{ 1}|x"
    assert row["l"] == "007"


# -- issue 22: private tables stay invisible, whatever the name resolution -------------------

PRIVATE_ESCAPES = [
    # A non-recursive CTE does not see itself: the `audit` in its body is the real table.
    "with audit as (select * from audit) select * from audit",
    "with settings as (select * from settings) select * from settings",
    "with x as (select 1), login_failures as (select * from login_failures) "
    "select * from login_failures",
    "with layouts as (select * from layouts) select count(*) from layouts",
    "select * from (with rejects as (select * from rejects) select * from rejects)",
    # The anchor of a recursive CTE reads the real table of its name too.
    "with recursive audit as (select * from audit union all select * from audit where false) "
    "select * from audit",
    # Listings of the catalogue.
    "select table_name from information_schema.tables",
    "select table_name, column_name from information_schema.columns",
    "select * from system.information_schema.tables",
    "select * from pg_catalog.pg_tables",
    "select * from duckdb_tables()",
    "select * from duckdb_columns()",
    "select * from pragma_table_info('audit')",
    "show all tables",
    "describe audit",
    "describe cockpit.main.settings",
    "summarize cockpit.login_failures",
    "select * from cockpit.main.audit",
]


@pytest.mark.parametrize("sql", PRIVATE_ESCAPES)
def test_private_tables_never_show_through_ctes_or_catalogue_listings(store, sql):
    with store.transaction() as cur:
        cur.execute("insert into settings values ('secret', '\"the private value\"')")
    try:
        with pytest.raises(QueryRefused) as info:
            run_readonly(store, sql)
    finally:
        with store.transaction() as cur:
            cur.execute("delete from settings where key = 'secret'")
    assert "private value" not in str(info.value)


def test_the_guarded_catalogue_holds_no_private_table(store, monkeypatch):
    """Structural: even with the reference checks switched off, the name does not resolve."""
    monkeypatch.setattr(sqlguard, "check_references", lambda cur, refs: None)
    for table in ("audit", "settings", "login_failures", "layouts", "rejects"):
        error = refused(store, f"select * from {table}")  # noqa: S608 - fixed names
        assert error.kind == "error" and "does not exist" in str(error)
        # With the table missing, DuckDB reads the CTE's own name as a circular reference.
        error = refused(store, f"with {table} as (select * from {table}) select * from {table}")
        assert error.kind == "error" and "Circular reference" in str(error)
    assert run_readonly(store, "select count(*) as n from facts").table.to_pylist() == [{"n": 10}]


def test_a_recursive_cte_still_sees_itself(store):
    sql = "with recursive t(n) as (select 1 union all select n + 1 from t where n < 4) from t"
    assert run_readonly(store, sql).table.column("n").to_pylist() == [1, 2, 3, 4]


def test_a_table_loaded_after_the_catalogue_was_built_is_readable(memory_store):
    run_readonly(memory_store, "select 1 as one")
    with memory_store.transaction() as cur:
        cur.execute("create table raw_late as select 7 as x")
    try:
        rows = run_readonly(memory_store, "select x from raw_late").table.to_pylist()
    finally:
        with memory_store.transaction() as cur:
            cur.execute("drop table raw_late")
    assert rows == [{"x": 7}]


# -- issue 22: the time limit cannot be switched off; values and results are capped ---------


@pytest.mark.parametrize(("given", "used"), [(0, 0.1), (-1, 0.1), (0.05, 0.1), (5, 5.0),
                                             (10**9, 300.0)])  # fmt: skip
def test_the_time_limit_is_clamped(given, used):
    assert sqlguard.clamp_timeout(given) == used


@pytest.mark.parametrize("given", [float("nan"), float("inf"), float("-inf"), "soon", None])
def test_a_time_limit_that_is_not_a_finite_number_is_refused(store, given):
    error = refused(store, "select 1", timeout_s=given)
    assert "time limit" in str(error)


@pytest.mark.parametrize("timeout", [0, -1])
def test_a_zero_or_negative_time_limit_still_stops_the_query(store, timeout):
    error = refused(store, "select count(*) from range(10000000000) a, range(1000) b",
                    timeout_s=timeout)  # fmt: skip
    assert error.kind == "timeout" and "Stopped after 0.1 s" in str(error)


def test_a_time_limit_that_expires_before_the_query_starts_still_stops_it(store, monkeypatch):
    checked = sqlguard.check_references

    def slow_check(cur, refs):  # the limit expires here, while no query runs on the cursor
        checked(cur, refs)
        time.sleep(0.5)

    monkeypatch.setattr(sqlguard, "check_references", slow_check)
    error = refused(store, "select count(*) from range(3000000000) a", timeout_s=0.2)
    assert error.kind == "timeout"


def test_a_builtin_called_through_its_catalog_cannot_dodge_the_size_caps(store):
    for sql in (
        "select length(system.main.repeat('x', 1500000000))",
        "select length(main.lpad('x', 1000000000, 'y'))",
    ):
        assert "by its name alone" in str(refused(store, sql))


def test_a_result_over_the_byte_cap_is_refused(store):
    error = refused(store, "select repeat('x', 5000000) as s from range(20)")
    assert error.kind == "error" and "larger than 64 MB" in str(error)


def test_shutdown_interrupts_a_running_query(store):
    errors = []

    def run():
        try:
            run_readonly(store, "select count(*) from range(10000000000) a, range(1000) b",
                         timeout_s=300)  # fmt: skip
        except QueryRefused as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    try:
        while not sqlguard._RUNNING:
            time.sleep(0.01)
        assert sqlguard.interrupt_all() == 1
        worker.join(60)
        assert not worker.is_alive()
        assert errors and "shutting down" in str(errors[0])
        assert "shutting down" in str(refused(store, "select 1"))  # and no new query starts
    finally:
        sqlguard._SHUTTING_DOWN.clear()
    assert run_readonly(store, "select 1 as one").table.to_pylist() == [{"one": 1}]


def test_an_endless_recursive_cte_is_stopped_by_the_time_limit(store):
    error = refused(
        store,
        "with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t",
        timeout_s=0,
    )
    assert error.kind == "timeout"
