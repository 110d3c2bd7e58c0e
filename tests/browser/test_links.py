"""Shared links hold in a meeting: a pinned link keeps its numbers after a new load, live moves."""

from __future__ import annotations

import datetime as dt
import io

import fastexcel
import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from cockpit.demo import DEMO_DIR

pytestmark = pytest.mark.browser

REEXPORT_ORDERS = 7  # the re-exported month holds this many one-line orders


@pytest.fixture(scope="module")
def links_server(fresh_server):
    """Its own copy of the demo data: this module loads into it."""
    return fresh_server(demo=True)


def _october_reexport() -> bytes:
    """An ERP re-export of Oct 2026 (the demo's last month) with only a few orders.

    A load replaces a month site by site, so the re-export has orders at every demo site.
    """
    sheet = fastexcel.read_excel(DEMO_DIR / "orders_export.xlsx").load_sheet("Orders", header_row=5)
    sites = sorted(sheet.to_pandas()["Plant"].dropna().unique())
    wb = Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws.append(["Order No", "Order Date", "Plant", "Sales Channel", "Qty", "Net Sales"])
    for i in range(REEXPORT_ORDERS):
        ws.append([f"SO-RE{i:03d}", dt.datetime(2026, 10, 2 + 3 * i), sites[i % len(sites)],
                   "Online", 5 + i, 100.0 + 10 * i])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _share_links(ui) -> tuple[str, str]:
    """The pinned and live links from the page's Share dialog."""
    ui.page.get_by_role("button", name="Share").click()
    body = ui.page.get_by_role("dialog")
    expect(body.get_by_test_id("stCode")).to_have_count(2)
    pinned, live = (t.strip() for t in body.get_by_test_id("stCode").all_inner_texts())
    ui.page.keyboard.press("Escape")
    return pinned, live


def test_pinned_link_keeps_its_numbers_after_a_new_load(links_server, demo_template, ui):
    page = ui.page
    ui.open(links_server.page_url("/"))
    pinned, live = _share_links(ui)
    assert pinned.startswith(links_server.url + "/?")
    assert f"asof={demo_template.latest_seq}" in pinned
    assert "asof=" not in live

    ui.open(pinned)
    pinned_orders = ui.metric("Orders")
    assert pinned_orders not in ("—", str(REEXPORT_ORDERS))
    expect(page.get_by_text("newer data available")).to_have_count(0)
    expect(page.get_by_text("Pinned to data as of")).to_be_visible()

    ui.open(links_server.page_url("/Data"))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[
            {
                "name": "orders_oct_reexport.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _october_reexport(),
            }
        ]
    )
    expect(page.get_by_text("Replace those months (re-export)")).to_be_visible()
    ui.idle()
    ui.shot("links-1-reexport-checked")
    page.get_by_role("button", name="Load 1 file").click()
    expect(page.get_by_text(f"{REEXPORT_ORDERS} rows loaded into orders")).to_be_visible()

    ui.open(pinned)
    ui.shot("links-2-pinned-after-load")
    assert ui.metric("Orders") == pinned_orders
    banner = page.get_by_test_id("stAlert").filter(has_text="newer data available")
    expect(banner).to_contain_text(f"(load {demo_template.latest_seq})")

    # A 7-order October re-export makes October partial, so the live default month moves
    # back to the latest complete one (September): ask for October itself.
    ui.open(live + ("&" if "?" in live else "?") + "month=2026-10")
    ui.shot("links-3-live-after-load")
    assert ui.metric("Orders") == str(REEXPORT_ORDERS)
    expect(page.get_by_text("newer data available")).to_have_count(0)
