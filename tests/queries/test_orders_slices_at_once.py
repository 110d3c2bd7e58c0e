"""The orders query slices by several dimensions in one run (issue 27: "what moved" with a
filter ran one orders query per dimension). Each dimension's rows must be exactly those of
the query asked for that dimension alone, and those of the query as it was before
(tests/queries/reference/kpi_orders_monthly_v1.sql, the one-dimension definition kept only
to check this one against), and "what moved" must name the same drivers."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from cockpit import ledger, queries
from cockpit.demo.synth import synth_tables
from cockpit.kpis import engine, memo, movers
from cockpit.kpis import targets as targets_mod
from cockpit.kpis.periods import default_month, make_period
from cockpit.store import LATEST, Store

D = dt.date
REFERENCE = Path(__file__).parent / "reference" / "kpi_orders_monthly_v1.sql"
ORDER_DIMS = engine.FAMILIES["orders"].dimensions


@pytest.fixture(autouse=True)
def _empty_memo():
    memo.clear()
    yield
    memo.clear()


def _params(store, filters, start, end) -> dict:
    return engine._query_params(
        engine.FAMILIES["orders"], start=start, end=end, filters=filters, dimension=None,
        as_of=store.latest_seq(), sla=targets_mod.sla_days(store), months=[], compare=[],
    )  # fmt: skip


def _rows(store, params, dims) -> list[dict]:
    return queries.run(
        store, "kpi_orders_monthly", **{**params, "dimensions": list(dims)}
    ).to_pylist()


def _reference(store, params, dim) -> list[dict]:
    sql = REFERENCE.read_text(encoding="utf-8")
    bound = {**params, "dimension": dim}
    return store.arrow(sql, {p: bound[p] for p in queries.parameters(sql)}).to_pylist()


def _norm(rows) -> list[dict]:
    out = []
    for r in rows:
        r = {k: v for k, v in r.items() if k != "dimension"}
        r["cycle_histogram"] = sorted(r["cycle_histogram"] or [])
        out.append(r)
    return sorted(out, key=lambda r: (str(r["month"]), str(r["slice"])))


def _assert_same(got, want):
    got, want = _norm(got), _norm(want)
    assert [(r["month"], r["slice"]) for r in got] == [(r["month"], r["slice"]) for r in want]
    for g, w in zip(got, want, strict=True):
        assert g.keys() == w.keys()
        for k in g:
            if isinstance(g[k], float) and isinstance(w[k], float):
                # Sums of money in another order of addition: the last digits may differ
                # (they do between two runs of the same query too).
                assert math.isclose(g[k], w[k], rel_tol=1e-12, abs_tol=1e-9), (k, g, w)
            else:
                assert g[k] == w[k], (k, g, w)


# -- a case checked by hand ---------------------------------------------------------------------
def _line(order_id, day, *, site, category, ship, promised, channel="Online", revenue=10):
    return {"order_id": order_id, "order_date": D(2025, 1, day), "site": site,
            "region": "North", "channel": channel, "category": category, "product": category,
            "customer": "Acme", "ship_mode": "Standard", "quantity": 1, "revenue": revenue,
            "ship_date": D(2025, 1, ship), "promised_date": D(2025, 1, promised)}  # fmt: skip


SPLIT = [
    # A: one site, two categories; the Tools line ships late (day 9, promised day 8).
    _line("A", 2, site="Leeds", category="Tools", ship=9, promised=8),
    _line("A", 2, site="Leeds", category="Paint", ship=4, promised=8),
    # B: lines at two sites (as data may come); Leeds ships on time, Lyon late.
    _line("B", 3, site="Leeds", category="Tools", ship=5, promised=6),
    _line("B", 3, site="Lyon", category="Tools", ship=7, promised=6),
    # C: one line, on time, another channel.
    _line("C", 4, site="Lyon", category="Paint", ship=5, promised=9, channel="Phone"),
]


def _by_slice(rows, dim) -> dict:
    return {
        r["slice"]: (r["orders"], r["on_time"], r["rows"]) for r in rows if r["dimension"] == dim
    }


def test_an_order_counts_once_in_every_slice_it_has_lines_in_by_hand(store):
    ledger.load_table(store, "orders", SPLIT)
    params = _params(store, {}, D(2025, 1, 1), D(2025, 1, 1))
    rows = _rows(store, params, ["site", "category", "channel", "region"])
    # (orders, on time, lines) per slice. Order-level: A's parts are one per site.
    # Leeds: A (latest ship 9 > 8: late) and B's Leeds line (5 <= 6: on time).
    # Lyon: B's Lyon line (7 > 6: late) and C (on time).
    assert _by_slice(rows, "site") == {"Leeds": (2, 1, 3), "Lyon": (2, 1, 2)}
    # Tools: A's Tools line (late), B (latest ship 7 > 6: late). Paint: A's Paint line
    # (on time), C (on time).
    assert _by_slice(rows, "category") == {"Tools": (2, 0, 3), "Paint": (2, 2, 2)}
    # Online: A (late), B (late). Phone: C.
    assert _by_slice(rows, "channel") == {"Online": (2, 0, 4), "Phone": (1, 1, 1)}
    # B's two sites are one region: the order counts once there, late.
    assert _by_slice(rows, "region") == {"North": (3, 1, 5)}
    for dim in ("site", "category", "channel", "region"):
        alone = _rows(store, params, [dim])
        assert _by_slice(alone, dim) == _by_slice(rows, dim)
        _assert_same([r for r in rows if r["dimension"] == dim], _reference(store, params, dim))
    # No dimension: the whole month, three orders, C on time only.
    whole = _rows(store, params, [])
    assert [(r["dimension"], r["slice"], r["orders"], r["on_time"]) for r in whole] == [
        (None, None, 3, 1)
    ]


# -- against the definition as it was ------------------------------------------------------------
def _company(folder, lines: int) -> Store:
    store = Store.open(folder / f"company-{lines}.duckdb")
    for name, table in synth_tables(lines, seed=7).items():
        ledger.load_table(store, name, table, file=f"synth-{name}")
    return store


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    store = _company(tmp_path_factory.mktemp("company"), 8_000)
    yield store
    store.close()


@pytest.mark.parametrize("filters", [{}, {"site": ["Lyon"]}, {"channel": ["Online", "Phone"]}])
def test_every_dimension_at_once_equals_the_reference_one_by_one(company, filters):
    month = default_month(company, company.latest_seq()).month
    months = engine.spark_months(month)
    params = _params(company, filters, months[0], months[-1])
    dims = [d for d in ORDER_DIMS if len(filters.get(d, [])) != 1]
    rows = _rows(company, params, dims)
    assert {r["dimension"] for r in rows} == set(dims)
    for dim in dims:
        _assert_same([r for r in rows if r["dimension"] == dim], _reference(company, params, dim))
    _assert_same(_rows(company, params, []), _reference(company, params, None))


def test_tiny_db_every_dimension_equals_the_reference(tiny_db):
    params = _params(tiny_db, {}, D(2024, 1, 1), D(2025, 3, 1))
    params["as_of"] = LATEST
    rows = _rows(tiny_db, params, ORDER_DIMS)
    for dim in ORDER_DIMS:
        _assert_same([r for r in rows if r["dimension"] == dim], _reference(tiny_db, params, dim))


# -- what moved ----------------------------------------------------------------------------------
def _moved(store, monkeypatch, at_once: bool, **view) -> list[dict]:
    memo.clear()
    monkeypatch.setattr(engine.Family, "slices_at_once", property(lambda self: at_once and
                        "dimensions" in queries.parameters(queries.sql_text(self.query))))  # fmt: skip
    version = store.latest_seq()
    period = make_period(view.pop("kind"), default_month(store, version).month)
    return movers.what_moved(store, period=period, as_of=version, **view)


@pytest.mark.parametrize(
    "view",
    [
        {"kind": "t12m", "compare": "yoy", "filters": {"site": ["Lyon"]}},
        {"kind": "quarter", "compare": "prev", "filters": {}},
        {"kind": "month", "compare": "prev", "filters": {"channel": ["Online"]}},
    ],
)
def test_what_moved_names_the_same_drivers_as_one_query_per_dimension(company, monkeypatch, view):
    at_once = _moved(company, monkeypatch, True, **dict(view))
    one_by_one = _moved(company, monkeypatch, False, **dict(view))
    assert at_once and any(m["driver"] for m in at_once)
    assert [(m["id"], m["driver"] and (m["driver"]["dimension"], m["driver"]["slice"]))
            for m in at_once] == [(m["id"], m["driver"] and (m["driver"]["dimension"],
                                  m["driver"]["slice"])) for m in one_by_one]  # fmt: skip
    for a, b in zip(at_once, one_by_one, strict=True):
        assert a["text"] == b["text"]
        if a["driver"]:
            for k in ("contribution", "slice_value", "slice_previous"):
                assert a["driver"][k] == pytest.approx(b["driver"][k], rel=1e-9), k


def test_what_moved_runs_one_orders_query_for_every_dimension(company, monkeypatch):
    ran = []
    run = queries.run

    def recording(store, name, **params):
        ran.append((name, params.get("dimensions")))
        return run(store, name, **params)

    monkeypatch.setattr(queries, "run", recording)
    version = company.latest_seq()
    period = make_period("t12m", default_month(company, version).month)
    cards = engine.scorecard(
        company, period=period, compare="yoy", filters={"site": ["Lyon"]}, as_of=version
    )
    ran.clear()
    moved = movers.what_moved(company, period=period, compare="yoy",
                              filters={"site": ["Lyon"]}, as_of=version, cards=cards)  # fmt: skip
    assert any(m["driver"] and m["id"] in ("orders", "revenue", "units") for m in moved)
    orders = [dims for name, dims in ran if name == "kpi_orders_monthly"]
    assert orders == [[d for d in ORDER_DIMS if d != "site"]]
