"""Custom metrics: validated before saving, computed as ratios of sums, role-checked."""

import datetime as dt

import pytest
from custom_metric_examples import freight_per_unit

from cockpit import auth, ledger
from cockpit.kpis import custom_metrics
from cockpit.kpis.custom_metrics import MetricInvalid
from cockpit.kpis.periods import make_period
from cockpit.store import Store

ANALYST = auth.User("ann", "analyst")
VIEWER = auth.User("vic", "viewer")


@pytest.fixture
def store():
    s = Store.open(":memory:")
    rows = [
        # Jan: Leeds 2 lines, Lyon 1 line; Feb: Leeds 1 line
        {
            "order_id": "A",
            "order_date": dt.date(2026, 1, 5),
            "site": "Leeds",
            "quantity": 10.0,
            "freight_cost": 5.0,
        },
        {
            "order_id": "B",
            "order_date": dt.date(2026, 1, 9),
            "site": "Leeds",
            "quantity": 30.0,
            "freight_cost": 3.0,
        },
        {
            "order_id": "C",
            "order_date": dt.date(2026, 1, 20),
            "site": "Lyon",
            "quantity": 60.0,
            "freight_cost": 12.0,
        },
        {
            "order_id": "D",
            "order_date": dt.date(2026, 2, 3),
            "site": "Leeds",
            "quantity": 20.0,
            "freight_cost": 10.0,
        },
    ]
    ledger.load_table(s, "orders", rows)
    return s


metric = freight_per_unit


def test_value_is_a_ratio_of_sums_with_comparison_and_filters(store):
    m = metric()
    jan, feb = make_period("month", dt.date(2026, 1, 1)), make_period("month", dt.date(2026, 2, 1))
    # Jan: (5 + 3 + 12) / (10 + 30 + 60) = 0.2, not the mean of the line ratios (0.27)
    v = custom_metrics.compute(store, m, period=jan)
    assert v.value == pytest.approx(0.2)
    assert v.status == "green"  # lower is better: 0.2 <= 0.25
    # Feb: 10 / 20 = 0.5, previous = Jan's 0.2, change +0.3; 0.5 > 0.25 + 0.05 -> red
    v = custom_metrics.compute(store, m, period=feb, compare="prev")
    assert (v.value, v.previous) == (pytest.approx(0.5), pytest.approx(0.2))
    assert v.change == pytest.approx(0.3)
    assert v.status == "red"
    # Leeds in Jan: (5 + 3) / (10 + 30) = 0.2; Lyon: 12 / 60 = 0.2 ... pick a quarter for Leeds
    q1 = make_period("quarter", dt.date(2026, 3, 1))
    v = custom_metrics.compute(store, m, period=q1, filters={"site": ["Leeds"]})
    assert v.value == pytest.approx((5 + 3 + 10) / (10 + 30 + 20))


def test_missing_data_and_missing_dimension_say_why(store):
    m = metric()
    v = custom_metrics.compute(store, m, period=make_period("month", dt.date(2025, 6, 1)))
    assert v.value is None and "no orders data" in v.reason
    v = custom_metrics.compute(
        store, m, period=make_period("month", dt.date(2026, 1, 1)), filters={"agent": ["Zoe"]}
    )
    assert v.value is None and "agent" in v.reason


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        ("sum(revenue); drop table loads", "one expression"),
        ("(select sum(revenue) from orders)", "subquery"),
        ("sum(nonexistent)", "not a column"),
        ("revenue", "must aggregate"),
        ("read_csv('/etc/passwd')", "read_csv"),
        ("current_setting('threads')", "current_setting"),
        ("sum(revenue) over ()", "window"),
        ("sum(revenue) -- comment", "comments"),
        ("sum(", "not valid SQL"),
    ],
)
def test_unsafe_or_invalid_expressions_are_refused(store, expression, why):
    with pytest.raises(MetricInvalid, match=why):
        custom_metrics.check_expression(store, "orders", expression)


def test_save_needs_the_analyst_role_and_validates_first(store):
    with pytest.raises(auth.PermissionDenied):
        custom_metrics.save_metric(store, metric(), VIEWER)
    with pytest.raises(MetricInvalid):
        custom_metrics.save_metric(store, metric(numerator="sum(bogus)"), ANALYST)
    assert custom_metrics.list_metrics(store) == []
    custom_metrics.save_metric(store, metric(), ANALYST)
    assert [m.kpi_id for m in custom_metrics.list_metrics(store)] == ["custom_freight_per_unit"]
    assert custom_metrics.delete_metric(store, "freight_per_unit", ANALYST)
    assert custom_metrics.list_metrics(store) == []
