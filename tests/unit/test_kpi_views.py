"""Breakdowns, the downtime Pareto, the budget table, dimension values, series, what moved."""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import ledger
from cockpit.kpis import (
    breakdown,
    budget_variance_table,
    dimension_values,
    downtime_pareto,
    make_period,
    monthly_series,
    scorecard,
    what_moved,
)

JAN = make_period("month", dt.date(2025, 1, 1))
Q1 = make_period("quarter", dt.date(2025, 3, 1))


def test_breakdown_by_site_gives_value_numerator_denominator(tiny_db):
    frame = breakdown(tiny_db, "on_time_pct", "site", period=Q1)
    rows = {r["site"]: r for r in frame.to_dict("records")}
    # Leeds: A, F on time; B, E late -> 2/4. Lyon: C, G on time (D unshipped) -> 2/2.
    assert (rows["Leeds"]["numerator"], rows["Leeds"]["denominator"]) == (2, 4)
    assert rows["Lyon"]["value"] == 100
    assert list(frame["site"]) == ["Lyon", "Leeds"]  # largest value first


def test_breakdown_of_a_dimension_the_kpi_lacks_says_why(tiny_db):
    frame = breakdown(tiny_db, "abandon_pct", "site", period=JAN)
    assert frame.empty
    assert frame.attrs["reason"] == "contacts have no site column"
    with pytest.raises(ValueError):
        breakdown(tiny_db, "abandon_pct", "colour", period=JAN)


def test_breakdown_of_a_percentile_and_of_contacts(tiny_db):
    p90 = breakdown(tiny_db, "cycle_time_p90_days", "site", period=JAN)
    rows = dict(zip(p90["site"], p90["value"], strict=True))
    # Leeds: A 2 d, B 6 d -> p90 = 2 + 0.9 * 4 = 5.6; Lyon: C 5 d only.
    assert rows["Leeds"] == pytest.approx(5.6) and rows["Lyon"] == 5
    med = breakdown(tiny_db, "resolution_hours_median", "agent", period=JAN)
    assert dict(zip(med["agent"], med["value"], strict=True))["Ann"] == 13
    asa = breakdown(tiny_db, "asa_seconds", "agent", period=JAN)
    # Ann: c1 30 s, c4 60 s (c5 no wait) -> 45; Bob: c2 90 s (c3 unanswered).
    assert dict(zip(asa["agent"], asa["value"], strict=True)) == {"Bob": 90, "Ann": 45}


def test_downtime_pareto(tiny_db):
    frame = downtime_pareto(tiny_db, period=JAN)
    assert frame.to_dict("list") == {
        "cause": ["Jam", "Changeover"],
        "minutes": [120.0, 30.0],
        "share": [0.8, 0.2],
        "cumulative_share": [0.8, 1.0],
    }
    lyon = downtime_pareto(tiny_db, period=JAN, filters={"site": ["Lyon"]})
    assert list(lyon["minutes"]) == [70.0, 30.0]
    assert downtime_pareto(tiny_db, period=JAN, filters={"region": ["North"]}).attrs["reason"]


def test_budget_variance_table(tiny_db):
    frame = budget_variance_table(tiny_db, period=JAN)
    first = frame.iloc[0].to_dict()
    # Income line: actual 2500 vs budget 2000 -> +500, +25%.
    assert first == {"unit": "Sales", "account": "Sales", "kind": "income", "budget": 2000.0, "actual": 2500.0,
                     "variance": 500.0, "variance_pct": 25.0}  # fmt: skip
    ops = budget_variance_table(tiny_db, period=JAN, filters={"unit": ["Operations"]})
    assert list(ops["variance"]) == [100.0, -50.0]
    assert set(ops["kind"]) == {"cost"}


def test_dimension_values_span_datasets(tiny_db):
    assert dimension_values(tiny_db, "site") == ["Leeds", "Lyon"]
    assert dimension_values(tiny_db, "agent") == ["Ann", "Bob"]
    assert dimension_values(tiny_db, "channel") == [
        "Chat", "Distributor", "Email", "Online", "Phone",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        dimension_values(tiny_db, "site; drop table orders")


def test_monthly_series_with_target_column(tiny_db):
    frame = monthly_series(tiny_db, "abandon_pct", months=Q1.months)
    assert frame["value"].tolist()[0] == 25
    assert frame["value"].isna().tolist() == [False, True, True]
    assert frame["target"].tolist() == [5, 5, 5]  # Jan from the plan, then the default
    orders = monthly_series(tiny_db, "orders", months=Q1.months)
    assert orders["value"].tolist() == [4, 1, 2]
    assert "target" not in orders


def test_what_moved_names_the_kpi_and_the_slice(store):
    # Leeds on time both months; Lyon on time in January only -> Lyon drove the drop.
    rows = []
    # Orders on the 28th, so February does not look partly loaded (only full months move).
    for month, lyon_days in ((1, 1), (2, 7)):
        for i, site in enumerate(["Leeds", "Lyon"] * 2):
            ordered = dt.date(2025, month, 28)
            days = 1 if site == "Leeds" else lyon_days
            rows.append({"order_id": f"{month}-{i}", "order_date": ordered,
                         "ship_date": ordered + dt.timedelta(days=days),
                         "promised_date": ordered + dt.timedelta(days=3), "site": site,
                         "quantity": 1, "revenue": 10})  # fmt: skip
    ledger.load_table(store, "orders", rows)
    moved = what_moved(store, period=make_period("month", dt.date(2025, 2, 1)), top=10)
    by_id = {m["id"]: m for m in moved}
    on_time = by_id["on_time_pct"]
    assert (on_time["value"], on_time["previous"], on_time["better"]) == (50, 100, False)
    assert on_time["driver"]["dimension"] == "site"
    assert on_time["driver"]["slice"] == "Lyon"
    # Putting Lyon back to January's 2/2 gives 4/4 = 100%: all -50 points are Lyon's.
    assert on_time["driver"]["contribution"] == -50
    assert on_time["text"] == "On-time delivery fell 50.0 pts to 50.0%; mostly Lyon (site)"


def test_signed_and_percentage_changes_are_told_in_points_or_units():
    from cockpit.kpis.catalogue import CATALOGUE
    from cockpit.kpis.engine import KpiValue
    from cockpit.kpis.movers import _score, _text

    def card(kpi_id, value, previous):
        change = value - previous
        pct = 100 * change / abs(previous)
        return KpiValue(kpi_id, CATALOGUE[kpi_id].label, "", "", value, previous, change, pct,
                        None, None, None)  # fmt: skip

    nps = card("nps", 11.0, -10.8)  # the demo, Oct 2026: was "NPS rose 202 % to +11"
    assert _text(nps, None) == "NPS rose 22 points to +11"
    variance = card("budget_variance", 9792.0, -11650.0)  # was "rose 184 %"
    assert _text(variance, None) == "Budget variance rose £21k to £9.8k"
    assert _text(card("csat_pct", 53.1, 59.6), None) == "CSAT fell 6.5 pts to 53.1%"
    assert _text(card("units", 8822.0, 6156.0), None) == "Units rose 43% to 8,822"
    driver = {"dimension": "ship_mode", "slice": "Standard"}
    assert _text(card("units", 8822.0, 6156.0), driver).endswith("; mostly Standard (ship mode)")
    assert _score(nps) == 100.0  # crossing zero: the whole combined size, not 202 %


def test_what_moved_from_a_given_scorecard_is_the_same(tiny_db):
    feb = make_period("month", dt.date(2025, 2, 1))
    cards = scorecard(tiny_db, period=feb)
    assert what_moved(tiny_db, period=feb, cards=cards) == what_moved(tiny_db, period=feb)


def test_what_moved_traces_on_time_to_an_orders_dimension_without_delivery_counts(store):
    # Express late in February only; punctuality counts (which have no ship mode) not loaded.
    rows = []
    # Orders up to the 27th: a month whose data stops on the 1st would read as partly loaded.
    for month, express_ship in ((1, 25), (2, 28)):
        for i, mode in enumerate(["Standard", "Express"] * 2):
            ship = 25 if mode == "Standard" else express_ship
            rows.append({"order_id": f"{month}-{i}", "order_date": dt.date(2025, month, 27),
                         "ship_date": dt.date(2025, month, ship), "ship_mode": mode,
                         "promised_date": dt.date(2025, month, 26), "quantity": 1})  # fmt: skip
    ledger.load_table(store, "orders", rows)
    moved = what_moved(store, period=make_period("month", dt.date(2025, 2, 1)), top=10)
    driver = {m["id"]: m for m in moved}["on_time_pct"]["driver"]
    assert (driver["dimension"], driver["slice"]) == ("ship_mode", "Express")
