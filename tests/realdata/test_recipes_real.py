"""Real exports loaded from the recipes kept in tests/realdata/recipes/, with the README's
figures; each recipe is also what `cockpit load --explain` proposes, where it proposes one."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_files import needs_realdata

from cockpit import kpis, recipes
from cockpit.commands.recipes import read_recipe
from cockpit.kpis.periods import period_between
from cockpit.store import Store

RECIPES = Path(__file__).resolve().parent / "recipes"


def _load(recipe: str, *path: str) -> Store:
    store = Store.open(":memory:")
    file = needs_realdata(*path)
    report = recipes.load(store, file.read_bytes(), file.name, read_recipe(RECIPES / recipe))
    assert report.status == "loaded", report.to_dict()
    return store


def _figures(store, start, end=None) -> dict:
    cards = kpis.scorecard(store, period=period_between(start, end or start), compare="target")
    return {c.id: c.value for c in cards if c.value is not None}


def test_cmms_downtime_from_its_recipe():
    store = _load("downtime.toml", "cmms_downtime_events", "Downtime.xlsx")
    assert store.scalar("select sum(minutes) from downtime") == pytest.approx(37_920)
    assert _figures(store, "2012-05")["downtime_minutes"] == pytest.approx(7_577)
    mech = store.scalar("select sum(minutes) from downtime where cause = 'Mechanical'")
    assert mech == pytest.approx(23_511)


def test_acd_summary_from_its_recipe():
    store = _load("acd.toml", "acd_daily_summary", "Call Center Data.csv")
    got = _figures(store, "2024-03")
    assert got["abandon_pct"] == pytest.approx(10.9267, abs=5e-5)
    assert got["asa_seconds"] == pytest.approx(29.8356, abs=5e-5)
    assert got["aht_seconds"] == pytest.approx(159.5279, abs=5e-5)
    assert got["service_level_pct"] == pytest.approx(66.7750, abs=5e-5)


def test_google_forms_survey_from_its_recipe():
    store = _load("starbucks.toml", "starbucks_gforms_survey", "Starbucks satisfactory survey.csv")
    got = _figures(store, "2019-10")
    assert got["csat_pct"] == pytest.approx(60.6557, abs=5e-5)
    assert got["csat_mean"] == pytest.approx(3.7459, abs=5e-5)
    by_day = store.arrow("select response_date d, count(*) n from surveys group by 1 order by 1")
    assert by_day.column("n").to_pylist() == [61, 17, 39, 3, 2]


@pytest.mark.parametrize(
    "recipe, path, options",
    [
        ("downtime.toml", ("cmms_downtime_events", "Downtime.xlsx"), {}),
        ("acd.toml", ("acd_daily_summary", "Call Center Data.csv"), {"month": "2024-03"}),
    ],
)
def test_the_kept_recipe_is_what_explain_proposes(recipe, path, options):
    import datetime as dt

    from cockpit.ingest.pipeline import SheetOptions, prepare_file

    store = Store.open(":memory:")
    file = needs_realdata(*path)
    month = dt.date.fromisoformat(options["month"] + "-01") if "month" in options else None
    prepared = prepare_file(store, file.read_bytes(), file.name,
                            options={None: SheetOptions(month=month)})  # fmt: skip
    proposed = [recipes.propose(s) for s in prepared.sheets if s.status == "ready"]
    assert read_recipe(RECIPES / recipe) in proposed
