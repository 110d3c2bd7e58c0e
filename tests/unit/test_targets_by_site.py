"""Targets with a dimension: a revenue budget per city compares with revenue at each level.

By hand, January 2025: revenue Bogotá 120 + 30 = 150, Lima 200, Quito 50 (total 400);
budget Bogotá 100, Lima 250, Quito 40 (no company-wide row): total 390.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import ledger
from cockpit.kpis import make_period, scorecard
from cockpit.kpis.targets import period_target

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
BUDGET = [
    {"kpi": "revenue", "month": m, "site": site, "target": t}
    for m in (JAN, FEB)
    for site, t in (("Bogotá", 100), ("Lima", 250), ("Quito", 40))
]
SALES = [
    {"order_date": dt.date(2025, 1, 3), "site": "Bogotá", "revenue": 120, "channel": "Shop"},
    {"order_date": dt.date(2025, 1, 9), "site": "Bogotá", "revenue": 30, "channel": "Web"},
    {"order_date": dt.date(2025, 1, 4), "site": "Lima", "revenue": 200, "channel": "Shop"},
    # The month's last order on the 30th: January is complete, so its target is the whole
    # month's (a month whose rows stop on the 9th would be paced: see test_forecast.py).
    {"order_date": dt.date(2025, 1, 30), "site": "Quito", "revenue": 50, "channel": "Shop"},
]


def _plan(rows):
    return [{"amber_threshold": None, **r} for r in rows]


def _target(kpi, months, plan, filters=None, overrides=None):
    return period_target(kpi, months, plan=_plan(plan), overrides=overrides or {}, filters=filters)


def test_an_additive_kpi_sums_the_sites_targets_without_a_filter():
    assert _target("revenue", [JAN], BUDGET).target == 390
    assert _target("revenue", [JAN, FEB], BUDGET).target == 780
    assert _target("revenue", [JAN], BUDGET, {"site": ["Bogotá"]}).target == 100
    assert _target("revenue", [JAN], BUDGET, {"site": ["Bogotá", "Quito"]}).target == 140


def test_a_company_wide_row_wins_unfiltered_and_never_applies_to_a_site():
    plan = [*BUDGET, {"kpi": "revenue", "month": JAN, "site": None, "target": 400}]
    assert _target("revenue", [JAN], plan).target == 400
    company_only = [{"kpi": "revenue", "month": JAN, "site": None, "target": 400}]
    lima = _target("revenue", [JAN], company_only, {"site": ["Lima"]})
    assert (lima.target, lima.source) == (None, "none")
    # A site without a row of its own: no target for a set of sites that includes it.
    assert _target("revenue", [JAN], BUDGET, {"site": ["Lima", "Cusco"]}).target is None


def test_an_additive_kpi_filtered_on_another_dimension_has_no_plan_or_company_amount():
    shop = _target("revenue", [JAN], BUDGET, {"channel": ["Shop"]},
                   {"revenue": {"target": 500}})  # fmt: skip
    assert (shop.target, shop.source) == (None, "none")
    # Unfiltered, the Settings amount applies when there is no plan for the month.
    assert _target("revenue", [JAN], [], None, {"revenue": {"target": 500}}).target == 500
    # A zero target (budget variance) is zero at every level.
    assert _target("budget_variance", [JAN], [], {"unit": ["Ops"]}).target == 0


def test_a_ratio_kpi_needs_a_target_at_the_slices_level():
    plan = [
        {"kpi": "on_time_pct", "month": JAN, "site": "Lima", "target": 90},
        {"kpi": "on_time_pct", "month": JAN, "site": "Quito", "target": 80},
    ]
    # Unfiltered: never the sum or the mean of the sites' percentages -> the default.
    t = _target("on_time_pct", [JAN], plan)
    assert (t.target, t.source) == (95, "default")
    assert _target("on_time_pct", [JAN], plan, {"site": ["Lima"]}).target == 90
    both = _target("on_time_pct", [JAN], plan, {"site": ["Lima", "Quito"]})
    assert (both.target, both.source) == (95, "default")
    # A company-wide standard holds for each site.
    company = [*plan, {"kpi": "on_time_pct", "month": JAN, "site": None, "target": 97}]
    assert _target("on_time_pct", [JAN], company).target == 97
    assert _target("on_time_pct", [JAN], company, {"site": ["Bogotá"]}).target == 97
    assert _target("on_time_pct", [JAN], company, {"site": ["Lima", "Quito"]}).target == 97


def test_revenue_compares_with_the_city_budget_in_the_scorecard(store):
    ledger.load_table(store, "orders", SALES)
    ledger.load_table(store, "targets", BUDGET)
    period = make_period("month", JAN)

    def card(**kw):
        return scorecard(store, period=period, compare="target", kpi_ids=["revenue"], **kw)[0]

    total = card()
    assert (total.value, total.target, total.previous) == (400, 390, 390)
    assert total.change == pytest.approx(10)
    bogota = card(filters={"site": ["Bogotá"]})
    assert (bogota.value, bogota.target, bogota.status) == (150, 100, "green")
    lima = card(filters={"site": ["Lima"]})
    assert (lima.value, lima.target, lima.status) == (200, 250, "red")
    shop = card(filters={"channel": ["Shop"]})
    assert (shop.value, shop.target) == (370, None)
