"""Issue 14: numbers a COO can trust (amber defined once, default month, no value without data)."""

from __future__ import annotations

from .test_settings_sql_pages import card_status


def test_demo_oct_2026_below_the_plans_amber_threshold_is_red(open_app, shared_demo_db):
    # targets_plan.xlsx: on-time 96 / amber 91, CSAT 85 / 80, NPS 30 / 20 (absolute thresholds).
    at = open_app(shared_demo_db, month="2026-10")
    for label in ("On-time delivery", "CSAT", "NPS"):
        assert card_status(at, label) == "red", label
