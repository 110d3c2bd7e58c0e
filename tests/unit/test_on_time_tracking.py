"""On time when an export tracks delivery: a shipped line without its delivery is unknown.

By hand: a load where 9 of its 10 shipped orders carry a delivery date tracks delivery, so
its tenth order (shipped before the promise, not delivered) is not counted as on time; a
load with delivery dates on 1 of 3 orders is judged by the delivery, else the ship date.
"""

from __future__ import annotations

import datetime as dt

from cockpit import ledger
from cockpit.kpis import make_period, scorecard

D = dt.date


def _on_time(store, month: dt.date) -> float | None:
    (card,) = scorecard(store, period=make_period("month", month), kpi_ids=["on_time_pct"])
    return card.value


def test_a_tracked_delivery_missing_is_unknown_not_the_ship_date(store):
    rows = [
        {"order_id": f"T{i}", "order_date": D(2025, 3, 1), "ship_date": D(2025, 3, 2),
         "promised_date": D(2025, 3, 5), "delivered_date": D(2025, 3, 4 if i < 6 else 7)}
        for i in range(9)
    ]  # fmt: skip
    rows.append({"order_id": "T9", "order_date": D(2025, 3, 1), "ship_date": D(2025, 3, 2),
                 "promised_date": D(2025, 3, 5)})  # fmt: skip
    ledger.load_table(store, "orders", rows)
    # 6 delivered by the 5th, 3 after; T9 is in transit: 6 of 9 known.
    assert abs(_on_time(store, D(2025, 3, 1)) - 600 / 9) < 1e-9


def test_an_export_without_delivery_tracking_is_judged_by_ship_date(store):
    rows = [
        {"order_id": "S1", "order_date": D(2025, 4, 1), "ship_date": D(2025, 4, 2),
         "promised_date": D(2025, 4, 5), "delivered_date": D(2025, 4, 6)},
        {"order_id": "S2", "order_date": D(2025, 4, 1), "ship_date": D(2025, 4, 3),
         "promised_date": D(2025, 4, 5)},
        {"order_id": "S3", "order_date": D(2025, 4, 1), "ship_date": D(2025, 4, 8),
         "promised_date": D(2025, 4, 5)},
    ]  # fmt: skip
    ledger.load_table(store, "orders", rows)
    # S1 delivered late (6th), S2 shipped in time, S3 shipped late: 1 of 3.
    assert abs(_on_time(store, D(2025, 4, 1)) - 100 / 3) < 1e-9
