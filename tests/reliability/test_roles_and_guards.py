"""Issue 15's security findings, each checked in the core per role: saved views and scenarios
have owners, the explorer reads data and not private tables, originals need an analyst, CSV
downloads never carry formulas, sign-in costs the same for unknown names and brakes, and the
SQL guard stops single huge values and caps memory."""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import pytest

from cockpit import auth, login
from cockpit.auth import PermissionDenied, User
from cockpit.export import safe_csv
from cockpit.ingest.pipeline import load_files
from cockpit.screens import dataops, saved
from cockpit.sqlguard import QueryRefused, run_readonly
from cockpit.store import Store
from reliability.bad_files import ORDERS, csv_text

VIEWER = User("vera", "viewer")
VIEWER2 = User("vic", "viewer")
ANALYST = User("ann", "analyst")
ADMIN = User("ada", "admin")
BOARD = {"drivers": {"demand_pct": 10.0}}


# -- saved scenarios and views have owners -------------------------------------------------


def test_a_viewer_cannot_save_over_an_admins_shared_scenario(store):
    saved.save(store, "scenarios", "Board plan", BOARD, user=ADMIN, shared=True)
    for shared in (True, False):
        with pytest.raises(PermissionDenied):
            saved.save(
                store, "scenarios", "Board plan", {"drivers": {}}, user=VIEWER, shared=shared
            )
    item = saved.list_saved(store, "scenarios", VIEWER)["Board plan"]
    assert (item["value"], item["user"], item["shared"]) == (BOARD, "ada", True)
    with pytest.raises(PermissionDenied):
        saved.delete(store, "scenarios", "Board plan", user=VIEWER)


def test_a_viewer_saves_only_private_items_seen_by_themselves(store):
    saved.save(store, "views", "My Lyon", {"url": "?site=Lyon"}, user=VIEWER)
    with pytest.raises(PermissionDenied, match="analyst"):
        saved.save(store, "views", "For all", {"url": "?"}, user=VIEWER, shared=True)
    assert "My Lyon" in saved.list_saved(store, "views", VIEWER)
    assert "My Lyon" not in saved.list_saved(store, "views", VIEWER2)
    assert "My Lyon" not in saved.list_saved(store, "views", ANALYST)
    # Nobody but an admin takes over someone's private name.
    with pytest.raises(PermissionDenied, match="is vera.s private one; save yours under another"):
        saved.save(store, "views", "My Lyon", {"url": "?"}, user=VIEWER2)
    # The refusal says whose the name is and what to do, not "Managing users needs ...".
    with pytest.raises(PermissionDenied) as refused:
        saved.save(store, "views", "My Lyon", {"url": "?"}, user=ANALYST, shared=True)
    assert str(refused.value) == (
        "The view 'My Lyon' is vera's private one; save yours under another name."
    )
    saved.save(store, "views", "My Lyon", {"url": "?site=Leeds"}, user=VIEWER)  # their own
    assert saved.list_saved(store, "views", VIEWER)["My Lyon"]["value"] == {"url": "?site=Leeds"}


def test_a_private_scenario_opens_by_name_for_its_owner_only(store):
    saved.save(store, "scenarios", "Mine", BOARD, user=VIEWER)
    assert saved.open_saved(store, "scenarios", "Mine", user=VIEWER)["value"] == BOARD
    for other in (VIEWER2, ANALYST, ADMIN):
        with pytest.raises(PermissionDenied, match="'Mine' is private to its owner"):
            saved.open_saved(store, "scenarios", "Mine", user=other)
    with pytest.raises(saved.NotFound, match="no saved scenario named 'Nope'"):
        saved.open_saved(store, "scenarios", "Nope", user=VIEWER)
    saved.save(store, "scenarios", "Ours", BOARD, user=ADMIN, shared=True)
    assert saved.open_saved(store, "scenarios", "Ours", user=VIEWER2)["user"] == "ada"


def test_an_analyst_shares_and_updates_shared_items(store):
    saved.save(store, "views", "Q3 pack", {"url": "?a"}, user=ADMIN, shared=True)
    saved.save(store, "views", "Q3 pack", {"url": "?b"}, user=ANALYST, shared=True)
    item = saved.list_saved(store, "views", VIEWER)["Q3 pack"]
    assert (item["value"], item["user"]) == ({"url": "?b"}, "ann")


def test_saving_a_query_needs_the_sql_role(store):
    with pytest.raises(PermissionDenied, match="SQL"):
        saved.save(store, "queries", "mine", "select 1", user=VIEWER)
    with pytest.raises(TypeError):
        saved.save(store, "queries", "mine", "select 1", user="ann")  # a bare name is no user


# -- the explorer reads data, not private tables ---------------------------------------------

PRIVATE = [
    "audit", "settings", "layouts", "rejects", "schema_migrations", "login_failures",
    "saved_items", "recipes",
]  # fmt: skip


@pytest.mark.parametrize("table", PRIVATE)
@pytest.mark.parametrize("user", [ANALYST, ADMIN, None], ids=["analyst", "admin", "cli"])
def test_the_explorer_never_reads_private_tables(shared_loaded_store, table, user):
    for sql in (
        f"select * from {table}",  # noqa: S608 - fixed names
        f"select * from cockpit.main.{table}",  # noqa: S608
        f"with x as (select * from {table}) select count(*) from x",  # noqa: S608
        f"summarize {table}",
        f"show {table}",
    ):
        with pytest.raises(QueryRefused, match="private|not available|not a table"):
            run_readonly(shared_loaded_store, sql, user=user)


@pytest.mark.parametrize(
    "sql",
    [
        "select count(*) as n from orders_live",
        "select count(*) as n from orders",
        "select count(*) as n from loads",
        "select count(*) as n from segments",
        "select count(*) as n from live_loads(1000)",
    ],
)
def test_the_explorer_reads_data_views_raw_tables_and_the_ledger(shared_loaded_store, sql):
    expected = shared_loaded_store.scalar(sql)
    assert run_readonly(shared_loaded_store, sql, user=ANALYST).table.to_pylist() == [
        {"n": expected}
    ]
    raw = shared_loaded_store.scalar(
        "select table_name from duckdb_tables() where table_name like 'raw\\_%' escape '\\' limit 1"
    )
    assert raw, "the seeded store has a raw table"
    n = shared_loaded_store.scalar(f'select count(*) from "{raw}"')  # noqa: S608
    sql_raw = f'select count(*) as n from "{raw}"'  # noqa: S608
    assert run_readonly(shared_loaded_store, sql_raw, user=ANALYST).table.to_pylist() == [{"n": n}]


# -- originals are for analysts ---------------------------------------------------------------


def test_original_files_download_for_analysts_only(store):
    data = csv_text([ORDERS[0], ["M1", "2025-03-02", "Leeds", 3, 33]]).encode()
    load_id = load_files(store, [("march.csv", data)], user="ann").files[0].sheets[0].load_id
    with pytest.raises(PermissionDenied, match="analyst"):
        dataops.original_file(store, load_id, VIEWER)
    assert dataops.original_file(store, load_id, ANALYST) == ("march.csv", data)


# -- CSV downloads carry no formulas ----------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    df = pd.DataFrame(
        {
            "=cmd": ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                     "\t=1", "\r=1", "plain", None],
            "n": [-5, 1, 2, 3, 4, 5, 6, 7],
        }
    )  # fmt: skip
    back = pd.read_csv(io.BytesIO(safe_csv.to_csv_bytes(df)), keep_default_na=False)
    assert list(back.columns) == ["'=cmd", "n"]
    assert list(back["'=cmd"]) == [
        "'=HYPERLINK(\"http://x\",\"y\")", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)",
        "'\t=1", "'\r=1", "plain", "",
    ]  # fmt: skip
    assert list(back["n"]) == [-5, 1, 2, 3, 4, 5, 6, 7]  # numbers stay numbers


# -- sign-in ---------------------------------------------------------------------------------


def _config(iterations: int = 1000) -> auth.AuthConfig:
    encoded = auth.hash_password("right", iterations=iterations)
    return auth.AuthConfig("password", users={"ann": ("analyst", encoded)})


def test_an_unknown_name_costs_the_same_hashing_as_a_wrong_password(monkeypatch):
    config = _config(iterations=5000)
    costs = []
    real = hashlib.pbkdf2_hmac

    def counting(name, password, salt, iterations):
        costs.append(iterations)
        return real(name, password, salt, iterations)

    auth._dummy_hash(5000)  # made once, outside the counted calls
    auth._dummy_hash(auth.DEFAULT_ITERATIONS)
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    assert auth.authenticate(config, "ann", "wrong") is None
    assert auth.authenticate(config, "nobody", "wrong") is None
    assert costs == [5000, 5000]
    # With no users configured the dummy costs what a default hash costs.
    costs.clear()
    auth.authenticate(auth.AuthConfig("password"), "x", "y")
    assert costs == [auth.DEFAULT_ITERATIONS]


class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, s):
        self.slept.append(s)
        self.now += s


def test_failed_sign_ins_are_audited_slowed_then_locked(store):
    t = FakeTime()
    brake = login.LoginBrake(clock=t.clock, sleep=t.sleep)
    config = _config()
    for _ in range(login.LOCK_AFTER):
        assert login.sign_in(store, config, "Ann", "wrong", brake=brake) is None
    # Attempts 1-3 wait nothing; from the 4th each waits twice as long, up to 8 s.
    assert t.slept == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    # Locked: even the right password is refused, and the refusal is audited.
    with pytest.raises(login.LoginLocked, match="15 min"):
        login.sign_in(store, config, "ann", "right", brake=brake)
    actions = store.rows(
        """select "user", action, detail->>'failures' as n from audit
           where action like 'login%' order by "at", rowid"""
    )
    failed = [a for a in actions if a["action"] == "login_failed"]
    assert [int(a["n"]) for a in failed] == list(range(1, login.LOCK_AFTER + 1))
    assert [a["action"] for a in actions].count("login_locked") == 2
    # Unknown names are braked the same way (no hint that a name exists).
    for _ in range(login.LOCK_AFTER):
        login.sign_in(store, config, "mallory", "x", brake=brake)
    with pytest.raises(login.LoginLocked):
        login.sign_in(store, config, "mallory", "x", brake=brake)
    # After the lock runs out the right password works and clears the count.
    t.now += login.LOCK_SECONDS + 1
    assert login.sign_in(store, config, "ann", "right", brake=brake) == User("ann", "analyst")
    assert brake.delay_for("ann") == 0


def test_a_lockout_and_the_slow_down_survive_a_restart(tmp_path):
    """The brake's counters live in the database: a new server process (a new Store on the
    same file, a new brake) still refuses a locked name, and still slows a failing one."""
    t = FakeTime()
    config = _config()
    path = tmp_path / "c.duckdb"
    first = Store.open(path)
    brake = login.LoginBrake(clock=t.clock, sleep=t.sleep)
    for _ in range(login.LOCK_AFTER):
        assert login.sign_in(first, config, "Ann", "wrong", brake=brake) is None
    for _ in range(login.SLOW_AFTER + 1):
        assert login.sign_in(first, config, "bob", "wrong", brake=brake) is None
    first.close()

    again = Store.open(path)
    try:
        restarted = login.LoginBrake(clock=t.clock, sleep=t.sleep)
        with pytest.raises(login.LoginLocked, match="15 min"):
            login.sign_in(again, config, "ann", "right", brake=restarted)
        t.slept.clear()
        assert login.sign_in(again, config, "bob", "wrong", brake=restarted) is None
        assert t.slept == [1.0]  # the 5th failure waits as it would have before the restart
        # The counters are private: not in the SQL explorer.
        with pytest.raises(QueryRefused, match="'login_failures' is private"):
            run_readonly(again, "select * from login_failures")
        # When the lock runs out, the right password works and clears the name's counters.
        t.now += login.LOCK_SECONDS + 1
        assert login.sign_in(again, config, "ann", "right", brake=restarted) == User(
            "ann", "analyst"
        )
        assert again.rows("select name, failures from login_failures") == [
            {"name": "bob", "failures": login.SLOW_AFTER + 2}
        ]
    finally:
        again.close()


# -- the SQL guard stops single huge values and caps memory ------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT length(repeat('x', 1000000000))",
        "SELECT length(repeat(repeat('x', 10000000), 10000000))",
        "SELECT length(lpad('x', 1000000000, 'y'))",
        "SELECT len(range(1000000000))",
        "SELECT len(generate_series(1, 1000000000))",
        "SELECT len(list_resize([1], 1000000000))",
    ],
)
def test_one_huge_value_is_refused_before_it_is_built(store, sql):
    with pytest.raises(QueryRefused) as info:
        run_readonly(store, sql, timeout_s=60)
    assert info.value.kind in {"refused", "error"}
    assert "caps" in str(info.value) or "too large" in str(info.value)


def test_repeat_and_padding_still_work_below_the_cap(store):
    result = run_readonly(store, "select repeat('ab', 3) as r, lpad('7', 3, '0') as p")
    assert result.table.to_pylist() == [{"r": "ababab", "p": "007"}]


def test_a_query_needing_more_than_the_memory_limit_fails_with_a_message(monkeypatch):
    monkeypatch.setenv("COCKPIT_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("COCKPIT_TEMP_LIMIT", "1GB")
    s = Store.open(":memory:")
    try:
        assert s.scalar("select current_setting('memory_limit')") in {"286.1 MiB", "300.0 MB"}
        assert s.scalar("select current_setting('max_temp_directory_size')") in {
            "953.6 MiB",
            "1.0 GB",
        }
        with pytest.raises(QueryRefused, match="(?i)out of memory"):
            run_readonly(
                s,
                "select length(string_agg(repeat('x', 1000), '')) from range(2000000)",
                timeout_s=60,
            )
    finally:
        s.close()


def test_a_bad_memory_setting_is_refused(monkeypatch):
    monkeypatch.setenv("COCKPIT_MEMORY_LIMIT", "4GB'; drop table x; --")
    with pytest.raises(ValueError, match="not a size"):
        Store.open(":memory:")
