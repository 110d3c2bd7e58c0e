"""What each load changed: KPI-months old -> new between the versions before and after it."""

from __future__ import annotations

import datetime as dt
import json

from cockpit import ledger
from cockpit.cli import main
from cockpit.kpis.changes import load_changes

MAR, APR = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


def _orders(month: dt.date, n: int, qty: int, tag: str) -> list[dict]:
    return [
        {"order_id": f"{tag}{i}", "order_date": month.replace(day=10 + i), "quantity": qty,
         "revenue": 10.0 * qty, "site": "Leeds"}
        for i in range(n)
    ]  # fmt: skip


def test_a_replacing_load_restates_the_months_it_covers(tiny_db):
    # tiny_db March: orders F (Leeds, 30 units, £300) and G (Lyon, 10 units, £100). A Leeds
    # load replaces Leeds only: 3 new orders of 5 units + G -> 4 orders, 25 units, £250.
    entry = ledger.load_table(tiny_db, "orders", _orders(MAR, 3, 5, "M"), replace=True)
    doc = load_changes(tiny_db, entry.load_id)
    by_kpi = {c["kpi"]: c for c in doc["changes"]}
    assert (by_kpi["orders"]["old"], by_kpi["orders"]["new"]) == (2, 4)
    assert (by_kpi["units"]["old"], by_kpi["units"]["new"]) == (40, 25)
    assert (by_kpi["revenue"]["old"], by_kpi["revenue"]["new"]) == (400, 250)
    assert by_kpi["orders"]["restated"] and doc["restated_months"] == ["2025-03"]
    assert by_kpi["orders"]["text"] == "Mar 2025 Orders restated 2 → 4 by load " + str(
        entry.load_id
    )
    assert {c["month"] for c in doc["changes"]} == {"2025-03"}
    assert "budget_variance" not in by_kpi  # a KPI of another dataset cannot move
    assert doc["summary"].startswith(f"Load {entry.load_id} changed {len(doc['changes'])} KPI")


def test_a_new_month_is_new_not_restated(tiny_db):
    entry = ledger.load_table(tiny_db, "orders", _orders(APR, 2, 1, "A"))
    doc = load_changes(tiny_db, entry.load_id)
    orders = next(c for c in doc["changes"] if c["kpi"] == "orders")
    assert (orders["old"], orders["new"], orders["restated"]) == (None, 2, False)
    assert doc["restated_months"] == []


def test_cli_loads_changes_json(tiny_db, tmp_path, capsys):
    path = tmp_path / "c.duckdb"
    from cockpit.store import Store

    store = Store.open(path)
    ledger.load_table(store, "orders", _orders(MAR, 2, 1, "X"))
    entry = ledger.load_table(store, "orders", _orders(MAR, 1, 4, "Y"), replace=True)
    store.close()
    assert main(["loads", "--db", str(path), "--changes", str(entry.load_id), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    units = next(c for c in doc["changes"] if c["kpi"] == "units")
    assert (units["old"], units["new"], units["restated"]) == (2, 4, True)
    assert main(["loads", "--db", str(path), "--changes", "999"]) == 2
