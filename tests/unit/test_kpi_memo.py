"""The shared query memo: one computation per view and data version, never a stale answer."""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import ledger
from cockpit.kpis import make_period, memo, scorecard, warm, what_moved
from cockpit.store import LATEST, Store

JAN = dt.date(2025, 1, 1)


@pytest.fixture(autouse=True)
def _empty_memo():
    memo.clear()
    yield
    memo.clear()


def _orders(tiny_db, as_of):
    cards = scorecard(tiny_db, period=make_period("month", JAN), as_of=as_of)
    return {c.id: c.value for c in cards}


def _one_more_order(store):
    row = {"order_id": "Z", "order_date": dt.date(2025, 1, 3), "quantity": 1, "revenue": 5,
           "site": "Leeds", "region": "North"}  # fmt: skip
    return ledger.load_table(store, "orders", [row])


def test_a_view_at_a_fixed_version_is_computed_once(tiny_db):
    version = tiny_db.latest_seq()
    first = _orders(tiny_db, version)
    misses = memo.stats()["misses"]
    assert misses > 0
    assert _orders(tiny_db, version) == first
    assert memo.stats()["misses"] == misses  # every query answered from the memo
    assert memo.stats()["hits"] >= misses


def test_comparing_with_the_target_reuses_the_months_already_read(tiny_db):
    version = tiny_db.latest_seq()
    period = make_period("month", JAN)
    scorecard(tiny_db, period=period, compare="prev", as_of=version)
    misses = memo.stats()["misses"]
    scorecard(tiny_db, period=period, compare="target", as_of=version)
    # Only the resolution percentiles depend on the compared months.
    assert memo.stats()["misses"] - misses <= 1


def test_a_new_load_is_a_new_version_and_is_read_afresh(tiny_db):
    before = tiny_db.latest_seq()
    assert _orders(tiny_db, before)["orders"] == 4
    _one_more_order(tiny_db)
    assert _orders(tiny_db, tiny_db.latest_seq())["orders"] == 5
    assert _orders(tiny_db, before)["orders"] == 4  # the earlier version still reads as it was


def test_undo_is_a_new_version_too(tiny_db):
    entry = _one_more_order(tiny_db)
    assert _orders(tiny_db, tiny_db.latest_seq())["orders"] == 5
    ledger.undo(tiny_db, entry.load_id)
    assert _orders(tiny_db, tiny_db.latest_seq())["orders"] == 4


def test_latest_is_never_remembered(tiny_db):
    _orders(tiny_db, None)
    _orders(tiny_db, LATEST)
    assert memo.stats() == {"hits": 0, "misses": 0, "entries": 0}


def test_another_store_on_the_same_file_does_not_answer_from_the_first(tmp_path, tiny_tables):
    db = tmp_path / "c.duckdb"
    a = Store.open(db)
    ledger.load_table(a, "orders", tiny_tables["orders"])
    version = a.latest_seq()
    assert _orders(a, version)["orders"] == 4
    a.close()
    db.unlink()  # the file replaced by another database with the same version numbers
    b = Store.open(db)
    ledger.load_table(b, "orders", tiny_tables["orders"][:2])
    assert b.latest_seq() == version
    assert _orders(b, version)["orders"] == 1
    b.close()


def test_the_memo_is_bounded(tiny_db, monkeypatch):
    monkeypatch.setattr(memo, "MAX_ENTRIES", 3)
    _orders(tiny_db, tiny_db.latest_seq())
    assert memo.stats()["entries"] == 3


def test_warm_up_computes_the_default_view_before_anyone_asks(tiny_db):
    assert warm.default_view(tiny_db) is True
    misses = memo.stats()["misses"]
    version = tiny_db.latest_seq()
    from cockpit.kpis.periods import default_month

    period = make_period("month", default_month(tiny_db, version).month)
    cards = scorecard(tiny_db, period=period, as_of=version)
    what_moved(tiny_db, period=period, as_of=version, cards=cards)
    assert memo.stats()["misses"] == misses  # all of it was already there


def test_warm_up_of_an_empty_database_does_nothing(store):
    assert warm.default_view(store) is False
