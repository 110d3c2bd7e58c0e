"""The engine equals the independent pandas implementation (bench/pandas_kpis.py) on
synthetic data, for every KPI, value, comparison and sparkline month, to 1e-9."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from pathlib import Path

import pytest

from cockpit import ledger
from cockpit.demo.synth import synth_tables
from cockpit.kpis import comparison_months, make_period, scorecard
from cockpit.kpis.engine import spark_months
from cockpit.store import Store

_spec = importlib.util.spec_from_file_location(
    "pandas_kpis", Path(__file__).resolve().parents[2] / "bench" / "pandas_kpis.py"
)
pandas_kpis = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pandas_kpis)


@pytest.fixture(scope="module")
def synth_db():
    tables = synth_tables(6000, seed=11)
    store = Store.open(":memory:")
    for name, table in tables.items():
        ledger.load_table(store, name, table)
    frames = {name: t.to_pandas() for name, t in tables.items()}
    yield store, frames
    store.close()


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize(
    ("kind", "end", "compare", "filters"),
    [
        ("month", "2026-10", "prev", None),
        ("quarter", "2026-08", "yoy", None),
        ("t12m", "2026-10", "prev", None),
        ("ytd", "2026-06", "yoy", {"site": ["Lyon"]}),
        ("t3m", "2026-03", "prev", {"channel": ["Online", "Phone"]}),
        ("month", "2025-12", "yoy", {"unit": ["Operations", "Sales"], "account": ["Salaries"]}),
    ],
)
def test_engine_equals_pandas(synth_db, kind, end, compare, filters):
    store, frames = synth_db
    period = make_period(kind, dt.date.fromisoformat(end + "-01"))
    cards = scorecard(store, period=period, compare=compare, filters=filters)
    ref = pandas_kpis.pandas_scorecard(
        frames,
        period_months=period.months,
        compare_months=comparison_months(period, compare),
        spark_months=spark_months(period.end),
        filters=filters,
    )
    checked = 0
    for card in cards:
        want = ref[card.id]
        assert _close(card.value, want["value"]), (card.id, card.value, want["value"])
        assert _close(card.previous, want["previous"]), (card.id, card.previous)
        for (month, got), exp in zip(card.spark, want["spark"], strict=True):
            assert _close(got, exp), (card.id, month, got, exp)
        checked += card.value is not None
    # The comparison is only worth something if most KPIs have values.
    assert checked >= (25 if not filters else 3)
