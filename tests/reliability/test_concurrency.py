"""Concurrency: 8 readers (plain SQL and the KPI scorecard) while an upload commits.

Every read must succeed and see the data either as it was before the upload or as it is
after it, never a mix (one snapshot per query; one transaction per file).
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from cockpit import kpis
from cockpit.ingest.pipeline import load_files
from cockpit.kpis.periods import make_period
from reliability.bad_files import ORDERS, xlsx

READERS = 8
MIN_READS = 25  # per reader, after the upload has finished too
MARCH = make_period("month", dt.date(2025, 3, 1))
TOTALS_SQL = "select count(*) as n, sum(quantity) as qty, sum(revenue) as rev from orders_live"


def _upload() -> tuple[str, bytes]:
    """2000 March orders (quantities 1..4, revenues 5..7 cycling), committed in one transaction."""
    orders = [ORDERS[0]] + [
        [f"M{i}", f"2025-03-{1 + i % 28:02d}", ("Leeds", "Lyon")[i % 2], 1 + i % 4, 5 + i % 3]
        for i in range(2000)
    ]
    return "march.xlsx", xlsx(orders)


def _units(store) -> float | None:
    (card,) = kpis.scorecard(store, period=MARCH, kpi_ids=["units"])
    return card.value


def test_readers_see_before_or_after_never_half(loaded_store):
    store = loaded_store
    name, data = _upload()
    before = store.rows(TOTALS_SQL)[0]
    units_before = _units(store)
    assert units_before == 30 + 10  # tiny_db's March orders F and G

    writing = threading.Event()
    done = threading.Event()
    seen: list[list] = [[] for _ in range(READERS)]
    errors: list[BaseException] = []

    def reader(i: int) -> None:
        try:
            reads = 0
            while not done.is_set() or reads < MIN_READS:
                during = writing.is_set() and not done.is_set()
                if i % 4 == 0:
                    seen[i].append(("units", _units(store), during))
                else:
                    cur = store.cursor()
                    try:
                        row = cur.sql(TOTALS_SQL).to_arrow_table().to_pylist()[0]
                    finally:
                        cur.close()
                    seen[i].append(("totals", row, during))
                reads += 1
        except BaseException as exc:  # collected: a failing thread must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for t in threads:
        t.start()
    time.sleep(0.05)  # the readers are busy before the upload starts
    writing.set()
    report = load_files(store, [(name, data)], replace=False)  # added beside, by hand below
    done.set()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors
    assert report.ok and report.files[0].sheets[0].rows_loaded == 2000
    after = store.rows(TOTALS_SQL)[0]
    # The hand check of the upload: 2000 rows, quantities 1..4 and revenues 5..7 cycling.
    assert after["n"] == before["n"] + 2000
    assert after["qty"] == before["qty"] + sum(1 + i % 4 for i in range(2000))
    assert after["rev"] == before["rev"] + sum(5 + i % 3 for i in range(2000))
    units_after = _units(store)
    assert units_after == units_before + sum(1 + i % 4 for i in range(2000))

    reads = [r for per_thread in seen for r in per_thread]
    assert len(reads) >= READERS * MIN_READS
    for kind, value, _ in reads:
        allowed = (before, after) if kind == "totals" else (units_before, units_after)
        assert value in allowed, (kind, value, allowed)
    assert any(during for _, _, during in reads), "no read overlapped the upload"
