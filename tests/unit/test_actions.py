"""Actions (cockpit/actions.py): states, overdue, who may do what (each role), the cards'
counts; meeting packs (cockpit/meetings.py): agenda order by distance, pinning, what
changed between packs, the pack's brief and link."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from cockpit import actions, kpis, links, meetings
from cockpit.auth import PermissionDenied, User
from cockpit.kpis.engine import KpiValue
from cockpit.store import Store

VIEWER, ANALYST, ADMIN = User("vera", "viewer"), User("ann", "analyst"), User("ada", "admin")
OWNER = User("Tom Berg", "viewer")  # a KPI owner who only reads the cockpit
TODAY = dt.date(2026, 12, 6)


def _raise(store, user=ANALYST, **kw):
    args = {"kpi": "oee_pct", "what": "Fix line 2", "owner": "Tom Berg",
            "due": dt.date(2026, 12, 10)} | kw  # fmt: skip
    return actions.raise_action(store, user, **args)


def test_states_open_done_and_overdue_is_computed_from_the_due_date(store):
    a = _raise(store, due=dt.date(2026, 12, 6))
    b = _raise(store, due=dt.date(2026, 12, 5), what="Call the supplier")
    c = _raise(store, due=dt.date(2026, 11, 1), what="Old one")
    actions.set_done(store, ADMIN, c)
    got = {r["action_id"]: r for r in actions.list_actions(store, VIEWER, today=TODAY)}
    assert got[a]["status"] == "open"  # due today is not late yet
    assert got[b]["status"] == "overdue" and got[b]["days_late"] == 1
    assert got[c]["status"] == "done"  # done is never overdue, however old
    # Not stored: the same open action is open the day before its due date.
    assert actions.state(got[b], dt.date(2026, 12, 5)) == "open"
    assert store.scalar("select count(*) from actions where state = 'overdue'") == 0
    assert store.scalar("select done_by from actions where action_id = $i", {"i": c}) == "ada"


def test_list_is_overdue_first_then_open_by_kpi_and_owner_then_done(store):
    ids = {
        "done": _raise(store, kpi="csat_pct", due=dt.date(2026, 11, 1)),
        "open_oee": _raise(store, kpi="oee_pct", due=dt.date(2026, 12, 20)),
        "open_csat": _raise(store, kpi="csat_pct", owner="Lena Fox", due=dt.date(2026, 12, 30)),
        "late": _raise(store, kpi="oee_pct", due=dt.date(2026, 12, 1)),
    }
    actions.set_done(store, ADMIN, ids["done"])
    order = [r["action_id"] for r in actions.list_actions(store, VIEWER, today=TODAY)]
    assert order == [ids["late"], ids["open_csat"], ids["open_oee"], ids["done"]]
    only = actions.list_actions(store, VIEWER, owner="lena fox", states=("open",), today=TODAY)
    assert [r["action_id"] for r in only] == [ids["open_csat"]]
    assert actions.open_counts(store) == {"oee_pct": 2, "csat_pct": 1}
    cards = actions.add_counts([{"id": "oee_pct"}, {"id": "csat_pct"}, {"id": "nps"}],
                               actions.open_counts(store))  # fmt: skip
    assert [c["actions_text"] for c in cards] == ["2 open actions", "1 open action", ""]


@pytest.mark.parametrize("user", [VIEWER, OWNER, None], ids=["viewer", "owner-viewer", "nobody"])
def test_viewers_and_nobody_cannot_raise_or_edit(store, user):
    with pytest.raises(PermissionDenied):
        _raise(store, user=user)
    a = _raise(store)
    with pytest.raises(PermissionDenied):
        actions.edit(store, user, a, what="x", owner="y", due=TODAY)


@pytest.mark.parametrize("user", [ANALYST, ADMIN], ids=["analyst", "admin"])
def test_analysts_and_admins_raise_edit_and_mark_any_done(store, user):
    a = _raise(store, user=user)
    actions.edit(store, user, a, what="Fix line 3", owner="Priya Shah", due="2027-01-05",
                 note="after the audit")  # fmt: skip
    got = actions.get(store, a)
    assert (got["what"], got["owner"], got["due"], got["note"]) == (
        "Fix line 3", "Priya Shah", dt.date(2027, 1, 5), "after the audit")  # fmt: skip
    actions.set_done(store, user, a)  # not theirs
    assert actions.get(store, a)["state"] == "done"
    actions.set_done(store, user, a, done=False)
    assert actions.get(store, a)["state"] == "open" and actions.get(store, a)["done_by"] is None


def test_an_owner_marks_their_own_done_but_not_someone_elses(store):
    mine = _raise(store, owner="Tom Berg")
    theirs = _raise(store, owner="Lena Fox")
    assert actions.may_mark_done(OWNER, actions.get(store, mine))
    assert not actions.may_mark_done(OWNER, actions.get(store, theirs))
    actions.set_done(store, User("tom berg", "viewer"), mine)  # names match without case
    assert actions.get(store, mine)["state"] == "done"
    with pytest.raises(PermissionDenied, match="Only Lena Fox"):
        actions.set_done(store, OWNER, theirs)
    with pytest.raises(PermissionDenied, match="sign in"):
        actions.set_done(store, None, theirs)
    assert actions.get(store, theirs)["state"] == "open"
    with pytest.raises(PermissionDenied):
        actions.list_actions(store, None)


def test_what_owner_and_due_are_required_and_everything_is_audited(store):
    for kw, words in (({"what": " "}, "Say what"), ({"owner": ""}, "Name the action's owner"),
                      ({"due": None}, "due date"), ({"due": "soon"}, "not a date")):  # fmt: skip
        with pytest.raises(actions.ActionError, match=words):
            _raise(store, **kw)
    a = _raise(store, link="http://h/Efficiency?asof=3", seq=3)
    actions.set_done(store, OWNER, a)
    assert actions.get(store, a)["link"] == "http://h/Efficiency?asof=3"
    logged = store.rows("select action, \"user\" from audit where action like 'action%'")
    assert [(r["action"], r["user"]) for r in logged] == [("action_raise", "ann"),
                                                         ("action_done", "Tom Berg")]  # fmt: skip


# -- meeting packs -------------------------------------------------------------------------


def _value(kpi_id, value, target, status, label=None):
    return KpiValue(id=kpi_id, label=label or kpi_id, group="Efficiency", unit="%", value=value,
                    previous=None, change=None, change_pct=None, target=target, status=status,
                    reason=None)  # fmt: skip


def test_agenda_is_red_and_amber_furthest_off_target_first():
    values = [
        _value("on_time_pct", 90.0, 96.0, "red"),  # 6 / 96 = 6.25 % off
        _value("oee_pct", 60.0, 85.0, "red"),  # 25 / 85 = 29.4 % off
        _value("csat_pct", 80.0, 85.0, "amber"),  # 5 / 85 = 5.9 % off
        _value("asa_seconds", 90.0, 60.0, "amber"),  # 30 / 60 = 50 % off (lower is better)
        _value("nps", 40.0, 30.0, "green"),  # on target: not on the agenda
        _value("budget_variance", 500.0, 0.0, "red"),  # a target of 0: after the rest
        _value("fcr_pct", None, 70.0, "red"),  # no value: nothing to discuss
    ]
    owners = {("oee_pct", ""): {"owner": "Tom Berg"}}
    movers = [{"id": "oee_pct", "text": "OEE fell 5 pts to 60.0%; mostly Lyon (site)"}]
    agenda = meetings.build_agenda(values, movers, owners)
    assert [i["kpi"] for i in agenda] == ["asa_seconds", "oee_pct", "on_time_pct", "csat_pct",
                                          "budget_variance"]  # fmt: skip
    assert [round(i["distance"], 4) for i in agenda[:4]] == [0.5, 0.2941, 0.0625, 0.0588]
    assert agenda[1]["owner"] == "Tom Berg" and agenda[1]["moved"].startswith("OEE fell 5 pts")
    assert agenda[1]["distance_text"] == "29.4% off target"
    assert agenda[4]["distance"] is None and agenda[4]["distance_text"] == "off its target of 0"
    assert meetings.distance(90, 60) == 0.5 and meetings.distance(5, 0) is None


def _orders(on_time: bool, n: int = 4) -> list[dict]:
    """n orders in Jan 2025 at Leeds, all delivered on time or all late."""
    day = dt.date(2025, 1, 10)
    delivered = dt.date(2025, 1, 14) if on_time else dt.date(2025, 1, 20)
    return [{"order_id": f"O{i}", "order_date": day, "quantity": 1, "revenue": 10.0,
             "site": "Leeds", "ship_date": day, "promised_date": dt.date(2025, 1, 15),
             "delivered_date": delivered} for i in range(n)]  # fmt: skip


def test_a_pack_pins_its_data_version_and_says_what_changed_by_the_next(store):
    from cockpit import ledger

    ledger.load_table(store, "orders", _orders(on_time=False), file="late.xlsx")
    period = kpis.make_period("month", dt.date(2025, 1, 1))
    first_seq = store.latest_seq()
    first = meetings.start_meeting(store, ANALYST, name="Ops review 10 Jan", period=period,
                                   view_url="http://h/?asof=1")  # fmt: skip
    pack = meetings.get_pack(store, first)
    assert pack["seq"] == first_seq and meetings.pack_seq(store, first) == first_seq
    on_time = next(i for i in pack["agenda"] if i["kpi"] == "on_time_pct")
    assert on_time["value"] == 0.0 and on_time["status"] == "red"  # 0 of 4 on time
    assert on_time["distance"] == pytest.approx(1.0)  # (96 - 0) / 96
    # An action raised in the meeting belongs to its pack.
    a = _raise(store, kpi="on_time_pct", pack_id=first, link=meetings.pack_url(first))
    # New data: every order on time. The pack keeps its numbers; a new one sees the new data.
    ledger.load_table(store, "orders", _orders(on_time=True), file="fixed.xlsx", replace=True)
    again = meetings.pack_view(store, VIEWER, first, today=TODAY)
    assert [i["kpi"] for i in again["agenda"]] == [i["kpi"] for i in pack["agenda"]]
    assert next(i for i in again["agenda"] if i["kpi"] == "on_time_pct")["value"] == 0.0
    assert [x["action_id"] for x in again["actions"]] == [a]
    second = meetings.start_meeting(store, ADMIN, name="Ops review 17 Jan", period=period)
    pack2 = meetings.pack_view(store, VIEWER, second, today=TODAY)
    assert pack2["seq"] == store.latest_seq() > first_seq and pack2["prev_pack_id"] == first
    assert "on_time_pct" not in [i["kpi"] for i in pack2["agenda"]]  # 4 of 4 on time now
    assert [c["file"] for c in pack2["changes"]] == ["fixed.xlsx"]
    assert any("On-time delivery" in t and "0.0% → 100.0%" in t
               for t in pack2["changes"][0]["changes"])  # fmt: skip
    packs = meetings.list_packs(store, VIEWER)
    assert [(p["name"], p["actions"]) for p in packs] == [("Ops review 17 Jan", 0),
                                                          ("Ops review 10 Jan", 1)]  # fmt: skip


def test_last_meetings_actions_show_on_the_next_pack(store):
    from cockpit import ledger

    ledger.load_table(store, "orders", _orders(on_time=False))
    period = kpis.make_period("month", dt.date(2025, 1, 1))
    first = meetings.start_meeting(store, ANALYST, name="Week 1", period=period)
    a = _raise(store, kpi="on_time_pct", pack_id=first, due=dt.date(2026, 12, 1))
    second = meetings.start_meeting(store, ANALYST, name="Week 2", period=period)
    item = next(i for i in meetings.pack_view(store, VIEWER, second, today=TODAY)["agenda"]
                if i["kpi"] == "on_time_pct")  # fmt: skip
    assert [(x["action_id"], x["status"]) for x in item["last_actions"]] == [(a, "overdue")]
    assert item["open_actions"] == []  # listed once, under last meeting's
    b = _raise(store, kpi="on_time_pct", pack_id=second, what="Raised in week 2")
    item = next(i for i in meetings.pack_view(store, VIEWER, second, today=TODAY)["agenda"]
                if i["kpi"] == "on_time_pct")  # fmt: skip
    assert [x["action_id"] for x in item["open_actions"]] == [b]
    assert meetings.pack_view(store, VIEWER, second)["changes"] == []  # nothing loaded between


def test_starting_a_meeting_needs_an_analyst_a_name_and_data(store):
    period = kpis.make_period("month", dt.date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        meetings.start_meeting(store, VIEWER, name="x", period=period)
    with pytest.raises(meetings.MeetingError, match="No data"):
        meetings.start_meeting(store, ANALYST, name="x", period=period)
    with pytest.raises(meetings.MeetingError, match="Name the meeting"):
        meetings.start_meeting(store, ANALYST, name="  ", period=period)
    with pytest.raises(KeyError):
        meetings.pack_view(store, VIEWER, 99)
    assert meetings.default_name(dt.date(2026, 11, 30)) == "Ops review 30 Nov"


def test_the_pack_link_round_trips_and_in_app_links_leave_it_behind():
    assert meetings.pack_url(3, "http://h") == "http://h/Meeting?pack=3"
    state, notices = links.from_query_params({"pack": "3"}, page="meeting")
    assert state.pack == 3 and notices == []
    _, notices = links.from_query_params({"pack": "x"}, page="meeting")
    assert notices == ["Ignored pack='x': expected a meeting pack number."]
    pinned = replace(state, asof=7)
    assert "pack" not in links.in_app_params(pinned) and links.in_app_params(pinned)["asof"] == "7"
    assert "pack" in links.param_names()


def test_the_pack_brief_lists_its_agenda_and_actions(store):
    from cockpit import ledger

    ledger.load_table(store, "orders", _orders(on_time=False))
    period = kpis.make_period("month", dt.date(2025, 1, 1))
    pid = meetings.start_meeting(store, ANALYST, name="Ops review <Jan>", period=period)
    _raise(store, kpi="on_time_pct", pack_id=pid, what="Re-plan carriers", owner="Priya Shah",
           due=dt.date(2026, 12, 1))  # fmt: skip
    pack = meetings.pack_view(store, VIEWER, pid, today=TODAY)
    html = meetings.brief(pack, link="http://h/Meeting?pack=1", when_text="6 Dec 2026")
    assert "<title>Ops review &lt;Jan&gt;</title>" in html
    assert '<div class="card red" data-kpi="on_time_pct">' in html
    assert "<h2>Actions</h2>" in html
    assert "<li><b>On-time delivery</b> Re-plan carriers — Priya Shah, due 01 Dec 2026 " in html
    assert 'href="http://h/Meeting?pack=1"' in html


def test_demo_has_a_past_meeting_with_actions(tmp_path):
    from cockpit.demo.owners import seed_meeting

    store = Store.open(":memory:")
    try:
        from cockpit import ledger

        ledger.load_table(store, "orders", _orders(on_time=False))
        now = dt.datetime(2026, 12, 6, 15, 0)
        pid = seed_meeting(store, now=now)
        assert seed_meeting(store, now=now) is None  # once
        pack = meetings.get_pack(store, pid)
        assert pack["created_at"] == dt.datetime(2026, 11, 29, 9, 0)
        assert pack["name"] == "Ops review 29 Nov"
        rows = actions.list_actions(store, VIEWER, today=now.date())
        # One agenda item (on-time delivery): its two actions, one late and one done.
        assert [(r["kpi"], r["status"]) for r in rows] == [("on_time_pct", "overdue"),
                                                           ("on_time_pct", "done")]  # fmt: skip
        assert {r["pack_id"] for r in rows} == {pid}
        assert json.loads(json.dumps(actions.as_json(rows)))[0]["due"]
    finally:
        store.close()


def test_cli_lists_the_actions_overdue_first(tmp_path, capsys):
    from cockpit.cli import main

    db = tmp_path / "cli.duckdb"
    store = Store.open(db)
    try:
        late = _raise(store, due=dt.date.today() - dt.timedelta(days=3), what="Late one")
        later = _raise(store, due=dt.date.today() + dt.timedelta(days=3), what="Next week")
        actions.set_done(store, ADMIN, _raise(store, what="Done one"))
    finally:
        store.close()
    assert main(["actions", "--json", "--db", str(db)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["action_id"], r["status"]) for r in rows][:2] == [(late, "overdue"), (later, "open")]
    assert rows[2]["status"] == "done" and rows[0]["days_late"] == 3
    assert main(["actions", "--status", "done", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Done one" in out and "Late one" not in out
    from cockpit import store as store_mod

    for key in [k for k in store_mod._STORES if str(tmp_path) in k]:
        store_mod._STORES.pop(key).close()


def test_removing_the_demo_takes_its_meeting_and_putting_it_back_brings_one_again(store):
    from cockpit import ledger
    from cockpit.demo.owners import seed_meeting
    from cockpit.screens import dataops

    ledger.load_table(store, "orders", _orders(on_time=False), is_demo=True)
    ledger.load_table(store, "orders", _orders(on_time=True), file="real.xlsx")
    pid = seed_meeting(store, now=dt.datetime(2026, 12, 6, 15, 0))
    mine = _raise(store, kpi="oee_pct")  # not the demo meeting's: stays
    assert len(actions.list_actions(store, VIEWER)) == 3
    dataops.remove_demo(store, ADMIN)
    assert meetings.get_pack(store, pid) is None and meetings.list_packs(store, VIEWER) == []
    assert [r["action_id"] for r in actions.list_actions(store, VIEWER)] == [mine]
    dataops.restore_demo(store, ADMIN)
    assert [p["name"] for p in meetings.list_packs(store, VIEWER)] == [
        meetings.default_name(dt.date.today() - dt.timedelta(days=7))]  # fmt: skip
