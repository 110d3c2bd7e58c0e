"""The data's currency: from its headers and values, the analyst's choice first."""

from __future__ import annotations

import pytest
from workbooks import text

from cockpit import currency
from cockpit.ingest.pipeline import load_files


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
