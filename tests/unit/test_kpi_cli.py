"""`python -m cockpit kpis`: options and the --json document."""

from __future__ import annotations

import json

import pytest

from cockpit import ledger
from cockpit.cli import main
from cockpit.commands.kpis import parse_filters
from cockpit.store import Store


@pytest.fixture
def tiny_file(tmp_path, tiny_tables):
    path = tmp_path / "tiny.duckdb"
    store = Store.open(path)
    for name, rows in tiny_tables.items():
        ledger.load_table(store, name, rows)
    store.close()
    return str(path)


def _json(capsys, *argv) -> dict:
    assert main(["kpis", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_shape_and_values(tiny_file, capsys):
    doc = _json(capsys, "--db", tiny_file, "--period", "2025-01", "--compare", "yoy")
    assert doc["period"]["label"] == "Jan 2025"
    kpis = {k["id"]: k for k in doc["kpis"]}
    assert {"id", "label", "value", "unit", "previous", "change", "target", "status"} <= set(
        kpis["orders"]
    )
    assert (kpis["orders"]["value"], kpis["orders"]["previous"], kpis["orders"]["change"]) == (
        4, 1, 3,
    )  # fmt: skip
    assert kpis["abandon_pct"]["status"] == "red"


def test_filters_and_missing_values_carry_a_reason(tiny_file, capsys):
    doc = _json(capsys, "--db", tiny_file, "--period", "2025-01", "--filter", "site=Leeds")
    kpis = {k["id"]: k for k in doc["kpis"]}
    assert kpis["orders"]["value"] == 2
    assert kpis["csat_pct"]["value"] is None
    assert kpis["csat_pct"]["reason"] == "contacts have no site column"


def test_range_and_period_kind(tiny_file, capsys):
    doc = _json(capsys, "--db", tiny_file, "--from", "2025-01", "--to", "2025-03")
    assert {k["id"]: k["value"] for k in doc["kpis"]}["orders"] == 7
    doc = _json(capsys, "--db", tiny_file, "--period", "2025-02", "--period-kind", "quarter")
    assert doc["period"]["start"] == "2025-01"
    assert {k["id"]: k["value"] for k in doc["kpis"]}["orders"] == 5


def test_asof_pins_the_numbers(tiny_file, capsys):
    # Version 1 is the orders load alone: returns (version 2) are not visible yet.
    doc = _json(capsys, "--db", tiny_file, "--period", "2025-01", "--asof", "1")
    kpis = {k["id"]: k for k in doc["kpis"]}
    assert kpis["orders"]["value"] == 4
    assert kpis["return_rate_pct"]["reason"] == "no returns data loaded"


def test_text_output_and_bad_options(tiny_file, capsys):
    assert main(["kpis", "--db", tiny_file, "--period", "2025-01"]) == 0
    out = capsys.readouterr().out
    assert "On-time delivery" in out and "66.7%" in out
    assert main(["kpis", "--db", tiny_file, "--from", "2025-01"]) == 2
    assert parse_filters(["site=Leeds", "site=Lyon"]) == {"site": ["Leeds", "Lyon"]}
    with pytest.raises(ValueError):
        parse_filters(["colour=red"])
