"""A password sign-in lasts through a meeting: a second tab and a shared link open without the
form (the session cookie, cockpit/sessions.py); signing out ends them all; a tampered cookie
is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cockpit import sessions

from .conftest import PASSWORD, Ui

pytestmark = pytest.mark.browser


def _sign_in(ui: Ui, url: str) -> None:
    """Sign in on the form at `url`; returns once the browser holds the session cookie."""
    ui.open(url)
    page = ui.page
    # What a password manager needs to offer the saved sign-in.
    expect(page.get_by_label("User name", exact=True)).to_have_attribute("autocomplete", "username")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute(
        "autocomplete", "current-password"
    )
    page.get_by_label("User name", exact=True).fill("ann")
    page.get_by_label("Password", exact=True).fill(PASSWORD)

    def stored(response) -> bool:
        return response.url.endswith("/api/session") and response.request.method == "POST"

    with page.expect_response(stored) as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 204
    ui.idle()


def _signed_in(ui: Ui, heading: str) -> None:
    expect(ui.page.get_by_role("heading", level=1).first).to_have_text(heading)
    expect(ui.page.get_by_label("Password", exact=True)).to_have_count(0)
    expect(ui.page.get_by_test_id("stSidebar")).to_contain_text("Signed in as ann")


def _asked_to_sign_in(ui: Ui) -> None:
    expect(ui.page.get_by_label("Password", exact=True)).to_be_visible()
    expect(ui.page.locator(".kpi-value")).to_have_count(0)


def _session_cookie(context) -> dict:
    found = [c for c in context.cookies() if c["name"] == sessions.COOKIE]
    assert len(found) == 1, context.cookies()
    return found[0]


def test_a_sign_in_lasts_across_tabs_and_links_until_signing_out(password_server, ui):
    context = ui.page.context
    _sign_in(ui, password_server.page_url("/"))
    _signed_in(ui, "Operations scorecard")
    cookie = _session_cookie(context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["secure"]  # served over plain HTTP here

    second = Ui(context.new_page(), ui.shots)
    second.open(password_server.page_url("/"))
    _signed_in(second, "Operations scorecard")
    shared = Ui(context.new_page(), ui.shots)
    shared.open(password_server.page_url("/Cost", "period=quarter"))
    _signed_in(shared, "Cost")
    expect(shared.page.get_by_role("combobox", name="Period")).to_have_value("Quarter to date")

    ui.page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    _asked_to_sign_in(ui)
    # The other tab, reloaded, and the link's tab, at its next step, both ask again.
    second.page.reload()
    second.idle()
    _asked_to_sign_in(second)
    shared.page.get_by_test_id("stSidebar").get_by_role("link").filter(has_text="Overview").click()
    _asked_to_sign_in(shared)
    expect(shared.page.get_by_test_id("stAlert")).to_contain_text("You were signed out")


def test_a_tampered_session_cookie_is_refused(password_server, ui):
    context = ui.page.context
    _sign_in(ui, password_server.page_url("/"))
    cookie = _session_cookie(context)
    sid, signature = cookie["value"].split(".")
    forged = {**cookie, "value": f"{sid}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"}
    context.clear_cookies()
    context.add_cookies([forged])
    tab = Ui(context.new_page(), ui.shots)
    tab.open(password_server.page_url("/Cost"))
    _asked_to_sign_in(tab)
    # The cookie as it was issued still opens the page: only the tampering was refused.
    context.clear_cookies()
    context.add_cookies([cookie])
    tab.open(password_server.page_url("/Cost"))
    _signed_in(tab, "Cost")
