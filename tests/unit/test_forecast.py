"""Forecast to period end and pacing targets (cockpit/kpis/forecast.py), values by hand.

The made-up store: two orders a day of £10 each from 1 Jan to 30 Jun 2025, then July loaded
to the 15th only (a half month), with July targets of 62 orders and £620 revenue.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from cockpit import api, ledger
from cockpit import store as store_mod
from cockpit.kpis import engine
from cockpit.kpis import forecast as fc
from cockpit.kpis.engine import KpiValue
from cockpit.kpis.periods import make_period
from cockpit.kpis.registry import lookup
from cockpit.screens import scorecard_view
from tests.coroutines import run_coroutine

D = dt.date
JUL = D(2025, 7, 1)


def half_month_orders(last_day: int = 15) -> list[dict]:
    rows, day, n = [], D(2025, 1, 1), 0
    while day <= D(2025, 7, last_day):
        for _ in range(2):
            n += 1
            rows.append({"order_id": f"O{n}", "order_date": day, "quantity": 1, "revenue": 10.0,
                         "site": "Leeds"})  # fmt: skip
        day += dt.timedelta(days=1)
    return rows


PLAN = [
    {"kpi": "orders", "month": JUL, "target": 62.0},
    {"kpi": "revenue", "month": JUL, "target": 620.0},
]


def fill(store):
    ledger.load_table(store, "orders", half_month_orders())
    ledger.load_table(store, "targets", PLAN)
    return store


@pytest.fixture
def half(store):
    return fill(store)


# -- pure functions ------------------------------------------------------------------------------
def test_share_of_the_month_by_days_and_by_weekday_shape():
    assert fc.month_share(D(2025, 3, 15)) == pytest.approx(15 / 31)
    # Weekdays only: March 2025 has 21 weekdays, 10 of them by Saturday the 15th.
    weekdays = {w: (1.0 if w < 5 else 0.0) for w in range(7)}
    assert fc.month_share(D(2025, 3, 15), weekdays) == pytest.approx(10 / 21)


def test_weekday_weights_are_rows_per_calendar_day_of_each_weekday():
    # 3 rows on 7 of the 8 Mondays of Jan-Feb 2025 (6 Jan ... 24 Feb), none otherwise.
    days = {D(2025, 1, 6) + dt.timedelta(weeks=i): 3 for i in range(7)}
    w = fc.weekday_weights(days, D(2025, 3, 1))
    assert w[0] == pytest.approx(3 * 7 / 8)
    assert all(w[d] == 0 for d in range(1, 7))
    assert fc.weekday_weights(days, D(2025, 2, 1)) is None  # under 8 weeks of days


def test_expected_month_with_and_without_a_year_of_history():
    series = {D(2025, 1, 1): 100.0, D(2025, 2, 1): 110.0, D(2025, 3, 1): 120.0}
    assert fc.expected(series, D(2025, 4, 1), D(2025, 4, 1)) == pytest.approx(110)
    series |= {D(2024, 1, 1): 50.0, D(2024, 2, 1): 55.0, D(2024, 3, 1): 60.0, D(2024, 4, 1): 80.0}
    # April a year ago (80) times this year's level over last year's (110 / 55).
    assert fc.expected(series, D(2025, 4, 1), D(2025, 4, 1)) == pytest.approx(160)
    assert fc.naive(series, D(2025, 4, 1), D(2025, 4, 1)) == 80


def test_rest_of_period_model_and_naive_by_hand():
    series = {D(2025, 1, 1): 100.0, D(2025, 2, 1): 110.0, D(2025, 3, 1): 120.0}
    apr, may = D(2025, 4, 1), D(2025, 5, 1)
    # H = 110; R = 60 + 0.5 * 110 = 115; the rest of April 0.5 * 115 = 57.5.
    assert fc.rest_of_period(series, current=apr, so_far=60, share=0.5, later=[]) == 57.5
    # May: H(May) = 110 times April's momentum 115 / 110 = 115.
    got = fc.rest_of_period(series, current=apr, so_far=60, share=0.5, later=[may])
    assert got == pytest.approx(57.5 + 115)
    # The naive: no year-ago month, so March (120) for the rest of April and for May.
    got = fc.rest_of_period(series, current=apr, so_far=60, share=0.5, later=[may],
                            method=fc.NAIVE)  # fmt: skip
    assert got == pytest.approx(60 + 120)


def test_a_ratio_is_its_numerator_and_denominator_forecast_separately():
    kpi = lookup("on_time_pct")
    hist = {D(2025, m, 1): {"orders": {"rows": 10, "on_time": n, "on_time_known": 100}}
            for m, n in ((1, 80), (2, 90), (3, 100))}  # fmt: skip
    so_far = {"orders": {"rows": 5, "on_time": 30, "on_time_known": 50}}
    apr = D(2025, 4, 1)
    for method, want in ((fc.MODEL, 67.5), (fc.NAIVE, 80.0)):
        # model: on time 30 + 0.5 * (30 + 0.5 * 90) = 67.5 of 50 + 0.5 * (50 + 50) = 100
        # naive: on time 30 + 0.5 * 100 = 80 of 50 + 0.5 * 100 = 100
        sums = fc.period_sums(hist, so_far, current=apr, current_sums=so_far, share=0.5,
                              later=[], method=method)  # fmt: skip
        assert engine.evaluate(kpi, sums).value == pytest.approx(want)


def test_target_to_date_sums_done_months_and_a_share_of_the_current_one():
    oct_, nov = D(2026, 10, 1), D(2026, 11, 1)
    targets = {oct_: 100.0, nov: 200.0}
    assert fc.target_to_date(lookup("revenue"), targets, [oct_, nov], nov, 0.5) == 200
    assert fc.target_to_date(lookup("revenue"), {oct_: 100.0}, [oct_, nov], nov, 0.5) is None
    # A ratio's target to date is the same rate.
    rates = {oct_: 95.0, nov: 96.0}
    assert fc.target_to_date(lookup("on_time_pct"), rates, [oct_, nov], nov, 0.5) == 95.5


def test_verdicts_against_the_whole_period_target():
    orders, cycle = lookup("orders"), lookup("cycle_time_days")  # higher / lower is better
    assert fc.verdict(orders, 412, 390, 430, 450) == "likely miss"
    assert fc.verdict(orders, 440, 420, 460, 450) == "at risk"
    assert fc.verdict(orders, 455, 440, 470, 450) == "within reach"
    assert fc.verdict(orders, 480, 460, 500, 450) == "likely hit"
    assert fc.verdict(cycle, 2.5, 2.0, 2.9, 3.0) == "likely hit"
    assert fc.verdict(cycle, 3.5, 3.1, 3.9, 3.0) == "likely miss"
    assert fc.verdict(orders, 412, None, None, None) is None


def test_interval_from_backtest_errors():
    # Relative errors -0.1 .. 0.2: the 10th/90th percentiles are -0.07 and 0.17.
    errors = [-0.1, 0.0, 0.1, 0.2]
    lo, hi = fc.interval(lookup("revenue"), 600.0, 300.0, 0.5, errors)
    assert (lo, hi) == pytest.approx((600 - 0.07 * 300, 600 + 0.17 * 300))
    # A ratio: errors in points, times the share of the denominator to come.
    lo, hi = fc.interval(lookup("on_time_pct"), 90.0, 0.0, 0.5, [-2.0, 0.0, 2.0, 4.0])
    assert (lo, hi) == pytest.approx((90 - 0.5 * 1.4, 90 + 0.5 * 3.4))
    assert fc.interval(lookup("revenue"), 600.0, 300.0, 0.5, errors[:3]) is None


def test_period_end_of_each_kind():
    nov = D(2026, 11, 1)
    assert fc.period_end(make_period("month", nov)) == nov
    assert fc.period_end(make_period("quarter", nov)) == D(2026, 12, 1)
    assert fc.period_end(make_period("ytd", nov)) == D(2026, 12, 1)
    assert fc.period_end(make_period("t12m", nov)) is None


# -- the engine on a half-loaded month ------------------------------------------------------------
def test_a_half_month_has_a_forecast_and_a_pacing_target_not_the_whole_months(half):
    cards = {v.id: v for v in engine.scorecard(half, period=make_period("month", JUL))}
    revenue, orders = cards["revenue"], cards["orders"]
    assert revenue.partial and revenue.pacing
    assert revenue.value == 300  # 15 days x 2 orders x £10
    # Every weekday has the same rows: the 15 days are 15/31 of July; the target to date
    # is 620 x 15/31 = 300, not the whole month's 620 (which would make 300 red).
    assert revenue.target == pytest.approx(300)
    assert revenue.status == "green"
    assert orders.target == pytest.approx(30) and orders.value == 30
    f = revenue.forecast
    # Three backtest months (Apr-Jun have three months before them): too few to judge the
    # model, so the seasonal naive: 300 + 16/31 x June's 600; no range yet.
    assert f.method == fc.NAIVE and f.backtest_n == 3
    assert f.value == pytest.approx(300 + 16 / 31 * 600)
    assert (f.low, f.high) == (None, None)
    assert f.target == 620 and f.verdict == "at risk"
    assert f.end == JUL and f.share_done == pytest.approx(15 / 31)
    assert f.through == D(2025, 7, 15)
    assert orders.forecast.value == pytest.approx(30 + 16 / 31 * 60)


def test_a_complete_month_has_no_forecast_and_its_whole_target(store):
    ledger.load_table(store, "orders", half_month_orders(31))
    ledger.load_table(store, "targets", PLAN)
    cards = {v.id: v for v in engine.scorecard(store, period=make_period("month", JUL))}
    assert cards["revenue"].forecast is None and not cards["revenue"].pacing
    assert cards["revenue"].target == 620


def test_quarter_to_date_forecasts_to_the_quarters_end(half):
    v = next(v for v in engine.scorecard(half, period=make_period("quarter", JUL))
             if v.id == "revenue")  # fmt: skip
    # Naive: the rest of July (16/31 of June's 600) and Aug, Sep at June's 600 each.
    assert v.forecast.end == D(2025, 9, 1)
    assert v.forecast.value == pytest.approx(300 + 16 / 31 * 600 + 600 + 600)
    assert v.forecast.target is None  # no plan for August and September
    # Month by month (the trend's dashed line): July whole, then August and September.
    assert [(m, round(x, 6)) for m, x, _, _ in v.forecast.months] == [
        (JUL, round(300 + 16 / 31 * 600, 6)), (D(2025, 8, 1), 600.0), (D(2025, 9, 1), 600.0),
    ]  # fmt: skip


# -- cards, CLI and API ---------------------------------------------------------------------------
def test_card_says_on_pace_for_with_the_range_on_hover():
    f = fc.Forecast(value=412, low=390, high=430, end=D(2026, 11, 1), method=fc.MODEL,
                    target=450, verdict="likely miss", share_done=0.5, backtest_n=20,
                    through=D(2026, 11, 15), months=[(D(2026, 11, 1), 412, 390, 430)],
                    mase=0.8, note="run rate")  # fmt: skip
    v = KpiValue("orders", "Orders", "Efficiency", "orders", 200, None, None, None, 225,
                 "red", None, partial=True, forecast=f, pacing=True)  # fmt: skip
    card = scorecard_view.card_view(v)
    assert card["pace_text"] == "on pace for 412 (target 450): likely miss"
    assert "Likely between 390 and 430 by the end of Nov 2026" in card["pace_help"]
    assert "target to date 225" in card["footnote"]
    html = scorecard_view.card_html(card)
    assert 'class="kpi-pace"' in html and "on pace for 412" in html


def _cli_json(db) -> dict:
    import contextlib
    import io

    from cockpit.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["kpis", "--period", "2025-07", "--json", "--db", str(db)]) == 0
    return {k["id"]: k for k in json.loads(out.getvalue())["kpis"]}


def test_kpis_json_and_api_carry_forecast(tmp_path, monkeypatch):
    db = (tmp_path / "half.duckdb").resolve()
    fill(store_mod.get_store(db))
    cli = _cli_json(db)
    assert cli["revenue"]["target_to_date"] is True
    assert cli["revenue"]["target"] == pytest.approx(300)
    f = cli["revenue"]["forecast"]
    assert f["value"] == pytest.approx(300 + 16 / 31 * 600)
    assert (f["end"], f["method"], f["target"], f["verdict"]) == (
        "2025-07", "seasonal_naive", 620.0, "at risk",
    )  # fmt: skip
    assert cli["on_time_pct"]["forecast"] is None  # no value: nothing to forecast
    (month,) = f["months"]
    assert month["month"] == "2025-07" and month["value"] == pytest.approx(f["value"])

    token = "t" * 32
    srv = api.Server(db)
    srv.info = {"local_token": token}
    monkeypatch.setattr(api, "SERVER", srv)
    scope = {"type": "http", "method": "GET", "path": "/api/kpis",
             "query_string": urlencode({"period": "2025-07"}).encode(),
             "headers": [(b"authorization", f"Bearer {token}".encode())]}  # fmt: skip

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    response = run_coroutine(api.kpis(Request(scope, receive)))
    assert response.status_code == 200
    doc = {k["id"]: k for k in json.loads(response.body)["kpis"]}
    assert doc["revenue"]["forecast"] == f
    store_mod.get_store(db).close()


# -- the alert rule ---------------------------------------------------------------------------------
def test_forecast_to_miss_is_an_alert_rule(store):
    from cockpit import alerts, auth
    from cockpit.alerts import rules

    admin = auth.User("admin", "admin")
    for d in rules.DEFAULTS:
        rules.save_rule(store, rules.Rule(d.rule_id, d.kind, enabled=False), admin)
    rules.save_rule(store, rules.Rule("pace", "forecast_miss", kpi="revenue"), admin)
    ledger.load_table(store, "targets", PLAN)
    entry = ledger.load_table(store, "orders", half_month_orders())
    ids = alerts.after_commit(store, [entry.load_id], today=D(2025, 7, 16))
    fired = [a for a in alerts.list_alerts(store, admin) if a["alert_id"] in ids]
    # On pace for 300 + 16/31 x 600 = £610 against July's £620: the forecast misses.
    assert [(a["rule_id"], a["kpi"], a["state"]) for a in fired] == [("pace", "revenue", "fired")]
    assert fired[0]["after_value"] == pytest.approx(300 + 16 / 31 * 600)
    assert "on pace for 610 by the end of Jul 2025, target 620: at risk" in fired[0]["message"]
    # The rest of July arrives: the month is complete, no forecast left to miss.
    rest = [r for r in half_month_orders(31) if r["order_date"] > D(2025, 7, 15)]
    entry = ledger.load_table(store, "orders", rest)
    ids = alerts.after_commit(store, [entry.load_id], today=D(2025, 8, 1))
    back = [a for a in alerts.list_alerts(store, admin) if a["alert_id"] in ids]
    assert [(a["rule_id"], a["state"]) for a in back] == [("pace", "normal")]
    assert "no longer forecast to miss" in back[0]["message"]


# -- the brief -------------------------------------------------------------------------------------
def test_the_brief_prints_the_forecast_line_on_one_page(tmp_path):
    from tests.unit.test_export_brief import CHROMIUM, _brief, _full_scorecard, _pdf_pages

    parts = _full_scorecard()
    for card in parts["cards"]:
        card |= {"pace_text": "on pace for 412 (target 450): likely miss", "pacing": True,
                 "pace_help": "Likely between 390 and 430 by the end of Nov 2026 (80% range)."}  # fmt: skip
    html = _brief(**parts)
    assert "Target to date" in html and "on pace for 412 (target 450): likely miss" in html
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed")
    pages, text = _pdf_pages(html, tmp_path)
    assert pages == 1 and "on pace for 412" in text


def test_a_kpi_reading_rows_has_its_rows_forecast_too():
    # Contacts per 1,000 orders reads contacts' rows: both sides are forecast, or the rate
    # would set a half month's contacts against a whole month's orders.
    kpi = lookup("contacts_per_1000_orders")
    assert ("contacts", "rows") in fc.components_of(kpi)
    hist = {D(2025, m, 1): {"contacts": {"rows": 50}, "orders": {"rows": 10, "orders": 100}}
            for m in (1, 2, 3)}  # fmt: skip
    so_far = {"contacts": {"rows": 25}, "orders": {"rows": 5, "orders": 50}}
    sums = fc.period_sums(hist, so_far, current=D(2025, 4, 1), current_sums=so_far, share=0.5,
                          later=[], method=fc.MODEL, only=fc.components_of(kpi))  # fmt: skip
    # contacts 25 + 0.5 * (25 + 0.5 * 50) = 50; orders 50 + 0.5 * (50 + 0.5 * 100) = 100
    assert engine.evaluate(kpi, sums).value == pytest.approx(500)
