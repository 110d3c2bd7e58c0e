"""Every KPI against values worked out by hand on tiny_db (see tests/conftest.py).

January 2025, by hand:
orders  A (Leeds) 10 Jan, ship 12 Jan, delivered 14 Jan <= promised 15 Jan: on time, 2 days
        B (Leeds) lines 30 Jan + 1 Feb -> one January order; ship max 5 Feb, no delivery,
          promised 2 Feb: late; cycle 5 Feb - 30 Jan = 6 days
        C (Lyon, Freight) 20 Jan, ship 25 Jan, no promised: 20 Jan + 10 = 30 Jan: on time, 5 d;
          returned
        D (Lyon) 25 Jan, never shipped: not in on-time, not in cycle time
  orders 4; on time 2/3 = 66.67%; cycle (2+6+5)/3 = 4.333 d; p90 of [2,5,6]: pos 1.8 -> 5.8
  January lines A, B1, C, D: units 10+5+20+1 = 36; revenue 100+50+400+10 = 560;
  cost 60 + (50-20) + 300 + 4 = 394; margin (560-394)/560 = 29.64%; cost/unit 394/36;
  cost/order 394/4 = 98.5; return rate 1/4 = 25%
production run 400 + (480-120) = 760 over planned 960 -> availability 79.17%;
  ideal 360 + 800/2.5 = 680 over run 760 -> performance 89.47%;
  good 950 + (800-40) = 1710 over units 1800 -> quality 95%; OEE = 680/960 * 0.95 = 67.29%
downtime 50 + 70 + 30 = 150 min; budget: cost lines actual 1100+450 = 1550, variance
  (1100-1000) + (450-500) = 50 over budget 1500 = 3.33% (the income line is left out)
contacts c1..c5: answered known c1..c4, unanswered c3 -> abandon 1/4 = 25%;
  served c1 c2 c4 c5: wait (30+90+60)/3 = 60 s; handle (300+500+400)/3 = 400 s;
  resolved 2/3 (c5 unknown); FCR 1/3; SLA 2/4; service level (20 s) 0/3; CSAT 1-5 ratings 5,3,4 (c5's 7 dropped):
  2/3 = 66.67%, mean 4.0; resolution hours 2 and 24 -> median 13
surveys 10,9,8,6,3,0: (2 promoters - 3 detractors)/6 = -16.67; contacts per 1000 = 5/4*1000
"""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import ledger
from cockpit.kpis import make_period, scorecard

JAN = dt.date(2025, 1, 1)
EXPECTED_JAN = {
    "orders": 4,
    "units": 36,
    "on_time_pct": 200 / 3,
    "cycle_time_days": 13 / 3,
    "cycle_time_p90_days": 5.8,
    "revenue": 560,
    "gross_margin_pct": 100 * 166 / 560,
    "cost_per_unit": 394 / 36,
    "cost_per_order": 98.5,
    "return_rate_pct": 25,
    "availability_pct": 100 * 760 / 960,
    "utilisation_pct": 100 * 760 / 960,
    "performance_pct": 100 * 680 / 760,
    "quality_pct": 95,
    "oee_pct": 100 * 680 / 960 * 0.95,
    "downtime_minutes": 150,
    "operating_cost": 1550,
    "budget_variance": 50,
    "budget_variance_pct": 100 * 50 / 1500,
    "abandon_pct": 25,
    "asa_seconds": 60,
    "aht_seconds": 400,
    "service_level_pct": 0,
    "resolved_pct": 200 / 3,
    "fcr_pct": 100 / 3,
    "sla_pct": 50,
    "csat_pct": 200 / 3,
    "csat_mean": 4.0,
    "resolution_hours_median": 13,
    "nps": -100 / 6,
    "contacts_per_1000_orders": 1250,
}


def _cards(store, kind="month", end=JAN, **kw):
    return {c.id: c for c in scorecard(store, period=make_period(kind, end), **kw)}


def test_every_kpi_in_january_matches_the_hand_computation(tiny_db):
    cards = _cards(tiny_db)
    assert set(cards) == set(EXPECTED_JAN)
    for kpi_id, expected in EXPECTED_JAN.items():
        assert cards[kpi_id].value == pytest.approx(expected, rel=1e-12), kpi_id
        assert cards[kpi_id].reason is None


def test_an_order_spanning_two_months_counts_once_in_its_first_month(tiny_db):
    feb = _cards(tiny_db, end=dt.date(2025, 2, 1))
    # February has only order E (B belongs to January) but lines B2 and E: 5 + 10 units.
    assert feb["orders"].value == 1
    assert feb["units"].value == 15
    # E: no promised date, Standard SLA 5 days -> 15 Feb; shipped 20 Feb: late.
    assert feb["on_time_pct"].value == 0
    assert feb["cycle_time_days"].value == 10


def test_performance_is_capped_at_100_percent(tiny_db):
    mar = _cards(tiny_db, end=dt.date(2025, 3, 1))
    # ideal 80 over run 50 = 160% -> capped; availability 50/100; quality 100/100.
    assert mar["performance_pct"].value == 100
    assert mar["oee_pct"].value == pytest.approx(50)


def test_quarter_is_a_ratio_of_sums_not_a_mean_of_monthly_ratios(tiny_db):
    q1 = _cards(tiny_db, kind="quarter", end=dt.date(2025, 3, 1))
    # On time: Jan 2/3, Feb 0/1, Mar 2/2 -> 4/6 = 66.7%; the mean of ratios would be 55.6%.
    assert q1["on_time_pct"].value == pytest.approx(400 / 6)
    # Cycle days Jan 2,6,5; Feb 10; Mar 1,1 -> p90 of [1,1,2,5,6,10]: pos 4.5 -> 6 + 0.5*4.
    assert q1["cycle_time_p90_days"].value == pytest.approx(8.0)
    assert q1["orders"].value == 7
    # Availability: Jan 760/960, Feb 0/0, Mar 50/100 -> 810/1060.
    assert q1["availability_pct"].value == pytest.approx(100 * 810 / 1060)


def test_missing_data_and_zero_denominators_are_null_with_a_reason(tiny_db):
    feb = _cards(tiny_db, end=dt.date(2025, 2, 1))
    # February production: one run with 0 planned minutes -> a zero denominator.
    assert feb["availability_pct"].value is None
    assert "planned and run minutes" in feb["availability_pct"].reason
    assert feb["oee_pct"].value is None and feb["oee_pct"].reason
    # No contacts in February at all.
    assert feb["abandon_pct"].value is None
    assert feb["abandon_pct"].reason == "no contacts or contact_stats data in this period"


def test_a_dataset_never_loaded_is_reported_as_such(store):
    ledger.load_table(store, "orders", [{"order_id": "X", "order_date": JAN, "quantity": 3}])
    cards = _cards(store)
    assert cards["orders"].value == 1
    assert cards["csat_pct"].value is None
    assert cards["csat_pct"].reason == "no contacts or surveys data loaded"
    assert cards["return_rate_pct"].reason == "no returns data loaded"
    # Revenue column not in the data: null, not 0.
    assert cards["revenue"].value is None
    assert cards["revenue"].reason == "no revenue column in the loaded orders"


def test_comparisons_prev_yoy_and_target(tiny_db):
    yoy = _cards(tiny_db, compare="yoy")
    # Jan 2024: order H alone, on time, 1 day; 4 units.
    assert yoy["orders"].previous == 1
    assert yoy["orders"].change == 3
    assert yoy["orders"].change_pct == pytest.approx(300)
    assert yoy["units"].previous == 4
    prev = _cards(tiny_db, end=dt.date(2025, 2, 1), compare="prev")
    assert prev["orders"].previous == 4
    assert prev["on_time_pct"].change == pytest.approx(-200 / 3)
    tgt = _cards(tiny_db, compare="target")
    assert tgt["abandon_pct"].previous == 5
    assert tgt["abandon_pct"].change == 20


def test_sparkline_has_24_months_with_values_where_there_is_data(tiny_db):
    card = _cards(tiny_db, end=dt.date(2025, 3, 1))["orders"]
    assert len(card.spark) == 24
    assert card.spark[0][0] == dt.date(2023, 4, 1)
    values = dict(card.spark)
    assert values[dt.date(2024, 1, 1)] == 1
    assert values[JAN] == 4 and values[dt.date(2025, 2, 1)] == 1
    assert values[dt.date(2024, 6, 1)] is None


def test_filters_apply_in_sql_and_block_kpis_without_the_column(tiny_db):
    leeds = _cards(tiny_db, filters={"site": ["Leeds"]})
    # Leeds January: orders A (on time) and B (late).
    assert leeds["orders"].value == 2
    assert leeds["on_time_pct"].value == 50
    assert leeds["downtime_minutes"].value == 50
    assert leeds["nps"].value == pytest.approx(100 * 2 / 3)
    assert leeds["csat_pct"].value is None
    assert leeds["csat_pct"].reason == "contacts have no site column"
    assert leeds["operating_cost"].reason == "budget lines have no site column"
    assert leeds["contacts_per_1000_orders"].reason == "contacts have no site column"
    several = _cards(tiny_db, filters={"site": ["Leeds", "Lyon"], "channel": ["Online"]})
    # Online in January: A, B, D.
    assert several["orders"].value == 3
    nobody = _cards(tiny_db, filters={"site": ["Nowhere"]})
    assert nobody["orders"].value is None
    assert nobody["orders"].reason == "no orders data in this period for these filters"


def test_as_of_after_a_replace_shows_each_version(tiny_db):
    before = tiny_db.latest_seq()
    feb_again = [{"order_id": "N", "order_date": dt.date(2025, 2, 14), "quantity": 7,
                  "revenue": 70, "site": "Leeds"}]  # fmt: skip
    ledger.load_table(tiny_db, "orders", feb_again, replace=True)
    feb = dt.date(2025, 2, 1)
    now = _cards(tiny_db, end=feb)
    # February replaced: lines B2 and E gone, N in their place.
    assert now["orders"].value == 1 and now["units"].value == 7
    assert now["revenue"].value == 70
    # Order B keeps only its January line now.
    assert _cards(tiny_db)["units"].value == 36
    then = _cards(tiny_db, end=feb, as_of=before)
    assert then["units"].value == 15 and then["revenue"].value == 250


def test_sla_setting_changes_on_time_for_orders_without_promised_date(tiny_db):
    from cockpit.kpis import save_sla_days

    # Freight SLA 3 days: C (20 Jan + 3 = 23 Jan, shipped 25 Jan) becomes late -> 1/3.
    save_sla_days(tiny_db, {"Standard": 5, "Express": 2, "Freight": 3, "*": 5})
    assert _cards(tiny_db)["on_time_pct"].value == pytest.approx(100 / 3)
    # Without a default and without a match, an order has no promise: C leaves the base.
    save_sla_days(tiny_db, {"Standard": 5})
    assert _cards(tiny_db)["on_time_pct"].value == 50


def test_partial_latest_month_is_flagged(tiny_db):
    cards = _cards(tiny_db, end=dt.date(2025, 3, 1))
    # Orders' latest month is March and its last order is on 15 Mar (> 3 days before 31st).
    assert cards["orders"].partial
    assert not _cards(tiny_db, end=dt.date(2025, 2, 1))["orders"].partial


def test_an_order_without_promised_date_gets_the_shortest_sla_of_its_lines(store):
    # Lines Standard (5 days) and Express (2 days): promised 1 Jan + 2 = 3 Jan; shipped
    # 4 Jan -> late. The other order (Standard only): promised 6 Jan, shipped 4 Jan -> on time.
    day = dt.date(2025, 1, 1)
    ship = dt.date(2025, 1, 4)
    rows = [
        {"order_id": "M", "order_date": day, "ship_date": ship, "ship_mode": "Standard"},
        {"order_id": "M", "order_date": day, "ship_date": ship, "ship_mode": "Express"},
        {"order_id": "S", "order_date": day, "ship_date": ship, "ship_mode": "Standard"},
    ]
    ledger.load_table(store, "orders", rows)
    assert _cards(store)["on_time_pct"].value == 50


def test_return_rate_has_no_value_for_a_month_without_returns_data(tiny_db):
    # Returns are loaded to Feb 2025; March has orders but no returns rows: not 0 %, no value.
    from cockpit.kpis import breakdown, monthly_series

    mar = make_period("month", dt.date(2025, 3, 1))
    card = {c.id: c for c in scorecard(tiny_db, period=mar)}["return_rate_pct"]
    assert card.value is None and card.status is None
    assert card.reason == "no returns data for Mar 2025"
    assert card.previous is not None  # Feb has returns rows: a value to compare with
    assert dict(card.spark)[dt.date(2025, 3, 1)] is None
    series = monthly_series(
        tiny_db, "return_rate_pct", months=[dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    )
    assert series["value"].isna().tolist() == [False, True]
    assert breakdown(tiny_db, "return_rate_pct", "site", period=mar)["value"].isna().all()
