"""Settings: a saved target changes a card's status. SQL explorer: answers, and refuses."""

from __future__ import annotations

import re

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
