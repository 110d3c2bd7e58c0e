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
            "ada": {"role": "admin", "password_hash": auth.hash_password(PASSWORD)},
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


def test_a_viewer_opening_the_sql_explorer_is_told_who_may_but_an_analyst_can_use_it(
    demo_db, monkeypatch
):
    at = app(demo_db, monkeypatch)
    at.run()
    sign_in(at, "vic", PASSWORD)
    at.switch_page(navigation.page("sql").file)
    at.run()
    # The page's shell with its sidebar, and who may see it; not a bare error.
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["SQL explorer"]
    assert [i.value for i in at.info] == [
        "The SQL explorer is for analysts and admins. You are signed in as a viewer."
    ]
    sidebar = " ".join(h.value for h in at.sidebar.get("html"))
    assert "Overview" in sidebar and "SQL explorer" not in sidebar
    assert "vic" in " ".join(c.value for c in at.sidebar.caption)
    assert len(at.text_area) == 0

    at = app(demo_db, monkeypatch)
    at.run()
    sign_in(at, "ann", PASSWORD)
    at.switch_page(navigation.page("sql").file)
    at.run()
    assert not at.error and len(at.text_area) == 1


def test_the_sign_in_form_lets_a_password_manager_fill_it(demo_db, monkeypatch):
    at = app(demo_db, monkeypatch)
    at.run()
    name, password = at.text_input[0], at.text_input[1]
    assert (name.label, name.proto.autocomplete) == ("User name", "username")
    assert (password.label, password.proto.autocomplete) == ("Password", "current-password")


def test_signing_out_ends_that_users_sessions_everywhere(demo_db, monkeypatch):
    laptop, phone, other = (app(demo_db, monkeypatch) for _ in range(3))
    for at, name in ((laptop, "ann"), (phone, "ann"), (other, "vic")):
        at.run()
        sign_in(at, name, PASSWORD)
        assert "Orders" in kpi_cards(at)
    laptop.sidebar.button(key="signout").click().run()
    assert laptop.text_input[1].label == "Password"
    phone.run()  # the next thing the phone does
    assert not kpi_cards(phone)
    assert phone.text_input[1].label == "Password"
    assert "signed out" in " ".join(i.value for i in phone.info)
    other.run()  # someone else's session goes on
    assert "Orders" in kpi_cards(other)


def test_an_analyst_is_told_before_confirming_that_undoing_someone_elses_load_needs_an_admin(
    demo_db, monkeypatch
):
    at = app(demo_db, monkeypatch)
    at.run()
    sign_in(at, "ann", PASSWORD)
    at.switch_page(navigation.page("data").file).run()
    load = at.selectbox(key="history_load").value  # a demo load, seeded by the local user
    undo = at.button(key="undo_refused")
    assert undo.label == "Undo load…" and undo.disabled
    why = f"Load {load} was loaded by local; undoing someone else's load needs an admin."
    assert undo.help == why and why in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key == "confirm_undo"]

    at = app(demo_db, monkeypatch)
    at.run()
    sign_in(at, "ada", PASSWORD)
    at.switch_page(navigation.page("data").file).run()
    assert at.button(key="confirm_undo").label == "Yes, undo it"
    assert not [b for b in at.button if b.key == "undo_refused"]


def test_an_admin_signs_someone_out_everywhere_from_settings(demo_db, monkeypatch):
    ann, ada = app(demo_db, monkeypatch), app(demo_db, monkeypatch)
    for at, name in ((ann, "ann"), (ada, "ada")):
        at.run()
        sign_in(at, name, PASSWORD)
    ada.switch_page(navigation.page("settings").file).run()
    assert "ann" in list(ada.dataframe[-1].value["user"])
    ada.selectbox(key="end_sessions_user").set_value("ann").run()
    ada.button(key="end_sessions").click().run()
    assert not ada.exception and "ann" not in list(ada.dataframe[-1].value["user"])
    ann.run()
    assert ann.text_input[1].label == "Password" and not kpi_cards(ann)
    ada.run()  # the admin's own session goes on
    assert [t.value for t in ada.title] == ["Settings"]
