"""Replacing is per report: a re-export replaces the months its report covers; another
report of the same dataset and month (tickets beside calls) is never wiped by it."""

from __future__ import annotations

from workbooks import text

from cockpit.ingest.pipeline import load_files

CALLS = ["Call ID", "Call Date", "Agent", "Answered", "Wait (s)"]
TICKETS = ["Ticket Number", "Date Created", "Current Status", "Agent Assigned", "Due Date",
           "Close Date"]  # fmt: skip


def _calls(n: int, tag: str) -> bytes:
    rows = [CALLS] + [[f"{tag}{i}", f"2025-03-{1 + i:02d} 09:00", "Ann", "Y", 20 + i]
                      for i in range(n)]  # fmt: skip
    return text(rows).encode()


def _tickets(n: int) -> bytes:
    rows = [TICKETS] + [[f"T{i}", f"2025-03-{1 + i:02d} 10:00", "Closed", "Bob",
                         f"2025-03-{3 + i:02d} 10:00", f"2025-03-{2 + i:02d} 10:00"]
                        for i in range(n)]  # fmt: skip
    return text(rows).encode()


def _count(store) -> int:
    return store.scalar("SELECT count(*) FROM contacts_live")


def test_a_report_replaces_its_own_months_and_not_another_reports(store):
    assert load_files(store, [("calls_mar.csv", _calls(4, "A"))], replace=True).ok
    assert load_files(store, [("tickets_mar.csv", _tickets(3))], replace=True).ok
    assert _count(store) == 4 + 3  # the tickets did not wipe March's calls
    # A corrected re-export of the calls replaces the calls only.
    assert load_files(store, [("calls_mar_v2.csv", _calls(2, "B"))], replace=True).ok
    assert _count(store) == 2 + 3
    ids = {r["contact_id"] for r in store.rows("SELECT contact_id FROM contacts_live")}
    assert ids == {"B0", "B1", "T0", "T1", "T2"}
