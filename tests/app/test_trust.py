"""Issue 14: numbers a COO can trust (amber defined once, default month, no value without data)."""

from __future__ import annotations

import datetime as dt

from cockpit import ledger
from cockpit.ui.resources import _store_for

from .conftest import metric, number
from .test_settings_sql_pages import card_status


def test_demo_oct_2026_below_the_plans_amber_threshold_is_red(open_app, shared_demo_db):
    # targets_plan.xlsx: on-time 96 / amber 91, CSAT 85 / 80, NPS 30 / 20 (absolute thresholds).
    at = open_app(shared_demo_db, month="2026-10")
    for label in ("On-time delivery", "CSAT", "NPS"):
        assert card_status(at, label) == "red", label


def _orders_only_november(db) -> None:
    """An orders-only upload of 12 lines for Nov 2026 (every other dataset ends in Oct)."""
    store = _store_for(str(db.resolve()))
    rows = [
        {"order_id": f"N-{i}", "order_date": dt.date(2026, 11, 1 + i), "quantity": 1,
         "revenue": 10.0, "site": "Leeds"}
        for i in range(12)
    ]  # fmt: skip
    ledger.load_table(store, "orders", rows, file="november-orders.csv")


def test_a_partial_upload_does_not_take_over_the_scorecard(open_app, demo_db):
    _orders_only_november(demo_db)
    at = open_app(demo_db)
    month = at.selectbox(key="month")
    assert month.value == "2026-10"  # the latest month complete across the datasets
    assert month.format_func("2026-11") == "Nov 2026 · incomplete"
    captions = " ".join(c.value for c in at.caption)
    assert "Showing Oct 2026: the latest month complete in every dataset" in captions
    assert "Nov 2026: orders only" in captions
    assert "fell 9" not in " ".join(c.value for c in at.caption)  # no "Units fell 98 %"
    assert number(metric(at, "Return rate")) > 0

    month.set_value("2026-11").run()
    assert "Nov 2026 is incomplete: orders only" in " ".join(w.value for w in at.warning)
    assert metric(at, "Return rate") == "—"  # no returns loaded for November: no value
    assert "no returns data for Nov 2026" in " ".join(c.value for c in at.caption)
    assert card_status(at, "Return rate") == "none"
