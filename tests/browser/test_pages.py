"""Every page opens on the demo data without an exception; the Overview shows real numbers."""

from __future__ import annotations

import datetime as dt
import re

import fastexcel
import pandas as pd
import pytest
from playwright.sync_api import expect

from cockpit import navigation
from cockpit.demo import DEMO_DIR
from cockpit.kpis import CATALOGUE
from cockpit.links import PAGE_PATHS

pytestmark = pytest.mark.browser

TITLES = {p.id: p.title for p in navigation.PAGES}


def _latest_month_from_export() -> tuple[dt.date, int, float]:
    """From the demo export itself (not the app): latest month, its orders and net sales.

    An order counts in the month of its first line; revenue sums the lines dated in the month.
    """
    sheet = fastexcel.read_excel(DEMO_DIR / "orders_export.xlsx").load_sheet("Orders", header_row=5)
    df = sheet.to_pandas()
    df = df[df["Order No"] != "Total"]
    day = pd.to_datetime(df["Order Date"])
    month = day.max().to_period("M")
    first_line = day.groupby(df["Order No"]).min().dt.to_period("M")
    # Some rows carry Net Sales as "£1,234.56" text, as pasted from a report.
    net = df["Net Sales"].map(lambda v: float(str(v).replace("£", "").replace(",", "")))
    in_month = day.dt.to_period("M") == month
    return month.to_timestamp().date(), int((first_line == month).sum()), float(net[in_month].sum())


def test_overview_kpi_cards_show_the_latest_month(demo_server, ui):
    month, orders, revenue = _latest_month_from_export()
    ui.open(demo_server.page_url("/"))
    ui.shot("overview")
    # The view bar says which month and comparison the cards show.
    expect(ui.page.get_by_role("combobox", name="Ending in")).to_have_value(f"{month:%b %Y}")
    compare = ui.page.get_by_test_id("stMultiSelect").filter(has_text="Compare with")
    expect(compare).to_contain_text("Previous period")
    assert ui.metric("Orders") == f"{orders:,}"
    shown = re.fullmatch(r"£([\d,]+)k", ui.metric("Revenue"))
    assert shown, ui.metric("Revenue")
    assert abs(int(shown.group(1).replace(",", "")) - revenue / 1000) <= 0.5
    # The demo feeds every KPI: no card shows the empty dash.
    values = ui.page.locator(".kpi-value").all_inner_texts()
    assert len(values) == len(CATALOGUE)
    assert [v for v in values if v.strip() in ("—", "-", "")] == []
    expect(ui.page.get_by_test_id("stException")).to_have_count(0)
    # Every card draws its 24-month line: a visible strip with a line in it, titled.
    sparks = ui.page.locator('.spark[role="img"]')
    expect(sparks).to_have_count(len(CATALOGUE))
    drawn = sparks.evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().height > 20"
        " && e.querySelector('.spark-line') && e.querySelector('.spark-line').clientWidth > 50)"
        ".length"
    )
    assert drawn == len(CATALOGUE)
    assert sparks.first.get_attribute("title").startswith("Orders, ")


@pytest.mark.parametrize("name", [p for p in PAGE_PATHS if p != "overview"])
def test_page_opens_without_an_exception(demo_server, ui, name):
    ui.open(demo_server.page_url(PAGE_PATHS[name]))
    ui.shot(f"page-{name}")
    expect(ui.page.get_by_role("heading", name=TITLES[name], exact=True).first).to_be_visible()
    expect(ui.page.get_by_test_id("stException")).to_have_count(0)
    expect(ui.page.get_by_test_id("stAlertContentError")).to_have_count(0)
