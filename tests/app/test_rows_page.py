"""Drill-through: the Rows page shows the rows behind a KPI in the view, page by page, and a
detail page's cards open it."""

from __future__ import annotations

import re

from .conftest import goto, html_blocks, page_text, sql_value

LINES_IN = """
select count(*) from orders_live
where date_trunc('month', order_date) = $month and ($site is null or site = $site)
"""


def _shown_total(at) -> int:
    m = re.search(r"([\d,]+) orders and shipping rows\** behind", page_text(at))
    assert m, page_text(at)
    return int(m.group(1).replace(",", ""))


def test_rows_behind_a_kpi_for_a_month_and_a_site(open_app, shared_demo_db):
    at = open_app(shared_demo_db, month="2026-09", f_site="Lyon")
    goto(at, "rows")
    at.query_params.update(kpi="revenue")
    assert at.selectbox(key="kpi").value in ("orders", "revenue")
    at.selectbox(key="kpi").set_value("revenue").run()
    assert not at.exception
    import datetime as dt

    expected = sql_value(shared_demo_db, LINES_IN, {"month": dt.date(2026, 9, 1), "site": "Lyon"})
    assert expected > 0
    assert _shown_total(at) == expected
    assert at.query_params["kpi"] == "revenue"  # the link names the KPI shown
    table = at.dataframe[0].value
    assert len(table) == min(expected, 200)
    assert set(table["Site"]) == {"Lyon"}
    assert "Order date" in table.columns  # headers in words


def test_pages_of_rows_cover_the_selection(open_app, shared_demo_db):
    import datetime as dt

    at = open_app(shared_demo_db, month="2026-09")
    goto(at, "rows")
    expected = sql_value(shared_demo_db, LINES_IN, {"month": dt.date(2026, 9, 1), "site": None})
    assert expected > 200  # more than one page
    assert f"Rows 1–200 of {expected:,}" in page_text(at)
    at.button(key="rows_next").click().run()
    assert f"Rows 201–{min(400, expected):,} of {expected:,}" in page_text(at)
    assert len(at.dataframe[0].value) == min(400, expected) - 200


def test_a_detail_pages_cards_open_the_rows_behind_them(open_app, shared_demo_db):
    at = open_app(shared_demo_db)
    goto(at, "efficiency")
    blocks = " ".join(html_blocks(at))
    assert 'href="Rows?kpi=on_time_pct"' in blocks or "Rows?kpi=on_time_pct&" in blocks
