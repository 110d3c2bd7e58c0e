"""Sign-in sessions: a signed cookie that resumes, runs out, is refused when tampered with,
and ends everywhere at sign-out."""

from __future__ import annotations

import json
import stat

from cockpit import sessions

T0 = 1_800_000_000.0


def test_a_session_resumes_by_its_cookie_and_only_its_hash_is_kept(tmp_path):
    db = tmp_path / "cockpit.duckdb"
    cookie = sessions.start(db, "ann", now=T0)
    assert sessions.resume(db, cookie, now=T0 + 60) == "ann"
    kept = sessions.sessions_path(db)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    sid = cookie.split(".")[0]
    assert sid not in kept.read_text()
    assert list(json.loads(kept.read_text())["sessions"]) == [sessions._digest(sid)]


def test_a_tampered_or_unknown_cookie_is_refused(tmp_path):
    db = tmp_path / "cockpit.duckdb"
    cookie = sessions.start(db, "ann", now=T0)
    sid, signature = cookie.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert sessions.resume(db, f"{sid}.{flipped}", now=T0) is None
    assert sessions.resume(db, sid[:-1] + "x." + signature, now=T0) is None
    assert sessions.resume(db, sid, now=T0) is None
    assert sessions.resume(db, "", now=T0) is None
    assert sessions.resume(db, None, now=T0) is None
    # Another database's key signs differently: its cookie means nothing here.
    other = sessions.start(tmp_path / "other.duckdb", "ann", now=T0)
    assert sessions.resume(db, other, now=T0) is None
    assert sessions.resume(db, cookie, now=T0) == "ann"


def test_a_session_runs_out_when_idle_and_at_its_maximum_age(tmp_path):
    db = tmp_path / "cockpit.duckdb"
    idle = sessions.start(db, "ann", now=T0)
    assert sessions.resume(db, idle, now=T0 + sessions.IDLE_S - 1) == "ann"
    # That use counts: another almost-idle day later it still resumes ...
    assert sessions.resume(db, idle, now=T0 + 2 * sessions.IDLE_S - 2) == "ann"
    # ... but not once a whole idle span passed unused.
    assert sessions.resume(db, idle, now=T0 + 3 * sessions.IDLE_S) is None

    busy = sessions.start(db, "bob", now=T0)
    t = T0
    while t + sessions.IDLE_S / 2 < T0 + sessions.MAX_S:
        t += sessions.IDLE_S / 2
        assert sessions.resume(db, busy, now=t) == "bob"
    assert sessions.resume(db, busy, now=T0 + sessions.MAX_S) is None


def test_signing_out_ends_every_session_of_that_user_only(tmp_path):
    db = tmp_path / "cockpit.duckdb"
    laptop = sessions.start(db, "ann", now=T0)
    phone = sessions.start(db, "ann", now=T0)
    bob = sessions.start(db, "bob", now=T0)
    assert [s["user"] for s in sessions.listing(db, now=T0)] == ["ann", "ann", "bob"]
    assert sessions.end_all(db, "ANN") == 2
    assert sessions.resume(db, laptop, now=T0) is None
    assert sessions.resume(db, phone, now=T0) is None
    assert sessions.resume(db, bob, now=T0) == "bob"
    assert sessions.end_all(db, "ann") == 0


def test_a_ticket_is_traded_for_its_cookie_once_and_only_in_time():
    ticket = sessions.ticket_for("the-cookie", now=100.0)
    assert sessions.redeem("not-" + ticket, now=101.0) is None
    assert sessions.redeem(ticket, now=101.0) == "the-cookie"
    assert sessions.redeem(ticket, now=101.0) is None
    late = sessions.ticket_for("the-cookie", now=100.0)
    assert sessions.redeem(late, now=100.0 + sessions.TICKET_S) is None
    assert sessions.redeem(None) is None


def test_only_an_admin_ends_someone_elses_sessions_and_it_is_audited(tmp_path):
    import pytest

    from cockpit.auth import PermissionDenied, User
    from cockpit.screens import settings_view
    from cockpit.store import Store

    store = Store.open(tmp_path / "cockpit.duckdb")
    try:
        cookie = sessions.start(store.path, "ann")
        with pytest.raises(PermissionDenied, match="admin"):
            settings_view.end_sessions(store, "ann", User("otto", "analyst"))
        assert sessions.resume(store.path, cookie) == "ann"
        assert list(settings_view.signed_in(store, User("ada", "admin"))["user"]) == ["ann"]
        assert settings_view.end_sessions(store, "ann", User("ada", "admin")) == 1
        assert sessions.resume(store.path, cookie) is None
        last = store.rows('select "user", action, detail from audit order by "at" desc limit 1')
        assert last[0]["user"] == "ada" and last[0]["action"] == "sessions_ended"
    finally:
        store.close()


def test_the_command_line_lists_and_ends_a_users_sessions(tmp_path, capsys):
    from cockpit.cli import main

    db = tmp_path / "cockpit.duckdb"
    cookie = sessions.start(db, "ann")
    assert main(["sessions", "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith("ann  signed in ")
    assert main(["sessions", "--db", str(db), "--end", "ann"]) == 0
    assert capsys.readouterr().out == "ended 1 session of ann\n"
    assert sessions.resume(db, cookie) is None
    assert main(["sessions", "--db", str(db), "--end", "ann"]) == 1
