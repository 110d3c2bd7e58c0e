"""What-if page: drivers move the outputs the expected way, scenarios save and compare, and
a link's driver values open with the sliders already set."""

from __future__ import annotations

from .conftest import metric, number

REVENUE = "Revenue per month"
COST = "Operating cost per month"


def test_volume_up_raises_revenue_and_cost(open_app, shared_demo_db):
    at = open_app(shared_demo_db, "whatif")
    revenue, cost = number(metric(at, REVENUE)), number(metric(at, COST))
    assert revenue > 0 and cost > 0
    at.slider(key="d_volume").set_value(15.0).run()
    assert not at.exception
    # Revenue = volume x price: +15% volume at an unchanged price is +15% revenue. Money is
    # shown as the cards show it ('£119k'): each figure is within half a £k of the truth.
    assert abs(number(metric(at, REVENUE)) - 1.15 * revenue) <= 500 + 1.15 * 500
    # Cost = fixed + variable x volume: it grows, but by less than volume (fixed part).
    new_cost = number(metric(at, COST))
    assert cost < new_cost <= 1.15 * cost + 1


def test_volume_down_lowers_revenue(open_app, shared_demo_db):
    at = open_app(shared_demo_db, "whatif")
    revenue = number(metric(at, REVENUE))
    at.slider(key="d_volume").set_value(-20.0).run()
    assert number(metric(at, REVENUE)) < revenue


def test_link_with_driver_opens_with_that_slider_value(open_app, shared_demo_db):
    baseline_at = open_app(shared_demo_db, "whatif")
    baseline_revenue = number(metric(baseline_at, REVENUE))
    at = open_app(shared_demo_db, "whatif", d_volume="15")
    assert at.slider(key="d_volume").value == 15.0
    assert number(metric(at, REVENUE)) > baseline_revenue
    assert "Order volume +15%" in " ".join(m.value for m in at.markdown)


def _save_scenario(at, name: str) -> None:
    at.text_input(key="scenario_name").set_value(name)
    at.button(key="save_scenario").click().run()
    assert not at.exception


def test_save_two_scenarios_and_compare_them(open_app, demo_db):
    at = open_app(demo_db, "whatif")
    assert "Save scenarios to compare" in " ".join(c.value for c in at.caption)
    at.slider(key="d_volume").set_value(15.0).run()
    _save_scenario(at, "Peak season")
    at.slider(key="d_volume").set_value(0.0)
    at.slider(key="d_price").set_value(-5.0).run()
    _save_scenario(at, "Price cut")

    at.multiselect(key="compare_scenarios").set_value(["Peak season", "Price cut"]).run()
    assert not at.exception
    tables = [df.value for df in at.dataframe if "Output" in df.value.columns]
    compared = next(t for t in tables if {"Peak season", "Price cut"} <= set(t.columns))
    assert list(compared.columns) == ["Output", "Baseline", "Peak season", "Price cut"]
    row = compared.set_index("Output").loc[REVENUE]
    base, peak, cut = (number(row[c]) for c in ("Baseline", "Peak season", "Price cut"))
    assert peak > base > cut
    captions = " ".join(c.value for c in at.caption)
    assert "**Peak season**: Order volume +15%" in captions
    assert "**Price cut**: Price -5%" in captions


def test_agents_slider_cannot_take_away_more_agents_than_the_team_has(open_app, shared_demo_db):
    """The slider stops one agent short of the fitted team (it allowed -50 against 13.7
    agents), and a link asking for -50 is clamped to that bound with a notice."""
    import math
    import re

    at = open_app(shared_demo_db, "whatif")
    slider = at.slider(key="d_agents")
    headcount = float(re.search(r"baseline team is ([\d.]+) agents", slider.help).group(1))
    assert 1 < headcount < 50
    assert slider.min == -(math.ceil(headcount) - 1)
    at_link = open_app(shared_demo_db, "whatif", d_agents="-50")
    assert not at_link.exception
    assert at_link.slider(key="d_agents").value == slider.min
    assert any("outside the model's range" in w.value for w in at_link.warning)
