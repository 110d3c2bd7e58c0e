"""The driver model on hand-built monthly histories: baseline, scenarios, fallbacks."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.whatif import DRIVERS, OUTPUTS, Settings, parse_driver, run_scenario
from cockpit.whatif.erlang import asa_seconds, interpolate
from cockpit.whatif.model import baseline_from_history

COLUMNS = [
    "order_lines", "orders", "units", "revenue", "order_cost", "costed_revenue",
    "on_time_orders", "on_time_known", "planned_minutes", "run_minutes", "downtime_minutes",
    "produced_units", "scrap_units", "quality_units", "operating_cost", "contacts", "answered",
    "wait_sum", "wait_n", "within_threshold", "service_n", "handle_sum", "handle_n", "csat_top", "csat_n",
    "agents",
]  # fmt: skip


def history(n: int = 12) -> pd.DataFrame:
    """n months ending 2025-12 where every relation is an exact line (values by hand below)."""
    i = np.arange(n, dtype=float) + (12 - n)
    units = 1000 + 100 * i  # the last three months: 1900, 2000, 2100
    util = 0.03 * units  # run = 3 x units on 10,000 planned minutes
    on_time = 130 - 0.8 * util
    asa = 30 + 10 * (i % 3)
    contacts = 0.1 * units
    frame = pd.DataFrame({c: np.nan for c in COLUMNS}, index=range(n))
    frame.insert(0, "month", [dt.date(2025, int(k) + 1, 1) for k in i])
    frame = frame.assign(
        orders=units / 2, order_lines=units, units=units, revenue=20 * units,
        order_cost=5000 + 8 * units, costed_revenue=20 * units,
        operating_cost=30000 + 2 * units + np.tile([100.0, -100.0], n)[:n],
        planned_minutes=10_000.0, run_minutes=3 * units, downtime_minutes=10_000 - 3 * units,
        produced_units=units, scrap_units=0.05 * units, quality_units=units,
        on_time_known=1000.0, on_time_orders=10 * on_time,
        contacts=contacts, answered=contacts, wait_n=contacts, wait_sum=contacts * asa,
        within_threshold=0.9 * contacts, service_n=contacts, handle_sum=300 * contacts, handle_n=contacts,
        csat_n=100.0, csat_top=50 + 0.4 * on_time - 0.1 * asa, agents=5.0,
    )  # fmt: skip
    return frame


FIXED_STAFF = Settings(opening_hours_per_month=10, agents=5, staffed_share=1.0)


def outputs(baseline, drivers=None) -> dict:
    return {o.id: o for o in run_scenario(baseline, drivers or {})}


@pytest.fixture(scope="module")
def base():
    return baseline_from_history(history(), settings=FIXED_STAFF)


def test_baseline_is_the_trailing_months_computed_by_hand(base):
    assert base.months == [dt.date(2025, 10, 1), dt.date(2025, 11, 1), dt.date(2025, 12, 1)]
    v = base.values
    assert v["revenue"] == pytest.approx(40_000)
    assert v["operating_cost"] == pytest.approx(30_000 + 2 * 2000 - 100 / 3)
    assert v["cost_per_unit"] == pytest.approx(21_000 / 2000)
    assert v["gross_margin_pct"] == pytest.approx(100 * (40_000 - 21_000) / 40_000)
    assert v["utilisation_pct"] == pytest.approx(60)
    assert v["on_time_pct"] == pytest.approx(130 - 0.8 * 60)
    assert v["contacts"] == pytest.approx(200)
    # answer time is a ratio of sums: (190*30 + 200*40 + 210*50) / 600
    assert v["asa_seconds"] == pytest.approx((190 * 30 + 200 * 40 + 210 * 50) / 600)
    assert v["service_level_pct"] == pytest.approx(90)
    # 100 responses a month: the mean of the monthly CSAT (answer times 30, 40, 50 s)
    assert v["csat_pct"] == pytest.approx(50 + 0.4 * 82 - 0.1 * 40)


def test_zero_driver_scenario_equals_the_baseline_exactly(base):
    for o in run_scenario(base, {k: 0 for k in DRIVERS}):
        assert o.scenario == o.baseline, o.id
        assert o.change == 0, o.id
    assert set(outputs(base)) == set(OUTPUTS)


def test_volume_moves_revenue_cost_utilisation_and_on_time(base):
    out = outputs(base, {"volume": 10})
    assert out["revenue"].scenario == pytest.approx(44_000)
    # order cost = fixed 5,000 + 8 per unit on 2,200 units
    assert out["cost_per_unit"].scenario == pytest.approx((5000 + 8 * 2200) / 2200)
    assert out["gross_margin_pct"].scenario == pytest.approx(100 * (44_000 - 22_600) / 44_000)
    assert out["utilisation_pct"].scenario == pytest.approx(66)
    assert out["on_time_pct"].scenario == pytest.approx(82 - 0.8 * 6)
    assert out["contacts"].scenario == pytest.approx(220)


def test_price_and_fixed_cost_drivers(base):
    out = outputs(base, {"price": 5, "fixed_cost": -10})
    assert out["revenue"].scenario == pytest.approx(42_000)
    assert out["gross_margin_pct"].scenario == pytest.approx(100 * (42_000 - 20_500) / 42_000)
    op = base.values["operating_cost"]
    fixed = base.values["budget_cost_fixed"]
    assert fixed == pytest.approx(30_000, rel=0.01)
    assert out["operating_cost"].scenario == pytest.approx(op - 0.1 * fixed)


def test_capacity_downtime_and_scrap_change_utilisation(base):
    assert outputs(base, {"capacity": 25})["utilisation_pct"].scenario == pytest.approx(48)
    # 50% more of the 4,000 downtime minutes leaves 8,000 planned minutes
    assert outputs(base, {"downtime": 50})["utilisation_pct"].scenario == pytest.approx(75)
    # scrap 5% -> 10%: 0.95/0.90 more units to make per unit shipped
    scrap = outputs(base, {"scrap_rate": 100})
    assert scrap["utilisation_pct"].scenario == pytest.approx(60 * 0.95 / 0.90)
    assert scrap["cost_per_unit"].scenario == pytest.approx((5000 + 16_000 * 0.95 / 0.9) / 2000)


def test_contact_centre_follows_erlang_c(base):
    out = outputs(base, {"volume": 10, "contacts_per_order": 20, "agents": 1})
    assert out["contacts"].scenario == pytest.approx(200 * 1.1 * 1.2)
    asa0 = base.values["asa_seconds"]
    # the observed wait scaled by the Erlang C change (staffing fixed, so not calibrated)
    by_hand = asa0 * asa_seconds(26.4, 300, 6) / asa_seconds(20, 300, 5)
    assert out["asa_seconds"].scenario == pytest.approx(by_hand)
    assert out["asa_seconds"].scenario < asa0


def test_csat_moves_along_its_fit(base):
    fit = base.fit("CSAT")
    assert fit.used
    assert fit.params["on_time_pct"] == pytest.approx(0.4)
    assert fit.params["asa_seconds"] == pytest.approx(-0.1)
    out = outputs(base, {"volume": 10})
    d_asa = out["asa_seconds"].scenario - out["asa_seconds"].baseline
    assert out["csat_pct"].change == pytest.approx(0.4 * -4.8 - 0.1 * d_asa)


def test_staffed_share_is_calibrated_to_the_observed_answer_time():
    b = baseline_from_history(history(), settings=Settings(opening_hours_per_month=10))
    v = b.values
    assert v["headcount"] == 5
    staffed = v["headcount"] * v["staffed_share"]
    model = interpolate(asa_seconds, v["contacts"] / 10, 300, staffed)
    assert model == pytest.approx(v["asa_observed"], rel=1e-6)
    assert "calibrated" in b.fit("answer time").note


def test_short_history_falls_back_and_says_so():
    b = baseline_from_history(history(4), settings=FIXED_STAFF)
    assert not b.fit("order cost").used
    assert "all cost treated as variable" in b.fit("order cost").note
    out = outputs(b, {"volume": 10})
    # all variable: cost per unit unchanged by volume
    assert out["cost_per_unit"].scenario == pytest.approx(out["cost_per_unit"].baseline)
    assert out["on_time_pct"].scenario == out["on_time_pct"].baseline
    assert out["on_time_pct"].explain.startswith("held at baseline")


def test_missing_data_gives_none_with_a_reason():
    h = history()
    h[["contacts", "answered", "wait_sum", "wait_n", "within_threshold", "service_n", "handle_sum",
       "handle_n", "csat_top", "csat_n", "agents"]] = np.nan  # fmt: skip
    out = outputs(baseline_from_history(h, settings=FIXED_STAFF), {"volume": 10})
    assert out["asa_seconds"].scenario is None
    assert "contact" in out["asa_seconds"].explain
    assert out["revenue"].scenario == pytest.approx(44_000)


def test_unknown_driver_is_refused(base):
    with pytest.raises(KeyError):
        run_scenario(base, {"headcount": 3})


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("volume=+15%", ("volume", 15.0)), ("price=-2.5%", ("price", -2.5)),
     ("agents=+2", ("agents", 2.0)), ("scrap_rate = 10", ("scrap_rate", 10.0))],
)  # fmt: skip
def test_parse_driver(text, parsed):
    assert parse_driver(text) == parsed


@pytest.mark.parametrize("text", ["volume", "speed=+1%", "agents=+2%", "volume=lots"])
def test_parse_driver_refuses(text):
    with pytest.raises(ValueError):
        parse_driver(text)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 12),
    seed=st.integers(0, 2**16),
    months=st.integers(1, 6),
    holes=st.lists(st.sampled_from(COLUMNS), max_size=6),
)
def test_zero_drivers_equal_baseline_for_any_history(n, seed, months, holes):
    rng = np.random.default_rng(seed)
    h = history(n)
    numeric = h.columns.drop("month")
    h[numeric] = h[numeric] * rng.uniform(0.5, 1.5, size=(n, len(numeric)))
    h[list(holes)] = np.nan
    b = baseline_from_history(h, baseline_months=months)
    for o in run_scenario(b, {}):
        assert o.scenario == o.baseline or (o.scenario is None and o.baseline is None), o.id
        assert o.scenario is None or not math.isnan(o.scenario), o.id


def test_staffed_agents_are_inferred_when_headcount_is_unknown():
    h = history()
    h["agents"] = np.nan
    b = baseline_from_history(h, settings=Settings(opening_hours_per_month=10))
    v = b.values
    assert v["staffed_share"] == 1.0
    assert interpolate(asa_seconds, 20, 300, v["headcount"]) == pytest.approx(
        v["asa_observed"], rel=1e-6
    )
    assert "inferred" in b.fit("answer time").note
    # one more agent than inferred answers faster
    assert outputs(b, {"agents": 1})["asa_seconds"].change < 0


def test_model_text_names_the_service_level_threshold_the_card_uses():
    """The page shows the model's description: its threshold is the KPI's, not Erlang's 60 s."""
    from cockpit.kpis.targets import SERVICE_LEVEL_SECONDS
    from cockpit.whatif import model

    text = " ".join(model.__doc__.split())
    assert f"{SERVICE_LEVEL_SECONDS:g} s unless Settings says" in text
    assert "60 s" not in text


def test_a_baseline_window_without_data_gives_unknown_outputs():
    # History in 2025 but a baseline ending 2026-06: no month in the window. The What-if page
    # said "Sorry, something went wrong" (KeyError: 'revenue') instead of showing unknowns.
    from cockpit.whatif.goalseek import goal_seek
    from cockpit.whatif.sensitivity import sensitivity

    empty = baseline_from_history(history(), end_month=dt.date(2026, 6, 1))
    assert empty.months == [] and empty.values == {}
    got = outputs(empty, {"volume": 10.0})
    assert set(got) == set(OUTPUTS)
    assert all(o.baseline is None and o.scenario is None for o in got.values())
    assert sensitivity(empty, output="cost_per_unit", drivers={})["delta_high"].isna().all()
    assert goal_seek(empty, output="asa_seconds", target=60, driver="agents").value is None
