"""The Data page through a real browser: upload an export, check it, load it, and refuse junk."""

from __future__ import annotations

import re

import fastexcel
import pytest
from playwright.sync_api import expect

from cockpit.demo import DEMO_DIR

pytestmark = pytest.mark.browser

ORDERS_EXPORT = DEMO_DIR / "orders_export.xlsx"
UPLOAD_INPUT = "[data-testid='stFileUploaderDropzoneInput']"


@pytest.fixture(scope="module")
def empty_server(fresh_server):
    """A server on an empty database (no demo), used in file order by the tests below."""
    return fresh_server(demo=False)


def _export_rows() -> dict[str, int]:
    """Data rows per sheet, read straight from the export (the Orders sheet ends in a Total)."""
    book = fastexcel.read_excel(ORDERS_EXPORT)
    orders = book.load_sheet("Orders", header_row=5).to_pandas()
    returns = book.load_sheet("Returns", header_row=0).to_pandas()
    return {"orders": int((orders["Order No"] != "Total").sum()), "returns": len(returns)}


def _table_sizes(ui) -> dict[str, int]:
    """Row counts of the stored tables, as the SQL explorer's schema browser lists them.

    Goes there through the sidebar, so the browser session (and its Data page state) lives on.
    """
    ui.nav("SQL explorer")
    sizes = {}
    pattern = re.compile(r"^(\w+) · ([\d,]+) rows$")
    for title in ui.page.get_by_test_id("stExpander").locator("summary").all_inner_texts():
        m = pattern.search(title.strip().splitlines()[-1].strip())
        if m:
            sizes[m.group(1)] = int(m.group(2).replace(",", ""))
    assert "loads" in sizes, sizes
    return sizes


def test_upload_detects_title_block_and_loads(empty_server, ui):
    expected = _export_rows()
    page = ui.page
    ui.open(empty_server.page_url("/Data"))
    expect(page.get_by_text("No months loaded yet.")).to_be_visible()
    expect(page.get_by_text("Nothing loaded yet.")).to_be_visible()

    page.locator(UPLOAD_INPUT).set_input_files(str(ORDERS_EXPORT))
    orders_sheet = page.get_by_test_id("stExpander").filter(has_text="Sheet 'Orders' → orders")
    expect(orders_sheet).to_be_visible()
    ui.idle()
    ui.shot("data-1-checked")
    # The title block and the merged group row above the header are recognised as such.
    expect(orders_sheet).to_contain_text("header row 5, 6")
    expect(orders_sheet).to_contain_text("total row ('Total')")
    assert ui.metric("Rows to load", within=orders_sheet) == f"{expected['orders']:,}"
    assert ui.metric("Rows rejected", within=orders_sheet) == "0"
    returns_sheet = page.get_by_test_id("stExpander").filter(has_text="Sheet 'Returns' → returns")
    assert ui.metric("Rows to load", within=returns_sheet) == f"{expected['returns']:,}"
    expect(page.get_by_text("Sheet 'Notes' → nothing recognised: kept raw only")).to_be_visible()

    page.get_by_role("button", name="Load 1 file").click()
    expect(page.get_by_role("heading", name="Load report")).to_be_visible()
    ui.idle()
    ui.shot("data-2-loaded")
    report = " ".join(ui.alerts())
    assert f"Orders: {expected['orders']:,} rows loaded into orders" in report
    assert f"Returns: {expected['returns']:,} rows loaded into returns" in report
    # The coverage grid replaces the empty note and spans the export's months.
    expect(page.get_by_text("No months loaded yet.")).to_have_count(0)
    coverage = page.get_by_test_id("stVegaLiteChart")
    expect(coverage).to_contain_text("Data coverage by month")
    expect(coverage).to_contain_text("2024-11")
    expect(coverage).to_contain_text("2026-10")
    expect(page.get_by_text("Nothing loaded yet.")).to_have_count(0)
    # The history, and what each of the two loads changed on the scorecard (new months).
    expect(page.get_by_test_id("stDataFrame")).to_have_count(3)
    expect(page.get_by_text(re.compile(r"changed [\d,]+ KPI-months?")).first).to_be_visible()

    sizes = _table_sizes(ui)
    assert sizes["loads"] == 3  # Orders, Returns, and Notes kept raw
    assert sizes["orders"] == expected["orders"]
    assert sizes["returns"] == expected["returns"]


def test_corrupt_file_is_named_and_changes_nothing(empty_server, ui):
    page = ui.page
    ui.open(empty_server.page_url("/Data"))
    # First a good load in this session, so a stale report could be left on screen.
    page.locator(UPLOAD_INPUT).set_input_files(files=[_upload("survey.csv", SURVEY_CSV)])
    page.get_by_role("button", name="Load 1 file").click()
    expect(page.get_by_text("3 rows loaded into surveys")).to_be_visible()
    before = _table_sizes(ui)
    ui.nav("Data")
    expect(page.get_by_text("3 rows loaded into surveys")).to_be_visible()

    truncated = ORDERS_EXPORT.read_bytes()[:3000]  # a zip cut short: no central directory
    page.locator(UPLOAD_INPUT).set_input_files(files=[_upload("broken.xlsx", truncated)])
    error = page.get_by_test_id("stAlertContentError").filter(has_text="broken.xlsx")
    expect(error).to_contain_text("corrupt or truncated")
    ui.idle()
    ui.shot("data-3-corrupt")
    expect(page.get_by_text("Nothing from this file will be stored.")).to_be_visible()
    expect(page.get_by_role("button", name="Load 0 files")).to_be_disabled()
    # The last load's report is gone: it would read as this upload's outcome.
    expect(page.get_by_text("rows loaded into")).to_have_count(0)

    assert _table_sizes(ui) == before


SURVEY_CSV = (
    b"Response Date,Likelihood to recommend,Segment\r\n"
    b"2026-10-05,9,Trade\r\n2026-10-06,4,Trade\r\n2026-10-07,10,Retail\r\n"
)


def _upload(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "application/octet-stream", "buffer": data}
