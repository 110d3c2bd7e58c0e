"""Real exports nobody here wrote load into the right dataset and give the README's figures.

Every figure below is from ../shared/realdata/README.md, computed there with pandas alone.
Each file is loaded as a new user would, with only the one-time choices its README names.
"""

from __future__ import annotations

import pytest

# Which datasets each file may load into (a sheet may also be held or kept raw).
BELONGS = {
    "scms": {None: {"orders"}},
    "truck": {"Sheet1": {"orders"}},
    "itsm": {None: {"contacts"}},
    "ventas": {"Ventas": {"orders"}, "Tiendas": set(), "Presupuesto": {"targets"}},
    "acd": {None: {"contact_stats"}},
    "survey": {None: {"surveys"}},
    "sncf": {None: {"delivery_stats"}},
    "cmms": {"Downtimes": {"downtime"}},
}
ALL_TIME = ("--from", "2000-01", "--to", "2030-12")


@pytest.mark.parametrize("name", sorted(BELONGS))
def test_no_sheet_loads_into_a_dataset_it_does_not_belong_to(realdb, name):
    loaded = realdb(name)
    for sheet in loaded.sheets:
        if sheet["status"] == "loaded" and sheet["dataset"]:
            allowed = BELONGS[name].get(sheet["sheet"], set())
            assert sheet["dataset"] in allowed, (name, sheet["sheet"], sheet["dataset"])


def test_scms_every_delivery_line_loads_and_on_time_is_line_level(realdb):
    scms = realdb("scms")
    (sheet,) = scms.sheets
    assert (sheet["status"], sheet["dataset"]) == ("loaded", "orders")
    # "PO Sent to Vendor Date" is blank on 5,732 lines: they are dated otherwise, not lost.
    assert sheet["rows_loaded"] == 10_324 and sheet["rows_rejected"] == 0
    assert any("5,732 rows have no 'PO Sent to Vendor Date'" in m for m in sheet["messages"])
    cards = scms.kpis(*ALL_TIME)
    # No order id: each line counts as an order; 9,138 of 10,324 delivered by the schedule.
    assert cards["on_time_pct"]["value"] == pytest.approx(88.5122, abs=5e-5)


def test_scms_empty_cards_name_the_missing_column_not_a_contradiction(realdb):
    # Issue 23: over 12 months the orders, units and deliveries are there; what cost per
    # order, cost per unit and cycle time lack is a cost column and ship dates.
    cards = realdb("scms").kpis("--period-kind", "t12m")
    assert cards["orders"]["value"] > 0 and cards["units"]["value"] > 0
    for kpi in ("cost_per_order", "cost_per_unit", "gross_margin_pct"):
        assert cards[kpi]["reason"] == "no cost column in the loaded orders", kpi
    assert cards["cycle_time_days"]["reason"].startswith("no ship dates loaded")


def test_truck_bookings_on_time_at_date_and_time_precision(realdb):
    truck = realdb("truck")
    (sheet,) = truck.sheets
    assert (sheet["status"], sheet["dataset"]) == ("loaded", "orders")
    assert sheet["mapping"]["order_id"] == "BookingID"
    assert sheet["mapping"]["order_date"] == "BookingID_Date"
    assert sheet["mapping"]["promised_date"] == "Planned_ETA"
    assert sheet["mapping"]["delivered_date"] == "actual_eta"
    assert sheet["rows_loaded"] == 6_880
    cards = truck.kpis(*ALL_TIME)
    assert cards["orders"]["value"] == 6_875
    assert cards["on_time_pct"]["value"] == pytest.approx(37.3464, abs=5e-5)
    aug = truck.kpis("--period", "2020-08")
    assert aug["orders"]["value"] == 1_622
    assert aug["on_time_pct"]["value"] == pytest.approx(65.5921, abs=5e-5)


def test_itsm_tickets_are_contacts_with_day_first_dates(realdb):
    itsm = realdb("itsm")
    (sheet,) = itsm.sheets
    assert (sheet["status"], sheet["dataset"]) == ("loaded", "contacts")
    assert sheet["rows_loaded"] == 40 and sheet["rows_rejected"] == 0
    (span,) = itsm.sql(
        "select min(contact_date)::date as first, max(contact_date)::date as last, "
        "count(*) filter (where year(contact_date) = 2012) as in_2012 from contacts_live"
    )
    assert span["first"] == "2012-02-05" and span["last"] == "2013-03-11"
    assert span["in_2012"] == 21
    cards = itsm.kpis(*ALL_TIME)
    assert cards["resolution_hours_median"]["value"] == pytest.approx(9_095.4167, abs=5e-5)


def test_sncf_comments_with_line_breaks_load_intact(realdb):
    sncf = realdb("sncf")
    assert sncf.code in (0, 1) and sncf.report["files"][0]["status"] == "loaded"
    (sheet,) = sncf.sheets
    assert sheet["load_id"] is not None
    raw = f"raw_{sheet['load_id']}"
    (counts,) = sncf.sql(
        f"select count(*) - 1 as records, "
        f"count(*) filter (where c15 like '%' || chr(10) || '%' or c7 like '%' || chr(10) || '%'"
        f" or c11 like '%' || chr(10) || '%') as multiline from {raw}"
    )
    assert counts["records"] == 5_270
    assert counts["multiline"] == 351


def test_sncf_on_time_from_aggregated_counts(realdb):
    sncf = realdb("sncf")
    assert sncf.kpis(*ALL_TIME)["on_time_pct"]["value"] == pytest.approx(85.6981, abs=5e-5)
    assert sncf.kpis("--period", "2018-01")["on_time_pct"]["value"] == pytest.approx(
        84.9174, abs=5e-5
    )


def test_ventas_revenue_against_the_city_budget(realdb):
    ventas = realdb("ventas")
    year = ventas.kpis("--from", "2020-01", "--to", "2020-12", "--compare", "target")
    assert year["revenue"]["value"] == pytest.approx(16_348_978.73, abs=0.005)
    assert year["revenue"]["target"] == pytest.approx(15_360_000)
    jan = ventas.kpis("--period", "2020-01", "--compare", "target")
    assert jan["revenue"]["value"] == pytest.approx(1_398_773.52, abs=0.005)
    assert jan["revenue"]["target"] == pytest.approx(1_280_000)
    city = ventas.kpis("--period", "2020-01", "--compare", "target", "--filter", "site=Bogotá")
    assert city["revenue"]["value"] == pytest.approx(118_220.86, abs=0.005)
    assert city["revenue"]["target"] == pytest.approx(100_000)


def test_acd_summary_weighted_by_answered_calls(realdb):
    acd = realdb("acd")
    cards = acd.kpis("--period", "2024-03")
    assert cards["abandon_pct"]["value"] == pytest.approx(10.9267, abs=5e-5)
    assert cards["asa_seconds"]["value"] == pytest.approx(29.8356, abs=5e-5)
    assert cards["aht_seconds"]["value"] == pytest.approx(159.5279, abs=5e-5)
    assert cards["service_level_pct"]["value"] == pytest.approx(66.7750, abs=5e-5)
    # A file given its month is a whole month, not one that stops on the 1st (issue 23).
    assert not any(cards[k].get("partial") for k in ("abandon_pct", "service_level_pct"))


def test_google_forms_survey_csat_from_the_chosen_question(realdb):
    survey = realdb("survey")
    cards = survey.kpis(*ALL_TIME)
    assert cards["csat_pct"]["value"] == pytest.approx(60.6557, abs=5e-5)
    assert cards["csat_mean"]["value"] == pytest.approx(3.7459, abs=5e-5)
    days = survey.sql(
        "select response_date::date as d, count(*) as n from surveys_live group by 1 order by 1"
    )
    assert [(r["d"], r["n"]) for r in days] == [
        ("2019-10-01", 61), ("2019-10-02", 17), ("2019-10-03", 39),
        ("2019-10-04", 3), ("2019-10-05", 2),
    ]  # fmt: skip


def test_cmms_downtime_minutes_from_the_stated_durations(realdb):
    cmms = realdb("cmms")
    assert cmms.kpis(*ALL_TIME)["downtime_minutes"]["value"] == pytest.approx(37_920)
    assert cmms.kpis("--period", "2012-05")["downtime_minutes"]["value"] == pytest.approx(7_577)
    mech = cmms.kpis(*ALL_TIME, "--filter", "cause=Mechanical")
    assert mech["downtime_minutes"]["value"] == pytest.approx(23_511)
