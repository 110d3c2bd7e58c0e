"""Drill-through in a real browser: a click on a breakdown bar filters the page to that
slice; a detail page's card opens the rows behind it, paged."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_click_on_a_bar_filters_the_page_to_that_site(demo_server, ui):
    ui.open(demo_server.page_url("/Efficiency"))
    bar = ui.page.locator('.vega-embed svg path[aria-label*="site: Lyon;"]').first
    expect(bar).to_be_visible()
    bar.click()
    expect(ui.page).to_have_url(re.compile(r"/Efficiency\?f_site=Lyon$"))
    ui.idle()
    # The breakdown now has Lyon alone, and the sidebar's filter says so.
    expect(ui.page.locator('.vega-embed svg path[aria-label*="site: Leeds;"]')).to_have_count(0)
    expect(ui.page.locator('.vega-embed svg path[aria-label*="site: Lyon;"]').first).to_be_visible()
    ui.shot("efficiency-filtered-by-click")


def test_a_card_on_its_page_opens_the_rows_behind_it(demo_server, ui):
    ui.open(demo_server.page_url("/Efficiency", "f_site=Leeds"))
    ui.page.locator('a.kpi-card:has(.kpi[data-label="Units"])').click()
    expect(ui.page).to_have_url(re.compile(r"/Rows\?.*kpi=units"))
    ui.idle()
    expect(ui.page.get_by_text(re.compile(r"[\d,]+ orders and shipping rows"))).to_be_visible()
    expect(ui.page.get_by_text(re.compile(r"site: Leeds"))).to_be_visible()
    expect(ui.page.get_by_text(re.compile(r"Rows 1–200 of [\d,]+"))).to_be_visible()
    ui.page.get_by_role("button", name="Next").click()
    expect(ui.page.get_by_text(re.compile(r"Rows 201–"))).to_be_visible()
    expect(ui.page.get_by_test_id("stException")).to_have_count(0)
    ui.shot("rows-behind-orders")
