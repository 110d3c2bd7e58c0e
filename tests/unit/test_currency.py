"""The data's currency: from its headers and values, the analyst's choice first."""

from __future__ import annotations

import json

import pytest
from workbooks import text

from cockpit import currency
from cockpit.ingest.pipeline import load_files
from cockpit.kpis.catalogue import format_value
from cockpit.kpis.registry import lookup


@pytest.mark.parametrize(
    ("written", "symbol"),
    [("Freight Cost (USD)", "$"), ("Amount [EUR]", "€"), ("Net sales (£)", "£"),
     ("£1,204.50", "£"), ("1.204,50 €", "€"), ("R$ 12,00", "R$"), ("Line Item Value", None),
     ("Sales", None), ("", None)],
)  # fmt: skip
def test_symbol_from_a_header_or_a_value(written, symbol):
    assert currency.symbol_of(written) == symbol


def test_a_load_records_its_currency_and_the_analysts_choice_wins(store):
    assert currency.symbol(store) == ""  # nothing known: no symbol, never a guess
    rows = [["Order ID", "Order Date", "Qty", "Net Sales (EUR)"],
            ["A1", "2025-01-05", 2, "20.50"], ["A2", "2025-01-06", 1, "8.00"]]  # fmt: skip
    report = load_files(store, [("orders.csv", text(rows).encode())])
    assert report.ok
    assert currency.symbol(store) == "€"
    store.set_setting(currency.CHOSEN, "$")
    assert currency.symbol(store) == "$"


def test_money_formats_in_the_data_currency_and_without_one_when_none_is_known(store):
    from cockpit.kpis.catalogue import CATALOGUE, display_unit, format_value

    assert currency.use(store) == ""
    assert (
        format_value(lookup("revenue"), 12_345) == "12k"
        and display_unit(CATALOGUE["revenue"]) == ""
    )
    store.set_setting(currency.DETECTED, "$")
    currency.use(store)
    assert format_value(lookup("revenue"), 12_345) == "$12k"
    assert format_value(lookup("revenue"), -1_500_000) == "-$1.5M"
    assert display_unit(CATALOGUE["revenue"]) == "$"


def test_only_an_admin_changes_the_currency_and_only_to_a_known_one(store):
    from cockpit import auth
    from cockpit.screens import settings_view

    store.set_setting(currency.DETECTED, "€")
    box = settings_view.currency_choice(store)
    assert box["current"] == "€" and "€" in box["choices"] and "" in box["choices"]
    with pytest.raises(auth.PermissionDenied):
        settings_view.save_currency(store, "$", auth.User("ann", "analyst"))
    with pytest.raises(ValueError):
        settings_view.save_currency(store, "Ƀ", auth.User("root", "admin"))
    settings_view.save_currency(store, "$", auth.User("root", "admin"))
    assert currency.symbol(store) == "$"


# -- issue 23: money carries its currency per load -------------------------------------------
def _orders(site: str, header: str, sales: list[float]) -> bytes:
    rows = [["Order ID", "Order Date", "Site", "Qty", header]]
    rows += [[f"{site}-{i}", f"2025-01-{i + 5:02d}", site, 1, v] for i, v in enumerate(sales)]
    return text(rows).encode()


def _gbp_then_usd(store) -> int:
    """Leeds in £ (load 1), then Austin in $; returns the version before the $ load."""
    assert load_files(store, [("leeds.csv", _orders("Leeds", "Net Sales (GBP)", [100, 50]))]).ok
    before = store.latest_seq()
    assert load_files(store, [("austin.csv", _orders("Austin", "Net Sales (USD)", [70]))]).ok
    return before


def _revenue(store, **kw):
    from cockpit import kpis
    from cockpit.kpis.periods import make_period, parse_month

    period = make_period("month", parse_month("2025-01"))
    return kpis.scorecard(store, period=period, kpi_ids=["revenue"], **kw)[0]


def test_a_usd_load_does_not_turn_the_pound_figures_into_dollars(store):
    before = _gbp_then_usd(store)
    assert store.rows("SELECT file, currency FROM loads ORDER BY seq") == [
        {"file": "leeds.csv", "currency": "£"},
        {"file": "austin.csv", "currency": "$"},
    ]
    # The view before the $ load (a pinned link) is still in £, with its numbers.
    assert currency.use_view(store, before).symbol == "£"
    card = _revenue(store, as_of=before)
    assert card.value == 150 and card.unit == "£"
    assert format_value(lookup("revenue"), card.value) == "£150"
    # One site: its own currency.
    assert currency.use_view(store, None, {"site": ["Austin"]}).symbol == "$"
    card = _revenue(store, filters={"site": ["Austin"]})
    assert card.value == 70 and card.unit == "$"
    assert currency.use_view(store, None, {"site": ["Leeds"]}).symbol == "£"
    assert _revenue(store, filters={"site": ["Leeds"]}).value == 150


def test_a_view_over_two_currencies_withholds_money_and_says_why(store):
    _gbp_then_usd(store)
    view = currency.use_view(store)
    assert view.mixed and view.by_currency == {"£": ["orders: Leeds"], "$": ["orders: Austin"]}
    card = _revenue(store)
    assert card.value is None and card.previous is None  # never £150 + $70 = 220
    assert "£ (orders: Leeds) and $ (orders: Austin)" in card.reason
    assert currency.shown() == ""
    # Counts are in no currency: still shown.
    from cockpit import kpis
    from cockpit.kpis.periods import make_period, parse_month

    period = make_period("month", parse_month("2025-01"))
    assert kpis.scorecard(store, period=period, kpi_ids=["orders"])[0].value == 3
    trend = kpis.monthly_series(store, "revenue", months=[period.start])
    assert trend["value"].isna().all()
    by_site = kpis.breakdown(store, "revenue", "site", period=period)
    assert by_site.empty and "£" in by_site.attrs["reason"]


def test_files_naming_no_currency_get_the_company_currency_as_it_was(store):
    store.set_setting(currency.CHOSEN, "€")
    assert load_files(store, [("plain.csv", _orders("Lyon", "Net Sales", [40]))]).ok
    store.set_setting(currency.CHOSEN, "$")  # later: rewrites no history
    assert store.scalar("SELECT currency FROM loads") == "€"
    assert currency.use_view(store).symbol == "€"


def test_the_kpis_document_carries_the_currency(store):
    import argparse

    from cockpit.commands import kpis as kpis_cmd

    before = _gbp_then_usd(store)
    args = argparse.Namespace(period="2025-01", from_=None, to=None, period_kind="month",
                              filter=[], compare="prev", asof=before, json=True)  # fmt: skip
    doc = kpis_cmd.report(store, args)
    revenue = next(r for r in doc["kpis"] if r["id"] == "revenue")
    assert doc["currency"] == "£" and revenue["unit"] == "£" and revenue["value"] == 150
    args.asof = None
    doc = kpis_cmd.report(store, args)
    revenue = next(r for r in doc["kpis"] if r["id"] == "revenue")
    assert doc["currency"] is None and doc["currencies"] == {
        "£": ["orders: Leeds"],
        "$": ["orders: Austin"],
    }
    assert revenue["value"] is None and "$ (orders: Austin)" in revenue["reason"]
    args.filter = ["site=Austin"]
    doc = kpis_cmd.report(store, args)
    revenue = next(r for r in doc["kpis"] if r["id"] == "revenue")
    assert doc["currency"] == "$" and revenue["value"] == 70 and revenue["unit"] == "$"


def test_loads_made_before_get_the_currency_their_pages_showed(store):
    assert load_files(store, [("leeds.csv", _orders("Leeds", "Net Sales", [100]))]).ok
    store.set_setting(currency.DETECTED, "£")
    with store.transaction() as cur:  # as a database from before migration 9 was
        cur.execute("UPDATE loads SET currency = NULL")
        cur.execute("DELETE FROM schema_migrations WHERE version = 9")
    assert store.migrate() == [9]
    assert store.scalar("SELECT currency FROM loads WHERE dataset = 'orders'") == "£"


def test_rates_the_admin_entered_convert_into_the_company_currency(store):
    from cockpit import auth, fx

    admin = auth.User("root", "admin")
    _gbp_then_usd(store)
    with pytest.raises(ValueError, match="company currency first"):
        fx.save_rates(store, [{"currency": "USD", "month": "2025-01", "rate": 0.8}], admin)
    store.set_setting(currency.CHOSEN, "£")
    with pytest.raises(auth.PermissionDenied):
        fx.save_rates(store, [], auth.User("ann", "analyst"))
    with pytest.raises(ValueError, match="row 1: month 'Jan' is not like 2025-01"):
        fx.save_rates(store, [{"currency": "$", "month": "Jan", "rate": 0.8}], admin)
    # No rate yet: withheld, the reason says which rate is missing.
    assert "enter the exchange rates to £ in Settings ($ in Jan 2025)" in _revenue(store).reason
    assert fx.save_rates(store, [{"currency": "USD", "month": "2025-01", "rate": 0.8}], admin) == 1
    assert fx.rates(store) == [{"currency": "$", "month": "2025-01", "rate": 0.8}]
    view = currency.use_view(store)
    assert view.symbol == "£" and "$ (orders: Austin) are converted to £" in view.note
    card = _revenue(store)
    assert card.value == pytest.approx(150 + 70 * 0.8) and card.unit == "£"  # by hand: 206
    # Every consumer reads the same converted rows (the as-of macros).
    assert store.scalar("SELECT sum(revenue) FROM orders_live") == pytest.approx(206)
    austin = _revenue(store, filters={"site": ["Austin"]})
    assert austin.value == pytest.approx(56) and austin.unit == "£"
    # A $ month without a rate is not converted: a view reaching it withholds money again.
    rows = [["Order ID", "Order Date", "Site", "Qty", "Net Sales (USD)"],
            ["AUS-F1", "2025-02-03", "Austin", 1, 10]]  # fmt: skip
    assert load_files(store, [("austin_feb.csv", text(rows).encode())]).ok
    assert currency.use_view(store).unrated == {"$": ["Feb 2025"]}
    assert _revenue(store).value is None


def test_the_what_if_adds_no_money_across_currencies(store):
    from cockpit import whatif

    _gbp_then_usd(store)
    mixed = whatif.build_baseline(store)
    revenue = next(o for o in whatif.run_scenario(mixed, {}) if o.id == "revenue")
    assert revenue.baseline is None  # not 150 + 70
    assert any("£ (orders: Leeds) and $ (orders: Austin)" in n for n in mixed.notes)
    leeds = whatif.build_baseline(store, filters={"site": ["Leeds"]})
    revenue = next(o for o in whatif.run_scenario(leeds, {}) if o.id == "revenue")
    assert revenue.baseline == pytest.approx(150)


def test_what_a_usd_load_changed_is_not_a_sum_of_two_currencies(store):
    from cockpit.kpis.changes import load_changes

    _gbp_then_usd(store)
    austin = store.scalar("SELECT load_id FROM loads WHERE file = 'austin.csv'")
    revenue = [c for c in load_changes(store, austin)["changes"] if c["kpi"] == "revenue"]
    assert [(c["old"], c["new"]) for c in revenue] == [(150, None)]  # never 150 -> 220


def test_budget_tables_add_no_money_across_currencies(store):
    from cockpit import kpis, ledger
    from cockpit.kpis.periods import make_period, parse_month
    from cockpit.screens import cost_customer

    _gbp_then_usd(store)
    month = parse_month("2025-01")
    row = {"month": month, "unit": "Leeds", "account": "Freight", "budget": 100, "actual": 90}
    ledger.load_table(store, "budget", [row], money_in="£")
    table = kpis.budget_variance_table(store, period=make_period("month", month))
    assert table.empty and "£ (orders: Leeds" in table.attrs["reason"]
    monthly = cost_customer.budget_vs_actual(store, months=[month])
    assert monthly.empty and "$ (orders: Austin)" in monthly.attrs["reason"]
    leeds = cost_customer.budget_vs_actual(store, months=[month], filters={"site": ["Leeds"]})
    assert leeds["budget"].sum() == 100


def test_the_kpis_command_prints_each_view_in_its_own_currency(tmp_path, capsys):
    from cockpit.cli import main
    from cockpit.store import Store

    path = tmp_path / "two.duckdb"
    s = Store.open(path)
    before = _gbp_then_usd(s)
    s.close()
    common = ["kpis", "--db", str(path), "--period", "2025-01"]
    assert main([*common, "--filter", "site=Austin"]) == 0
    assert "$70" in capsys.readouterr().out
    assert main([*common, "--asof", str(before)]) == 0
    assert "£150" in capsys.readouterr().out
    assert main([*common, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["currency"] is None and set(doc["currencies"]) == {"£", "$"}


def test_rates_come_from_a_csv_file_with_a_clear_message_when_wrong(store):
    from cockpit import auth, fx

    store.set_setting(currency.CHOSEN, "£")
    data = "Currency,Month,Rate\nUSD,2025-01,0.79\n€,2025-01,0.85\n".encode()
    rows = fx.rows_from_csv(data, "rates.csv")
    assert fx.save_rates(store, rows, auth.User("root", "admin")) == 2
    assert fx.rates(store) == [
        {"currency": "$", "month": "2025-01", "rate": 0.79},
        {"currency": "€", "month": "2025-01", "rate": 0.85},
    ]
    with pytest.raises(ValueError, match=r"rates.csv needs the columns .* missing: \['rate'\]"):
        fx.rows_from_csv(b"currency,month\nUSD,2025-01\n", "rates.csv")
    with pytest.raises(ValueError, match="row 1: the rate must be above 0"):
        fx.parse([{"currency": "$", "month": "2025-01", "rate": 0}], "£")
    with pytest.raises(ValueError, match="row 1: £ is the company currency"):
        fx.parse([{"currency": "£", "month": "2025-01", "rate": 1}], "£")


def test_a_custom_metric_of_money_adds_no_currencies(store):
    from cockpit import auth
    from cockpit.kpis import custom_metrics
    from cockpit.kpis.periods import make_period, parse_month

    _gbp_then_usd(store)
    sales = custom_metrics.CustomMetric(id="sales", label="Sales", dataset="orders",
                                        numerator="sum(revenue)", fmt="number")  # fmt: skip
    count = custom_metrics.CustomMetric(id="lines", label="Lines", dataset="orders",
                                        numerator="count(*)", fmt="count")  # fmt: skip
    for m in (sales, count):
        custom_metrics.save_metric(store, m, auth.User("ann", "analyst"))
    period = make_period("month", parse_month("2025-01"))
    value = custom_metrics.compute(store, sales, period=period)
    assert value.value is None and "$ (orders: Austin)" in value.reason  # not 220
    assert custom_metrics.compute(store, count, period=period).value == 3
    leeds = custom_metrics.compute(store, sales, period=period, filters={"site": ["Leeds"]})
    assert leeds.value == 150


def test_a_currency_in_many_sites_names_five_and_counts_the_rest(store):
    # A supplier export in $ with a hundred factories as sites (SCMS) filled the banner of
    # every page with all their names.
    assert load_files(store, [("leeds.csv", _orders("Leeds", "Net Sales (GBP)", [100]))]).ok
    rows = [["Order ID", "Order Date", "Site", "Qty", "Net Sales (USD)"]]
    rows += [[f"F-{i}", "2025-01-06", f"Factory {i:02d}", 1, 10] for i in range(12)]
    assert load_files(store, [("factories.csv", text(rows).encode())]).ok
    view = currency.use_view(store)
    assert view.by_currency == {
        "£": ["orders: Leeds"],
        "$": [
            "orders: Factory 00, Factory 01, Factory 02, Factory 03, Factory 04 and 7 other sites"
        ],
    }
    assert "Factory 05" not in view.reason
