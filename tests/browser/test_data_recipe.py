"""A sheet's recipe on the Data page through a real browser: upload a call log, edit the recipe
as text and as a form, watch the preview change, save and load (issue 24)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.recipe_samples import ANSWERED as TYPED
from tests.recipe_samples import CALLS

pytestmark = pytest.mark.browser

UPLOAD_INPUT = "[data-testid='stFileUploaderDropzoneInput']"


def _key(prefix: str) -> str:
    return f"[class*='st-key-{prefix}']"


def _shots(ui, name: str) -> None:
    """Screenshots at 1440 and 390 px (the sidebar closed on the phone, as a phone opens it)."""
    page = ui.page
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 2400})
        sidebar = page.get_by_test_id("stSidebar")
        if width < 640 and sidebar.get_attribute("aria-expanded") == "true":
            page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
            expect(sidebar).to_have_attribute("aria-expanded", "false")
        ui.idle()
        ui.shot(f"{name}-{width}")
    page.set_viewport_size({"width": 1400, "height": 1600})


def test_edit_a_recipe_watch_the_preview_and_load(fresh_server, ui, tmp_path):
    server = fresh_server(demo=False)
    page = ui.page
    data = tmp_path / "calls_march.csv"
    data.write_bytes(CALLS)
    ui.open(server.page_url("/Data"))
    page.locator(UPLOAD_INPUT).set_input_files(str(data))
    expect(page.locator(f"{_key('rf_col_contact_id_')} input")).to_have_value("call_id")
    ui.idle()
    expect(page.get_by_text("No KPI figures yet")).to_be_visible()

    page.get_by_text("Edit as text (TOML)").click()
    area = page.locator(f"{_key('rf_text_')} textarea")
    area.fill(TYPED)
    area.press("Control+Enter")
    expect(page.get_by_text("Figures this file gives (2024-03)")).to_be_visible()
    ui.idle()
    assert ui.metric("Abandonment") == "60.0%"
    expect(page.get_by_text("The filter leaves out no rows.")).to_be_visible()

    where = page.locator(f"{_key('rf_where_')} input")
    where.fill("\"outcome\" <> 'PHANTOM'")
    where.press("Enter")
    expect(page.get_by_text("Left out by the filter: 1 row(s)")).to_be_visible()
    ui.idle()
    assert ui.metric("Abandonment") == "50.0%"

    # An expression edited in its box: the preview says what is wrong with it, in words.
    expr = page.locator(f"{_key('rf_expr_answered_')} input")
    expr.fill("(select 1) = 1")
    expr.press("Enter")
    expect(
        page.get_by_text("columns.answered: a subquery is not allowed in a recipe")
    ).to_be_visible()
    expr.fill("\"outcome\" IN ('AGENT', 'HANG')")
    expr.press("Enter")
    ui.idle()
    expect(page.get_by_text("a subquery is not allowed")).to_have_count(0)
    assert ui.metric("Abandonment") == "0.0%"
    _shots(ui, "data-recipe-form")

    page.get_by_role("button", name="Save recipe and load").click()
    expect(page.get_by_role("heading", name="Load report")).to_be_visible()
    ui.idle()
    expect(page.get_by_text("loaded with recipe 'Bank calls' version 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Recipes")).to_be_visible()
    _shots(ui, "data-recipe-loaded")
