"""Store: numbered migrations, idempotent re-open, one connection per process, threads."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from cockpit import datasets, ledger
from cockpit import store as store_mod
from cockpit.store import LATEST, Store, get_store


def test_migrations_are_numbered_and_recorded(tmp_path):
    s = Store.open(tmp_path / "a.duckdb")
    try:
        rows = s.rows("select version, name from schema_migrations order by version")
        assert [r["version"] for r in rows] == [m[0] for m in store_mod.MIGRATIONS]
        assert [r["version"] for r in rows] == list(range(1, len(rows) + 1))
        assert s.schema_version() == store_mod.MIGRATIONS[-1][0]
        tables = set(s.arrow("select table_name from duckdb_tables()").column(0).to_pylist())
        assert {"loads", "segments", "supersessions", "rejects", "layouts"} <= tables
        assert set(datasets.DATASETS) <= tables
    finally:
        s.close()


def test_reopening_applies_nothing_and_keeps_data(tmp_path):
    path = tmp_path / "a.duckdb"
    s = Store.open(path)
    ledger.load_table(s, "surveys", [{"response_date": dt.date(2025, 1, 2), "score": 9}])
    s.close()

    again = Store.open(path)
    try:
        assert again.migrate() == []  # nothing pending on a second migrate either
        assert again.scalar("select count(*) from schema_migrations") == len(store_mod.MIGRATIONS)
        assert again.scalar("select sum(score) from surveys_live") == 9
        # Macros are re-created on open: the as-of views still work.
        assert again.scalar("select count(*) from surveys_asof($n)", {"n": LATEST}) == 1
    finally:
        again.close()


def test_a_new_migration_is_applied_once(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    Store.open(path).close()
    extra = (99, "a note column", ["ALTER TABLE settings ADD COLUMN note VARCHAR"])
    monkeypatch.setattr(store_mod, "MIGRATIONS", [*store_mod.MIGRATIONS, extra])
    s = Store.open(path)
    try:
        assert s.schema_version() == 99
        assert s.migrate() == []
        assert "note" in s.arrow("select * from settings").column_names
    finally:
        s.close()


def test_a_failing_migration_rolls_back_whole(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    Store.open(path).close()
    current = store_mod.MIGRATIONS[-1][0]
    bad = (current + 1, "half",
           ["CREATE TABLE half_done (x INT)", "CREATE TABLE broken (x NOSUCHTYPE)"])  # fmt: skip
    monkeypatch.setattr(store_mod, "MIGRATIONS", [*store_mod.MIGRATIONS, bad])
    with pytest.raises(Exception, match="NOSUCHTYPE|[Tt]ype"):
        Store.open(path)
    monkeypatch.undo()
    s = Store.open(path)
    try:
        assert s.schema_version() == current
        names = s.arrow("select table_name from duckdb_tables()").column(0).to_pylist()
        assert "half_done" not in names
    finally:
        s.close()


def test_get_store_is_one_object_per_path(tmp_path):
    a = get_store(tmp_path / "one.duckdb")
    try:
        assert get_store(tmp_path / "one.duckdb") is a
        (tmp_path / "sub").mkdir()
        assert get_store(f"{tmp_path}/sub/../one.duckdb") is a  # same file, other spelling
        b = get_store(tmp_path / "two.duckdb")
        assert b is not a
    finally:
        for key in [k for k in store_mod._STORES if str(tmp_path) in k]:
            store_mod._STORES.pop(key).close()


def test_query_helpers_bind_named_parameters(store):
    assert store.scalar("select $a + $b", {"a": 2, "b": 3}) == 5
    assert store.rows("select $s as s", {"s": "x'); drop table loads; --"}) == [
        {"s": "x'); drop table loads; --"}
    ]
    assert store.scalar("select count(*) from loads") == 0
    assert store.arrow("select 1 as one").column_names == ["one"]


def test_transaction_rolls_back_on_error(store):
    with pytest.raises(RuntimeError), store.transaction() as cur:
        cur.execute("insert into settings values ('k', '1')")
        raise RuntimeError("boom")
    assert store.scalar("select count(*) from settings") == 0
    store.set_setting("k", {"a": 1}, user="ann")
    assert store.get_setting("k") == {"a": 1}
    assert store.rows('select "user", action from audit') == [{"user": "ann", "action": "setting"}]


def test_threads_querying_through_cursors_get_correct_results(store):
    """8 threads x many queries, one writer adding loads: every answer is a committed state."""
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    ledger.load_table(store, "surveys", [{"response_date": months[0], "score": 10}])
    n_writes = 12
    errors: list[BaseException] = []
    results: list[list[tuple]] = [[] for _ in range(8)]
    writer_done = threading.Event()

    def reader(i: int) -> None:
        try:
            for j in range(60):
                cur = store.cursor()
                try:
                    row = cur.sql(
                        "select count(*) as n, sum(score) as s from surveys_live where $j >= 0",
                        params={"j": j},
                    ).to_arrow_table()
                    n, total = row["n"][0].as_py(), row["s"][0].as_py()
                finally:
                    cur.close()
                results[i].append((n, total))
                assert store.scalar("select $i * 2", {"i": i}) == i * 2
        except BaseException as exc:
            errors.append(exc)

    def writer() -> None:
        try:
            for k in range(1, n_writes + 1):
                rows = [{"response_date": months[k % 12], "score": k}] * k
                ledger.load_table(store, "surveys", rows)
        except BaseException as exc:
            errors.append(exc)
        finally:
            writer_done.set()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(8)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not errors, errors
    # After k writes: 1 + (1 + 2 + ... + k) rows summing to 10 + (1^2 + ... + k^2).
    states = {(1 + k * (k + 1) // 2, 10 + sum(x * x for x in range(1, k + 1))) for k in range(13)}
    for per_thread in results:
        assert len(per_thread) == 60
        assert set(per_thread) <= states
        counts = [n for n, _ in per_thread]
        assert counts == sorted(counts)  # a thread never sees the data go back in time
    assert store.rows("select count(*) as n, sum(score) as s from surveys_live") == [
        {"n": 1 + 78, "s": 10 + 650}
    ]


def test_parameters_are_found_in_one_pass_over_strings_and_comments():
    from cockpit.queries import parameters

    assert parameters("select '--' as x, $p") == ["p"]
    assert parameters("-- it's $a\nselect $b, '$c', /* $d */ $e, \"$f\"") == ["b", "e"]
    assert parameters("select $a, $b, $a") == ["a", "b"]


def test_a_database_made_before_a_dataset_existed_gains_its_table(tmp_path):
    path = tmp_path / "old.duckdb"
    s = Store.open(path)
    # As a database made by migration 1 before contact_stats was a dataset.
    s.con.execute("DROP TABLE contact_stats")
    s.con.execute("ALTER TABLE surveys DROP COLUMN csat")
    s.con.execute("DELETE FROM schema_migrations WHERE version > 1")
    s.close()
    s = Store.open(path)
    try:
        assert s.scalar("select count(*) from contact_stats_live") == 0
        assert "csat" in s.arrow("select * from surveys_live").column_names
        assert s.schema_version() == store_mod.MIGRATIONS[-1][0]
    finally:
        s.close()


def test_orders_dates_become_timestamps_and_keep_their_values(tmp_path):
    path = tmp_path / "old.duckdb"
    s = Store.open(path)
    # As a database from before promise and delivery carried a time of day.
    s.con.execute("DROP TABLE delivery_stats")
    s.con.execute("ALTER TABLE orders ALTER promised_date TYPE DATE")
    s.con.execute("ALTER TABLE orders ALTER delivered_date TYPE DATE")
    s.con.execute("DELETE FROM schema_migrations WHERE version > 3")
    s.close()
    s = Store.open(path)
    try:
        types = dict(
            s.con.execute(
                "select column_name, data_type from duckdb_columns() where table_name = 'orders'"
            ).fetchall()
        )
        assert types["promised_date"] == types["delivered_date"] == "TIMESTAMP"
        assert s.scalar("select count(*) from delivery_stats_live") == 0
    finally:
        s.close()


def test_the_latest_version_and_settings_are_read_once_until_a_write_commits(store):
    """Every page run asks for the newest version and the currency; they are kept in memory
    until a committed write (a load, an undo, a setting, a load's own transaction)."""
    rows = [{"order_id": "A", "order_date": dt.date(2026, 1, 5), "quantity": 1}]
    reads = []
    real = store.scalar

    def counting(sql, params=None):
        reads.append(sql)
        return real(sql, params)

    store.scalar = counting
    assert store.latest_seq() == 0 and store.get_setting("k") is None
    assert store.latest_seq() == 0 and store.get_setting("k") is None
    assert len(reads) == 2  # the second pair came from memory
    ledger.load_table(store, "orders", rows)  # commits through a load's own transaction
    assert store.latest_seq() == 1
    store.set_setting("k", "x")
    assert store.get_setting("k") == "x"
    with pytest.raises(RuntimeError), store.transaction() as cur:
        cur.execute("insert into settings values ('j', '1')")
        raise RuntimeError("rolled back")
    assert store.get_setting("j") is None


def test_a_read_racing_a_commit_is_not_kept(store):
    """A value read while a write commits may be the old one: it is returned, not kept."""
    real = store._read_latest_seq

    def read_then_commit():
        value = real()
        ledger.load_table(store, "orders", [{"order_id": "A", "order_date": dt.date(2026, 1, 5)}])
        return value

    store._read_latest_seq = read_then_commit
    assert store.latest_seq() == 0  # what was read, before the load committed
    store._read_latest_seq = real
    assert store.latest_seq() == 1  # not the kept 0


def test_kept_items_stored_as_json_settings_become_one_row_each(tmp_path):
    path = tmp_path / "old.duckdb"
    s = Store.open(path)
    # As a database from before migration 6: each kind was one JSON object in settings.
    s.con.execute("DROP TABLE saved_items")
    s.con.execute("DELETE FROM schema_migrations WHERE version >= 6")
    views = {
        "Lyon": {"value": {"url": "?site=Lyon"}, "user": "vera", "shared": False,
                 "saved_at": "2026-03-01T10:00:00"},
        "Old": {"value": {"url": "?"}, "user": "ann", "saved_at": "2026-01-01T09:00:00"},
    }  # fmt: skip
    metric = {"id": "fpu", "label": "Freight per unit", "dataset": "orders",
              "numerator": "sum(revenue)"}  # fmt: skip
    for key, value in {
        "saved_views": views,
        "custom_metrics": {"fpu": metric},
        "targets": {"asa_seconds": {"target": 50.0, "amber": 15.0}},
        "sla_days": {"Standard": 4},
    }.items():
        s.set_setting(key, value)
    s.close()
    s = Store.open(path)
    try:
        from cockpit.kpis import custom_metrics, targets
        from cockpit.screens import saved

        kept = saved.list_saved(s, "views")
        assert list(kept) == ["Lyon", "Old"]  # newest first
        assert kept["Lyon"] == {"value": {"url": "?site=Lyon"}, "user": "vera",
                                "shared": False, "saved_at": "2026-03-01T10:00:00"}  # fmt: skip
        assert kept["Old"]["shared"] is True  # saved before owners existed: shared
        assert [m.label for m in custom_metrics.list_metrics(s)] == ["Freight per unit"]
        assert targets.target_overrides(s) == {"asa_seconds": {"target": 50.0, "amber": 15.0}}
        # The moved keys are gone from settings; the others stay.
        assert s.get_setting("saved_views") is None and s.get_setting("targets") is None
        assert s.get_setting("sla_days") == {"Standard": 4}
    finally:
        s.close()
