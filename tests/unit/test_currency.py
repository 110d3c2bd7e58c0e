"""The data's currency: from its headers and values, the analyst's choice first."""

from __future__ import annotations

import pytest
from workbooks import text

from cockpit import currency
from cockpit.ingest.pipeline import load_files
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
