"""Issue 22: sign-in attempts made at the same moment for one name are braked like attempts
made one after another. Counting the attempt and checking the lock are one atomic step, so
at most LOCK_AFTER passwords are ever checked before the name is locked (40 threads used to
get 40 checks and no lock). An admin lifts a lock, audited."""

from __future__ import annotations

import threading

import pytest

from cockpit import auth, login
from cockpit.auth import PermissionDenied, User
from cockpit.store import Store

THREADS = 40


def _config() -> auth.AuthConfig:
    # A real cost per check (some ms), so the attempts overlap as a real attack's do.
    encoded = auth.hash_password("right", iterations=20_000)
    return auth.AuthConfig("password", users={"ann": ("analyst", encoded)})


def test_forty_parallel_wrong_passwords_get_at_most_lock_after_checks(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "c.duckdb")
    config = _config()
    brake = login.LoginBrake(sleep=lambda s: None)  # the waits are not what is tested here
    checked = []
    real = auth.authenticate

    def counting(cfg, name, password):
        checked.append(name)  # list.append is atomic
        return real(cfg, name, password)

    monkeypatch.setattr(auth, "authenticate", counting)
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            user = login.sign_in(store, config, "ann", "wrong", brake=brake)
            outcomes.append("refused" if user is None else "in")
        except login.LoginLocked:
            outcomes.append("locked")
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(checked) == login.LOCK_AFTER
        assert sorted(outcomes) == sorted(
            ["refused"] * login.LOCK_AFTER + ["locked"] * (THREADS - login.LOCK_AFTER)
        )
        # Locked now: even the right password is not checked.
        with pytest.raises(login.LoginLocked):
            login.sign_in(store, config, "ann", "right", brake=brake)
        assert len(checked) == login.LOCK_AFTER
        failures = store.rows(
            "select detail->>'failures' as n from audit where action = 'login_failed'"
        )
        assert sorted(int(r["n"]) for r in failures) == list(range(1, login.LOCK_AFTER + 1))
    finally:
        store.close()


def test_an_admin_unlocks_a_name_and_it_is_audited(tmp_path):
    store = Store.open(tmp_path / "c.duckdb")
    config = _config()
    brake = login.LoginBrake(sleep=lambda s: None)
    try:
        for _ in range(login.LOCK_AFTER):
            login.sign_in(store, config, "ann", "wrong", brake=brake)
        assert [r["name"] for r in login.locked_names(store)] == ["ann"]
        with pytest.raises(PermissionDenied, match="Managing users needs the admin role"):
            login.unlock(store, "ann", user=User("bob", "analyst"))
        assert login.unlock(store, "Ann", user=User("ada", "admin")) is True
        assert login.locked_names(store) == []
        assert login.sign_in(store, config, "ann", "right", brake=brake) == User("ann", "analyst")
        assert login.unlock(store, "ann", user=User("ada", "admin")) is False  # nothing to lift
        audited = store.rows(
            """select "user", detail->>'name' as name from audit
               where action = 'login_unlocked'"""
        )
        assert audited == [{"user": "ada", "name": "ann"}]
    finally:
        store.close()
