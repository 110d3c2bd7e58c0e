"""Cards, "what moved" tiles and the sidebar's pages are links inside HTML blocks; a click
opens the page in the same session (cockpit/ui/in_app_links.py), so a password user stays
signed in, and the view (and a tile's slice) comes along."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(ui, url: str) -> None:
    ui.open(url)
    ui.page.get_by_label("User name").fill("ann")
    ui.page.get_by_role("textbox", name="Password").fill(PASSWORD)
    ui.page.get_by_role("button", name="Sign in").click()
    ui.idle()
    expect(ui.page.locator(".kpi-value").first).to_be_visible()


def test_a_card_opens_its_page_in_the_same_session(password_server, ui):
    page = ui.page
    _sign_in(ui, password_server.page_url("/", "month=2026-09&compare=yoy"))
    page.evaluate("window.__sameDocument = true")  # gone if the click reloaded the app
    page.locator('a.kpi-card[data-page="efficiency"]').first.click()
    expect(page.get_by_role("heading", level=1).first).to_contain_text("Efficiency")
    ui.idle()
    assert page.evaluate("window.__sameDocument === true")
    assert "/Efficiency?" in page.url and "month=2026-09" in page.url and "compare=yoy" in page.url
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)  # still signed in
    expect(page.locator(".kpi-value").first).to_be_visible()
    ui.shot("card-link-efficiency")


def test_a_what_moved_tile_opens_its_page_filtered_to_the_slice(password_server, ui):
    page = ui.page
    _sign_in(ui, password_server.page_url("/"))
    tile = page.locator("a.mover").filter(has=page.locator(".mover-open")).first
    slice_ = tile.locator(".mover-open").inner_text().removeprefix("Open ").removesuffix(" →")
    tile.click()
    expect(page).to_have_url(re.compile(r"/(Efficiency|Cost|Customer)\?.*f_\w+="))
    ui.idle()
    assert page.evaluate("location.search").count("f_") == 1
    # The Filters expander opens itself on a filtered link and shows the slice as a chip.
    chips = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
    expect(chips.filter(has_text=slice_)).to_have_count(1)
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)
    # The sidebar's own links stay in the session too.
    page.get_by_test_id("stSidebar").get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", level=1).first).to_contain_text("Operations scorecard")
    ui.idle()
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)


def test_a_view_change_redraws_only_the_view_and_links_take_it_along(password_server, ui):
    page = ui.page
    _sign_in(ui, password_server.page_url("/"))
    page.evaluate(
        "window.__nav = document.querySelector('.page-nav');"
        "window.__spark = document.querySelector('.kpi-card .spark');"
    )
    # Compare with takes several comparisons: adding Target gives prev,target.
    compare = page.get_by_test_id("stMultiSelect").filter(has_text="Compare with")
    compare.get_by_role("combobox").click()  # the input, not the middle (a chip's ×)
    page.get_by_role("option", name="Target").click()
    page.keyboard.press("Escape")
    expect(page.locator(".kpi-cmp").filter(has_text="target").first).to_be_visible()
    ui.idle()
    assert "compare=prev,target" in unquote(page.url)
    # The view bar reran its fragment only: the sidebar is the same element, and the
    # block was updated in place (an unchanged sparkline is the same node).
    assert page.evaluate("window.__nav.isConnected && window.__spark.isConnected")
    # A link's address takes the view from the address bar when it is used (here: focused,
    # as before "copy link" or a middle click), not when it was drawn.
    card = page.locator('a.kpi-card[data-page="cost"]').first
    assert "compare" not in (card.get_attribute("href") or "")
    card.focus()
    assert "compare=prev,target" in unquote(card.get_attribute("href") or "")
    # Share, in the view bar, shares the view now shown.
    page.get_by_role("button", name="Share").click()
    codes = page.get_by_role("dialog").get_by_test_id("stCode")
    expect(codes).to_have_count(2)
    assert all("compare=prev,target" in text for text in codes.all_inner_texts())
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    # The sidebar was drawn before the change; its link still opens Cost compared with target.
    page.get_by_test_id("stSidebar").get_by_role("link", name="Cost").click()
    expect(page.get_by_role("heading", level=1).first).to_contain_text("Cost")
    ui.idle()
    assert "/Cost?" in page.url and "compare=prev,target" in unquote(page.url)
    chosen = page.get_by_test_id("stMultiSelect").filter(has_text="Compare with")
    expect(chosen).to_contain_text("Previous period")
    expect(chosen).to_contain_text("Target")
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)
    ui.shot("view-change-then-sidebar-link")
