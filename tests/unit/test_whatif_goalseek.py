"""Goal seek and sensitivity on a small hand-built history."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cockpit.whatif import Settings, goal_seek, run_scenario, sensitivity
from cockpit.whatif.erlang import asa_seconds
from cockpit.whatif.model import baseline_from_history

SUMS = [
    "order_lines", "orders", "units", "revenue", "order_cost", "costed_revenue",
    "on_time_orders", "on_time_known", "planned_minutes", "run_minutes", "downtime_minutes",
    "produced_units", "scrap_units", "quality_units", "operating_cost", "contacts", "answered",
    "wait_sum", "wait_n", "within_threshold", "service_n", "handle_sum", "handle_n", "csat_top", "csat_n",
    "agents",
]  # fmt: skip


@pytest.fixture(scope="module")
def base():
    """12 months; the last three average 2,000 units, 40,000 revenue, 21,000 order cost."""
    units = 1000 + 100 * np.arange(12.0)
    frame = pd.DataFrame({c: np.nan for c in SUMS}, index=range(12)).assign(
        units=units, revenue=20 * units, order_cost=5000 + 8 * units, costed_revenue=20 * units,
        planned_minutes=10_000.0, run_minutes=3 * units, downtime_minutes=10_000 - 3 * units,
        contacts=0.1 * units, wait_n=0.1 * units, wait_sum=4 * units, handle_sum=30 * units,
        handle_n=0.1 * units, agents=5.0,
    )  # fmt: skip
    frame.insert(0, "month", [dt.date(2025, m, 1) for m in range(1, 13)])
    return baseline_from_history(
        frame, settings=Settings(opening_hours_per_month=10, agents=5, staffed_share=1.0)
    )


def value_of(baseline, drivers, output):
    return next(o.scenario for o in run_scenario(baseline, drivers) if o.id == output)


def test_price_that_brings_margin_to_half(base):
    # (40,000 x p - 21,000) / (40,000 x p) = 0.5  ->  p = 1.05
    r = goal_seek(base, output="gross_margin_pct", target=50, driver="price")
    assert r.reachable
    assert r.value == pytest.approx(5.0, abs=1e-6)
    assert r.achieved == pytest.approx(50.0, abs=1e-6)


def test_capacity_that_brings_utilisation_to_fifty(base):
    # 60% / (1 + c) = 50%  ->  c = 20%
    r = goal_seek(base, output="utilisation_pct", target=50, driver="capacity")
    assert r.value == pytest.approx(20.0, abs=1e-6)
    assert r.as_json()["reachable"] is True


def test_agents_needed_for_answer_time_at_higher_volume(base):
    asa0 = base.values["asa_seconds"]
    assert asa0 == pytest.approx(40)
    r = goal_seek(base, output="asa_seconds", target=40, driver="agents",
                  drivers={"volume": 50})  # fmt: skip
    assert r.reachable and r.value == 2

    def by_hand(extra):  # 30 contacts an hour of 300 s on 5 + extra agents, scaled
        return asa0 * asa_seconds(30, 300, 5 + extra) / asa_seconds(20, 300, 5)

    assert by_hand(r.value) <= 40 < by_hand(r.value - 1)
    assert r.achieved == pytest.approx(by_hand(r.value))


def test_unreachable_target_is_reported(base):
    # at +30% price the margin is (52,000 - 21,000) / 52,000 = 59.6%: 90% is out of reach
    r = goal_seek(base, output="gross_margin_pct", target=90, driver="price")
    assert not r.reachable
    assert r.value == 30
    assert r.achieved == pytest.approx(100 * 31_000 / 52_000)
    assert "out of reach" in r.message


def test_output_without_data_cannot_be_sought(base):
    r = goal_seek(base, output="csat_pct", target=80, driver="agents")
    assert not r.reachable and r.value is None and "no data" in r.message


def test_sensitivity_of_revenue(base):
    frame = sensitivity(base, output="revenue")
    assert list(frame["driver"][:2]) == ["volume", "price"]
    top = frame.set_index("driver")
    assert top.loc["price", "low"] == pytest.approx(36_000)
    assert top.loc["price", "high"] == pytest.approx(44_000)
    assert top.loc["price", "delta_low"] == pytest.approx(-4_000)
    assert top.loc["fixed_cost", "swing"] == 0
    assert list(frame["swing"]) == sorted(frame["swing"], reverse=True)


def test_sensitivity_around_a_scenario_and_agents_step(base):
    top = sensitivity(base, output="revenue", drivers={"volume": 20}).set_index("driver")
    assert top.loc["price", "base"] == pytest.approx(48_000)
    assert top.loc["price", "low"] == pytest.approx(40_000 * 1.2 * 0.9)
    assert top.loc["volume", "high"] == pytest.approx(40_000 * 1.3)
    asa = sensitivity(base, output="asa_seconds").set_index("driver")
    # 10% of 5 agents rounds to less than one: the step is one agent
    assert asa.loc["agents", "high"] == pytest.approx(value_of(base, {"agents": 1}, "asa_seconds"))


def test_goal_seek_text_names_the_driver_once():
    # QA: "Agents +6 agents brings Average speed of answer to 54 s".
    from types import SimpleNamespace

    from cockpit.screens.whatif_view import goal_seek_text

    found = SimpleNamespace(value=6.0, driver="agents", output="asa_seconds", achieved=54.0,
                            reachable=True, message="")  # fmt: skip
    assert goal_seek_text(found) == "+6 agents brings average speed of answer to 54 s"
    price = SimpleNamespace(value=5.0, driver="price", output="csat_pct", achieved=80.0,
                            reachable=False, message="CSAT % cannot reach 90.0%")  # fmt: skip
    assert goal_seek_text(price) == (
        "CSAT % cannot reach 90.0%. Nearest: Price +5% brings CSAT % to 80.0%"
    )
