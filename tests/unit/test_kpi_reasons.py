"""Why a KPI card is empty names the ingredient that is missing, never a contradiction of
another card (issue 23: "no orders in this period" beside Orders 1,213)."""

from __future__ import annotations

import datetime as dt

from cockpit import ledger
from cockpit.kpis import make_period, scorecard

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def _cards(store, month=FEB) -> dict:
    return {c.id: c for c in scorecard(store, period=make_period("month", month))}


def _orders(month: dt.date, tag: str, **extra) -> list[dict]:
    return [
        {"order_id": f"{tag}{i}", "order_date": month.replace(day=2 + i), "quantity": 5,
         "revenue": 100.0, "delivered_date": month.replace(day=5 + i),
         "promised_date": month.replace(day=6 + i), **extra}
        for i in range(3)
    ]  # fmt: skip


def test_orders_without_cost_or_ship_dates_say_which_column_is_missing(store):
    ledger.load_table(store, "orders", _orders(FEB, "A"))
    cards = _cards(store)
    assert cards["orders"].value == 3 and cards["units"].value == 15
    assert cards["on_time_pct"].value == 100  # delivered orders: on time is known
    for kpi in ("cost_per_order", "cost_per_unit", "gross_margin_pct"):
        assert cards[kpi].value is None
        assert cards[kpi].reason == "no cost column in the loaded orders", kpi
    for kpi in ("cycle_time_days", "cycle_time_p90_days"):
        assert cards[kpi].reason == "no ship dates loaded (cycle time runs from order to ship)"


def test_a_column_loaded_for_other_months_is_missing_in_this_period(store):
    ledger.load_table(store, "orders", _orders(JAN, "J", cost=60.0, ship_date=JAN.replace(day=4)))
    ledger.load_table(store, "orders", _orders(FEB, "F"))
    cards = _cards(store)
    assert cards["cost_per_order"].reason == "no order lines with a cost in this period"
    assert cards["cycle_time_days"].reason == "no orders with a ship date in this period"
    assert _cards(store, JAN)["cost_per_order"].value == 60.0


def test_no_orders_at_all_is_still_no_orders(store):
    ledger.load_table(store, "orders", _orders(JAN, "J", cost=60.0))
    cards = _cards(store)  # February: no orders
    assert cards["cost_per_order"].reason == "no orders data in this period"
