"""The COO's weekly loop in a browser: start a meeting on the Overview, raise an action on
its first agenda item, load newer data, then open the pack's link in a fresh browser
context (another person): the same numbers, the action, and "newer data available"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import Ui
from .test_links import REEXPORT_ORDERS, _october_reexport

pytestmark = pytest.mark.browser

WHAT = "Recover abandonment: two more agents on Monday mornings"


@pytest.fixture(scope="module")
def meeting_server(fresh_server):
    """Its own copy of the demo data: this module starts a meeting and loads a file."""
    return fresh_server(demo=True)


def _agenda_head(ui: Ui, n: int) -> str:
    """The first line of agenda item n: label, status, value vs target, distance."""
    item = ui.page.locator(f".st-key-agenda_{n}")
    return item.get_by_test_id("stMarkdown").first.inner_text().strip()


def test_start_a_meeting_raise_an_action_and_open_the_pack_elsewhere(
    meeting_server, demo_template, ui, browser, screenshots
):
    page = ui.page
    ui.open(meeting_server.page_url("/"))
    page.get_by_role("button", name="Start a meeting").click()
    body = page.get_by_test_id("stPopoverBody")
    body.get_by_label("Meeting").fill("Ops review (browser)")
    body.get_by_role("button", name="Start", exact=True).click()
    expect(page).to_have_url(re.compile(r"/Meeting\?pack=2$"))  # the demo's meeting is pack 1
    ui.idle()
    expect(page.get_by_role("heading", name="Ops review (browser)")).to_be_visible()
    first = _agenda_head(ui, 1)
    assert first.startswith("1. ") and "off target" in first
    link = page.get_by_test_id("stCode").first.inner_text().strip()
    assert link == meeting_server.url + "/Meeting?pack=2"

    page.locator(".st-key-agenda_1").get_by_role("button", name="Raise an action").click()
    form = page.get_by_test_id("stPopoverBody")
    form.get_by_label("What is to be done").fill(WHAT)
    form.get_by_role("button", name="Raise the action").click()
    ui.idle()
    expect(page.locator(".st-key-agenda_1")).to_contain_text(WHAT)
    ui.shot("meeting-1-pack-with-action")

    # Newer data comes in after the meeting.
    ui.open(meeting_server.page_url("/Data"))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[
            {
                "name": "orders_oct_reexport.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _october_reexport(),
            }
        ]  # fmt: skip
    )
    expect(page.get_by_text("Replace those months (re-export)")).to_be_visible()
    ui.idle()
    page.get_by_role("button", name="Load 1 file").click()
    expect(page.get_by_text(f"{REEXPORT_ORDERS} rows loaded into orders")).to_be_visible()

    # Someone else opens the pack's link: the same numbers, the action, the banner.
    other = browser.new_context(viewport={"width": 1400, "height": 1600})
    try:
        them = Ui(other.new_page(), screenshots)
        them.open(link)
        expect(them.page.get_by_role("heading", name="Ops review (browser)")).to_be_visible()
        assert _agenda_head(them, 1) == first
        expect(them.page.locator(".st-key-agenda_1")).to_contain_text(WHAT)
        banner = them.page.get_by_test_id("stAlert").filter(has_text="newer data available")
        expect(banner).to_contain_text(f"(load {demo_template.latest_seq})")
        them.shot("meeting-2-pack-in-a-fresh-context")
    finally:
        other.close()
