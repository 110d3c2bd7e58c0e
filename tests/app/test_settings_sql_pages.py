"""Settings: a saved target changes a card's status. SQL explorer: answers, and refuses."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pytest

from .conftest import card_notes, goto, html_blocks, metric, number, sql_value


def card_status(at, label: str) -> str:
    """The red/amber/green/none status drawn beside a KPI card's label."""
    pattern = re.compile(r'class="rag rag-(\w+)"[^>]*></span>' + re.escape(label) + "<")
    found = [m.group(1) for h in html_blocks(at) if (m := pattern.search(h))]
    assert len(found) == 1, f"{label!r}: {found}"
    return found[0]


def _set_target(at, kpi: str, target: float) -> None:
    editor = at.data_editor(key="targets_editor")
    row = list(editor.value["kpi"]).index(kpi)
    at.session_state["targets_editor"] = {
        "edited_rows": {row: {"target": target}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="save_targets").click().run()
    assert not at.exception
    assert "Saved" in " ".join(s.value for s in at.success)


def test_a_saved_target_changes_the_card_status(open_app, demo_db):
    at = open_app(demo_db)
    units = number(metric(at, "Units"))
    assert units > 0

    goto(at, "settings")
    _set_target(at, "units", 10 * units)  # far above this month's units: off target
    goto(at, "overview")
    assert card_status(at, "Units") == "red"
    assert f"target {10 * units:,.0f}" in card_notes(at)

    goto(at, "settings")
    _set_target(at, "units", units / 2)  # comfortably beaten: on target
    goto(at, "overview")
    assert card_status(at, "Units") == "green"


def test_a_target_the_plan_overrides_says_so_and_shows_the_target_in_effect(open_app, demo_db):
    # Issue 23: a Settings target for on-time was "Saved" while the uploaded plan's 96 % kept
    # ruling the Overview. The page says which target is in effect, from where, which wins.
    at = open_app(demo_db, "settings")
    table = at.data_editor(key="targets_editor").value
    on_time = table[table["kpi"] == "on_time_pct"].iloc[0]
    assert on_time["in_effect"] == (
        "95.0%–96.0% from the uploaded plan (Nov 2024 – Oct 2026); default 95.0% in other months"
    )
    assert table[table["kpi"] == "units"].iloc[0]["in_effect"] == "none"
    assert table[table["kpi"] == "cycle_time_days"].iloc[0]["in_effect"] == (
        "3.0 d (catalogue default)"
    )
    _set_target(at, "on_time_pct", 90.0)
    warned = " ".join(w.value for w in at.warning)
    assert "On-time delivery: the uploaded plan's targets win for Nov 2024 – Oct 2026" in warned
    assert "your 90.0% applies to other months" in warned
    at.run()
    table = at.data_editor(key="targets_editor").value
    on_time = table[table["kpi"] == "on_time_pct"].iloc[0]
    assert on_time["in_effect"] == (
        "95.0%–96.0% from the uploaded plan (Nov 2024 – Oct 2026); your 90.0% in other months"
    )
    goto(at, "overview")
    assert "target 96.0%" in card_notes(at)


def test_sql_explorer_runs_a_select_and_shows_the_number(open_app, shared_demo_db):
    at = open_app(shared_demo_db, "sql")
    at.text_area(key="sql_text").set_value("select count(*) as n from orders_live")
    at.button(key="run_sql").click().run()
    assert not at.exception and not at.error
    result = at.dataframe[-1].value
    expected = sql_value(shared_demo_db, "select count(*) from orders_live")
    assert expected > 1000
    assert list(result.columns) == ["n"] and int(result["n"][0]) == expected
    assert "1 rows" in " ".join(c.value for c in at.caption)


def test_sql_explorer_refuses_a_delete_and_keeps_the_data(open_app, demo_db):
    at = open_app(demo_db, "sql")
    loads = sql_value(demo_db, "select count(*) from loads")
    at.text_area(key="sql_text").set_value("delete from loads")
    at.button(key="run_sql").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0], errors
    assert sql_value(demo_db, "select count(*) from loads") == loads


def test_an_admin_unlocks_a_locked_sign_in_from_settings(open_app, demo_db):
    from cockpit import auth, login
    from cockpit.ui.resources import _store_for

    store = _store_for(str(demo_db.resolve()))
    config = auth.AuthConfig("password", users={})
    brake = login.LoginBrake(sleep=lambda s: None)
    for _ in range(login.LOCK_AFTER):
        login.sign_in(store, config, "Mallory", "guess", brake=brake)
    at = open_app(demo_db, "settings")
    assert "Locked sign-ins (1)" in [e.label for e in at.expander]
    assert "**mallory**: 10 failed sign-ins" in " ".join(m.value for m in at.markdown)
    at.button(key="unlock_mallory").click().run()
    assert not at.exception
    assert login.locked_names(store) == []
    assert "Locked sign-ins (0)" in [e.label for e in at.expander]
    assert (
        store.scalar(
            """select "user" from audit where action = 'login_unlocked' and detail->>'name' = 'mallory'"""
        )
        == "local"
    )


def test_sla_days_save_from_the_page(open_app, demo_db):
    from cockpit.kpis import targets
    from cockpit.ui.resources import _store_for

    at = open_app(demo_db, "settings")
    editor = at.data_editor(key="sla_editor")
    row = list(editor.value["ship mode or channel"]).index("Standard")
    at.session_state["sla_editor"] = {
        "edited_rows": {row: {"days": 4}}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.run()
    at.button(key="save_sla").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Saved." in [s.value for s in at.success]
    assert targets.sla_days(_store_for(str(demo_db.resolve())))["Standard"] == 4


def test_sql_explorer_never_shows_the_audit_through_a_self_named_cte(open_app, shared_demo_db):
    """Issue 22: the CTE's body `audit` is the real table; the explorer refuses it."""
    at = open_app(shared_demo_db, "sql")
    sql = "with audit as (select * from audit) select * from audit"
    at.text_area(key="sql_text").set_value(sql)
    at.button(key="run_sql").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "private" in errors[0], errors
    assert not any("action" in list(df.value.columns) for df in at.dataframe)


def test_sql_explorer_charts_a_result_whose_column_names_are_expressions(open_app, shared_demo_db):
    # `select count(*), sum(revenue) ...` showed "Sorry, something went wrong": the quick
    # chart passed the column name 'sum(revenue)' to Altair, which reads it as an aggregate.
    at = open_app(shared_demo_db, "sql")
    sql = "select site, sum(revenue), count(*) from orders_live group by site order by site"
    at.text_area(key="sql_text").set_value(sql)
    at.button(key="run_sql").click().run()
    assert not at.exception and not at.error
    expected = json.loads(
        sql_value(
            shared_demo_db,
            "select json_group_object(site, s)::varchar from "
            "(select site, sum(revenue) as s from orders_live group by site)",
        )
    )
    assert len(expected) == 3
    charts = [el for el in _walk(at.main) if getattr(el, "type", "") == "vega_lite_chart"]
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert spec["encoding"]["y"]["title"] == "sum(revenue)"
    rows = [
        r
        for d in charts[0].proto.datasets
        for r in pa.ipc.open_stream(d.data.data).read_all().to_pylist()
    ]
    assert {r["c0"]: r["c1"] for r in rows} == pytest.approx(expected)


def _walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def test_saving_a_query_without_a_name_says_so(open_app, demo_db):
    at = open_app(demo_db, "sql")
    at.button(key="save_query").click().run()
    assert not at.exception
    assert "Give the query a name first." in [w.value for w in at.warning]
    assert not [s for s in at.selectbox if s.key == "saved_query_pick"]
