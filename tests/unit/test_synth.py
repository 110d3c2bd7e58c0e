"""The synthetic company: determinism, canonical schemas, the relations between tables, the story."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from cockpit import datasets
from cockpit.demo import synth
from cockpit.demo.synth import (
    CAUSES,
    DEMO_MONTHS,
    LYON_SPIKE_MONTHS,
    SHORT_STAFFED_MONTH,
    synth_tables,
)

# Written out here rather than imported, so a wrong mapping in synth cannot hide itself.
EXPECTED_ARROW = {
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR": pa.string(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return synth_tables(15_000)


@pytest.fixture(scope="module")
def con(tables):
    c = duckdb.connect()
    for name, table in tables.items():
        # Tables, not registered views, so that every cursor sees them.
        c.register("incoming", table)
        c.execute(f"create table {datasets.get(name).name} as select * from incoming")
        c.unregister("incoming")
    yield c
    c.close()


def rows(con, sql: str, params: dict | None = None) -> list[tuple]:
    return con.cursor().execute(sql, params or {}).fetchall()


def one(con, sql: str, params: dict | None = None) -> tuple:
    (row,) = rows(con, sql, params)
    return row


def test_demo_months_are_fixed():
    assert len(DEMO_MONTHS) == 24
    assert DEMO_MONTHS[0] == "2024-11" and DEMO_MONTHS[-1] == "2026-10"


def test_same_seed_gives_equal_tables_and_another_seed_does_not():
    a, b, c = synth_tables(2_000), synth_tables(2_000), synth_tables(2_000, seed=8)
    for name in a:
        assert a[name].equals(b[name]), name
    assert not a["orders"].equals(c["orders"])


def test_every_dataset_with_exact_canonical_columns_and_types(tables):
    assert set(tables) == set(datasets.DATASETS) - set(synth.NOT_SYNTHESISED)
    for name, table in tables.items():
        ds = datasets.get(name)
        expected = [(c.name, EXPECTED_ARROW[c.type]) for c in ds.columns]
        assert [(f.name, f.type) for f in table.schema] == expected, name
        assert table.num_rows > 0, name


def test_exact_number_of_order_lines_and_window(con, tables):
    assert tables["orders"].num_rows == 15_000
    lo, hi = one(con, "select min(order_date), max(order_date) from orders")
    assert lo >= dt.date(2024, 11, 1) and hi <= dt.date(2026, 10, 31)
    months = one(con, "select count(distinct date_trunc('month', order_date)) from orders")[0]
    assert months == 24


def test_orders_have_several_lines_sharing_order_attributes(con):
    n_orders, multi, max_lines = one(
        con,
        """with o as (select order_id, count(*) n from orders group by 1)
        select count(*), count(*) filter (where n > 1), max(n) from o""",
    )
    assert 15_000 / n_orders == pytest.approx(3.0, abs=0.3)
    assert multi > n_orders / 2 and max_lines <= 7
    differing = one(
        con,
        """select count(*) from (select order_id from orders group by 1
        having count(distinct promised_date) > 1 or count(distinct site) > 1
            or count(distinct customer) > 1 or count(distinct ship_mode) > 1
            or count(distinct channel) > 1)""",
    )[0]
    assert differing == 0


def test_some_orders_span_two_months_and_only_by_a_couple_of_days(con):
    spans = rows(
        con,
        """select order_id, min(order_date), max(order_date) from orders group by 1
        having date_trunc('month', min(order_date)) <> date_trunc('month', max(order_date))""",
    )
    assert len(spans) >= 5
    assert all((hi - lo).days <= 2 for _, lo, hi in spans)
    same_month_spread = one(
        con,
        """select count(*) from (select order_id from orders group by 1
        having max(order_date) - min(order_date) > 2)""",
    )[0]
    assert same_month_spread == 0


def test_order_dates_in_sequence_and_money_consistent(con):
    bad_dates, bad_profit, nonpositive = one(
        con,
        """select
            count(*) filter (where ship_date < order_date or delivered_date <= ship_date
                             or promised_date < order_date - 2),
            count(*) filter (where abs(profit - (revenue - cost)) > 0.006),
            count(*) filter (where quantity <= 0 or revenue <= 0 or cost <= 0)
        from orders""",
    )
    assert (bad_dates, bad_profit, nonpositive) == (0, 0, 0)
    # Unknown-yet dates only near the export date; a few missing PODs anywhere.
    late_unknown_ship = one(
        con, "select count(*) from orders where ship_date is null and order_date < '2026-10-20'"
    )[0]
    assert late_unknown_ship == 0
    assert one(con, "select count(*) from orders where delivered_date is null")[0] > 0


def test_returns_refer_to_delivered_orders_and_are_about_three_percent(con):
    n_returns, n_orders, orphans, early, too_much = one(
        con,
        """with o as (select order_id, max(delivered_date) delivered, max(quantity) q,
                  sum(revenue) rev from orders group by 1)
        select (select count(*) from returns), (select count(*) from o),
            count(*) filter (where o.order_id is null),
            count(*) filter (where r.return_date <= o.delivered),
            count(*) filter (where r.refund > o.rev or r.quantity > o.q)
        from returns r left join o using (order_id)""",
    )
    assert (orphans, early, too_much) == (0, 0, 0)
    assert 0.015 < n_returns / n_orders < 0.05


def test_production_units_add_up(con):
    bad = one(
        con,
        """select count(*) from production where good_units + scrap_units <> units
            or run_minutes + downtime_minutes > planned_minutes or run_minutes <= 0
            or ideal_minutes > run_minutes + 0.05
            or abs(ideal_minutes - units / ideal_rate_per_minute) > 0.051
            or end_time - start_time <> to_minutes(planned_minutes::bigint)
            or start_time::date <> date""",
    )[0]
    assert bad == 0
    assert one(con, "select count(distinct batch) = count(*) from production")[0]


def test_downtime_events_sum_to_the_batch_downtime(con):
    mismatched = one(
        con,
        """with e as (select batch, sum(minutes) m, count(*) n, count(distinct cause) causes,
                  min(minutes) smallest from downtime group by 1)
        select count(*) filter (where coalesce(e.m, 0) <> p.downtime_minutes)
             + count(*) filter (where e.n <> e.causes or e.smallest < 1)
        from production p left join e using (batch)""",
    )[0]
    assert mismatched == 0
    wrong_context = one(
        con,
        """select count(*) from downtime d join production p using (batch)
        where d.date <> p.date or d.site <> p.site or d.line <> p.line""",
    )[0]
    assert wrong_context == 0


def test_downtime_cause_category_and_operator_error_follow_the_lookup(con):
    seen = set(rows(con, "select distinct cause, category, operator_error from downtime"))
    assert seen == set(CAUSES)


def test_budget_grid_kinds_and_freight_actual_from_orders(con, tables):
    assert tables["budget"].num_rows == 24 * 15
    dupes = one(
        con,
        "select count(*) - count(distinct (month, unit, account)) from budget",
    )[0]
    assert dupes == 0
    assert set(r[0] for r in rows(con, "select distinct kind from budget")) == {"cost", "income"}
    assert one(con, "select count(*) from budget where day(month) <> 1")[0] == 0
    freight_gap = one(
        con,
        """with f as (select date_trunc('month', order_date)::date m,
                  sum(coalesce(freight_cost, 0)) freight from orders group by 1)
        select max(abs(b.actual - f.freight)) from budget b join f on b.month = f.m
        where b.account = 'Freight'""",
    )[0]
    assert freight_gap < 0.01
    assert one(con, "select count(*) from budget where actual < 0")[0] == 2


def test_contacts_flags_are_consistent(con):
    bad = one(
        con,
        """select count(*) from contacts where
            (first_contact_resolved and not resolved) or (resolved and not answered)
            or (not answered and (agent is not null or handle_seconds is not null
                                  or csat is not null or sla_met))
            or (resolved and resolved_at < contact_date)
            or (not resolved and resolved_at is not null)
            or csat not between 1 and 5 or wait_seconds < 0""",
    )[0]
    assert bad == 0
    assert one(con, "select count(distinct agent) from contacts")[0] == 15
    ratio = one(
        con,
        "select (select count(*) from contacts) / (select count(distinct order_id) from orders)",
    )[0]
    assert 0.3 < ratio < 0.8


def test_surveys_and_targets_values(con):
    assert rows(con, "select distinct score from surveys where score <> round(score)") == []
    assert one(con, "select min(score) >= 0 and max(score) <= 10 from surveys")[0]
    target = dict(
        rows(con, "select kpi, target from targets where site is null and month = '2024-11-01'")
    )
    assert target["on_time_pct"] == 95 and target["oee_pct"] == 75 and target["nps"] == 30
    assert target["abandon_pct"] == 5 and target["asa_seconds"] == 60
    assert target["csat_pct"] == 85 and target["cost_per_unit"] > 0
    lower_better_amber_above = one(
        con,
        """select bool_and(amber_threshold > target) from targets
        where kpi in ('abandon_pct', 'asa_seconds', 'cost_per_unit')""",
    )[0]
    assert lower_better_amber_above
    sites = {r[0] for r in rows(con, "select distinct site from targets where site is not null")}
    assert sites == {"Leeds", "Lyon", "Leipzig"}


# --- the story ---------------------------------------------------------------------------


def monthly(con) -> dict[str, np.ndarray]:
    """Monthly KPIs computed here, by hand, as ratios of sums."""
    sql = """with o as (select order_id, min(order_date) od, max(coalesce(delivered_date, ship_date)) dd,
                 min(promised_date) pd from orders group by 1),
        ot as (select date_trunc('month', od) m,
                 sum((dd <= pd)::int) / count(dd) on_time from o group by 1),
        p as (select date_trunc('month', date) m, sum(run_minutes) / sum(planned_minutes) util
              from production group by 1),
        c as (select date_trunc('month', contact_date) m,
                 sum((not answered)::int) / count(*) abandon,
                 avg(wait_seconds) filter (where answered) asa,
                 sum((csat >= 4)::int) / count(csat) csat from contacts group by 1),
        u as (select date_trunc('month', order_date) m, sum(quantity) units from orders group by 1),
        b as (select month m, sum(actual) cost from budget where kind = 'cost' group by 1)
        select strftime(m, '%Y-%m') as month, on_time, util, abandon, asa, csat, units, cost
        from ot join p using (m) join c using (m) join u using (m) join b using (m)
        order by m"""
    t = con.cursor().sql(sql).fetchnumpy()
    return {k: np.asarray(v) for k, v in t.items()}


def test_on_time_falls_when_utilisation_is_high(con):
    m = monthly(con)
    assert np.corrcoef(m["util"], m["on_time"])[0, 1] < -0.5
    assert np.median(m["on_time"]) > 0.93


def test_cost_is_fixed_plus_variable_times_units(con):
    m = monthly(con)
    x = np.c_[np.ones(24), m["units"]]
    (fixed, variable), *_ = np.linalg.lstsq(x, m["cost"], rcond=None)
    pred = x @ [fixed, variable]
    r2 = 1 - ((m["cost"] - pred) ** 2).sum() / ((m["cost"] - m["cost"].mean()) ** 2).sum()
    assert r2 > 0.7 and fixed > 0 and variable > 0


def test_lyon_is_the_problem_site(con):
    oee = dict(
        rows(
            con,
            """select site, sum(run_minutes) / sum(planned_minutes)
                * least(1, sum(ideal_minutes) / sum(run_minutes)) * sum(good_units) / sum(units)
            from production group by 1""",
        )
    )
    assert oee["Lyon"] < min(oee["Leeds"], oee["Leipzig"]) - 0.05
    spike, normal = one(
        con,
        """with d as (select strftime(date, '%Y-%m') m, list_contains($spike, m) is_spike,
                  minutes from downtime where site = 'Lyon')
        select sum(minutes) filter (where is_spike) / count(distinct m) filter (where is_spike),
            sum(minutes) filter (where not is_spike) / count(distinct m) filter (where not is_spike)
        from d""",
        {"spike": list(LYON_SPIKE_MONTHS)},
    )
    assert spike > 2 * normal


def test_short_staffed_peak_month_waits_abandons_and_dissatisfies(con):
    m = monthly(con)
    i = list(m["month"]).index(SHORT_STAFFED_MONTH)
    others = np.arange(24) != i
    assert m["abandon"][i] > 2 * np.median(m["abandon"][others])
    assert m["asa"][i] > 2 * np.median(m["asa"][others])
    assert m["csat"][i] < np.median(m["csat"][others])
    agents = one(
        con,
        "select count(distinct agent) from contacts where strftime(contact_date, '%Y-%m') = $m",
        {"m": SHORT_STAFFED_MONTH},
    )[0]
    assert agents == 9


def test_tiny_sizes_still_produce_every_table():
    t = synth_tables(1)
    assert t["orders"].num_rows == 1
    assert all(t[name].num_rows > 0 for name in ("production", "budget", "targets"))
