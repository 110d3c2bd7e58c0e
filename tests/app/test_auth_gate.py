"""With auth on, no page shows data before login; roles gate pages and actions."""

import os

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import auth, navigation
from cockpit.demo import seed_demo
from cockpit.store import Store

from .conftest import kpi_cards

APP = os.path.join(os.path.dirname(__file__), "..", "..", navigation.ENTRY)
PAGES = [p.file for p in navigation.PAGES if p.file != navigation.ENTRY]
PASSWORD = "s3cret-pass"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("auth") / "cockpit.duckdb"
    store = Store.open(path)
    seed_demo(store)
    store.close()
    return path


def app(db, monkeypatch) -> AppTest:
    monkeypatch.setenv("COCKPIT_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "mode": "password",
        "users": {
            "vic": {"role": "viewer", "password_hash": auth.hash_password(PASSWORD)},
            "ann": {"role": "analyst", "password_hash": auth.hash_password(PASSWORD)},
        },
    }
    return at


def sign_in(at: AppTest, name: str, password: str) -> None:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()


@pytest.mark.parametrize("page", [None, *PAGES])
def test_no_page_shows_data_before_login(demo_db, monkeypatch, page):
    at = app(demo_db, monkeypatch)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception
    assert not kpi_cards(at) and len(at.metric) == 0 and len(at.dataframe) == 0
    assert not at.get("vega_lite_chart")
    assert [t.value for t in at.title] == ["Ops Cockpit"]
    assert at.text_input[1].label == "Password"


def test_wrong_password_is_refused_and_right_one_opens_the_scorecard(demo_db, monkeypatch):
    at = app(demo_db, monkeypatch)
    at.run()
    sign_in(at, "vic", "not-it")
    assert [e.value for e in at.error] == ["Unknown user name or wrong password."]
    assert not kpi_cards(at)
    sign_in(at, "vic", PASSWORD)
    assert not at.exception
    assert "Orders" in kpi_cards(at)


def test_a_viewer_cannot_open_the_sql_explorer_but_an_analyst_can(demo_db, monkeypatch):
    at = app(demo_db, monkeypatch)
    at.run()
    sign_in(at, "vic", PASSWORD)
    at.switch_page(navigation.page("sql").file)
    at.run()
    assert "needs the analyst role" in at.error[0].value
    assert len(at.text_area) == 0

    at = app(demo_db, monkeypatch)
    at.run()
    sign_in(at, "ann", PASSWORD)
    at.switch_page(navigation.page("sql").file)
    at.run()
    assert not at.error and len(at.text_area) == 1
