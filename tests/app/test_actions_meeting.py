"""Actions and meeting packs in the app (demo company, which ships a past meeting with
actions): raising an action from the cards' view, the Actions page, the Meeting page with
and without pack=, and what a viewer may do there."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from cockpit import actions, auth, meetings
from cockpit.store import Store

from .conftest import APP, goto, html_blocks, page_text, sql_value

PASSWORD = "s3cret-pass"


def _card_actions(at: AppTest, kpi_id: str) -> str:
    """The open-actions line of a card ('' when it has none)."""
    for block in html_blocks(at):
        start = block.find(f'<div class="kpi" data-kpi="{kpi_id}"')
        if start >= 0:
            card = block[start : block.find('<div class="kpi" ', start + 10)]
            head = '<div class="kpi-actions">'
            return card[card.index(head) + len(head) : card.index("</div>", card.index(head))] if head in card else ""  # fmt: skip
    raise AssertionError(f"no card {kpi_id}")


def test_raising_an_action_from_the_overview_cards(open_app, demo_db):
    at = open_app(demo_db)
    assert _card_actions(at, "oee_pct") == ""
    latest = sql_value(demo_db, "select max(seq) from loads")
    at.selectbox(key="action_kpi_bar").set_value("oee_pct")
    at.text_input(key="action_what_bar").input("Check line 2's changeovers")
    at.button(key="action_save_bar").click().run()
    assert not at.exception
    assert "Action raised on OEE for Tom Berg" in " ".join(t.value for t in at.toast)
    assert _card_actions(at, "oee_pct") == "1 open action"  # the demo's owner of OEE
    row = sql_value(demo_db, "select struct_pack(owner, link, seq, pack_id, due) from actions "
                    "where what = 'Check line 2''s changeovers'")  # fmt: skip
    assert row["owner"] == "Tom Berg" and row["seq"] == latest and row["pack_id"] is None
    assert row["link"].endswith(f"/?asof={latest}")  # the view it was raised from, pinned
    assert row["due"] == dt.date.today() + dt.timedelta(days=7)
    # Saved, the form is empty again; without what is to be done, nothing is saved and the
    # form says why, keeping what was typed.
    assert at.text_input(key="action_what_bar").value == ""
    at.selectbox(key="action_kpi_bar").set_value("asa_seconds")  # no owner in the demo
    at.text_input(key="action_what_bar").input("Staff the Monday peak")
    at.button(key="action_save_bar").click().run()
    assert [e.value for e in at.error] == [
        "Speed of answer has no owner yet: name who will do it (owners are set in Settings → "
        "Owners and alerts)."
    ]
    assert at.text_input(key="action_what_bar").value == "Staff the Monday peak"
    at.text_input(key="action_what_bar").input("")
    at.text_input(key="action_owner_bar").input("Sam")
    at.button(key="action_save_bar").click().run()
    assert "Say what is to be done." in [e.value for e in at.error]
    assert sql_value(demo_db, "select count(*) from actions") == 4  # the demo's 3, and 1


def test_raising_an_action_from_a_breakdown(open_app, demo_db):
    at = open_app(demo_db, page="efficiency")
    at.text_input(key="action_what_ontime_by").input("Ask the carriers for a plan")
    at.text_input(key="action_owner_ontime_by").input("Sam")
    at.button(key="action_save_ontime_by").click().run()
    assert not at.exception
    row = sql_value(demo_db, "select struct_pack(kpi, owner, note) from actions "
                    "where what = 'Ask the carriers for a plan'")  # fmt: skip
    assert row == {"kpi": "on_time_pct", "owner": "Sam", "note": "From On-time delivery by site."}


def test_actions_page_lists_open_actions_overdue_first_and_marks_done(open_app, demo_db):
    at = open_app(demo_db, page="actions")
    table = at.dataframe[0].value
    # The demo's meeting a week ago: one action past its due date, one open, one done.
    assert list(table["Status"]) == ["Overdue (2 d)", "Open"]
    assert list(table["Meeting"].unique()) == [meetings.default_name(dt.date.today() - dt.timedelta(days=7))]  # fmt: skip
    assert "1 overdue · 1 open · 1 done" in page_text(at)
    at.multiselect(key="actions_status").set_value(["done"]).run()
    assert list(at.dataframe[0].value["Status"]) == ["Done"]
    at.multiselect(key="actions_status").set_value(["overdue", "open"]).run()
    late = at.dataframe[0].value.iloc[0]
    at.selectbox(key="done_action").select_index(0)
    at.button(key="done_save").click().run()
    assert "Marked done." in [s.value for s in at.success]
    table = at.dataframe[0].value
    assert list(table["Status"]) == ["Open"] and late["What"] not in list(table["What"])


def test_meeting_page_lists_packs_and_opens_one_with_its_numbers(open_app, shared_demo_db):
    at = open_app(shared_demo_db, page="meeting")
    packs = at.dataframe[0].value
    assert len(packs) == 1 and packs.iloc[0]["Pack"].endswith("/Meeting?pack=1")
    store_pack = _pack(shared_demo_db)
    at.query_params["pack"] = "1"
    goto(at, "meeting")
    text = page_text(at)
    assert store_pack["name"] in [s.value for s in at.subheader]
    first = store_pack["agenda"][0]
    assert f"1. {first['label']}" in text and first["value_text"] in text
    assert f"data as of load {store_pack['seq']}" in text
    # The page is pinned to the pack's data version (the shell's pinned-data line).
    assert f"(load {store_pack['seq']})" in text
    assert "Last meeting" not in text  # the demo's meeting is the first
    assert "Find the cause and agree a recovery plan with the sites" in text


def test_an_action_raised_in_a_meeting_belongs_to_its_pack(open_app, demo_db):
    at = open_app(demo_db)
    at.query_params["pack"] = "1"
    goto(at, "meeting")
    at.text_input(key="action_what_agenda_1").input("Add two agents on Mondays")
    at.button(key="action_save_agenda_1").click().run()
    assert not at.exception
    row = sql_value(demo_db, "select struct_pack(pack_id, kpi, link) from actions "
                    "where what = 'Add two agents on Mondays'")  # fmt: skip
    assert row["pack_id"] == 1 and row["kpi"] == _pack(demo_db)["agenda"][0]["kpi"]
    assert row["link"].endswith("/Meeting?pack=1")
    assert "Add two agents on Mondays" in " ".join(str(v) for v in at.dataframe[-1].value["What"])


def test_a_viewer_reads_and_marks_only_their_own_action_done(demo_db, monkeypatch):
    store = Store.open(demo_db)
    try:
        mine = actions.raise_action(store, auth.LOCAL_ADMIN, kpi="nps", what="Call 5 detractors",
                                    owner="vic", due=dt.date.today())  # fmt: skip
    finally:
        store.close()
    monkeypatch.setenv("COCKPIT_DB", str(demo_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = {"mode": "password", "users": {
        "vic": {"role": "viewer", "password_hash": auth.hash_password(PASSWORD, iterations=1000)},
    }}  # fmt: skip
    at.run()
    at.text_input[0].input("vic")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not [t for t in at.text_input if t.key == "action_what_bar"]  # raises none
    goto(at, "actions")
    assert len(at.dataframe[0].value) == 3  # reads every open action
    assert [o for o in at.selectbox(key="done_action").options] == [
        f"#{mine} NPS: Call 5 detractors — vic, due {dt.date.today():%d %b %Y}"
    ]
    assert not [b for b in at.button if b.key and b.key.startswith("edit_save")]
    at.button(key="done_save").click().run()
    assert "Marked done." in [s.value for s in at.success]


def _pack(db) -> dict:
    cur_store = _store(db)
    return meetings.get_pack(cur_store, 1)


def _store(db):
    from pathlib import Path

    from cockpit.ui.resources import _store_for

    return _store_for(str(Path(db).resolve()))


def test_a_pack_that_does_not_exist_says_so_and_lists_the_packs(open_app, shared_demo_db):
    at = open_app(shared_demo_db)
    at.query_params["pack"] = "99"
    goto(at, "meeting")
    assert "⚠️ There is no meeting pack 99; showing the list of packs." in [t.value for t in at.text]
    assert len(at.dataframe[0].value) == 1  # the list, not a pack
    assert "pack" not in at.query_params  # dropped from the address bar, like any ignored one
