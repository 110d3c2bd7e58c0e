"""delivery_stats (punctuality counts per month and route) and on-time from counts.

By hand, January 2025:
  route P: planned 100, cancelled 10, late 18 -> eligible 90, on time 72
  route Q: planned 50, cancelled blank (0), late 5 -> eligible 50, on time 45
  route R: planned 40, on_time 30 given, late blank -> eligible 40, on time 30
  route S: planned 20, no late, no on-time count -> left out
  counts: (72 + 45 + 30) / (90 + 50 + 40) = 147 / 180
  orders: A on time, B late -> with orders (147 + 1) / (180 + 2) = 148 / 182
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from shared_files import needs_realdata

from cockpit import datasets, ledger
from cockpit.kpis import make_period, period_between, scorecard

JAN = dt.date(2025, 1, 1)
COUNTS = [
    {"month": JAN, "site": "P", "planned": 100, "cancelled": 10, "late": 18},
    {"month": JAN, "site": "Q", "planned": 50, "late": 5},
    {"month": JAN, "site": "R", "planned": 40, "on_time": 30},
    {"month": JAN, "site": "S", "planned": 20},
]
ORDERS = [
    {"order_id": "A", "order_date": dt.date(2025, 1, 2), "site": "P",
     "promised_date": dt.date(2025, 1, 9), "delivered_date": dt.date(2025, 1, 8)},
    {"order_id": "B", "order_date": dt.date(2025, 1, 2), "site": "Q",
     "promised_date": dt.date(2025, 1, 9), "delivered_date": dt.date(2025, 1, 10)},
]  # fmt: skip


def _on_time(store, period=None, **kw):
    period = period or make_period("month", JAN)
    return scorecard(store, period=period, kpi_ids=["on_time_pct"], **kw)[0]


def test_delivery_stats_needs_month_planned_and_late_or_on_time():
    ds = datasets.get("delivery_stats")
    assert ds.missing_required({"month", "planned", "late"}) == []
    assert ds.missing_required({"month", "planned"}) == ["late or on_time"]
    late = ds.column("late").synonyms
    assert "nombre de trains en retard à l arrivée" in late
    assert "nombre de circulations prévues" in ds.column("planned").synonyms


def test_on_time_from_counts_is_a_ratio_of_sums(store):
    ledger.load_table(store, "delivery_stats", COUNTS)
    card = _on_time(store)
    assert card.value == pytest.approx(100 * 147 / 180)
    assert card.partial is False  # counts dated to the month are not a partial month
    assert _on_time(store, filters={"site": ["P"]}).value == pytest.approx(80)


def test_on_time_adds_orders_and_counts(store):
    ledger.load_table(store, "delivery_stats", COUNTS)
    ledger.load_table(store, "orders", ORDERS)
    assert _on_time(store).value == pytest.approx(100 * 148 / 182)
    assert _on_time(store, filters={"site": ["Q"]}).value == pytest.approx(100 * 45 / 51)
    # Counts have no customer column: that filter cannot narrow them.
    blocked = _on_time(store, filters={"customer": ["X"]})
    assert blocked.value is None
    assert blocked.reason == "punctuality counts have no customer column"


def _count(text: str) -> float | None:
    return float(text) if text.strip() else None


def test_the_real_sncf_counts_give_the_readme_figures(store):
    path = needs_realdata("sncf_tgv_regularite", "regularite-mensuelle-tgv-aqst.csv")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        records = list(csv.DictReader(fh, delimiter=";"))
    assert len(records) == 5270
    rows = [
        {
            "month": dt.date.fromisoformat(r["Date"] + "-01"),
            "site": r["Gare de départ"] + " - " + r["Gare d'arrivée"],
            "channel": r["Service"],
            "planned": _count(r["Nombre de circulations prévues"]),
            "cancelled": _count(r["Nombre de trains annulés"]),
            "late": _count(r["Nombre de trains en retard à l'arrivée"]),
        }
        for r in records
    ]
    # Independently: 1 - late / (planned - cancelled) over records with planned and late.
    used = [r for r in rows if r["planned"] is not None and r["late"] is not None]
    assert len(used) == 5137

    def expected(rs):
        eligible = sum(r["planned"] - (r["cancelled"] or 0) for r in rs)
        return 100 * (1 - sum(r["late"] for r in rs) / eligible)

    jan18 = [r for r in used if r["month"] == dt.date(2018, 1, 1)]
    assert round(expected(used), 4) == 85.6981
    assert round(expected(jan18), 4) == 84.9174
    ledger.load_table(store, "delivery_stats", rows)
    months = sorted({r["month"] for r in rows})
    whole = _on_time(store, period_between(months[0], months[-1]))
    assert whole.value == pytest.approx(expected(used), rel=1e-12)
    jan = _on_time(store, make_period("month", dt.date(2018, 1, 1)))
    assert jan.value == pytest.approx(expected(jan18), rel=1e-12)
