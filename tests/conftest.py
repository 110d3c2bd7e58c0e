"""Shared fixtures: an empty in-memory store, and `tiny_db`, the hand-computed KPI fixture.

tiny_db (every figure is worked out by hand in tests/unit/test_kpi_values.py):
- orders: Jan 2024 (one order, for year-on-year), Jan-Mar 2025; order B's lines span
  Jan/Feb 2025 (it counts once, in January); order C (no promised date, Freight SLA) is
  returned; order D is never shipped.
- production Jan-Mar 2025 (Feb: zero planned minutes), downtime and budget Jan 2025,
  contacts and surveys Jan 2025 only, a targets row for abandon_pct in Jan 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest
from shared_files import MISSING_REALDATA, MISSING_TOOL, REALDATA

from cockpit import ledger
from cockpit.store import Store

D = dt.date
T = dt.datetime


_TIER_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    """Add each test's setup, call and teardown time to its tier (tests/<tier>/...)."""
    parts = report.nodeid.split("/")
    tier = parts[1] if len(parts) > 2 and parts[0] == "tests" else "other"
    _TIER_SECONDS[tier] = _TIER_SECONDS.get(tier, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    """Time per tier (summed over workers), then say loudly what real checks did not run."""
    if _TIER_SECONDS:
        terminalreporter.write_sep("-", "time per tier (test seconds, all workers)")
        for tier, secs in sorted(_TIER_SECONDS.items(), key=lambda kv: -kv[1]):
            terminalreporter.write_line(f"{tier:12} {secs:8.1f} s")
    skipped = terminalreporter.stats.get("skipped", [])
    for marker, what in ((MISSING_REALDATA, f"../shared/realdata not found at {REALDATA}"),
                         (MISSING_TOOL, "a tool the tests need is not installed")):  # fmt: skip
        missing = [r for r in skipped if marker in str(getattr(r, "longrepr", ""))]
        if missing:
            terminalreporter.write_sep("!", f"{len(missing)} TESTS SKIPPED: {what}", red=True)


def _line(order_id, order_date, qty, revenue, *, site="Leeds", **extra):
    row = {"order_id": order_id, "order_date": order_date, "quantity": qty, "revenue": revenue}
    row.update(site=site, region="North" if site == "Leeds" else "South", **extra)
    return row


TINY_ORDERS = [
    _line("H", D(2024, 1, 15), 4, 40, cost=20, ship_date=D(2024, 1, 16),
          promised_date=D(2024, 1, 20), ship_mode="Standard", channel="Online"),
    _line("A", D(2025, 1, 10), 10, 100, cost=60, ship_date=D(2025, 1, 12),
          promised_date=D(2025, 1, 15), delivered_date=D(2025, 1, 14), ship_mode="Standard",
          channel="Online"),
    _line("B", D(2025, 1, 30), 5, 50, profit=20, ship_date=D(2025, 2, 3),
          promised_date=D(2025, 2, 2), ship_mode="Express", channel="Online"),
    _line("B", D(2025, 2, 1), 5, 50, cost=30, ship_date=D(2025, 2, 5), ship_mode="Express",
          channel="Online"),
    _line("C", D(2025, 1, 20), 20, 400, site="Lyon", cost=300, ship_date=D(2025, 1, 25),
          ship_mode="Freight", channel="Distributor"),
    _line("D", D(2025, 1, 25), 1, 10, site="Lyon", cost=4, channel="Online"),
    _line("E", D(2025, 2, 10), 10, 200, cost=150, ship_date=D(2025, 2, 20),
          ship_mode="Standard", channel="Online"),
    _line("F", D(2025, 3, 5), 30, 300, cost=200, ship_date=D(2025, 3, 6),
          promised_date=D(2025, 3, 10), ship_mode="Standard", channel="Online"),
    _line("G", D(2025, 3, 15), 10, 100, site="Lyon", cost=50, ship_date=D(2025, 3, 16),
          promised_date=D(2025, 3, 20), ship_mode="Standard", channel="Distributor"),
]  # fmt: skip

TINY_RETURNS = [
    {"order_id": "C", "return_date": D(2025, 2, 2), "quantity": 2},
    {"order_id": "C", "return_date": D(2025, 2, 9), "quantity": 1},
    {"order_id": "ZZ", "return_date": D(2025, 1, 9), "quantity": 1},  # not a known order
]

TINY_PRODUCTION = [
    {"date": D(2025, 1, 6), "site": "Leeds", "line": "L1", "planned_minutes": 480,
     "run_minutes": 400, "ideal_minutes": 360, "units": 1000, "good_units": 950},
    {"date": D(2025, 1, 7), "site": "Lyon", "line": "L2", "planned_minutes": 480,
     "downtime_minutes": 120, "ideal_rate_per_minute": 2.5, "units": 800, "scrap_units": 40},
    {"date": D(2025, 2, 3), "site": "Leeds", "line": "L1", "planned_minutes": 0,
     "run_minutes": 0, "ideal_minutes": 0, "units": 0, "good_units": 0},
    {"date": D(2025, 3, 3), "site": "Leeds", "line": "L1", "planned_minutes": 100,
     "run_minutes": 50, "ideal_minutes": 80, "units": 100, "good_units": 100},
]  # fmt: skip

TINY_DOWNTIME = [
    {"date": D(2025, 1, 6), "site": "Leeds", "line": "L1", "cause": "Jam", "minutes": 50},
    {"date": D(2025, 1, 7), "site": "Lyon", "line": "L2", "cause": "Jam", "minutes": 70},
    {"date": D(2025, 1, 7), "site": "Lyon", "line": "L2", "cause": "Changeover", "minutes": 30},
]

TINY_BUDGET = [
    {"month": D(2025, 1, 1), "unit": "Operations", "account": "Salaries", "kind": "cost",
     "budget": 1000, "actual": 1100},
    {"month": D(2025, 1, 1), "unit": "Operations", "account": "Energy", "kind": "cost",
     "budget": 500, "actual": 450},
    {"month": D(2025, 1, 1), "unit": "Sales", "account": "Sales", "kind": "Income",
     "budget": 2000, "actual": 2500},
]  # fmt: skip

TINY_CONTACTS = [
    {"contact_id": "c1", "contact_date": T(2025, 1, 5, 9), "resolved_at": T(2025, 1, 5, 11),
     "channel": "Phone", "agent": "Ann", "answered": True, "wait_seconds": 30,
     "handle_seconds": 300, "resolved": True, "first_contact_resolved": True, "csat": 5,
     "sla_met": True},
    {"contact_id": "c2", "contact_date": T(2025, 1, 6, 9), "channel": "Phone", "agent": "Bob",
     "answered": True, "wait_seconds": 90, "handle_seconds": 500, "resolved": False,
     "first_contact_resolved": False, "csat": 3, "sla_met": False},
    {"contact_id": "c3", "contact_date": T(2025, 1, 7, 9), "channel": "Phone", "agent": "Bob",
     "answered": False, "wait_seconds": 200, "sla_met": False},
    {"contact_id": "c4", "contact_date": T(2025, 1, 10, 10), "resolved_at": T(2025, 1, 11, 10),
     "channel": "Email", "agent": "Ann", "answered": True, "wait_seconds": 60,
     "handle_seconds": 400, "resolved": True, "first_contact_resolved": False, "csat": 4,
     "sla_met": True},
    {"contact_id": "c5", "contact_date": T(2025, 1, 28, 10), "channel": "Chat", "agent": "Ann",
     "csat": 7},
]  # fmt: skip

TINY_SURVEYS = [
    {"response_date": D(2025, 1, 3), "score": s, "site": site, "segment": "Trade"}
    for s, site in (
        (10, "Leeds"),
        (9, "Leeds"),
        (8, "Leeds"),
        (6, "Lyon"),
        (3, "Lyon"),
        (0, "Lyon"),
    )
]

TINY_TARGETS = [
    {"kpi": "abandon_pct", "month": D(2025, 1, 1), "target": 5, "amber_threshold": 7},
]

TINY_TABLES = {
    "orders": TINY_ORDERS,
    "returns": TINY_RETURNS,
    "production": TINY_PRODUCTION,
    "downtime": TINY_DOWNTIME,
    "budget": TINY_BUDGET,
    "contacts": TINY_CONTACTS,
    "surveys": TINY_SURVEYS,
    "targets": TINY_TARGETS,
}


@pytest.fixture(autouse=True)
def _money_in_pounds():
    """Money formats as the demo company's (its exports say £); tests of other currencies,
    or of none, set their own (cockpit.currency)."""
    from cockpit import currency

    before = currency._shown["symbol"]
    currency.forget_view()  # a view an earlier test used in this thread
    currency._shown["symbol"] = "£"
    yield
    currency._shown["symbol"] = before
    currency.forget_view()


@pytest.fixture
def store():
    """An empty, migrated in-memory store."""
    s = Store.open(":memory:")
    yield s
    s.close()


@pytest.fixture
def tiny_tables() -> dict[str, list[dict]]:
    """The tiny_db rows per dataset, for tests that build their own database from them."""
    return TINY_TABLES


@pytest.fixture
def tiny_db(store):
    """The store with TINY_TABLES loaded, one load per dataset."""
    for name, rows in TINY_TABLES.items():
        ledger.load_table(store, name, rows)
    return store
