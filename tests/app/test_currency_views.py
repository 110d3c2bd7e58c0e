"""Money keeps its currency per load (issue 23): a $ file for another site does not turn the
demo's £ into $, a view over both says so instead of adding them, and a pinned link shows
the symbol it was shared with."""

from __future__ import annotations

from cockpit.ingest.pipeline import load_files
from cockpit.ui.resources import _store_for

from .conftest import latest_order_month, metric, number, page_text


def _usd_orders(month) -> bytes:
    lines = ["Order ID,Order Date,Site,Qty,Net Sales (USD)"]
    lines += [f"AUS-{i},{month:%Y-%m}-{i + 1:02d},Austin,1,1000" for i in range(5)]
    return "\n".join(lines).encode()


def test_a_usd_site_keeps_the_pound_cards_and_the_pinned_link(open_app, demo_db):
    month = latest_order_month(demo_db)
    store = _store_for(str(demo_db.resolve()))
    pinned = store.latest_seq()
    assert load_files(store, [("austin_orders.csv", _usd_orders(month))]).ok

    # A link shared before the $ load: its numbers and its £.
    at = open_app(demo_db, page="cost", asof=str(pinned), month=f"{month:%Y-%m}")
    assert metric(at, "Revenue").startswith("£"), metric(at, "Revenue")
    assert "Money is not shown" not in page_text(at)

    # Live, both sites: never £ + $ added up; the page says which currencies are mixed.
    live = open_app(demo_db, page="cost", month=f"{month:%Y-%m}")
    assert not any(c in metric(live, "Revenue") for c in "£$0123456789")
    words = page_text(live)
    assert "Money is not shown" in words and "$ (orders: Austin)" in words, words
    assert "£ (orders: Leeds, Leipzig, Lyon)" in words

    # Filtered to the $ site: dollars, its own revenue.
    austin = open_app(demo_db, page="cost", month=f"{month:%Y-%m}", f_site="Austin")
    assert metric(austin, "Revenue") == "$5.0k"
    austin.multiselect(key="compare").set_value(["yoy"]).run()  # a change of the view bar
    assert metric(austin, "Revenue") == "$5.0k"
    leeds = open_app(demo_db, page="cost", month=f"{month:%Y-%m}", f_site="Leeds")
    assert metric(leeds, "Revenue").startswith("£")


def test_rates_entered_convert_the_usd_site_into_pounds(open_app, demo_db):
    import pytest

    from cockpit import auth, currency, fx, kpis
    from cockpit.kpis.periods import make_period

    month = latest_order_month(demo_db)
    store = _store_for(str(demo_db.resolve()))
    pounds = kpis.scorecard(store, period=make_period("month", month), kpi_ids=["revenue"])[0]
    assert load_files(store, [("austin_orders.csv", _usd_orders(month))]).ok
    store.set_setting(currency.CHOSEN, "£")
    rates = [{"currency": "USD", "month": f"{m:%Y-%m}", "rate": 0.8}
             for m in {r["month"] for r in store.rows("SELECT month FROM segments")} if m]  # fmt: skip
    fx.save_rates(store, rates, auth.User("root", "admin"))

    live = open_app(demo_db, page="cost", month=f"{month:%Y-%m}")
    shown = metric(live, "Revenue")
    assert shown.startswith("£")
    # By hand: the £ revenue plus 5 orders of $1,000 at 0.8.
    assert number(shown) == pytest.approx(pounds.value + 5 * 1000 * 0.8, rel=0.005)
    words = page_text(live)
    assert "Money is not shown" not in words
    assert "$ (orders: Austin) are converted to £" in words, words


def test_settings_names_the_company_currency_and_takes_rates(open_app, demo_db):
    at = open_app(demo_db, page="settings")
    assert at.selectbox(key="currency_choice").label == "Currency of files that do not say"
    assert "Exchange rates" in [h.value for h in at.subheader]
    assert at.button(key="save_fx_rates")
