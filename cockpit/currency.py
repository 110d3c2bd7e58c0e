"""The currency money is in: recorded per load, read per view, never mixed silently.

Each load with money columns records its currency (`loads.currency`): the one its file names
(a symbol in the values, `£1,234.00`, or in the header, `Freight Cost (USD)`), else the
company's currency (Settings, "Currency of files that do not say") as it was at load time, so
a later change of the setting rewrites no history. A view's currency is that of the live money
loads it reads at its version (and site filter): one currency -> its symbol; several -> the
money KPIs are withheld with the reason, never added across currencies. A pinned link reads
the loads as they were, so it shows the symbol it was shared with.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

CHOSEN = "currency"  # the company currency: what files that name none are in (Settings)
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


_shown = {"symbol": ""}  # the process's default: the live view (CLI, API, warm-up)
_local = threading.local()  # a page run's own view (each session runs in its own thread)


@dataclass(frozen=True)
class ViewCurrency:
    """The currency of a view's money: `symbol` when there is one ('' when none is known),
    None when the view would add several; `by_currency` says where each one is, `converted`
    which were converted into the company currency, `unrated` the months lacking a rate."""

    symbol: str | None
    by_currency: dict[str, list[str]] = field(default_factory=dict)
    converted: dict[str, list[str]] = field(default_factory=dict)
    unrated: dict[str, list[str]] = field(default_factory=dict)
    company: str = ""

    @property
    def mixed(self) -> bool:
        return self.symbol is None

    @property
    def reason(self) -> str:
        """Why money is withheld: 'amounts in £ (orders: Leeds) and $ (orders: Austin); ...'."""
        if not self.mixed:
            return ""
        parts = [f"{s.strip()} ({'; '.join(where)})" for s, where in self.by_currency.items()]
        if not self.company:
            todo = "choose the company currency and enter exchange rates into it in Settings"
        else:
            gaps = "; ".join(
                f"{s.strip()} in {', '.join(m) or 'rows without a month'}"
                for s, m in self.unrated.items()
            )
            todo = f"enter the exchange rates to {self.company.strip()} in Settings"
            todo += f" ({gaps})" if gaps else ""
        return (
            f"amounts in {', '.join(parts[:-1])} and {parts[-1]} are not added up; "
            f"{todo}, or filter to one site"
        )

    @property
    def note(self) -> str:
        """What was converted: 'amounts in $ (orders: Austin) converted to £ at the rates ...'."""
        if not self.converted or self.mixed:
            return ""
        parts = [f"{s.strip()} ({'; '.join(where)})" for s, where in self.converted.items()]
        return (
            f"amounts in {' and '.join(parts)} are converted to {self.symbol.strip()} at the"
            " exchange rates entered in Settings"
        )


def money_datasets() -> list[str]:
    """The datasets with money columns (their loads record a currency)."""
    from cockpit import datasets

    return [n for n, ds in datasets.DATASETS.items() if set(ds.column_names) & set(MONEY_COLUMNS)]


def record(cur, load_id: int, dataset: str | None, named: str | None) -> None:
    """Record a new load's currency, in its transaction: `named` (what the file says), else
    the company currency as it is now; nothing for data without money."""
    from cockpit import queries

    if dataset in money_datasets():
        queries.run_in(cur, "load_currency_set", load_id=load_id, named=named or None, key=CHOSEN)


def for_view(store, as_of: int | None = None, filters: dict | None = None) -> ViewCurrency:
    """The currency of the money a view reads: the live money loads at `as_of` (None: live),
    narrowed to the filter's sites. Loads that name no currency follow the others; with no
    money loaded, the company currency (else what the data last said, else none)."""
    sites = (filters or {}).get("site") or None
    # Live reads what the newest version holds (no import of cockpit.store: it imports us).
    version = store.latest_seq() if as_of is None else int(as_of)
    key = ("view_currency", version, tuple(sites) if sites else None)
    return store._cached_read(key, lambda: _read_view(store, key[1], sites))


def _read_view(store, as_of: int, sites: list[str] | None) -> ViewCurrency:
    from cockpit import queries

    rows = queries.run(
        store, "view_currencies", as_of=as_of, datasets=money_datasets(), sites=sites
    ).to_pylist()
    shown: dict[str, dict[str, list[str]]] = {}
    converted: dict[str, dict[str, list[str]]] = {}
    unrated: dict[str, set] = {}
    for r in rows:
        if not r["shown_in"]:
            continue  # a load naming no currency follows the others
        for by, key in ((shown, r["shown_in"]), (converted, r["currency"])):
            if by is converted and r["shown_in"] == r["currency"]:
                continue
            sites_of = by.setdefault(key, {}).setdefault(r["dataset"], [])
            if r["site"]:
                sites_of.append(r["site"])
        if r["unrated"] and r["shown_in"] == r["currency"]:
            unrated.setdefault(r["currency"], set()).update(m for m in r["unrated"] if m)
    company = store.get_setting(CHOSEN) or ""
    by = _where(shown)
    extra = {
        "converted": _where(converted),
        "unrated": {c: [f"{m:%b %Y}" for m in sorted(ms)] for c, ms in unrated.items()},
        "company": company,
    }
    if len(by) > 1:
        return ViewCurrency(None, by, **extra)
    if by:
        return ViewCurrency(next(iter(by)), by, **extra)
    return ViewCurrency(symbol(store), company=company)


SITES_NAMED = 5  # sites named per dataset in the sentence; the rest are counted


def _where(found: dict[str, dict[str, list[str]]]) -> dict[str, list[str]]:
    """{'£': {'orders': ['Lyon', 'Leeds']}} -> {'£': ['orders: Leeds, Lyon']}; past five
    sites 'orders: A, B, C, D, E and 95 other sites' (a supplier file with a hundred
    factories as sites filled the page's banner with their names)."""
    return {
        sym: [f"{ds}: {_sites_text(s)}" if s else ds for ds, s in per_ds.items()]
        for sym, per_ds in found.items()
    }


def _sites_text(sites: list[str]) -> str:
    names = sorted(set(sites))
    if len(names) <= SITES_NAMED:
        return ", ".join(names)
    return f"{', '.join(names[:SITES_NAMED])} and {len(names) - SITES_NAMED} other sites"


def use_view(store, as_of: int | None = None, filters: dict | None = None) -> ViewCurrency:
    """Format money in this thread (a page run) in the view's currency; returns the view's
    currency (none when it is mixed: its money KPIs are withheld, see `withheld`)."""
    view = for_view(store, as_of, filters)
    _local.symbol = view.symbol or ""
    return view


def use(store) -> str:
    """Make the live view's currency the one money is formatted with; returns its symbol."""
    _shown["symbol"] = use_view(store).symbol or ""
    return _shown["symbol"]


def show(symbol: str) -> None:
    """Format money in this thread with `symbol` (a document's own, `kpis` from the API)."""
    _local.symbol = symbol


def forget_view() -> None:
    """This thread formats money in the live view's currency again (see `use_view`)."""
    _local.__dict__.pop("symbol", None)


def shown() -> str:
    """The symbol money is formatted with now: this thread's view's, else the live one's."""
    return getattr(_local, "symbol", _shown["symbol"])


def symbol(store) -> str:
    """The symbol of money with no load saying one: the company's, else the data's, else none."""
    chosen = store.get_setting(CHOSEN)
    if chosen is not None:
        return chosen
    return store.get_setting(DETECTED) or ""


_MONEY_PART = re.compile(r"revenue|cost|profit|margin|variance|refund|budget|actual|freight")


def reads_money(kpi) -> bool:
    """Whether a KPI's value depends on amounts of money (margin % and variance % too)."""
    if kpi.fmt == "money":
        return True
    parts = [kpi.numerator, kpi.denominator, kpi.component, *kpi.factors]
    names = [n for p in parts if p for n in ([p] if isinstance(p, str) else p)]
    return any(_MONEY_PART.search(n.split(".", 1)[-1]) for n in names)


def withheld(store, kpi, as_of: int | None, filters: dict | None) -> str | None:
    """Why a money KPI has no value in this view (it would add several currencies), or None."""
    if not reads_money(kpi):
        return None
    view = for_view(store, as_of, filters)
    return view.reason if view.mixed else None


def unmixed(store, frame, as_of: int | None, filters: dict | None):
    """`frame` of money, or none of it (the reason in attrs) when the view holds several
    currencies: a table or chart of money never adds them either."""
    view = for_view(store, as_of, filters)
    if not view.mixed:
        return frame
    out = frame.iloc[0:0].copy()
    out.attrs["reason"] = f"Money is not shown: {view.reason}."
    return out
