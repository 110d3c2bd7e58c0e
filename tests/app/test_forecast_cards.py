"""Issue 28: a month still arriving shows its forecast to month end ("on pace for …") and
the target to date on its cards, never the half month against the whole month's target; the
Cost page draws the pace chart."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cockpit import datasets, ledger
from cockpit.kpis.catalogue import format_money
from cockpit.store import LATEST, Store

from .conftest import kpi_cards, page_text

NOV = dt.date(2026, 11, 1)


def load_half_november(db: Path) -> None:
    """The demo's orders of 1-15 Oct 2026 again as new orders of 1-15 Nov (a half month),
    and a plan for November: 700 orders, £150k revenue."""
    store = Store.open(db)
    try:
        names = [c.name for c in datasets.get("orders").columns]
        rows = (
            store.cursor()
            .sql(f"select {', '.join(names)} from orders_asof({LATEST}) "
                 "where order_date >= date '2026-10-01' and order_date < date '2026-10-16'")
            .to_arrow_table()
            .to_pylist()
        )  # fmt: skip
        for r in rows:
            r["order_id"] = f"N{r['order_id']}" if r["order_id"] else None
            for k in ("order_date", "ship_date", "delivered_date", "promised_date"):
                if r[k] is not None:
                    r[k] += dt.timedelta(days=31)
        ledger.load_table(store, "orders", rows, file="november.csv")
        ledger.load_table(store, "targets", [{"kpi": "orders", "month": NOV, "target": 700.0},
                                             {"kpi": "revenue", "month": NOV, "target": 150000.0}],
                          file="plan.csv")  # fmt: skip
    finally:
        store.close()


def weekday_share(db: Path) -> float:
    """Independently of the engine: orders per calendar day of each weekday over May-Oct
    2026, and the share of November's weekday-weighted days falling on 1-15 Nov."""
    store = Store.open(db)
    try:
        rows = (
            store.cursor()
            .sql(
                f"select isodow(order_date) - 1 as w, count(*) as n from orders_asof({LATEST}) "
                "where order_date >= date '2026-05-01' and order_date < date '2026-11-01' group by 1"
            )
            .fetchall()
        )
    finally:
        store.close()
    days = [dt.date(2026, 5, 1) + dt.timedelta(days=i) for i in range(184)]  # May-Oct
    per_day = {w: n / sum(1 for d in days if d.weekday() == w) for w, n in rows}
    nov = [per_day.get((NOV + dt.timedelta(days=i)).weekday(), 0) for i in range(30)]
    return sum(nov[:15]) / sum(nov)


def test_a_half_month_card_shows_on_pace_for_and_the_target_to_date(open_app, demo_db):
    load_half_november(demo_db)
    share = weekday_share(demo_db)
    at = open_app(demo_db, month="2026-11")
    cards = kpi_cards(at)
    # The target to date: 700 x the share of November done, not the whole month's 700.
    assert f"target to date {700 * share:,.0f}" in cards["Orders"]["foot"]
    assert f"target to date {format_money(150000 * share)}" in cards["Revenue"]["foot"]
    assert "target 700" not in cards["Orders"]["foot"]
    text = page_text(at)
    assert "on pace for" in text
    assert "(target 700): " in text and "(target £150k): " in text
    assert "⚠ partial month" in cards["Orders"]["foot"]


def test_the_cost_page_draws_the_pace_chart_of_a_month_still_arriving(open_app, demo_db):
    load_half_november(demo_db)
    at = open_app(demo_db, page="cost", month="2026-11")
    said = "Solid: revenue to date; dotted: the target's pace; dashed: the forecast"
    assert said in page_text(at)
    specs = [json.loads(el.proto.spec) for el in _walk(at.main)
             if getattr(el, "type", "") == "vega_lite_chart"]  # fmt: skip
    (pace,) = [s for s in specs if "pace to the end of Nov 2026" in json.dumps(s)]
    assert json.dumps(pace).count('"strokeDash"') == 2  # the pacing line and the forecast


def _walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)
