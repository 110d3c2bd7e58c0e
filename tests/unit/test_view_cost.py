"""Issue 27: a view the warm-up did not compute costs a fixed number of queries and engine
calls, whatever the number of cards and slices (customers, products) the company has."""

from __future__ import annotations

import pytest

from cockpit import ledger, queries
from cockpit.demo.synth import synth_tables
from cockpit.kpis import engine, memo, what_moved
from cockpit.kpis.periods import default_month, make_period
from cockpit.store import Store

VIEW = {"compare": "yoy", "filters": {"site": ["Lyon"]}}  # trailing 12 months, Lyon, vs last year


@pytest.fixture(autouse=True)
def _empty_memo():
    memo.clear()
    yield
    memo.clear()


def _company(folder, lines: int) -> Store:
    store = Store.open(folder / f"company-{lines}.duckdb")
    for name, table in synth_tables(lines, seed=7).items():
        ledger.load_table(store, name, table, file=f"synth-{name}")
    return store


def _counted(monkeypatch) -> dict:
    """Count query executions and per-slice sums as the Overview computes a view."""
    counts = {"queries": 0, "sums": 0}
    run, sums = queries.run, engine.Components.sums

    def counting_run(*args, **kwargs):
        counts["queries"] += 1
        return run(*args, **kwargs)

    def counting_sums(self, *args, **kwargs):
        counts["sums"] += 1
        return sums(self, *args, **kwargs)

    monkeypatch.setattr(queries, "run", counting_run)
    monkeypatch.setattr(engine.Components, "sums", counting_sums)
    return counts


def _overview(store) -> tuple[list, list]:
    """What the Overview computes for the view: the scorecard, then what moved."""
    version = store.latest_seq()
    period = make_period("t12m", default_month(store, version).month)
    cards = engine.scorecard(store, period=period, as_of=version, **VIEW)
    moved = what_moved(store, period=period, as_of=version, cards=cards, **VIEW)
    return cards, moved


def test_a_views_queries_and_sums_do_not_grow_with_its_slices(tmp_path, monkeypatch):
    small, large = _company(tmp_path, 6_000), _company(tmp_path, 60_000)
    try:
        customers = [
            len(engine.dimension_values(s, "customer", s.latest_seq())) for s in (small, large)
        ]
        assert customers[1] >= 5 * customers[0]  # 1000 customers against 100
        counts = []
        for store in (small, large):
            counted = _counted(monkeypatch)
            cards, moved = _overview(store)
            monkeypatch.undo()
            counts.append(dict(counted))
            assert sum(c.value is not None for c in cards) >= 15
            assert len(moved) == 5 and any(m["driver"] for m in moved)
        assert counts[0] == counts[1]
        # One query per family for the cards, one per (family, dimension) for what moved.
        assert counts[1]["queries"] <= 25
    finally:
        small.close()
        large.close()


def test_every_slices_sums_in_one_pass_equal_the_slice_by_slice_sums(tmp_path):
    store = _company(tmp_path, 6_000)
    try:
        version = store.latest_seq()
        month = default_month(store, version).month
        months = engine.spark_months(month, 3)
        comps = engine.Components(
            engine.fetch_components(
                store,
                ["orders", "downtime"],
                start=months[0],
                end=months[-1],
                filters={},
                as_of=version,
                dimension="customer",
            )  # fmt: skip
        )
        by_slice = comps.sums_by_slice(months[1:])
        assert set(by_slice) == set(comps.slices()) and len(by_slice) > 50
        for s in comps.slices():
            assert by_slice[s] == comps.sums(months[1:], slice_=s)
    finally:
        store.close()


def test_views_ending_in_the_warm_month_reuse_its_queries(tmp_path, monkeypatch):
    """After the warm-up (the latest month against the previous one and last year), a year
    to date, a quarter or a trailing year ending in that month runs none of the warm-up's
    monthly KPI queries again, neither for its cards nor for what moved (only those of
    KPIs that moved in it and not in the month)."""
    from cockpit.kpis import warm

    store = _company(tmp_path, 6_000)
    try:
        ran = []
        run = queries.run

        def recording_run(s, q, **p):
            ran.append((q, p.get("dimension")))
            return run(s, q, **p)

        monkeypatch.setattr(queries, "run", recording_run)
        assert warm.default_view(store)
        warmed = {r for r in ran if r[0].startswith("kpi_")}
        assert len(warmed) >= 10
        version = store.latest_seq()
        month = default_month(store, version).month
        ran.clear()
        for kind, compare in (("ytd", "prev"), ("quarter", "yoy"), ("t12m", "prev")):
            period = make_period(kind, month)
            cards = engine.scorecard(store, period=period, compare=compare, as_of=version)
            moved = what_moved(store, period=period, compare=compare, as_of=version, cards=cards)
            assert moved and any(m["driver"] for m in moved)
        # A whole period's resolution-time percentiles do not add up from months: its own.
        again = {r for r in ran if r[0] != "kpi_resolution_percentiles"} & warmed
        assert again == set()
    finally:
        store.close()
