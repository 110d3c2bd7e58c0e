"""The what-if history through monthly_history: the scorecard's KPI components, by hand,
filters, as-of, and the same figures as the scorecard."""

import datetime as dt
import math

import pytest

from cockpit import ledger, queries
from cockpit.kpis import make_period, scorecard
from cockpit.store import Store
from cockpit.whatif import build_baseline
from cockpit.whatif.history import KPI_COLUMNS, filter_dimensions, monthly_history, split_filters

D = dt.date
JAN, FEB, MAR = D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)

ORDERS = [
    {"order_id": "O1", "order_date": D(2025, 1, 10), "site": "Leeds", "quantity": 2,
     "revenue": 20, "cost": 8, "promised_date": D(2025, 1, 15), "delivered_date": D(2025, 1, 14)},
    {"order_id": "O1", "order_date": D(2025, 1, 12), "site": "Leeds", "quantity": 3,
     "revenue": 30, "cost": 12, "promised_date": D(2025, 1, 14), "delivered_date": D(2025, 1, 16)},
    {"order_id": "O2", "order_date": D(2025, 1, 20), "site": "Lyon", "quantity": 1,
     "revenue": 10, "profit": 4, "promised_date": D(2025, 1, 25), "ship_date": D(2025, 1, 24)},
    {"order_id": "O3", "order_date": D(2025, 2, 3), "site": "Leeds", "quantity": 4,
     "revenue": 40},
]  # fmt: skip
PRODUCTION = [
    {"date": D(2025, 1, 5), "site": "Leeds", "planned_minutes": 480, "downtime_minutes": 30,
     "units": 100, "scrap_units": 5},
    {"date": D(2025, 1, 6), "site": "Lyon", "start_time": dt.datetime(2025, 1, 6, 8),
     "end_time": dt.datetime(2025, 1, 6, 16), "run_minutes": 400, "units": 90, "good_units": 88},
]  # fmt: skip
BUDGET = [
    {"month": JAN, "unit": "Ops", "kind": "cost", "actual": 1000},
    {"month": JAN, "unit": "Ops", "kind": "Income", "actual": 5000},
    {"month": FEB, "unit": "Sales", "actual": 300},
]
CONTACTS = [
    {"contact_date": dt.datetime(2025, 1, 3, 9), "agent": "A", "answered": True,
     "wait_seconds": 30, "handle_seconds": 200, "csat": 5},
    {"contact_date": dt.datetime(2025, 1, 4, 9), "agent": "B", "answered": True,
     "wait_seconds": 90, "handle_seconds": 400, "csat": 3},
    {"contact_date": dt.datetime(2025, 1, 5, 9), "agent": "A", "answered": False},
    {"contact_date": dt.datetime(2025, 3, 5, 9), "agent": "A", "wait_seconds": 10},
]  # fmt: skip


@pytest.fixture(scope="module")
def store():
    s = Store.open(":memory:")
    first = ledger.load_table(s, "orders", ORDERS)
    ledger.load_table(s, "production", PRODUCTION)
    ledger.load_table(s, "budget", BUDGET)
    ledger.load_table(s, "contacts", CONTACTS)
    # a later load replaces January's orders with one bigger order
    ledger.load_table(s, "orders", [{"order_id": "O9", "order_date": D(2025, 1, 9),
                                     "quantity": 50, "revenue": 500}], replace=True)  # fmt: skip
    s.first_seq = first.seq
    s.before_replace = s.latest_seq() - 1
    yield s
    s.close()


def by_month(frame):
    return {r["month"]: r for r in frame.to_dict("records")}


def test_the_history_reads_the_catalogue_and_binds_every_filter():
    assert "Grain: one row per month" in queries.header("whatif_agents")
    assert {"site", "agent", "unit", "channel", "line"} <= set(filter_dimensions())
    # No what-if query of its own re-derives a KPI: only the agents' headcount is read apart.
    assert not [q for q in queries.available() if q.startswith("whatif_") and q != "whatif_agents"]
    assert {"on_time_orders", "operating_cost", "wait_sum", "csat_top"} <= set(KPI_COLUMNS)


def test_monthly_sums_computed_by_hand(store):
    rows = by_month(monthly_history(store, as_of=store.before_replace))
    assert list(rows) == [JAN, FEB, MAR]
    jan = rows[JAN]
    assert (jan["order_lines"], jan["orders"], jan["units"], jan["revenue"]) == (3, 2, 6, 60)
    assert jan["order_cost"] == 8 + 12 + (10 - 4)  # cost from revenue - profit
    # O1 was promised by its earliest date (14th) and done on its latest (16th): late
    assert (jan["on_time_orders"], jan["on_time_known"]) == (1, 2)
    assert jan["planned_minutes"] == 480 + 480
    assert jan["run_minutes"] == (480 - 30) + 400
    assert jan["downtime_minutes"] == 30 + 80
    assert (jan["scrap_units"], jan["quality_units"]) == (5 + 2, 190)
    assert jan["operating_cost"] == 1000  # the income line is not a cost
    assert (jan["contacts"], jan["wait_sum"], jan["wait_n"]) == (3, 120, 2)
    # service level at the KPI's threshold, 20 s: neither 30 s nor 90 s
    assert (jan["within_threshold"], jan["service_n"]) == (0, 2)
    assert (jan["handle_sum"], jan["handle_n"]) == (600, 2)
    assert (jan["csat_top"], jan["csat_n"], jan["agents"]) == (1, 2, 2)
    feb = rows[FEB]
    assert (feb["units"], feb["operating_cost"]) == (4, 300)  # a budget line without kind
    assert math.isnan(feb["order_cost"]) and math.isnan(feb["costed_revenue"])
    # answered unknown counts as answered: a 10 s wait is within the threshold
    assert (rows[MAR]["within_threshold"], rows[MAR]["service_n"]) == (1, 1)


def test_filters_narrow_the_datasets_that_have_the_dimension(store):
    rows = by_month(monthly_history(store, filters={"site": ["Leeds"]}, as_of=store.before_replace))
    jan = rows[JAN]
    assert (jan["order_lines"], jan["units"], jan["order_cost"]) == (2, 5, 20)
    assert (jan["on_time_orders"], jan["on_time_known"]) == (0, 1)
    assert jan["planned_minutes"] == 480
    assert jan["contacts"] == 3  # contacts have no site
    units = by_month(monthly_history(store, filters={"unit": ["Ops"]}))
    assert units[JAN]["operating_cost"] == 1000
    assert math.isnan(units[FEB]["operating_cost"])  # no Ops lines in February


def test_as_of_reads_the_version_asked_for(store):
    first = by_month(monthly_history(store, as_of=store.first_seq))
    assert first[JAN]["units"] == 6 and math.isnan(first[JAN]["contacts"])
    latest = by_month(monthly_history(store))
    assert latest[JAN]["units"] == 50 and latest[JAN]["orders"] == 1


def test_the_threshold_is_the_service_level_kpis(store):
    store.set_setting("service_level_seconds", 100)
    try:
        rows = by_month(monthly_history(store))
        assert rows[JAN]["within_threshold"] == 2
        assert build_baseline(store).settings.service_threshold_seconds == 100
    finally:
        store.set_setting("service_level_seconds", 20)


def test_the_history_gives_the_scorecards_figures():
    s = Store.open(":memory:")
    try:
        ledger.load_table(s, "orders", ORDERS)
        ledger.load_table(s, "budget", BUDGET)
        ledger.load_table(s, "contacts", CONTACTS)
        ledger.load_table(s, "surveys", [{"response_date": D(2025, 1, 9), "csat": 4}])
        ledger.load_table(s, "delivery_stats",
                          [{"month": JAN, "planned": 10, "cancelled": 2, "late": 2}])  # fmt: skip
        ledger.load_table(s, "contact_stats", [{"month": JAN, "offered": 20, "answered": 18,
                                                "asa_seconds": 10, "agent": "C"}])  # fmt: skip
        jan = by_month(monthly_history(s))[JAN]
        cards = {c.id: c.value for c in scorecard(s, period=make_period("month", JAN))}
        # on time: O2 + 6 of the 8 counted trips, out of 2 orders + 8
        assert 100 * jan["on_time_orders"] / jan["on_time_known"] == cards["on_time_pct"]
        assert cards["on_time_pct"] == pytest.approx(100 * 7 / 10)
        assert jan["wait_sum"] / jan["wait_n"] == pytest.approx(cards["asa_seconds"])
        assert cards["asa_seconds"] == pytest.approx((120 + 180) / 20)
        assert 100 * jan["csat_top"] / jan["csat_n"] == pytest.approx(cards["csat_pct"])
        assert jan["csat_n"] == 3  # two contacts and one survey
        assert jan["operating_cost"] == cards["operating_cost"] == 1000
        assert jan["contacts"] == 3 + 20
        assert jan["agents"] == 3
    finally:
        s.close()


def test_filter_dimensions_are_checked_against_the_catalogue():
    with pytest.raises(ValueError):
        split_filters({"site; drop table orders": ["x"]})
    params, ignored = split_filters({"cause": ["Jam"], "site": "Leeds"})
    assert params["site"] == ["Leeds"] and ignored == ["cause"]


def test_build_baseline_reads_the_store(store):
    b = build_baseline(store, baseline_months=2, filters={"cause": ["Jam"]},
                       as_of=store.before_replace, settings={"agents": 4})  # fmt: skip
    assert b.months == [FEB, MAR]
    assert b.values["units"] == 4  # February alone has orders
    assert any("cause" in n for n in b.notes)
    assert b.settings.agents == 4
