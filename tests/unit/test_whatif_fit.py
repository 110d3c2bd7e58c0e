"""Least-squares fits: cost split recovery, fallbacks, behavioural relations."""

import numpy as np
import pytest

from cockpit.whatif.fit import fit_cost, fit_relation, least_squares


def test_least_squares_matches_hand_computed_line():
    # y = 1 + 2x exactly on three points, plus one off by 3: slope and intercept by hand
    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([1.0, 3.0, 5.0, 10.0])
    intercept, slopes, r2 = least_squares(x, y)
    # x̄ = 1.5, ȳ = 4.75, Sxy = 14.5, Sxx = 5 -> slope 2.9, intercept 0.4
    assert slopes[0] == pytest.approx(2.9)
    assert intercept == pytest.approx(0.4)
    residual = y - (0.4 + 2.9 * x)
    assert r2 == pytest.approx(1 - (residual**2).sum() / ((y - 4.75) ** 2).sum())


def test_cost_fit_recovers_fixed_and_variable_parts_through_noise():
    rng = np.random.default_rng(3)
    units = rng.uniform(8_000, 20_000, 24)
    cost = 50_000 + 3.2 * units + rng.normal(0, 600, 24)
    fit = fit_cost(units, cost)
    assert fit.used and fit.months == 24
    assert fit.params["fixed"] == pytest.approx(50_000, rel=0.05)
    assert fit.params["variable"] == pytest.approx(3.2, rel=0.03)
    assert fit.r2 > 0.95


def test_short_history_falls_back_to_all_variable():
    units = np.array([100.0, 120, 140, 160, 180])
    fit = fit_cost(units, 10 + 2 * units)
    assert not fit.used and fit.months == 5
    assert "5 months" in fit.note and "variable" in fit.note


def test_negative_fixed_part_is_rejected():
    units = np.arange(1.0, 9.0) * 100
    fit = fit_cost(units, -500 + 4 * units)
    assert not fit.used
    assert fit.params["fixed"] == pytest.approx(-500)
    assert "negative fixed" in fit.note


def test_poor_fit_is_rejected_and_months_without_data_are_skipped():
    units = np.array([100.0, 200, 300, 400, 500, 600, 700, np.nan])
    cost = np.array([900.0, 300, 1000, 200, 950, 250, 980, 5])
    fit = fit_cost(units, cost)
    assert fit.months == 7 and not fit.used
    assert "poor fit" in fit.note


def test_relation_with_plausible_slope_is_used():
    util = np.linspace(60, 95, 12)
    on_time = 130 - 0.5 * util + np.tile([0.4, -0.4], 6)
    fit = fit_relation("on-time ~ util", on_time, {"u": util}, {"u": -1})
    assert fit.used
    assert fit.params["u"] == pytest.approx(-0.5, abs=0.02)


def test_relation_drops_a_wrong_way_regressor_and_refits():
    rng = np.random.default_rng(1)
    asa = rng.uniform(10, 120, 12)
    noise = rng.uniform(0, 1, 12)
    csat = 90 - 0.2 * asa - 0.3 * noise  # on-time would have to lower CSAT: implausible
    fit = fit_relation("csat", csat, {"on_time": 50 + noise, "asa": asa},
                       {"on_time": 1, "asa": -1})  # fmt: skip
    assert fit.used
    assert "on_time" not in fit.params
    assert fit.params["asa"] == pytest.approx(-0.2, abs=0.01)
    assert "wrong-way" in fit.note


def test_relation_weak_or_wrong_way_is_held():
    x = np.arange(12.0)
    weak = fit_relation("r", np.tile([1.0, 5.0, 2.0, 4.0], 3), {"x": x}, {"x": 1})
    assert not weak.used and "weak fit" in weak.note
    wrong = fit_relation("r", 3 * x, {"x": x}, {"x": -1})
    assert not wrong.used and "wrong way" in wrong.note
