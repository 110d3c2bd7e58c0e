"""Orders: on time at the precision the data gives, lines without an order id, returns
counted in the month of their order whatever their own date. Every figure by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import ledger
from cockpit.kpis import make_period, scorecard

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
T = dt.datetime


def _cards(store, month=JAN, **kw):
    return {c.id: c for c in scorecard(store, period=make_period("month", month), **kw)}


def test_on_time_compares_times_when_both_have_one_else_dates(store):
    rows = [
        # delivered 14:00, promised 18:00 the same day: on time
        {"order_id": "1", "promised_date": T(2025, 1, 10, 18), "delivered_date": T(2025, 1, 10, 14)},
        # delivered 14:00, promised 09:00 the same day: late
        {"order_id": "2", "promised_date": T(2025, 1, 10, 9), "delivered_date": T(2025, 1, 10, 14)},
        # promised a date alone, delivered late in that day: on time (dates compared)
        {"order_id": "3", "promised_date": dt.date(2025, 1, 10), "delivered_date": T(2025, 1, 10, 23)},
        # delivered (a date alone) the day after a promise at noon: late
        {"order_id": "4", "promised_date": T(2025, 1, 10, 12), "delivered_date": dt.date(2025, 1, 11)},
        # delivered (a date alone) on the day of a promise at noon: on time
        {"order_id": "5", "promised_date": T(2025, 1, 10, 12), "delivered_date": dt.date(2025, 1, 10)},
        # shipped (a date) the day of a promise at 08:00, no delivery: on time by date
        {"order_id": "6", "promised_date": T(2025, 1, 10, 8), "ship_date": dt.date(2025, 1, 10)},
    ]  # fmt: skip
    for r in rows:
        r["order_date"] = dt.date(2025, 1, 2)
    ledger.load_table(store, "orders", rows)
    assert _cards(store)["on_time_pct"].value == pytest.approx(100 * 4 / 6)


def test_an_order_takes_its_earliest_promise_and_latest_delivery(store):
    lines = [
        {"order_id": "A", "order_date": dt.date(2025, 1, 2), "promised_date": T(2025, 1, 9, 18),
         "delivered_date": T(2025, 1, 9, 10)},
        {"order_id": "A", "order_date": dt.date(2025, 1, 2), "promised_date": T(2025, 1, 10, 18),
         "delivered_date": T(2025, 1, 9, 20)},
    ]  # fmt: skip
    ledger.load_table(store, "orders", lines)
    # earliest promise 9 Jan 18:00, latest delivery 9 Jan 20:00: late.
    cards = _cards(store)
    assert cards["orders"].value == 1
    assert cards["on_time_pct"].value == 0


def test_lines_without_an_order_id_are_orders_of_their_own(store):
    lines = [
        {"order_date": dt.date(2025, 1, 3), "quantity": 1, "revenue": 10,
         "promised_date": dt.date(2025, 1, 5), "delivered_date": dt.date(2025, 1, 5)},
        {"order_date": dt.date(2025, 1, 3), "quantity": 2, "revenue": 20,
         "promised_date": dt.date(2025, 1, 5), "delivered_date": dt.date(2025, 1, 6)},
        {"order_date": dt.date(2025, 1, 4), "quantity": 3, "revenue": 30, "cost": 12},
        {"order_id": "X", "order_date": dt.date(2025, 1, 4), "quantity": 4, "revenue": 40,
         "cost": 8, "promised_date": dt.date(2025, 1, 9), "delivered_date": dt.date(2025, 1, 8)},
        {"order_id": "X", "order_date": dt.date(2025, 1, 4), "quantity": 5, "revenue": 50},
    ]  # fmt: skip
    ledger.load_table(store, "orders", lines)
    cards = _cards(store)
    assert cards["orders"].value == 4  # three lines alone + order X
    assert cards["on_time_pct"].value == pytest.approx(100 * 2 / 3)
    assert cards["cost_per_order"].value == pytest.approx(20 / 4)
    # No returns loaded: said so, not 0.
    assert cards["return_rate_pct"].reason == "no returns data loaded"


def test_returns_count_in_the_month_of_their_order_with_or_without_a_date(store):
    ledger.load_table(
        store,
        "orders",
        [
            {"order_id": "A", "order_date": dt.date(2025, 1, 5), "quantity": 1},
            {"order_id": "B", "order_date": dt.date(2025, 1, 20), "quantity": 1},
            {"order_id": "C", "order_date": dt.date(2025, 2, 3), "quantity": 1},
            {"order_date": dt.date(2025, 2, 4), "quantity": 1},  # no id: no return can name it
        ],
    )
    # Returns with no return date at all: the dataset is loaded all the same.
    ledger.load_table(store, "returns", [{"order_id": "A"}, {"order_id": "A"}])
    jan = _cards(store)
    assert jan["return_rate_pct"].reason is None
    assert jan["return_rate_pct"].value == pytest.approx(50)  # A of A, B
    # A return dated in March for February's order counts in February, over orders with an id.
    ledger.load_table(store, "returns", [{"order_id": "C", "return_date": dt.date(2025, 3, 2)}])
    feb = _cards(store, FEB)
    assert feb["orders"].value == 2
    assert feb["return_rate_pct"].value == pytest.approx(100)
    assert _cards(store)["return_rate_pct"].value == pytest.approx(50)


def test_return_rate_needs_orders_with_an_id(store):
    ledger.load_table(store, "orders", [{"order_date": dt.date(2025, 1, 5), "quantity": 1}])
    ledger.load_table(store, "returns", [{"order_id": "A"}])
    card = _cards(store)["return_rate_pct"]
    assert card.value is None
    assert card.reason == "no orders with an order id in this period"
