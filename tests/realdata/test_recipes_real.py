"""Every real export of ../shared/realdata loaded from the recipes kept in
tests/realdata/recipes/, with the README's figures; each kept recipe is what
`cockpit load --explain` proposes for its sheet, or the sheet is held (the survey: which
question is the score is the analyst's choice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from shared_files import needs_realdata

from cockpit import kpis, recipes
from cockpit.commands.recipes import read_recipe
from cockpit.ingest.pipeline import SheetOptions, prepare_file
from cockpit.kpis.periods import period_between
from cockpit.store import Store

RECIPES = Path(__file__).resolve().parent / "recipes"
ALL_TIME = ("2000-01", "2030-12")

# recipe -> (file under realdata, the month a file without dates covers)
KEPT = {
    "scms.toml": (("SCMS_Delivery_History_Dataset.csv",), None),
    "truck.toml": (("truck_trips_eta", "Master Data.xlsx"), None),
    "itsm.toml": (("itsm_dayfirst_excerpt", "ITSM_data.csv"), None),
    "ventas.toml": (("ventas_presupuesto_es", "Presupuesto.xlsx"), None),
    "presupuesto.toml": (("ventas_presupuesto_es", "Presupuesto.xlsx"), None),
    "acd.toml": (("acd_daily_summary", "Call Center Data.csv"), "2024-03"),
    "starbucks.toml": (("starbucks_gforms_survey", "Starbucks satisfactory survey.csv"), None),
    "sncf.toml": (("sncf_tgv_regularite", "regularite-mensuelle-tgv-aqst.csv"), None),
    "downtime.toml": (("cmms_downtime_events", "Downtime.xlsx"), None),
}


def _load(*names: str) -> Store:
    store = Store.open(":memory:")
    for name in names:
        file = needs_realdata(*KEPT[name][0])
        report = recipes.load(store, file.read_bytes(), file.name, read_recipe(RECIPES / name))
        assert report.status == "loaded", report.to_dict()
        assert report.sheets[0].rows_rejected == 0 or name == "sncf.toml"
    return store


def _figures(store, start, end=None, **kw) -> dict:
    cards = kpis.scorecard(store, period=period_between(start, end or start), compare="target",
                           **kw)  # fmt: skip
    return {c.id: c for c in cards}


def _value(store, kpi, start, end=None, **kw):
    return _figures(store, start, end, **kw)[kpi].value


def test_scms_from_its_recipe():
    store = _load("scms.toml")
    assert store.scalar("select count(*) from orders") == 10_324
    assert _value(store, "on_time_pct", *ALL_TIME) == pytest.approx(88.5122, abs=5e-5)


def test_truck_bookings_from_their_recipe():
    store = _load("truck.toml")
    assert store.scalar("select count(*) from orders") == 6_880
    assert _value(store, "orders", *ALL_TIME) == 6_875
    assert _value(store, "on_time_pct", *ALL_TIME) == pytest.approx(37.3464, abs=5e-5)
    assert _value(store, "orders", "2020-08") == 1_622
    assert _value(store, "on_time_pct", "2020-08") == pytest.approx(65.5921, abs=5e-5)


def test_itsm_day_first_tickets_from_their_recipe():
    store = _load("itsm.toml")
    first, last, in_2012 = store.con.execute(
        "select min(contact_date)::date, max(contact_date)::date,"
        " count(*) filter (where year(contact_date) = 2012) from contacts"
    ).fetchone()
    assert (first, last, in_2012) == (dt.date(2012, 2, 5), dt.date(2013, 3, 11), 21)
    assert _value(store, "resolution_hours_median", *ALL_TIME) == pytest.approx(
        9_095.4167, abs=5e-5
    )


def test_ventas_and_the_city_budget_from_their_recipes():
    store = _load("ventas.toml", "presupuesto.toml")
    year = _figures(store, "2020-01", "2020-12")["revenue"]
    assert year.value == pytest.approx(16_348_978.73, abs=0.005)
    assert year.target == pytest.approx(15_360_000)
    jan = _figures(store, "2020-01")["revenue"]
    assert (jan.value, jan.target) == (pytest.approx(1_398_773.52, abs=0.005), 1_280_000)
    city = _figures(store, "2020-01", filters={"site": ["Bogotá"]})["revenue"]
    assert (city.value, city.target) == (pytest.approx(118_220.86, abs=0.005), 100_000)


def test_acd_summary_from_its_recipe():
    store = _load("acd.toml")
    got = {k: c.value for k, c in _figures(store, "2024-03").items()}
    assert got["abandon_pct"] == pytest.approx(10.9267, abs=5e-5)
    assert got["asa_seconds"] == pytest.approx(29.8356, abs=5e-5)
    assert got["aht_seconds"] == pytest.approx(159.5279, abs=5e-5)
    assert got["service_level_pct"] == pytest.approx(66.7750, abs=5e-5)


def test_google_forms_survey_from_its_recipe():
    store = _load("starbucks.toml")
    assert _value(store, "csat_pct", "2019-10") == pytest.approx(60.6557, abs=5e-5)
    assert _value(store, "csat_mean", "2019-10") == pytest.approx(3.7459, abs=5e-5)
    by_day = store.arrow("select response_date d, count(*) n from surveys group by 1 order by 1")
    assert by_day.column("n").to_pylist() == [61, 17, 39, 3, 2]


def test_sncf_from_its_recipe():
    store = _load("sncf.toml")
    assert _value(store, "on_time_pct", *ALL_TIME) == pytest.approx(85.6981, abs=5e-5)
    assert _value(store, "on_time_pct", "2018-01") == pytest.approx(84.9174, abs=5e-5)


def test_cmms_downtime_from_its_recipe():
    store = _load("downtime.toml")
    assert store.scalar("select sum(minutes) from downtime") == pytest.approx(37_920)
    assert _value(store, "downtime_minutes", "2012-05") == pytest.approx(7_577)
    mech = store.scalar("select sum(minutes) from downtime where cause = 'Mechanical'")
    assert mech == pytest.approx(23_511)


@pytest.mark.parametrize("name", sorted(KEPT))
def test_the_kept_recipe_is_what_explain_proposes_or_the_sheet_is_held(name):
    path, month = KEPT[name]
    file = needs_realdata(*path)
    kept = read_recipe(RECIPES / name)
    store = Store.open(":memory:")
    given = dt.date.fromisoformat(month + "-01") if month else None
    prepared = prepare_file(store, file.read_bytes(), file.name,
                            options={None: SheetOptions(month=given)})  # fmt: skip
    (sheet,) = [s for s in prepared.sheets if s.raw.sheet == kept.sheet]
    if sheet.status == "held":
        return
    assert sheet.status == "ready"
    proposed = recipes.propose(sheet)
    proposed.name = kept.name
    assert proposed == kept
