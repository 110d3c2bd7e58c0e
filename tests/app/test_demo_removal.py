"""Issue 23: "Remove demo data" asks first (what goes: N loads, M rows) and can be undone:
Undo puts the demo back exactly as it was, while the removal's version still reads without it."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import orders_csv, sql_value

OCT = dt.date(2026, 10, 1)
DEMO_LIVE = "select count(*) from loads where is_demo and undone_seq is null"
DEMO_ROWS = "select sum(rows_loaded) from loads where is_demo and undone_seq is null"


def _orders(db):
    rows = sql_value(db, "select count(*) from orders_live")
    return rows, sql_value(db, "select sum(revenue) from orders_live")


def test_removing_the_demo_asks_first_and_undo_puts_it_back(open_app, demo_db):
    at = open_app(demo_db, "data")
    # Real data arrives (it replaces the demo's October where their sites meet).
    at.file_uploader[0].set_value(("real_oct.csv", orders_csv([OCT], 9), "text/csv")).run()
    at.button(key="load_files").click().run()
    assert not at.exception, [e.value for e in at.exception]
    real = sql_value(demo_db, "select count(*) from orders_live where order_id like 'A-%'")
    assert real == 9
    real_load = sql_value(demo_db, "select max(load_id) from loads where not is_demo")
    replaced = "select count(*) from supersessions where by_load_id = $id"
    assert sql_value(demo_db, replaced, {"id": real_load}) > 0  # the undo must keep that
    demo_n, demo_rows = sql_value(demo_db, DEMO_LIVE), sql_value(demo_db, DEMO_ROWS)
    before = _orders(demo_db)
    assert demo_n >= 6 and before[0] > real

    # One click does not remove anything: it asks, saying what will go.
    confirm = at.button(key="confirm_remove_demo")
    assert confirm.label == f"Yes, remove the {demo_n} demo loads"
    said = " ".join(m.value for m in at.markdown)
    assert f"{demo_n} loads, {demo_rows:,} rows" in said
    assert sql_value(demo_db, DEMO_LIVE) == demo_n
    confirm.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert sql_value(demo_db, DEMO_LIVE) == 0
    assert _orders(demo_db)[0] == real
    removal = sql_value(demo_db, "select max(undone_seq) from loads")
    assert any("Removed the demo data" in s.value for s in at.success)

    # Undo puts it back: the same numbers as before the removal.
    at.button(key="undo_remove_demo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert sql_value(demo_db, DEMO_LIVE) == demo_n
    assert sql_value(demo_db, DEMO_ROWS) == demo_rows
    after = _orders(demo_db)
    assert after[0] == before[0] and after[1] == pytest.approx(before[1], rel=1e-12)
    # The removal's version still reads without the demo (links pinned then stay true).
    pinned = "select count(*) from orders_asof($v)"
    assert sql_value(demo_db, pinned, {"v": removal}) == real
    assert not [b for b in at.button if b.key == "undo_remove_demo"]
