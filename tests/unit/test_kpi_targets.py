"""Targets: precedence (plan, settings, default), multi-month rules and RAG status."""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit.kpis import make_period, save_target_overrides, scorecard
from cockpit.kpis.registry import lookup
from cockpit.kpis.targets import period_target, status

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4.0, "green"), (5.0, "green"), (6.5, "amber"), (7.0, "amber"), (7.1, "red")],
)
def test_lower_is_better_status_abandon(value, expected):
    # abandon_pct: target 5, amber threshold 7 -> green <= 5, amber <= 7, red above.
    assert status(lookup("abandon_pct"), value, 5.0, 7.0) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(96, "green"), (95.9, "amber"), (91, "amber"), (90.99, "red"), (89.9, "red")],
)
def test_plan_amber_is_an_absolute_threshold(value, expected):
    # The demo plan: on-time target 96, amber 91 -> 91 <= v < 96 amber; 89.9 (Oct 2026) red.
    plan = [{"kpi": "on_time_pct", "month": JAN, "site": None, "target": 96.0,
             "amber_threshold": 91.0}]  # fmt: skip
    t = period_target("on_time_pct", [JAN], plan=plan, overrides={})
    assert (t.target, t.amber) == (96.0, 91.0)
    assert status(lookup("on_time_pct"), value, t.target, t.amber) == expected


def test_demo_plan_csat_and_nps_below_their_thresholds_are_red():
    plan = [
        {"kpi": "csat_pct", "month": JAN, "site": None, "target": 85.0, "amber_threshold": 80.0},
        {"kpi": "nps", "month": JAN, "site": None, "target": 30.0, "amber_threshold": 20.0},
    ]
    csat = period_target("csat_pct", [JAN], plan=plan, overrides={})
    nps = period_target("nps", [JAN], plan=plan, overrides={})
    assert status(lookup("csat_pct"), 53.1, csat.target, csat.amber) == "red"
    assert status(lookup("nps"), 11.0, nps.target, nps.amber) == "red"
    assert status(lookup("nps"), 25.0, nps.target, nps.amber) == "amber"


def test_settings_band_becomes_a_threshold_on_the_wrong_side_of_the_target():
    over = {"on_time_pct": {"target": 95.0, "amber": 3.0},
            "abandon_pct": {"target": 5.0, "amber": 2.0}}  # fmt: skip
    assert period_target("on_time_pct", [JAN], plan=[], overrides=over).amber == 92.0
    assert period_target("abandon_pct", [JAN], plan=[], overrides=over).amber == 7.0


def test_no_value_or_no_target_means_no_status():
    assert status(lookup("on_time_pct"), None, 95.0, 92.0) is None
    assert status(lookup("orders"), 10.0, None, None) is None
    assert status(lookup("on_time_pct"), 94.0, 95.0, None) == "red"  # no threshold: no amber


def test_plan_then_settings_then_default():
    plan = [
        {"kpi": "abandon_pct", "month": JAN, "site": None, "target": 4.0, "amber_threshold": 5.0},
        {"kpi": "abandon_pct", "month": FEB, "site": None, "target": 6.0, "amber_threshold": None},
        {"kpi": "abandon_pct", "month": JAN, "site": "Leeds", "target": 3.0,
         "amber_threshold": 3.5},
    ]  # fmt: skip
    t = period_target("abandon_pct", [JAN, FEB], plan=plan, overrides={})
    # Mean of monthly targets (4 + 6) / 2; amber: Jan's 5 and Feb's 6 + the default band 2
    # -> (5 + 8) / 2.
    assert (t.target, t.amber, t.source) == (5.0, 6.5, "plan")
    leeds = period_target(
        "abandon_pct", [JAN], plan=plan, overrides={}, filters={"site": ["Leeds"]}
    )
    assert (leeds.target, leeds.amber) == (3.0, 3.5)
    over = {"abandon_pct": {"target": 8.0, "amber": 1.0}}
    assert period_target("abandon_pct", [dt.date(2025, 3, 1)], plan=plan, overrides=over) == (
        period_target("abandon_pct", [dt.date(2025, 3, 1)], plan=[], overrides=over)
    )
    t = period_target("abandon_pct", [dt.date(2025, 3, 1)], plan=plan, overrides=over)
    assert (t.target, t.amber, t.source) == (8.0, 9.0, "settings")
    t = period_target("abandon_pct", [dt.date(2025, 3, 1)], plan=plan, overrides={})
    assert (t.target, t.amber, t.source) == (5, 7, "default")
    assert period_target("orders", [JAN], plan=[], overrides={}).source == "none"


def test_additive_kpi_targets_add_up_over_months():
    plan = [
        {"kpi": "revenue", "month": m, "site": None, "target": 100.0, "amber_threshold": 90.0}
        for m in (JAN, FEB)
    ]
    t = period_target("revenue", [JAN, FEB], plan=plan, overrides={})
    assert (t.target, t.amber) == (200.0, 180.0)
    # A settings target is monthly too: a quarter's is three times it.
    q = period_target("revenue", [JAN, FEB, dt.date(2025, 3, 1)], plan=[],
                      overrides={"revenue": {"target": 50.0}})  # fmt: skip
    assert q.target == 150.0


def test_scorecard_uses_plan_rows_and_overrides(tiny_db):
    jan = make_period("month", JAN)
    cards = {c.id: c for c in scorecard(tiny_db, period=jan)}
    # Plan: abandon target 5, amber 2; value 25 -> red (lower is better).
    assert (cards["abandon_pct"].target, cards["abandon_pct"].status) == (5, "red")
    save_target_overrides(tiny_db, {"asa_seconds": {"target": 50, "amber": 15}})
    cards = {c.id: c for c in scorecard(tiny_db, period=jan)}
    # ASA 60 s vs 50 s + 15 s band -> amber; the plan still wins for abandon_pct.
    assert (cards["asa_seconds"].target, cards["asa_seconds"].status) == (50, "amber")
    assert cards["abandon_pct"].target == 5
    with pytest.raises(KeyError):
        save_target_overrides(tiny_db, {"no_such_kpi": {"target": 1}})


def test_the_plan_wins_month_by_month_and_settings_fill_the_other_months():
    # Issue 23: one rule for every KPI. A quarter whose plan covers Jan and Feb only: the
    # plan's months and the Settings target for March, summed (an amount) or averaged.
    mar = dt.date(2025, 3, 1)
    plan = [{"kpi": k, "month": m, "site": None, "target": t, "amber_threshold": None}
            for k, t in (("revenue", 100.0), ("abandon_pct", 4.0)) for m in (JAN, FEB)]  # fmt: skip
    over = {"revenue": {"target": 70.0}, "abandon_pct": {"target": 7.0}}
    rev = period_target("revenue", [JAN, FEB, mar], plan=plan, overrides=over)
    assert (rev.target, rev.source) == (270.0, "plan+settings")
    ab = period_target("abandon_pct", [JAN, FEB, mar], plan=plan, overrides=over)
    assert (ab.target, ab.source) == (5.0, "plan+settings")
    # Without a Settings target, an amount with a month lacking a target has none.
    assert period_target("revenue", [JAN, FEB, mar], plan=plan, overrides={}).target is None
