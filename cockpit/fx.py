"""Exchange rates the admin enters (Settings): 1 unit of a currency = `rate` of the company
currency, per month. The as-of macros (cockpit.store) convert money with them; a month of a
foreign currency without a rate stays unconverted, so a view holding it withholds money."""

from __future__ import annotations

import datetime as dt

from cockpit import auth, currency, queries
from cockpit.store import Store, audit

COLUMNS = ("currency", "month", "rate")


def rates(store: Store) -> list[dict]:
    """The rates entered, by currency and month: [{currency, month 'YYYY-MM', rate}]."""
    return [
        {"currency": r["currency"], "month": f"{r['month']:%Y-%m}", "rate": r["rate"]}
        for r in queries.run(store, "fx_rates_list").to_pylist()
    ]


def parse(rows: list[dict], company: str) -> list[dict]:
    """Checked rates from an edited or uploaded table; ValueError names the bad row."""
    known = {s.strip(): s for s in [*currency.CHOICES, *currency.CODES.values()] if s.strip()}
    codes = {k.upper(): v for k, v in currency.CODES.items()}
    out: dict[tuple, dict] = {}
    for n, r in enumerate(rows, start=1):
        raw = str(r.get("currency") or "").strip()
        month, rate = str(r.get("month") or "").strip(), r.get("rate")
        if not raw and not month and rate in (None, ""):
            continue  # an empty line of the editor
        sym = known.get(raw) or codes.get(raw.upper())
        if sym is None:
            raise ValueError(
                f"row {n}: unknown currency {raw!r} (write a symbol or a code: $, USD)"
            )
        if sym.strip() == company.strip():
            raise ValueError(f"row {n}: {raw} is the company currency; it needs no rate")
        try:
            first = dt.datetime.strptime(month[:7], "%Y-%m").date()
        except ValueError:
            raise ValueError(f"row {n}: month {month!r} is not like 2025-01") from None
        try:
            value = float(str(rate).replace(",", ""))
        except ValueError:
            raise ValueError(f"row {n}: rate {rate!r} is not a number") from None
        if not value > 0:
            raise ValueError(f"row {n}: the rate must be above 0, not {rate!r}")
        out[(sym, first)] = {"currency": sym, "month": first, "rate": value}
    return list(out.values())


def rows_from_csv(data: bytes, name: str = "the file") -> list[dict]:
    """Rates from an uploaded CSV with the columns currency, month, rate (any order, any case)."""
    import csv
    import io

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{name} is not a UTF-8 text (CSV) file") from None
    reader = csv.DictReader(io.StringIO(text))
    heads = {h.strip().lower(): h for h in reader.fieldnames or []}
    missing = [c for c in COLUMNS if c not in heads]
    if missing:
        raise ValueError(f"{name} needs the columns currency, month, rate; missing: {missing}")
    return [{c: r.get(heads[c]) for c in COLUMNS} for r in reader]


def save_rates(store: Store, rows: list[dict], user: auth.User) -> int:
    """Replace the rates with `rows` (admin only), in one transaction; returns how many."""
    from cockpit.kpis import memo

    auth.require(user, "settings")
    company = store.get_setting(currency.CHOSEN) or ""
    if not company.strip():
        raise ValueError("choose the company currency first: rates convert into it")
    checked = parse(rows, company)
    with store.transaction() as cur:
        queries.run_in(cur, "fx_rates_clear")
        for r in checked:
            queries.run_in(cur, "fx_rate_insert", **r, user=user.name)
        audit(cur, user.name, "fx_rates", {"rates": len(checked), "into": company})
    memo.clear()  # remembered pinned answers were converted with the old rates
    return len(checked)
