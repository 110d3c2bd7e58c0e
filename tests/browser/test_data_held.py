"""A held sheet in a real browser: the proposal and what is missing, one click, then it loads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

UPLOAD_INPUT = "[data-testid='stFileUploaderDropzoneInput']"
# A date and numbers with nothing that says what they are: held, never loaded on a guess.
LEDGER = b"Date,Ref,Qty,Amount\n" + b"".join(
    f"2025-01-{1 + i:02d},R{i},{1 + i},{10.5 * (i + 1)}\n".encode() for i in range(5)
)


@pytest.fixture(scope="module")
def held_server(fresh_server):
    return fresh_server(demo=False)


def test_held_sheet_is_confirmed_with_one_click(held_server, ui):
    page = ui.page
    ui.open(held_server.page_url("/Data"))
    upload = {"name": "ledger_jan.csv", "mimeType": "text/csv", "buffer": LEDGER}
    page.locator(UPLOAD_INPUT).set_input_files(files=[upload])
    held = page.get_by_test_id("stExpander").filter(has_text="held: looks like Orders and shipping")
    expect(held).to_be_visible()
    expect(held).to_contain_text("not loaded until you confirm")
    expect(held).to_contain_text("nothing in the sheet says it is orders")
    expect(page.get_by_role("button", name="Load 0 files")).to_be_disabled()
    ui.idle()
    ui.shot("held-1-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    ui.idle()
    ui.shot("held-1-390")
    page.set_viewport_size({"width": 1440, "height": 900})

    page.get_by_role("button", name="Yes, load it as orders and shipping").click()
    ready = page.get_by_test_id("stExpander").filter(has_text="→ orders")
    expect(ready).to_be_visible()
    page.get_by_role("button", name="Load 1 file").click()
    expect(page.get_by_text("5 rows loaded into orders")).to_be_visible()
    ui.idle()
    ui.shot("held-2-loaded")


# A plan with a target per KPI and a budget per department in one sheet: targets and budget
# explain it about as well, so it is held with the two side by side.
PLAN = b"Month,KPI,Target,Budget,Department\n" + b"".join(
    f"2025-0{m}-01,revenue,{5000 + m},{1000 + 10 * m},Sales\n".encode() for m in (1, 2, 3)
)


def test_two_datasets_about_as_good_are_shown_side_by_side(held_server, ui):
    page = ui.page
    ui.open(held_server.page_url("/Data"))
    upload = {"name": "plan.csv", "mimeType": "text/csv", "buffer": PLAN}
    page.locator(UPLOAD_INPUT).set_input_files(files=[upload])
    held = page.get_by_test_id("stExpander").filter(
        has_text="held: looks like Targets (monthly plan)"
    )
    expect(held).to_be_visible()
    expect(held).to_contain_text("Two datasets fit this sheet about as well")
    expect(held).to_contain_text("about as well as budget")
    table = held.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    ui.idle()
    ui.shot("held-candidates-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    ui.idle()
    ui.shot("held-candidates-390")
    page.set_viewport_size({"width": 1440, "height": 900})

    page.get_by_role("button", name="It is budget vs actual").click()
    ready = page.get_by_test_id("stExpander").filter(has_text="→ budget")
    expect(ready).to_be_visible()
    page.get_by_role("button", name="Load 1 file").click()
    expect(page.get_by_text("3 rows loaded into budget")).to_be_visible()
