"""A link restores its view: the widgets show the URL's values and the numbers are that
view's; widget changes write the URL back; a pinned link keeps its numbers after new loads;
a malformed link gives a notice, never a crash."""

from __future__ import annotations

import datetime as dt

from cockpit import ledger
from cockpit.ui.resources import _store_for

from .conftest import (
    goto,
    latest_order_month,
    metric,
    number,
    open_filters,
    orders_in_month,
    page_text,
    sql_value,
)


def test_link_restores_period_month_comparison_and_filter(open_app, shared_demo_db):
    at = open_app(shared_demo_db, period="quarter", month="2026-06", compare="yoy", f_site="Lyon")
    assert at.selectbox(key="period").value == "quarter"
    assert at.selectbox(key="month").value == "2026-06"
    assert at.multiselect(key="compare").value == ["yoy"]
    assert at.multiselect(key="f_site").value == ["Lyon"]
    assert "off target" in page_text(at) and "· Q2 2026" in page_text(at)  # the headline
    expected = orders_in_month(
        shared_demo_db, dt.date(2026, 6, 1), first=dt.date(2026, 4, 1), site="Lyon"
    )
    assert expected > 0
    assert number(metric(at, "Orders")) == expected
    assert not at.text, [t.value for t in at.text]  # a valid link raises no notice


def test_widget_changes_are_written_back_to_the_url(open_app, shared_demo_db):
    at = open_app(shared_demo_db)
    assert "period" not in at.query_params  # defaults stay out of the URL
    at.selectbox(key="period").set_value("t3m").run()
    at.multiselect(key="compare").set_value(["target"]).run()
    open_filters(at).multiselect(key="f_site").set_value(["Leeds", "Lyon"]).run()
    assert at.query_params["period"] == "t3m"  # the URL API's ids, not the labels shown
    assert at.query_params["compare"] == "target"
    assert sorted(at.query_params["f_site"]) == ["Leeds", "Lyon"]
    assert not at.text, [t.value for t in at.text]


def test_the_note_under_the_view_bar_names_the_period_shown(open_app, shared_demo_db):
    """Under "Last complete quarter" the note names that quarter, not the default month."""
    month = latest_order_month(shared_demo_db)  # the demo's latest month, complete
    quarter_end = dt.date(month.year, 3 * ((month.month - 1) // 3) + 1, 1) - dt.timedelta(1)
    quarter = f"Q{(quarter_end.month - 1) // 3 + 1} {quarter_end.year}"
    at = open_app(shared_demo_db, period="last_quarter")
    notes = " ".join(c.value for c in at.caption)
    assert f"Showing {quarter}; {month:%b %Y} is the latest month" in notes, notes
    at.selectbox(key="period").set_value("month").run()
    notes = " ".join(c.value for c in at.caption)
    assert f"Showing {month:%b %Y}: the latest month" in notes, notes


def test_back_shows_the_view_the_address_names(open_app, shared_demo_db):
    """The browser's Back (or Forward) changes the address without touching the widgets;
    the address wins, so the page shows the view it names, not the one left behind."""
    at = open_app(shared_demo_db)
    at.multiselect(key="compare").set_value(["target"]).run()
    open_filters(at).multiselect(key="f_site").set_value(["Lyon"]).run()
    assert at.query_params["compare"] == "target"
    orders_lyon = number(metric(at, "Orders"))
    # Back one step: the address before the filter (compare=target, no site).
    del at.query_params["f_site"]
    at.run()
    assert at.multiselect(key="f_site").value == []
    assert at.multiselect(key="compare").value == ["target"]
    assert number(metric(at, "Orders")) > orders_lyon
    # Back another: the address before the comparison (the default view).
    del at.query_params["compare"]
    at.run()
    assert at.multiselect(key="compare").value == ["prev"]
    assert "vs target" not in page_text(at) and "vs previous" in page_text(at)
    assert "compare" not in at.query_params


def test_view_follows_the_viewer_to_another_page(open_app, shared_demo_db):
    at = open_app(shared_demo_db)
    at.selectbox(key="period").set_value("quarter").run()
    open_filters(at).multiselect(key="f_site").set_value(["Leeds"]).run()
    goto(at, "efficiency")
    assert at.selectbox(key="period").value == "quarter"
    assert at.multiselect(key="f_site").value == ["Leeds"]
    assert at.query_params["period"] == "quarter"
    month = latest_order_month(shared_demo_db)
    first = dt.date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)
    expected = orders_in_month(shared_demo_db, month, first=first, site="Leeds")
    assert number(metric(at, "Orders")) == expected


def test_pinned_link_keeps_its_numbers_after_a_new_load(open_app, demo_db):
    month = latest_order_month(demo_db)
    store = _store_for(str(demo_db.resolve()))
    pinned = store.latest_seq()
    before = orders_in_month(demo_db, month)

    # A re-export of the latest month (no site column: it replaces the whole month).
    new_rows = [
        {"order_id": f"R-{i}", "order_date": month.replace(day=1 + i), "quantity": 1,
         "revenue": 10}
        for i in range(5)
    ]  # fmt: skip
    ledger.load_table(store, "orders", new_rows, file="reexport.csv", replace=True)
    assert orders_in_month(demo_db, month) == 5
    assert orders_in_month(demo_db, month, as_of=pinned) == before

    at = open_app(demo_db, asof=str(pinned), month=f"{month:%Y-%m}")
    assert number(metric(at, "Orders")) == before
    banner = " ".join(i.value for i in at.info)
    assert f"load {pinned}" in banner and "newer data available" in banner

    live = open_app(demo_db, month=f"{month:%Y-%m}")
    assert number(metric(live, "Orders")) == 5
    assert not live.info


def test_malformed_link_gives_notices_and_the_default_view(open_app, shared_demo_db):
    at = open_app(shared_demo_db, period="weird", asof="abc", month="2026-13", f_nope="x")
    notices = " ".join(t.value for t in at.text)
    assert "Ignored period='weird'" in notices
    assert "Ignored asof='abc'" in notices
    assert "Ignored month='2026-13'" in notices
    assert "unknown dimension" in notices
    assert at.selectbox(key="period").value == "month"
    month = latest_order_month(shared_demo_db)
    assert number(metric(at, "Orders")) == orders_in_month(shared_demo_db, month)


def test_asof_beyond_the_latest_load_falls_back_to_live(open_app, shared_demo_db):
    latest = sql_value(shared_demo_db, "select max(seq) from loads")
    at = open_app(shared_demo_db, asof=str(latest + 100))
    assert "newer than the latest load" in " ".join(t.value for t in at.text)
    assert not at.info


def test_a_custom_range_link_opens_that_span(open_app, shared_demo_db):
    """period=range&from=…&month=…: the view bar shows From and Ending in, the cards count
    the span's orders (checked in SQL), and changing From writes the link back."""
    at = open_app(shared_demo_db, period="range", **{"from": "2026-02"}, month="2026-05")
    assert at.selectbox(key="period").value == "range"
    assert at.selectbox(key="from").value == "2026-02"
    assert at.selectbox(key="month").value == "2026-05"
    expected = orders_in_month(shared_demo_db, dt.date(2026, 5, 1), first=dt.date(2026, 2, 1))
    assert number(metric(at, "Orders")) == expected
    assert "Feb 2026 – May 2026" in page_text(at)
    at.selectbox(key="from").set_value("2026-04").run()
    assert at.query_params["from"] == "2026-04"
    expected = orders_in_month(shared_demo_db, dt.date(2026, 5, 1), first=dt.date(2026, 4, 1))
    assert number(metric(at, "Orders")) == expected
    assert not at.text, [t.value for t in at.text]


def test_all_time_counts_every_month_loaded(open_app, shared_demo_db):
    month = latest_order_month(shared_demo_db)
    at = open_app(shared_demo_db, period="all")
    assert at.selectbox(key="period").value == "all"
    assert not [s for s in at.selectbox if s.key == "from"]  # only a range has a first month
    first = sql_value(shared_demo_db, "select min(order_date) from orders_live")
    expected = orders_in_month(shared_demo_db, month, first=first.replace(day=1))
    assert number(metric(at, "Orders")) == expected
    assert "All time" in page_text(at)


def test_an_inverted_range_link_is_swapped_and_says_so(open_app, shared_demo_db):
    at = open_app(shared_demo_db, period="range", month="2026-01", **{"from": "2026-03"})
    notices = " ".join(t.value for t in at.text)
    assert "from=2026-03 was after the end month 2026-01: swapped." in notices
    assert at.selectbox(key="period").value == "range"
    assert at.query_params["from"] in ("2026-01", ["2026-01"])
    assert at.query_params["month"] in ("2026-03", ["2026-03"])
