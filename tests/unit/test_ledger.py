"""Ledger and versions: supersede by month and site, as-of reads, undo, the loads list."""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import ledger
from cockpit.store import LATEST

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)


def order(day: dt.date, site: str | None, revenue: float, oid: str = "x") -> dict:
    row = {"order_id": oid, "order_date": day.replace(day=15), "revenue": revenue}
    if site is not None:
        row["site"] = site
    return row


def revenue(store, as_of: int = LATEST) -> float:
    return store.scalar("select coalesce(sum(revenue), 0) from orders_asof($n)", {"n": as_of})


def by_month_site(store, as_of: int = LATEST) -> dict:
    rows = store.rows(
        """select _month as m, site, sum(revenue) as r from orders_asof($n)
           group by all order by all""",
        {"n": as_of},
    )
    return {(r["m"], r["site"]): r["r"] for r in rows}


@pytest.fixture
def history(store):
    """Four versions of orders; the expected sums per version are worked out by hand."""
    v1 = ledger.load_table(
        store,
        "orders",
        [order(JAN, "Leeds", 100), order(JAN, "Lyon", 200), order(FEB, "Leeds", 50)],
        file="jan_feb.xlsx",
    )
    # v2 replaces January at Leeds only: Lyon's January and all of February stay.
    v2 = ledger.load_table(store, "orders", [order(JAN, "Leeds", 10)], replace=True, file="fix")
    # v3 names no site, so it replaces all of February (whatever the site).
    v3 = ledger.load_table(store, "orders", [order(FEB, None, 7)], replace=True, file="feb")
    # v4 adds March without replacing anything.
    v4 = ledger.load_table(store, "orders", [order(MAR, "Lyon", 1000)], file="mar")
    return store, [v1, v2, v3, v4]


def test_each_load_is_a_new_version(history):
    store, loads = history
    assert [e.seq for e in loads] == [1, 2, 3, 4]
    assert store.latest_seq() == 4
    assert store.seq_time(2) is not None and store.seq_time(99) is None


def test_replace_supersedes_only_the_months_and_sites_it_covers(history):
    store, _ = history
    assert by_month_site(store, 1) == {(JAN, "Leeds"): 100, (JAN, "Lyon"): 200, (FEB, "Leeds"): 50}
    assert by_month_site(store, 2) == {(JAN, "Leeds"): 10, (JAN, "Lyon"): 200, (FEB, "Leeds"): 50}
    assert by_month_site(store, 3) == {(JAN, "Leeds"): 10, (JAN, "Lyon"): 200, (FEB, None): 7}
    assert by_month_site(store) == {
        (JAN, "Leeds"): 10,
        (JAN, "Lyon"): 200,
        (FEB, None): 7,
        (MAR, "Lyon"): 1000,
    }


def test_as_of_reproduces_every_earlier_version_exactly(history):
    store, _ = history
    # v0 nothing; v1 100+200+50; v2 10+200+50; v3 10+200+7; v4 217+1000.
    assert [revenue(store, n) for n in range(5)] == [0, 350, 260, 217, 1217]
    assert revenue(store) == 1217
    assert store.scalar("select sum(revenue) from orders_live") == 1217
    # Rows are never deleted: the table holds every version's rows.
    assert store.scalar("select sum(revenue) from orders") == 1367


def test_undo_hides_rows_from_later_versions_only(history):
    store, loads = history
    seq = ledger.undo(store, loads[3].load_id, user="ann")
    assert seq == 5 and store.latest_seq() == 5
    assert revenue(store) == 217
    assert revenue(store, 4) == 1217  # what v4 showed is still reproducible
    undone = store.rows(
        "select undone_seq, undone_by from loads where load_id = $i", {"i": loads[3].load_id}
    )
    assert undone == [{"undone_seq": 5, "undone_by": "ann"}]


def test_undoing_a_replacing_load_brings_back_what_it_replaced(history):
    store, loads = history
    ledger.undo(store, loads[1].load_id)  # the Leeds January fix
    assert by_month_site(store)[(JAN, "Leeds")] == 100
    assert revenue(store) == 100 + 200 + 7 + 1000
    ledger.undo(store, loads[2].load_id)  # the February replacement
    assert by_month_site(store) == {
        (JAN, "Leeds"): 100,
        (JAN, "Lyon"): 200,
        (FEB, "Leeds"): 50,
        (MAR, "Lyon"): 1000,
    }
    assert [revenue(store, n) for n in (3, 5, 6)] == [217, 1307, 1350]


def test_a_replace_after_an_undo_supersedes_only_what_is_live(history):
    store, loads = history
    ledger.undo(store, loads[1].load_id)  # January Leeds is 100 again (from v1)
    v = ledger.load_table(store, "orders", [order(JAN, "Leeds", 1)], replace=True)
    assert by_month_site(store)[(JAN, "Leeds")] == 1
    superseded = store.rows(
        """select s.load_id from supersessions x join segments s using (seg_id)
           where x.by_load_id = $i""",
        {"i": v.load_id},
    )
    assert superseded == [{"load_id": loads[0].load_id}]


def test_a_dataset_without_sites_replaces_whole_months(store):
    rows = [
        {"month": JAN, "unit": "Ops", "actual": 10},
        {"month": JAN, "unit": "Sales", "actual": 20},
        {"month": FEB, "unit": "Ops", "actual": 40},
    ]
    ledger.load_table(store, "budget", rows)
    ledger.load_table(store, "budget", [{"month": JAN, "unit": "Ops", "actual": 1}], replace=True)
    assert store.scalar("select sum(actual) from budget_live") == 41
    assert store.scalar("select sum(actual) from budget_asof(1)") == 70


def test_undo_refuses_unknown_and_repeated_undos(history):
    store, loads = history
    with pytest.raises(KeyError, match="no load 999"):
        ledger.undo(store, 999)
    ledger.undo(store, loads[0].load_id)
    with pytest.raises(ValueError, match="already undone"):
        ledger.undo(store, loads[0].load_id)
    assert store.latest_seq() == 5


def test_list_loads_matches_the_cli_shape(history):
    store, loads = history
    ledger.undo(store, loads[3].load_id, user="ann")
    listed = ledger.list_loads(store)
    cli_fields = {"load_id", "seq", "file", "sheet", "dataset", "months", "rows", "rejected",
                  "status", "loaded_at", "user"}  # fmt: skip
    assert all(cli_fields <= set(r) for r in listed)
    assert [r["load_id"] for r in listed] == [e.load_id for e in reversed(loads)]
    first = listed[-1]
    assert first["months"] == ["2025-01", "2025-02"]
    assert (first["file"], first["dataset"], first["rows"], first["rejected"]) == (
        "jan_feb.xlsx",
        "orders",
        3,
        0,
    )
    assert [r["status"] for r in listed] == ["undone", "loaded", "loaded", "loaded"]
    assert isinstance(first["loaded_at"], dt.datetime) and first["user"] == "local"


def _digest(store, load_id: int) -> str:
    return store.scalar("select sha256 from loads where load_id = $i", {"i": load_id})


def test_a_live_copy_of_the_same_bytes_is_a_duplicate_and_an_undone_one_is_not(history):
    store, loads = history
    digest = _digest(store, loads[3].load_id)  # March: nothing replaced it
    assert ledger.live_duplicate(store, digest, None)["load_id"] == loads[3].load_id
    assert ledger.live_duplicate(store, "nope", None) is None
    assert ledger.overlapping_months(store, "orders", [JAN, dt.date(2025, 5, 1)]) == [JAN]
    assert ledger.overlapping_months(store, "budget", [JAN]) == []
    ledger.undo(store, loads[3].load_id)
    assert ledger.live_duplicate(store, digest, None) is None  # undone: may be loaded again


def test_a_copy_whose_rows_were_replaced_is_not_a_duplicate(history):
    store, loads = history
    # v1 (Jan and Feb) lost January at Leeds to v2 and February to v3: not live as loaded.
    digest = _digest(store, loads[0].load_id)
    assert ledger.live_duplicate(store, digest, None) is None
    # Undo both replacements: all of v1 is live again, so the same bytes are a duplicate.
    ledger.undo(store, loads[1].load_id)
    assert ledger.live_duplicate(store, digest, None) is None  # February still replaced
    ledger.undo(store, loads[2].load_id)
    assert ledger.live_duplicate(store, digest, None)["load_id"] == loads[0].load_id


def test_a_duplicate_is_the_same_sheet_of_the_same_bytes(store):
    entry = ledger.load_table(store, "orders", [order(JAN, "Leeds", 5)], sheet="Orders")
    with store.transaction() as cur:  # the same bytes as a workbook's
        cur.execute("update loads set sha256 = 'book' where load_id = $i", {"i": entry.load_id})
    assert ledger.live_duplicate(store, "book", "Orders")["load_id"] == entry.load_id
    assert ledger.live_duplicate(store, "book", "Returns") is None  # never loaded
    assert ledger.live_duplicate(store, "book", None) is None  # not a whole text file


def test_a_raw_only_copy_is_a_duplicate_only_of_a_raw_only_sheet(store):
    with store.transaction() as cur:
        entry = ledger.new_entry(cur, file="b.xlsx", sheet="Notes", sha256="book",
                                 dataset=None, status="raw-only", user=None)  # fmt: skip
    # Kept raw again: nothing new. Loaded as a dataset now (a held sheet confirmed): new rows.
    assert ledger.live_duplicate(store, "book", "Notes", as_data=False)["load_id"] == (
        entry.load_id
    )
    assert ledger.live_duplicate(store, "book", "Notes", as_data=True) is None


def test_segments_carry_month_site_and_row_counts(history):
    store, loads = history
    segs = store.rows(
        "select month, site, rows from segments where load_id = $i order by all",
        {"i": loads[0].load_id},
    )
    assert segs == [
        {"month": JAN, "site": "Leeds", "rows": 1},
        {"month": JAN, "site": "Lyon", "rows": 1},
        {"month": FEB, "site": "Leeds", "rows": 1},
    ]
    months = store.scalar("select months from loads where load_id = $i", {"i": loads[0].load_id})
    assert months == [JAN, FEB]


def test_load_table_refuses_unknown_columns(store):
    with pytest.raises(KeyError, match="no column"):
        ledger.load_table(store, "orders", [{"order_date": JAN, "colour": "red"}])
    assert store.scalar("select count(*) from loads") == 0
