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


def _as_user(monkeypatch, db, user, **query_params):
    """The What-if page as `user`, signed in (password mode), opened with `query_params`."""
    from streamlit.testing.v1 import AppTest

    from cockpit import auth

    from .conftest import APP, PAGES

    monkeypatch.setenv("COCKPIT_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = {
        "mode": "password",
        "users": {user.name: {"role": user.role, "password_hash": auth.hash_password("x" * 8)}},
    }
    at.query_params.update(query_params)
    at.run()
    # Signed in through the form, as a person does (a session starts: cockpit.sessions).
    at.text_input[0].input(user.name)
    at.text_input[1].input("x" * 8)
    at.button[0].click()
    at.run()
    at.switch_page(PAGES["whatif"]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_private_scenario_link_does_not_open_for_someone_else(open_app, demo_db, monkeypatch):
    from cockpit.auth import User
    from cockpit.screens import saved
    from cockpit.ui.resources import _store_for

    store = _store_for(str(demo_db.resolve()))
    drivers = {"volume": 15.0, "agents": 3.0}
    saved.save(store, "scenarios", "Vera's plan", {"drivers": drivers}, user=User("vera", "viewer"))
    at = _as_user(monkeypatch, demo_db, User("vic", "viewer"), scenario="Vera's plan")
    assert at.slider(key="d_volume").value == 0.0 and at.slider(key="d_agents").value == 0.0
    said = " ".join(w.value for w in at.warning)
    assert "The scenario 'Vera's plan' is private to its owner" in said, said
    assert "Order volume" not in " ".join(i.value for i in at.info)
    # Its owner opens it.
    at = _as_user(monkeypatch, demo_db, User("vera", "viewer"), scenario="Vera's plan")
    assert at.slider(key="d_volume").value == 15.0
    assert "Scenario 'Vera's plan'" in " ".join(i.value for i in at.info)


def test_an_unknown_scenario_link_says_so(open_app, shared_demo_db):
    at = open_app(shared_demo_db, "whatif", scenario="No such plan")
    said = " ".join(w.value for w in at.warning)
    assert "There is no saved scenario named 'No such plan'" in said, said


def test_a_goal_seek_answer_goes_when_another_driver_moves(open_app, shared_demo_db):
    # It stayed: "+6 agents brings average speed of answer to 54 s" was still shown,
    # with its Apply button, after order volume went up 40 % (and was no longer true).
    at = open_app(shared_demo_db, "whatif")
    next(b for b in at.button if b.label == "Find the value").click().run()
    found = [s.value for s in at.success] + [w.value for w in at.warning]
    assert any("average speed of answer" in f for f in found), found
    apply = [b for b in at.button if b.key == "apply_goalseek"]
    assert len(apply) == 1
    apply[0].click().run()  # the sought driver itself moving keeps the answer
    assert any("average speed of answer" in s.value for s in at.success)
    at.slider(key="d_volume").set_value(40.0).run()
    assert not at.exception
    assert not [s.value for s in at.success if "average speed of answer" in s.value]
    assert not [b for b in at.button if b.key == "apply_goalseek"]


def test_saving_a_scenario_without_a_name_says_so(open_app, demo_db):
    # The Save button did nothing at all when the name was left empty.
    at = open_app(demo_db, "whatif")
    at.slider(key="d_volume").set_value(15.0).run()
    at.button(key="save_scenario").click().run()
    assert not at.exception
    assert "Give the scenario a name first." in [w.value for w in at.warning]
    assert "Save scenarios to compare" in " ".join(c.value for c in at.caption)  # none saved
