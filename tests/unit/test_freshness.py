"""Coverage grid and data freshness: loaded, partial, superseded and missing months."""

import datetime as dt

from cockpit import ledger
from cockpit.screens import freshness


def _orders(month: int, n: int, site: str = "Leeds") -> list[dict]:
    return [{"order_id": f"{month}-{i}", "order_date": dt.date(2026, month, 3), "site": site,
             "revenue": 1.0} for i in range(n)]  # fmt: skip


def test_grid_marks_loaded_partial_superseded_and_missing(store):
    ledger.load_table(store, "orders", _orders(1, 40) + _orders(2, 40) + _orders(5, 10))
    # March is loaded, then replaced by a load that is undone: nothing live remains for it,
    # so it reads as superseded, not missing.
    march = ledger.load_table(store, "orders", _orders(3, 40))
    undo_me = ledger.load_table(store, "orders", _orders(3, 40), replace=True)
    ledger.undo(store, undo_me.load_id)
    ledger.undo(store, march.load_id)
    grid = freshness.coverage(store).set_index("month")
    assert grid.loc["2026-01", "status"] == "loaded" and grid.loc["2026-01", "rows"] == 40
    assert grid.loc["2026-03", "status"] == "superseded"
    assert grid.loc["2026-04", "status"] == "missing" and grid.loc["2026-04", "rows"] == 0
    # 10 rows against a median month of 40: fewer than half -> partial
    assert grid.loc["2026-05", "status"] == "partial"
    assert freshness.missing_months(store) == {"orders": ["2026-03", "2026-04"]}
    latest = freshness.latest_months(store)
    assert [(r["dataset"], r["latest"], r["partial"]) for r in latest] == [
        ("orders", "May 2026", True)
    ]


def test_sparse_datasets_are_not_called_partial(store):
    ledger.load_table(store, "returns", [
        {"order_id": str(i), "return_date": dt.date(2026, m, 2)}
        for m, n in ((1, 4), (2, 4), (3, 1)) for i in range(n)
    ])  # fmt: skip
    grid = freshness.coverage(store)
    assert set(grid["status"]) == {"loaded"}


def test_as_of_shows_the_grid_as_it_was(store):
    first = ledger.load_table(store, "orders", _orders(1, 40))
    ledger.load_table(store, "orders", _orders(2, 40))
    grid = freshness.coverage(store, as_of=first.seq)
    assert list(grid["month"]) == ["2026-01"]
