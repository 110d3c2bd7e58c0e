"""Every page renders with the demo data and with an empty database; the numbers shown are
the numbers an independent SQL query gives on the same file."""

from __future__ import annotations

import pytest

from .conftest import (
    PAGES,
    goto,
    kpi_cards,
    latest_order_month,
    metric,
    number,
    open_filters,
    orders_in_month,
)

# A card the page must show with demo data, proving it drew its numbers (not only its frame).
PAGE_CARDS = {
    "overview": "Orders",
    "efficiency": "OEE",
    "cost": "Operating cost",
    "customer": "NPS",
    "whatif": "Revenue per month",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_with_demo_data(open_app, shared_demo_db, page):
    at = open_app(shared_demo_db, page)
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value
    if page in PAGE_CARDS:
        assert number(metric(at, PAGE_CARDS[page])) != 0


@pytest.mark.parametrize("page", list(PAGES))
def test_page_with_empty_database_says_what_to_do(open_app, empty_db, page):
    at = open_app(empty_db, page)
    assert not at.metric and not kpi_cards(at)
    assert not at.error, [e.value for e in at.error]
    if page in ("sql", "settings"):
        return  # these pages work without data (schema browser, targets)
    infos = " ".join(i.value for i in at.info)
    assert "No data" in infos and ("Data" in infos or "Upload" in infos), infos
    if page == "data":
        assert at.button(key="seed_demo").label == "Load the demo data"
    else:
        assert [p.label for p in at.page_link if p.label == "Go to Data"]


def test_overview_orders_card_is_the_sql_count_for_the_latest_month(open_app, shared_demo_db):
    at = open_app(shared_demo_db)
    month = latest_order_month(shared_demo_db)
    assert at.selectbox(key="month").value == f"{month:%Y-%m}"
    expected = orders_in_month(shared_demo_db, month)
    assert expected > 100  # the demo company: a real month of orders, not an empty slice
    assert number(metric(at, "Orders")) == expected


def test_site_filter_changes_the_orders_card_to_that_sites_count(open_app, shared_demo_db):
    at = open_app(shared_demo_db)
    month = latest_order_month(shared_demo_db)
    everyone = number(metric(at, "Orders"))
    open_filters(at).multiselect(key="f_site").set_value(["Lyon"]).run()
    assert not at.exception
    lyon = orders_in_month(shared_demo_db, month, site="Lyon")
    assert 0 < lyon < everyone
    assert number(metric(at, "Orders")) == lyon


def test_efficiency_page_follows_the_filter_chosen_on_the_overview(open_app, shared_demo_db):
    at = open_app(shared_demo_db, f_site="Leeds")
    month = latest_order_month(shared_demo_db)
    goto(at, "efficiency")
    assert at.multiselect(key="f_site").value == ["Leeds"]
    assert number(metric(at, "Orders")) == orders_in_month(shared_demo_db, month, site="Leeds")
