"""Issue 28 on real files: the sales workbook's year to date forecasts the year against its
budget; the punctuality file's quarter to date forecasts the quarter."""

from __future__ import annotations

import pytest


def test_sales_year_to_date_is_forecast_against_the_years_budget(realdb):
    ventas = realdb("ventas")
    revenue = ventas.kpis("--period", "2020-06", "--period-kind", "ytd")["revenue"]
    f = revenue["forecast"]
    # The README's figure: the 2020 budget is 15,360,000 (the whole year, not to date).
    assert f["target"] == pytest.approx(15_360_000)
    assert f["end"] == "2020-12" and len(f["months"]) == 6
    # Only Apr, May and Jun have three months before them: 3 backtest months, too few to
    # judge the model, so the seasonal naive; without a year before, each of Jul-Dec is June.
    assert (f["method"], f["backtest_n"]) == ("seasonal_naive", 3)
    june = ventas.kpis("--period", "2020-06")["revenue"]["value"]
    assert f["value"] == pytest.approx(revenue["value"] + 6 * june)
    assert [m["value"] for m in f["months"]] == pytest.approx([june] * 6)


def test_punctuality_quarter_to_date_is_forecast(realdb):
    sncf = realdb("sncf")
    card = sncf.kpis("--period", "2018-02", "--period-kind", "quarter")["on_time_pct"]
    f = card["forecast"]
    assert f["end"] == "2018-03" and [m["month"] for m in f["months"]] == ["2018-03"]
    assert 0 < f["value"] < 100
