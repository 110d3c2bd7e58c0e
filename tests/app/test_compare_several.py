"""Issue 28: the Overview opened with compare=prev,yoy,target shows a line per comparison on
each card, in that order, with the figures the engine computes for the view; the view bar's
Compare with holds all three and writes them back to the link in order."""

from __future__ import annotations

import re

from cockpit import kpis
from cockpit.kpis.catalogue import format_value
from cockpit.screens.scorecard_view import change_text
from cockpit.ui.resources import _store_for

from .conftest import html_blocks, kpi_cards, latest_order_month, page_text


def _lines(at, kpi_id: str) -> list[str]:
    """The comparison lines of one card, in the order shown."""
    for block in html_blocks(at):
        m = re.search(rf'data-kpi="{kpi_id}".*?<div class="kpi-compares">(.*?)</div>'
                      r'(?=<div class="spark")', block, re.S)  # fmt: skip
        if m:
            return re.findall(r'<div class="kpi-cmp kpi-cmp-\w+">(.*?)</div>', m[1])
    return []


def test_overview_with_three_comparisons_shows_each_on_a_card(open_app, shared_demo_db):
    month = latest_order_month(shared_demo_db)
    at = open_app(shared_demo_db, compare="prev,yoy,target")
    assert not at.exception and not at.text, [t.value for t in at.text]
    assert at.multiselect(key="compare").value == ["prev", "yoy", "target"]
    # The figures by the engine itself, on the same file: the card says each change.
    # The app's own open store (same process): a second open of the file is refused.
    store = _store_for(str(shared_demo_db.resolve()))
    period = kpis.make_period("month", month)
    cards = {c.id: c for c in kpis.scorecard(store, period=period, compare="prev,yoy,target")}
    on_time = cards["on_time_pct"]
    kpi = kpis.lookup("on_time_pct")
    prev, yoy, target = (on_time.comparisons[b] for b in ("prev", "yoy", "target"))
    assert None not in (prev.value, yoy.value, target.value)

    def size(change: float) -> str:
        return change_text(kpi, abs(change)).lstrip("+")

    def arrow(change: float) -> str:
        return "▲" if change > 0 else "▼"

    assert _lines(at, "on_time_pct") == [
        f"{arrow(prev.change)} {size(prev.change)} vs prev",
        f"{arrow(yoy.change)} {size(yoy.change)} vs last year",
        f"{size(target.change)} {'above' if target.change > 0 else 'below'} target",
    ]
    card = kpi_cards(at)["On-time delivery"]
    assert card["value"] == format_value(kpi, on_time.value, 1)
    assert f"target {format_value(kpi, on_time.target, 1)}" in card["foot"]
    # The headline names every comparison; "what moved" is against the first.
    text = page_text(at)
    assert f"{month:%b %Y} vs " in text and "the same period last year" in text
    assert "and target" in text
    assert "What moved vs " in text


def test_compare_with_writes_every_comparison_to_the_link_in_order(open_app, shared_demo_db):
    at = open_app(shared_demo_db)
    assert at.multiselect(key="compare").value == ["prev"]
    assert "compare" not in at.query_params
    at.multiselect(key="compare").set_value(["yoy", "budget"]).run()
    assert at.query_params["compare"] in ("yoy,budget", ["yoy,budget"])
    assert _lines(at, "operating_cost")[1].endswith("budget")  # the budget lines' budget
    at.multiselect(key="compare").set_value([]).run()  # none chosen: the default view
    assert "compare" not in at.query_params
    at.run()
    assert at.multiselect(key="compare").value == ["prev"]
    assert not at.text, [t.value for t in at.text]


def test_one_comparison_stays_the_single_delta(open_app, shared_demo_db):
    at = open_app(shared_demo_db, compare="yoy")
    assert at.multiselect(key="compare").value == ["yoy"]
    assert _lines(at, "orders") == []
    assert "vs last year" in kpi_cards(at)["Orders"]["change"]
