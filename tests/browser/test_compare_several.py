"""Issue 28: a link with several comparisons opens the Overview with a line per comparison
on each card, at desktop and phone widths, and Share keeps them all in its links."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_link_with_three_comparisons_shows_three_lines_and_share_keeps_them(demo_server, ui):
    page = ui.page
    page.set_viewport_size({"width": 1440, "height": 1600})
    ui.open(demo_server.page_url("/", "compare=prev,yoy,target"))
    card = page.locator('.kpi[data-kpi="on_time_pct"]')
    lines = card.locator(".kpi-cmp")
    expect(lines).to_have_count(3)
    texts = lines.all_inner_texts()
    assert texts[0].endswith(" vs prev") and texts[1].endswith(" vs last year"), texts
    assert texts[2].endswith(" target"), texts
    chosen = page.get_by_test_id("stMultiSelect").filter(has_text="Compare with")
    for label in ("Previous period", "Last year", "Target"):
        expect(chosen).to_contain_text(label)
    assert "compare=prev,yoy,target" in unquote(page.url)
    ui.shot("compare-several-1440")
    page.get_by_role("button", name="Share").click()
    codes = page.get_by_role("dialog").get_by_test_id("stCode")
    expect(codes).to_have_count(2)
    assert all("compare=prev,yoy,target" in t for t in codes.all_inner_texts())
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    # A phone: every line stays on the card, none wider than it.
    page.set_viewport_size({"width": 390, "height": 1600})
    ui.idle()
    expect(lines).to_have_count(3)
    card_box = card.bounding_box()
    for i in range(3):
        box = lines.nth(i).bounding_box()
        assert box["x"] >= card_box["x"] - 1
        assert box["x"] + box["width"] <= card_box["x"] + card_box["width"] + 1
        overflow = lines.nth(i).evaluate("(e) => e.scrollWidth > e.clientWidth")
        assert not overflow, lines.nth(i).inner_text()  # the whole line is readable
    card.scroll_into_view_if_needed()
    ui.shot("compare-several-390")
