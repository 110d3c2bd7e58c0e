"""What each load changed: KPI-months old -> new between the versions before and after it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

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


def test_a_call_centre_month_is_new_values_not_no_change(tiny_db):
    # Issue 23: an ACD summary for a month with no contact figures moved no KPI "value" but
    # added abandonment, speed of answer, handle time and service level: new values.
    stats = [{"month": MAR, "offered": 100, "answered": 90, "abandoned": 10, "asa_seconds": 20,
              "aht_seconds": 200, "service_level_pct": 80}]  # fmt: skip
    entry = ledger.load_table(tiny_db, "contact_stats", stats)
    doc = load_changes(tiny_db, entry.load_id)
    by_kpi = {c["kpi"]: c for c in doc["changes"]}
    assert {"abandon_pct", "asa_seconds", "aht_seconds", "service_level_pct"} <= set(by_kpi)
    abandon = by_kpi["abandon_pct"]
    assert (abandon["old"], abandon["new"], abandon["kind"]) == (None, 10.0, "new")
    assert abandon["text"] == "Abandonment: new value 10.0% for Mar 2025"
    assert "no KPI value" not in doc["summary"] and "new values" in doc["summary"]


def test_a_survey_month_is_new_values(tiny_db):
    rows = [{"response_date": dt.date(2025, 3, 3), "score": s} for s in (10, 9, 2)]
    entry = ledger.load_table(tiny_db, "surveys", rows)
    by_kpi = {c["kpi"]: c for c in load_changes(tiny_db, entry.load_id)["changes"]}
    assert by_kpi["nps"]["kind"] == "new" and by_kpi["nps"]["new"] == pytest.approx(100 / 3)


def test_a_targets_load_lists_target_and_status_changes(tiny_db):
    # tiny_db Jan 2025 abandonment is 1 of 4 answered-known contacts = 25 %, against the plan's
    # 5 (amber 7): red. A new plan of 30 (amber 35) makes it green; the value did not move.
    plan = [{"kpi": "abandon_pct", "month": dt.date(2025, 1, 1), "target": 30,
             "amber_threshold": 35}]  # fmt: skip
    entry = ledger.load_table(tiny_db, "targets", plan, replace=True)
    doc = load_changes(tiny_db, entry.load_id)
    abandon = next(c for c in doc["changes"] if c["kpi"] == "abandon_pct")
    assert abandon["kind"] == "target" and abandon["old"] == abandon["new"] == 25.0
    assert (abandon["old_status"], abandon["new_status"]) == ("red", "green")
    assert abandon["text"] == ("Abandonment: target 5.0% → 30.0%; status red → green for Jan 2025")
    assert "1 target changed" in doc["summary"] and "1 status changed" in doc["summary"]


def test_data_page_lists_new_values_of_a_load(tiny_db, capsys, tmp_path):
    from cockpit.store import Store

    path = tmp_path / "s.duckdb"
    store = Store.open(path)
    ledger.load_table(store, "targets", [{"kpi": "abandon_pct", "month": MAR, "target": 5}])
    stats = [{"month": MAR, "offered": 100, "answered": 90, "abandoned": 10}]
    entry = ledger.load_table(store, "contact_stats", stats)
    store.close()
    assert main(["loads", "--db", str(path), "--changes", str(entry.load_id)]) == 0
    out = capsys.readouterr().out
    assert "changed no KPI" not in out and "new" in out and "10.0%" in out
    row = next(line for line in out.splitlines() if line.startswith("2025-03"))
    assert row.split()[-1] == "red"  # the new value's status: off its target of 5 %


def test_the_summary_gives_many_restated_months_as_a_span():
    # The demo's last load listed all 24 restated months in the one-line summary (the Data
    # page's expander label ran to seven lines on a phone).
    from cockpit.kpis.changes import summary

    def restated(*months: str) -> list[dict]:
        return [
            {"month": m, "restated": True, "kind": "restated", "target_text": "", "status_text": ""}
            for m in months
        ]

    two_years = [f"{2024 + (i + 10) // 12}-{(i + 10) % 12 + 1:02d}" for i in range(24)]
    assert two_years[0] == "2024-11" and two_years[-1] == "2026-10"
    assert summary(13, restated(*two_years)) == (
        "Load 13 changed 24 KPI-months; restated Nov 2024 – Oct 2026 (24 months)."
    )
    assert summary(7, restated("2026-09", "2026-10")) == (
        "Load 7 changed 2 KPI-months; restated Sep 2026, Oct 2026."
    )
    gaps = restated("2025-01", "2025-03", "2025-07", "2026-10")
    assert summary(8, gaps).endswith("restated 4 months between Jan 2025 and Oct 2026.")
