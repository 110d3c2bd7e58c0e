"""The Alerts page and the Overview's "new alerts since your last visit" (demo company)."""

from __future__ import annotations

from cockpit import alerts, auth
from cockpit.store import Store

from .conftest import goto, kpi_cards


def _demo_alerts(db) -> list[dict]:
    store = Store.open(db)
    try:
        return alerts.list_alerts(store, auth.LOCAL_ADMIN)
    finally:
        store.close()


def test_overview_counts_new_alerts_until_the_alerts_page_is_opened(open_app, demo_db):
    shipped = _demo_alerts(demo_db)
    assert len(shipped) >= 3  # the demo ships with a few alerts
    # Each turned red from no data (the version before the demo), never from an equal
    # value already red (QA: "On-time 89.14 -> 89.14 turned red").
    assert {(a["state"], a["before_value"]) for a in shipped} == {("fired", None)}
    at = open_app(demo_db)
    assert [p.label for p in at.page_link if "since your last visit" in p.label] == [
        f"{len(shipped)} new alerts since your last visit: see the Alerts"
    ]
    goto(at, "alerts")
    table = at.dataframe[0].value
    assert len(table) == len(shipped)
    on_time = table[table["KPI"] == "On-time delivery"].iloc[0]
    assert on_time["State"] == "fired" and on_time["Delivery"] == "in app"
    assert "asof=" in on_time["Link"]
    goto(at, "overview")
    assert not [p for p in at.page_link if "since your last visit" in p.label]


def test_cards_name_their_owner(open_app, shared_demo_db):
    cards = kpi_cards(open_app(shared_demo_db))
    assert "Owner: Priya Shah" in cards["On-time delivery"]["foot"]


def test_settings_saves_an_owner_that_the_cards_then_show(open_app, demo_db):
    at = goto(open_app(demo_db), "settings")
    at.selectbox(key="owner_kpi").set_value("units")
    at.text_input(key="owner_name").input("Sam")
    at.text_input(key="owner_email").input("sam@example.com")
    at.button(key="owner_save").click().run()
    assert "Owner saved." in [s.value for s in at.success]
    at.text_input(key="owner_email").input("not-an-address")
    at.button(key="owner_save").click().run()
    assert any("is not an e-mail address" in e.value for e in at.error)
    goto(at, "overview")
    assert "Owner: Sam" in kpi_cards(at)["Units"]["foot"]
