"""The currency money is shown in: detected from the files, changeable in Settings.

Loads record the currency their money columns are written in (a symbol in the values,
`£1,234.00`, or in the header, `Freight Cost (USD)`). Money is shown in the analyst's choice
(Settings), else in the currency the latest such load had; with nothing known, amounts are
shown without a symbol rather than in a currency the data never said.
"""

from __future__ import annotations

import re

CHOSEN = "currency"  # the analyst's choice (Settings)
DETECTED = "currency_detected"  # what the latest load with money in it said

SYMBOLS = {"$": "$", "£": "£", "€": "€", "¥": "¥", "₹": "₹", "₩": "₩", "r$": "R$", "chf": "CHF "}
CODES = {"usd": "$", "gbp": "£", "eur": "€", "jpy": "¥", "cny": "¥", "inr": "₹", "krw": "₩",
         "brl": "R$", "chf": "CHF ", "cad": "C$", "aud": "A$", "mxn": "MX$", "cop": "COL$",
         "ars": "AR$", "clp": "CLP$", "pen": "S/ "}  # fmt: skip
CHOICES = ["", "£", "$", "€", "¥", "₹", "R$", "CHF ", "C$", "A$", "MX$", "COL$"]
MONEY_COLUMNS = ("revenue", "cost", "profit", "freight_cost", "refund", "budget", "actual")
_IN_HEADER = re.compile(r"[\(\[]\s*([A-Za-z]{3}|[$£€¥₹₩])\s*[\)\]]|\b(usd|gbp|eur)\b", re.I)
_IN_VALUE = re.compile(r"(R\$|[$£€¥₹₩])|\b([A-Z]{3})\b")


def symbol_of(text: str | None) -> str | None:
    """The currency a header or a value names: 'Cost (USD)' -> '$', '£1,200' -> '£'."""
    if not text:
        return None
    m = _IN_HEADER.search(text)
    if m:
        found = (m.group(1) or m.group(2)).lower()
        return SYMBOLS.get(found) or CODES.get(found)
    m = _IN_VALUE.search(text)
    if m:
        return SYMBOLS.get((m.group(1) or "").lower()) or CODES.get((m.group(2) or "").lower())
    return None


def detect(profiles: list, columns: dict[str, str]) -> str | None:
    """The currency a sheet's mapped money columns are written in (None when none says)."""
    by_name = {p.name: p for p in profiles}
    seen: list[str] = []
    for canon in MONEY_COLUMNS:
        p = by_name.get(columns.get(canon, ""))
        if p is None:
            continue
        found = symbol_of(p.name)
        if found is None and "currency (" in (p.evidence or ""):
            found = symbol_of(p.evidence.split("currency (", 1)[1])
        if found:
            seen.append(found)
    return max(set(seen), key=seen.count) if seen else None


_shown = {"symbol": ""}  # one database per process: the symbol its pages and exports show


def use(store) -> str:
    """Make the store's currency the one money is formatted with; returns its symbol."""
    _shown["symbol"] = symbol(store)
    return _shown["symbol"]


def shown() -> str:
    """The symbol money is formatted with now (see `use`)."""
    return _shown["symbol"]


def symbol(store) -> str:
    """The symbol money is shown with: the analyst's choice, else the data's, else none."""
    chosen = store.get_setting(CHOSEN)
    if chosen is not None:
        return chosen
    return store.get_setting(DETECTED) or ""
