"""Built-in KPIs and custom metrics are found through one lookup (cockpit.kpis.registry), and
no other module looks an id up in the catalogue or takes an id-or-Kpi."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from custom_metric_examples import freight_per_unit

from cockpit import auth, items
from cockpit.kpis import custom_metrics, registry
from cockpit.kpis.catalogue import CATALOGUE, format_value
from cockpit.kpis.engine import KpiValue
from cockpit.screens import scorecard_view
from cockpit.store import Store

ROOT = Path(__file__).resolve().parents[2]
ANALYST = auth.User("ann", "analyst")


@pytest.fixture
def store():
    s = Store.open(":memory:")
    yield s
    s.close()


_metric = freight_per_unit


def test_lookup_finds_builtins_and_custom_metrics(store):
    assert registry.lookup("on_time_pct") is CATALOGUE["on_time_pct"]
    with pytest.raises(KeyError, match="custom_freight_per_unit"):
        registry.lookup("custom_freight_per_unit", custom_metrics.definitions(store))
    items.put(store, custom_metrics.SETTING, "freight_per_unit", _metric().__dict__, user="ann")
    defs = custom_metrics.definitions(store)
    assert list(defs) == ["custom_freight_per_unit"]
    kpi = registry.lookup("custom_freight_per_unit", defs)
    assert (kpi.label, kpi.fmt, kpi.higher_is_better) == ("Freight per unit", "money", False)
    # A built-in is the catalogue's even if a definitions map says otherwise.
    assert registry.lookup("nps", {"nps": kpi}) is CATALOGUE["nps"]
    with pytest.raises(KeyError, match="unknown KPI 'nope'"):
        registry.lookup("nope", defs)
    assert registry.is_builtin("nps") and not registry.is_builtin("custom_freight_per_unit")


def test_a_custom_card_formats_like_a_builtin_with_its_own_definition():
    kpi = _metric().as_kpi()
    value = KpiValue(
        id=kpi.id, label=kpi.label, group=kpi.group, unit="money", value=0.5, previous=0.2, change=0.3,
        change_pct=150.0, target=0.25, status="red", reason=None, spark=[],
    )  # fmt: skip
    card = scorecard_view.card_view(value, defs={kpi.id: kpi})
    assert (card["value_text"], card["target_text"], card["change_text"]) == (
        format_value(CATALOGUE["revenue"], 0.5),
        format_value(CATALOGUE["revenue"], 0.25),
        "+" + format_value(CATALOGUE["revenue"], 0.3),
    )
    assert card["group"] == "Custom" and card["delta_color"] == "inverse"
    with pytest.raises(KeyError, match=kpi.id):
        scorecard_view.card_view(value)  # without its definition it is unknown


def _catalogue_lookups(source: str) -> list[str]:
    """Places `source` finds a KPI by id in CATALOGUE (`CATALOGUE[x]`, `.get`, `in CATALOGUE`)
    or takes a `str | Kpi`; iterating the catalogue is fine."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "CATALOGUE"
            or isinstance(node, ast.Attribute)
            and ast.unparse(node) == "CATALOGUE.get"
        ):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Compare) and any(
            isinstance(op, ast.In | ast.NotIn) for op in node.ops
        ):
            if any(ast.unparse(c) == "CATALOGUE" for c in node.comparators):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            text = ast.unparse(node)
            if text in ("str | Kpi", "Kpi | str"):
                found.append(text)
        elif isinstance(node, ast.Constant) and node.value in ("str | Kpi", "Kpi | str"):
            found.append(node.value)
    return found


def test_only_the_registry_looks_kpis_up_in_the_catalogue():
    allowed = {
        ROOT / "cockpit" / "kpis" / "registry.py",
        ROOT / "cockpit" / "kpis" / "catalogue.py",
    }
    found = {
        path.relative_to(ROOT).as_posix(): hits
        for path in sorted((ROOT / "cockpit").rglob("*.py"))
        if path not in allowed and (hits := _catalogue_lookups(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_finder_sees_each_way_round():
    source = (
        "def f(kpi: str | Kpi, k):\n"
        "    a = CATALOGUE[k]\n    b = CATALOGUE.get(k)\n    c = k in CATALOGUE\n"
        "    for x in CATALOGUE.values():\n        pass\n"
    )
    assert sorted(_catalogue_lookups(source)) == [
        "CATALOGUE.get", "CATALOGUE[k]", "k in CATALOGUE", "str | Kpi",
    ]  # fmt: skip


def test_custom_metric_status_uses_the_metric_definition(store):
    from cockpit import ledger
    from cockpit.kpis.periods import make_period

    ledger.load_table(
        store,
        "orders",
        [{"order_id": "A", "order_date": dt.date(2026, 1, 5), "quantity": 10.0,
          "freight_cost": 5.0}],
    )  # fmt: skip
    v = custom_metrics.compute(store, _metric(), period=make_period("month", dt.date(2026, 1, 1)))
    # 5 / 10 = 0.5 against 0.25, lower is better, amber to 0.30: red
    assert (v.value, v.status) == (pytest.approx(0.5), "red")
