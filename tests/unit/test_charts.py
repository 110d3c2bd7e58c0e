"""Chart builders, checked through chart.to_dict(): encodings, data values, rules, formats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc

from cockpit import charts, datasets
from cockpit.charts import theme
from cockpit.kpis.registry import lookup

MONTHS = pd.date_range("2024-01-01", periods=3, freq="MS")


def units(spec: dict, data: str | None = None):
    """Every single-mark view in a spec, with the name of the dataset it reads."""
    data = spec.get("data", {}).get("name", data)
    if "mark" in spec:
        yield spec, data
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from units(child, data)
    if "spec" in spec:
        yield from units(spec["spec"], data)


def marks(spec: dict) -> list[str]:
    return [u["mark"]["type"] if isinstance(u["mark"], dict) else u["mark"] for u, _ in units(spec)]


def params(spec: dict) -> dict[str, dict]:
    """Selection parameters by name, wherever Altair put them (layers lift them to the top)."""
    found = {p["name"]: p for p in spec.get("params", [])}
    for view, _ in units(spec):
        found.update({p["name"]: p for p in view.get("params", [])})
    return found


def unit_with(spec: dict, mark: str, **mark_props) -> tuple[dict, list[dict]]:
    """The only view with this mark type (and mark properties), and its data rows."""
    found = [
        (u, spec["datasets"][d])
        for u, d in units(spec)
        if u["mark"]["type"] == mark and all(u["mark"].get(k) == v for k, v in mark_props.items())
    ]
    assert len(found) == 1, f"expected one {mark} view, found {len(found)}"
    return found[0]


def kpi_frame(values=(80.0, 90.0, 86.0)) -> pd.DataFrame:
    return pd.DataFrame({"month": MONTHS, "value": list(values)})


SAMPLES = {
    "sparkline": lambda: charts.sparkline(kpi_frame()),
    "kpi_trend": lambda: charts.kpi_trend(
        kpi_frame(), title="On-time", unit="%", fmt=".1f", target=86, highlight_month=MONTHS[1]
    ),
    "multi_trend": lambda: charts.multi_trend(
        pd.concat([kpi_frame().assign(series="CSAT"), kpi_frame().assign(series="NPS")]),
        title="Customer",
        unit="pts",
    ),
    "breakdown_bar": lambda: charts.breakdown_bar(
        pd.DataFrame({"site": ["A", "B"], "value": [1.0, 2.0]}),
        dimension="site",
        title="Units",
        unit="",
        fmt=",.0f",
        target=1.5,
    ),
    "pareto": lambda: charts.pareto(
        pd.DataFrame({"cause": ["x", "y"], "minutes": [10.0, 30.0]}), title="Downtime"
    ),
    "budget_vs_actual": lambda: charts.budget_vs_actual(
        pd.DataFrame({"month": MONTHS, "budget": [10.0, 10, 10], "actual": [9.0, 11, 12]}),
        title="Cost",
    ),
    "variance_bars": lambda: charts.variance_bars(
        pd.DataFrame({"label": ["a", "b"], "variance": [5.0, -2.0], "variance_pct": [5.0, -2]}),
        label_col="label",
        title="Variance",
    ),
    "oee_decomposition": lambda: charts.oee_decomposition(
        pd.DataFrame(
            {
                "site": ["A"],
                "availability_pct": [90.0],
                "performance_pct": [80.0],
                "quality_pct": [100.0],
                "oee_pct": [72.0],
            }
        ),
        title="OEE",
    ),
    "distribution": lambda: charts.distribution(
        pd.DataFrame({"hours": [1.0, 2, 3, 4, 10]}), value_col="hours", title="Hours", unit="h"
    ),
    "tornado": lambda: charts.tornado(
        pd.DataFrame({"driver": ["Price"], "delta_low": [-1.0], "delta_high": [1.0]}),
        output_label="Margin",
        unit="pts",
    ),
    "scenario_compare": lambda: charts.scenario_compare(
        pd.DataFrame(
            {"output": ["Cost"] * 2, "scenario": ["Base", "S1"], "value": [1.0, 2], "unit": "€"}
        ),
        title="Scenarios",
    ),
    "coverage_grid": lambda: charts.coverage_grid(
        pd.DataFrame(
            {"month": ["2024-01"], "dataset": ["orders"], "status": ["loaded"], "rows": [5]}
        )
    ),
}

EMPTY = {
    "sparkline": lambda: charts.sparkline(kpi_frame().iloc[:0]),
    "kpi_trend": lambda: charts.kpi_trend(
        kpi_frame([np.nan] * 3), title="T", unit="%", fmt=".1f", target=1
    ),
    "multi_trend": lambda: charts.multi_trend(
        pd.DataFrame(columns=["month", "series", "value"]), title="T", unit=""
    ),
    "breakdown_bar": lambda: charts.breakdown_bar(
        pd.DataFrame(columns=["site", "value"]), dimension="site", title="T", unit="", fmt=".0f"
    ),
    "pareto": lambda: charts.pareto(pd.DataFrame(columns=["cause", "minutes"]), title="T"),
    "budget_vs_actual": lambda: charts.budget_vs_actual(
        pd.DataFrame(columns=["month", "budget", "actual"]), title="T"
    ),
    "variance_bars": lambda: charts.variance_bars(
        pd.DataFrame(columns=["label", "variance", "variance_pct"]), label_col="label", title="T"
    ),
    "oee_decomposition": lambda: charts.oee_decomposition(pd.DataFrame(), title="T"),
    "distribution": lambda: charts.distribution(
        pd.DataFrame({"hours": [np.nan]}), value_col="hours", title="T", unit="h"
    ),
    "tornado": lambda: charts.tornado(
        pd.DataFrame(columns=["driver", "delta_low", "delta_high"]), output_label="X", unit=""
    ),
    "scenario_compare": lambda: charts.scenario_compare(pd.DataFrame(), title="T"),
    "coverage_grid": lambda: charts.coverage_grid(pd.DataFrame()),
}


def test_every_builder_has_a_sample_and_an_empty_case():
    assert set(SAMPLES) == set(EMPTY) == set(charts.__all__)


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_empty_input_gives_a_no_data_text(name):
    spec = EMPTY[name]().to_dict()
    assert marks(spec) == ["text"]
    view, data = next(units(spec))
    assert view["encoding"]["text"]["field"] == "message"
    assert spec["datasets"][data] == [{"message": "No data"}]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_mark_has_a_tooltip_and_the_theme(name):
    spec = SAMPLES[name]().to_dict()
    for view, _ in units(spec):
        assert "tooltip" in view["encoding"], f"{name}: {view['mark']} has no tooltip"
    assert spec["config"]["axis"]["labelFontSize"] >= 12
    assert spec["config"]["title"]["fontSize"] >= 14
    assert spec["config"]["range"]["category"][0] == theme.PRIMARY


@pytest.mark.parametrize("name", ["kpi_trend", "pareto", "scenario_compare", "coverage_grid"])
def test_renders_to_png_offline(name):
    png = vlc.vegalite_to_png(SAMPLES[name]().to_dict())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= 100 and height >= 100


# theme


def test_rag_status_respects_direction_and_the_absolute_amber_threshold():
    higher = theme.rag_status(pd.Series([95.0, 88.0, 80.0, np.nan]), 90.0, "higher", 85.0)
    assert list(higher) == ["on target", "watch", "off target", None]
    lower = theme.rag_status(pd.Series([9.0, 10.4, 11.0]), 10.0, "lower", 10.5)
    assert list(lower) == ["on target", "watch", "off target"]
    assert list(theme.rag_status(pd.Series([89.0]), 90.0, "higher")) == ["off target"]
    with pytest.raises(ValueError):
        theme.rag_status(pd.Series([1.0]), 1.0, "up", 0.0)


@pytest.mark.parametrize("kpi_id", ["on_time_pct", "abandon_pct"])
def test_chart_status_is_the_cards_status(kpi_id):
    from cockpit.kpis.catalogue import CATALOGUE
    from cockpit.kpis.targets import status

    values = [80.0, 89.9, 91.0, 93.0, 96.0, 97.0, 4.0, 5.0, 6.0, 8.0]
    from cockpit.screens.scorecard_view import card_view

    # The words a card shows for each status, read off a card, not from the chart's module.
    def card_word(v):
        from cockpit.kpis import KpiValue

        kv = KpiValue(kpi_id, "", "", "", v, None, None, None, target, status(lookup(kpi_id), v, target, amber),
                      None, [], amber=amber)  # fmt: skip
        return card_view(kv)["status_text"]

    for target, amber in ((96.0, 91.0), (5.0, 7.0), (96.0, None)):
        got = theme.rag_status(pd.Series(values), target, CATALOGUE[kpi_id].direction, amber)
        assert list(got) == [card_word(v) for v in values]


def test_breakdown_bars_take_each_rows_target_and_threshold():
    df = pd.DataFrame({"site": ["Leeds", "Lyon", "Leipzig"], "value": [93.3, 83.1, 90.7],
                       "target": [96.0, 96.0, 96.0], "amber": [91.0, 91.0, 91.0],
                       "n": [119, 65, 54]})  # fmt: skip
    spec = charts.breakdown_bar(df, dimension="site", title="On-time", unit="%", fmt=".1f")
    spec = spec.to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {r["site"]: r["status"] for r in rows} == {
        "Leeds": "watch", "Lyon": "off target", "Leipzig": "off target"
    }  # fmt: skip


def test_percent_axis_appends_a_percent_sign_without_rescaling():
    axis = theme.value_axis("On-time", "%").to_dict()
    assert axis["labelExpr"] == "datum.label + '%'"
    assert "format" not in axis
    assert theme.value_axis("Answer time", "s").to_dict()["title"] == "Answer time (s)"
    assert theme.with_unit("Hours", "hours") == "Hours"  # no "Hours (hours)"
    assert theme.with_unit("Margin %", "%") == "Margin %"


def test_to_months_accepts_strings_dates_and_timestamps():
    got = theme.to_months(["2024-03", pd.Timestamp("2024-04-17"), np.datetime64("2024-05-31")])
    assert list(got) == list(pd.date_range("2024-03-01", periods=3, freq="MS"))


# trends


def test_sparkline_is_tiny_axis_free_and_marks_the_last_known_month():
    df = pd.DataFrame({"month": MONTHS[::-1], "value": [np.nan, 2.0, 1.0]})  # unsorted input
    spec = charts.sparkline(df).to_dict()
    assert spec["height"] == 40
    line, data = unit_with(spec, "line")
    assert line["encoding"]["x"]["axis"] is None and line["encoding"]["y"]["axis"] is None
    assert [r["value"] for r in data] == [1.0, 2.0, None]
    assert [r["is_last"] for r in data] == [False, True, False]


def test_kpi_trend_constant_target_rule_status_and_highlight():
    spec = charts.kpi_trend(
        kpi_frame(), title="On-time", unit="%", fmt=".1f", target=86, highlight_month=MONTHS[1:]
    ).to_dict()
    rule, rule_rows = unit_with(spec, "rule")
    assert rule_rows == [{"target": 86.0}]
    assert rule["mark"]["strokeDash"] == [6, 4]
    point, point_rows = unit_with(spec, "point")
    assert [r["status"] for r in point_rows] == ["off target", "on target", "on target"]
    assert [r["selected"] for r in point_rows] == [False, True, True]
    assert point["encoding"]["color"]["scale"]["range"] == [theme.GREEN, theme.RED]
    assert point["encoding"]["y"]["axis"]["labelExpr"] == "datum.label + '%'"
    assert point["encoding"]["tooltip"][1]["format"] == ".1f"
    assert params(spec)["hover"]["select"]["on"] == "pointerover"
    assert point["encoding"]["size"]["condition"]["param"] == "hover"
    _, band = unit_with(spec, "rect")
    assert pd.Timestamp(band[0]["start"]) == MONTHS[1] - pd.Timedelta(days=15)
    assert pd.Timestamp(band[0]["end"]) == MONTHS[2] + pd.Timedelta(days=15)


def test_kpi_trend_lower_is_better_flips_the_status():
    spec = charts.kpi_trend(kpi_frame(), title="Cost", unit="€", fmt=".2f", target=86,
                            direction="lower").to_dict()  # fmt: skip
    _, point_rows = unit_with(spec, "point")
    assert [r["status"] for r in point_rows] == ["on target", "off target", "on target"]


def test_kpi_trend_monthly_target_is_a_dashed_line_not_a_rule():
    df = kpi_frame().assign(target=[85.0, 95.0, 80.0])
    spec = charts.kpi_trend(df, title="On-time", unit="%", fmt=".1f", target=99).to_dict()
    assert "rule" not in marks(spec)
    target_line, data = unit_with(spec, "line", strokeDash=[6, 4])
    assert target_line["encoding"]["y"]["field"] == "target"
    assert [r["target"] for r in data] == [85.0, 95.0, 80.0]
    _, point_rows = unit_with(spec, "point")
    assert [r["status"] for r in point_rows] == ["off target", "off target", "on target"]


def test_multi_trend_legend_selection_and_independent_rows():
    df = pd.concat([kpi_frame().assign(series="CSAT"), kpi_frame().assign(series="NPS")])
    spec = charts.multi_trend(df, title="Customer", unit="pts").to_dict()
    line, _ = unit_with(spec, "line")
    (param,) = params(spec).values()
    assert param["bind"] == "legend" and param["select"]["fields"] == ["series"]
    assert line["encoding"]["opacity"]["condition"]["param"] == param["name"]
    assert line["encoding"]["color"]["scale"]["domain"] == ["CSAT", "NPS"]

    faceted = charts.multi_trend(df, title="Customer", unit="pts", independent_y=True).to_dict()
    assert faceted["facet"]["row"]["field"] == "series"
    assert faceted["resolve"]["scale"]["y"] == "independent"


# breakdowns


def test_breakdown_bar_sorted_rag_coloured_with_target_rule():
    df = pd.DataFrame({"site": ["Lyon", "Leeds", "Porto"], "value": [84.0, 95.5, 88.1]})
    spec = charts.breakdown_bar(
        df, dimension="site", title="On-time", unit="%", fmt=".1f", target=90, amber=85.5
    ).to_dict()
    bar, data = unit_with(spec, "bar")
    assert bar["encoding"]["y"]["sort"] == ["Leeds", "Porto", "Lyon"]
    assert {r["site"]: r["status"] for r in data} == {
        "Leeds": "on target",
        "Porto": "watch",  # 85.5 <= 88.1 < 90
        "Lyon": "off target",
    }
    assert bar["encoding"]["color"]["scale"] == {
        "domain": theme.RAG_DOMAIN,
        "range": [theme.GREEN, theme.AMBER, theme.RED],
    }
    _, rule_rows = unit_with(spec, "rule")
    assert rule_rows == [{"target": 90.0}]
    text, _ = unit_with(spec, "text")
    assert text["transform"] == [
        {"calculate": 'format(datum["value"], ".1f") + "%"', "as": "label"}
    ]


def test_breakdown_bar_without_target_is_one_colour():
    df = pd.DataFrame({"channel": ["web", None], "value": [1.0, 3.0]})
    spec = charts.breakdown_bar(df, dimension="channel", title="Orders", unit="", fmt=",.0f")
    bar, data = unit_with(spec.to_dict(), "bar")
    assert bar["encoding"]["color"] == {"value": theme.PRIMARY}
    assert [r["channel"] for r in data] == ["(blank)", "web"]
    assert "rule" not in marks(spec.to_dict())


def test_pareto_sorts_and_computes_cumulative_share_on_a_second_axis():
    df = pd.DataFrame({"cause": ["c", "a", "d", "b"], "minutes": [150.0, 500, 50, 300]})
    spec = charts.pareto(df, title="Downtime").to_dict()
    bar, data = unit_with(spec, "bar")
    assert bar["encoding"]["x"]["sort"] == ["a", "b", "c", "d"]
    assert [r["share"] for r in data] == [50.0, 30.0, 15.0, 5.0]
    assert [r["cumulative_share"] for r in data] == [50.0, 80.0, 95.0, 100.0]
    line, _ = unit_with(spec, "line")
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert line["encoding"]["y"]["axis"]["orient"] == "right"
    assert spec["resolve"]["scale"]["y"] == "independent"
    _, reference = unit_with(spec, "rule")
    assert reference == [{"cumulative_share": 80.0}]


def test_budget_vs_actual_groups_bars_with_variance_in_tooltip():
    df = pd.DataFrame(
        {"month": ["2024-02-01", "2024-01-01"], "budget": [200.0, 100.0], "actual": [150.0, 110.0]}
    )
    spec = charts.budget_vs_actual(df, title="Cost", unit="€").to_dict()
    bar, data = unit_with(spec, "bar")
    assert bar["encoding"]["x"]["sort"] == ["Jan 24", "Feb 24"]
    assert bar["encoding"]["xOffset"]["field"] == "measure"
    jan = [r for r in data if r["period"] == "Jan 24"]
    assert {r["measure"]: r["amount"] for r in jan} == {"Budget": 100.0, "Actual": 110.0}
    feb = next(r for r in data if r["period"] == "Feb 24")
    assert (feb["variance"], feb["variance_pct"]) == (-50.0, -25.0)
    assert "variance_pct" in [t["field"] for t in bar["encoding"]["tooltip"]]


def test_variance_bars_colour_overspend_red_for_cost_and_green_for_income():
    df = pd.DataFrame(
        {"unit": ["IT", "Ops", "HR"], "variance": [-2.0, 5.0, 1.0], "variance_pct": [-2, 5, 1]}
    )
    cost = charts.variance_bars(df, label_col="unit", title="Variance").to_dict()
    bar, data = unit_with(cost, "bar")
    assert bar["encoding"]["y"]["sort"] == ["Ops", "HR", "IT"]
    scale = bar["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    assert {r["unit"]: colour[r["assessment"]] for r in data} == {
        "Ops": theme.RED,
        "HR": theme.RED,
        "IT": theme.GREEN,
    }
    income = charts.variance_bars(df, label_col="unit", title="V", kind="income").to_dict()
    bar, data = unit_with(income, "bar")
    scale = bar["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    assert {r["unit"]: colour[r["assessment"]] for r in data}["Ops"] == theme.GREEN
    with pytest.raises(ValueError):
        charts.variance_bars(df, label_col="unit", title="V", kind="profit")


def test_oee_decomposition_finds_the_line_column_and_sorts_by_oee():
    df = pd.DataFrame(
        {
            "line": ["L1", "L2"],
            "availability_pct": [90.0, 95.0],
            "performance_pct": [80.0, 90.0],
            "quality_pct": [100.0, 100.0],
            "oee_pct": [72.0, 85.5],
        }
    )
    spec = charts.oee_decomposition(df, title="OEE").to_dict()
    bar, data = unit_with(spec, "bar")
    assert bar["encoding"]["x"]["field"] == "line"
    assert bar["encoding"]["x"]["sort"] == ["L2", "L1"]
    assert bar["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert {(r["line"], r["measure"]): r["pct"] for r in data}[("L1", "OEE")] == 72.0
    assert len(data) == 8


def test_distribution_bins_counts_and_median_rule():
    df = pd.DataFrame({"hours": [1.0, 2.0, 3.0, 4.0, 10.0, np.nan]})
    spec = charts.distribution(df, value_col="hours", title="Resolution", unit="h", bins=2)
    spec = spec.to_dict()
    _, bins = unit_with(spec, "bar")
    assert [(b["bin_start"], b["bin_end"], b["count"]) for b in bins] == [
        (1.0, 5.5, 4),
        (5.5, 10.0, 1),
    ]
    _, median = unit_with(spec, "rule")
    assert median == [{"median": 3.0}]


# what-if


def test_tornado_sorts_by_swing_with_a_zero_rule():
    df = pd.DataFrame(
        {
            "driver": ["Agents", "Price", "Volume"],
            "delta_low": [-0.5, -6.0, 2.0],
            "delta_high": [0.4, 5.5, -1.0],
        }
    )
    spec = charts.tornado(df, output_label="Margin", unit="pts").to_dict()
    bar, data = unit_with(spec, "bar")
    assert bar["encoding"]["y"]["sort"] == ["Price", "Volume", "Agents"]
    assert {(r["driver"], r["case"]): r["delta"] for r in data}[("Volume", "Driver +10%")] == -1.0
    assert spec["title"] == "Sensitivity of Margin"
    _, zero = unit_with(spec, "rule")
    assert zero == [{"zero": 0.0}]


def test_scenario_compare_one_panel_per_output_with_its_unit():
    df = pd.DataFrame(
        {
            "output": ["Revenue", "Revenue", "Margin %", "Margin %"],
            "scenario": ["Baseline", "Volume +15%"] * 2,
            "value": [1_200_000.0, 1_380_000.0, 22.0, 23.5],
            "unit": ["€", "€", "%", "%"],
        }
    )
    spec = charts.scenario_compare(df, title="Scenarios").to_dict()
    assert spec["facet"]["sort"] == ["Revenue (€)", "Margin %"]
    assert spec["resolve"]["scale"]["y"] == "independent"
    bar, _ = unit_with(spec, "bar")
    assert bar["encoding"]["x"]["sort"] == ["Baseline", "Volume +15%"]
    data = spec["datasets"][spec["data"]["name"]]
    assert [r["label_fmt"] for r in data] == [".3~s", ".3~s", ",.1f", ",.1f"]
    assert [r["suffix"] for r in data] == ["", "", "%", "%"]
    assert [r["prefix"] for r in data] == ["€", "€", "", ""]  # "€103k", not "103k €"


# data


def test_coverage_grid_colours_statuses_and_uses_catalogue_labels():
    df = pd.DataFrame(
        {
            "month": ["2024-02", "2024-01", "2024-01", "2024-02"],
            "dataset": ["orders", "orders", "budget", "budget"],
            "status": ["missing", "loaded", "partial", "superseded"],
            "rows": [0, 120, 40, 75],
        }
    )
    spec = charts.coverage_grid(df).to_dict()
    rect, data = unit_with(spec, "rect")
    scale = rect["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "loaded": theme.GREEN,
        "partial": theme.AMBER,
        "superseded": theme.BLUE_GREY,
        "missing": theme.LIGHT_GREY,
    }
    assert rect["encoding"]["x"]["sort"] == ["2024-01", "2024-02"]
    orders, budget = datasets.DATASETS["orders"].label, datasets.DATASETS["budget"].label
    assert rect["encoding"]["y"]["sort"] == [orders, budget]  # catalogue order
    assert {(r["dataset"], r["month"]): r["rows"] for r in data}[(budget, "2024-02")] == 75
    assert "rows" in [t["field"] for t in rect["encoding"]["tooltip"]]


def _svg_texts(chart) -> list[str]:
    import re

    svg = vlc.vegalite_to_svg(chart.to_dict())
    return [t.replace("&#8722;", "-") for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_money_axis_reads_like_the_cards():
    """Budget vs actual: the axis is titled with the currency and labels read '£100k'."""
    df = pd.DataFrame(
        {"month": ["2024-01-01", "2024-02-01"], "budget": [0.0, 200_000.0], "actual": [1.5e6, 0.0]}
    )
    texts = _svg_texts(charts.budget_vs_actual(df, title="Cost", unit="£"))
    assert "Cost (£)" in texts
    assert "£1.5M" in texts or "£1M" in texts
    assert not [t for t in texts if t.endswith("£")]


def test_scenario_labels_put_the_currency_in_front():
    df = pd.DataFrame(
        {
            "output": ["Revenue per month"] * 2,
            "scenario": ["Baseline", "Volume +15%"],
            "value": [103_464.0, 118_984.0],
            "unit": "£",
        }
    )
    texts = _svg_texts(charts.scenario_compare(df, title="Scenarios"))
    assert "£103k" in texts and "£119k" in texts, texts
    assert not [t for t in texts if t.endswith(" £")]


def test_a_long_coverage_span_is_shown_a_year_per_column():
    """A 15-year file: 15 readable columns, not 180 hair-thin ones; a year with a gap is
    partial and says how many months it has."""
    months = pd.period_range("2001-01", "2015-12", freq="M").strftime("%Y-%m")
    df = pd.DataFrame({"month": months, "dataset": "orders", "status": "loaded", "rows": 10})
    df.loc[df["month"].isin(["2003-04", "2003-05"]), ["status", "rows"]] = ["missing", 0]
    df.loc[df["month"].str.startswith("2004"), ["status", "rows"]] = ["missing", 0]
    spec = charts.coverage_grid(df).to_dict()
    rect, data = unit_with(spec, "rect")
    assert len(data) == 15
    by_year = {r["month"]: (r["status"], r["detail"]) for r in data}
    assert by_year["2002"] == ("loaded", "loaded 12 of 12 months")
    assert by_year["2003"] == ("partial", "loaded 10 of 12 months")
    assert by_year["2004"] == ("missing", "loaded 0 of 12 months")
    assert spec["title"] == "Data coverage by year"


def test_a_short_coverage_span_keeps_a_column_per_month():
    df = pd.DataFrame({"month": ["2024-01", "2024-02"], "dataset": "orders", "status": "loaded"})
    _, data = unit_with(charts.coverage_grid(df).to_dict(), "rect")
    assert [r["month"] for r in data] == ["2024-01", "2024-02"]


def test_money_axis_below_one_pound_has_no_milli_prefix():
    # The What-if tornado of cost per unit labelled -£0.60 as '-£600m' (SI milli), which a
    # reader takes for six hundred million.
    df = pd.DataFrame(
        {"driver": ["Variable cost", "Volume"], "delta_low": [-0.6, 0.1], "delta_high": [0.6, -0.1]}
    )
    texts = _svg_texts(charts.tornado(df, output_label="Cost per unit", unit="£", fmt=",.2f"))
    ticks = [t for t in texts if "£" in t and "(" not in t]
    assert "£0.6" in ticks and "-£0.6" in ticks, ticks
    assert not [t for t in ticks if t[-1] in "mµ"], ticks
    big = pd.DataFrame({"driver": ["Volume"], "delta_low": [-25_000.0], "delta_high": [25_000.0]})
    texts = _svg_texts(charts.tornado(big, output_label="Revenue", unit="£"))
    assert "£20k" in texts and "-£20k" in texts


def test_variance_bars_axis_carries_the_currency():
    df = pd.DataFrame(
        {"label": ["Ops · Materials", "Sales · Salaries"], "variance": [7515.0, -1200.0],
         "variance_pct": [10.2, -2.0]}
    )  # fmt: skip
    texts = _svg_texts(charts.variance_bars(df, label_col="label", title="V", unit="£"))
    assert "Actual - budget (£)" in texts
    assert "£6k" in texts or "£5k" in texts, texts


def test_scenario_bars_say_what_the_comparison_table_says():
    # Cost per unit £9.11 vs £9.09 in the table were both labelled '£9.1' on the bars.
    from cockpit.screens import whatif_view
    from cockpit.whatif.model import OutputValue

    def value(base: float, scen: float) -> OutputValue:
        return OutputValue("cost_per_unit", "Cost per unit", "currency", base, scen, 0.0, "")

    named = {"Baseline": [value(9.11, 9.11)], "Peak": [value(9.11, 9.09)]}
    table = whatif_view.compare_table(named)
    assert list(table.iloc[0, 1:]) == ["£9.11", "£9.09"]
    texts = _svg_texts(
        charts.scenario_compare(whatif_view.compare_frame(named), title="Scenarios compared")
    )
    assert "£9.11" in texts and "£9.09" in texts, texts


def test_distribution_median_label_in_the_cards_words():
    # The Customer page's histogram said 'Median 0.2 hours' beside a card saying '15 min'.
    df = pd.DataFrame({"hours": [0.1, 0.25, 0.3, 5.0]})
    texts = _svg_texts(
        charts.distribution(df, value_col="hours", title="T", unit="hours", median_text="17 min")
    )
    assert "Median 17 min" in texts, texts
    texts = _svg_texts(charts.distribution(df, value_col="hours", title="T", unit="hours"))
    assert "Median 0.3 hours" in texts  # np.median = 0.275; without words, the unit's
