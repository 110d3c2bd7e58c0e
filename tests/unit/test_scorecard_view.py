"""Card texts: values, signed changes in the KPI's unit, colours by direction, footnotes."""

import datetime as dt

from cockpit.kpis import KpiValue
from cockpit.kpis.registry import lookup
from cockpit.screens.scorecard_view import (
    by_group,
    card_html,
    card_view,
    change_text,
    spark_geometry,
    sparkline_html,
)


def value(kpi_id, v, prev=None, target=None, status=None, reason=None, spark=()):
    return KpiValue(id=kpi_id, label="", group="", unit="", value=v, previous=prev,
                    change=None if v is None or prev is None else v - prev, change_pct=None,
                    target=target, status=status, reason=reason, spark=list(spark))  # fmt: skip


def test_changes_are_signed_once_in_the_kpi_unit():
    assert change_text(lookup("on_time_pct"), 1.25) == "+1.2 pts"
    assert change_text(lookup("nps"), 22.0) == "+22"  # not "++22"
    assert change_text(lookup("nps"), -5.0) == "-5"
    assert change_text(lookup("asa_seconds"), -3.0) == "-3 s"
    assert change_text(lookup("revenue"), 12_345.0) == "+£12k"
    assert change_text(lookup("revenue"), None) is None


def test_lower_is_better_inverts_the_delta_colour_and_tiny_changes_show_none():
    card = card_view(value("abandon_pct", 6.0, prev=5.0, target=5.0, status="red"))
    assert card["delta_color"] == "inverse" and card["delta_text"] == "+1.0 pts"
    assert card["status"] == "red" and card["footnote"] == "target 5.0% · was 5.0%"
    flat = card_view(value("cycle_time_days", 3.01, prev=3.0))
    assert flat["delta_text"] is None  # "+0.0 d" would look like a move


def test_missing_value_says_why_and_target_comparison_uses_the_target():
    card = card_view(value("csat_pct", None, reason="no contacts data loaded"))
    assert card["value_text"] == "—" and card["footnote"] == "no contacts data loaded"
    card = card_view(value("on_time_pct", 93.0, prev=90.0, target=95.0), compare="target")
    assert card["delta_text"] == "-2.0 pts"


def test_cards_group_in_catalogue_groups_and_drop_short_sparklines():
    spark = [(dt.date(2026, m, 1), float(m)) for m in (1, 2, 3)]
    groups = by_group([value("orders", 10.0, spark=spark), value("nps", 30.0, spark=spark[:1])])
    assert list(groups) == ["Efficiency", "Customer"]
    assert groups["Efficiency"][0]["spark_html"].count('class="spark-line"') == 1
    assert groups["Customer"][0]["spark_html"] == ""  # one month: no line


def test_breakdown_export_has_human_headers_n_and_no_empty_slice():
    import pandas as pd

    from cockpit.kpis import CATALOGUE
    from cockpit.screens.scorecard_view import breakdown_table

    df = pd.DataFrame({"ship_mode": ["Standard", None, "Express"],
                       "value": [93.27731092436974, 80.0, None],
                       "numerator": [111, 4, None], "denominator": [119, 5, 0],
                       "target": [96.0, 96.0, 96.0], "amber": [91.0, 91.0, 91.0],
                       "status": ["amber", "red", None]})  # fmt: skip
    table, formats = breakdown_table(df, CATALOGUE["on_time_pct"], "ship_mode")
    assert list(table.columns) == ["Ship mode", "On-time delivery", "n", "Target", "Status"]
    assert table.to_dict("records") == [
        {"Ship mode": "Standard", "On-time delivery": 93.2773, "n": 119, "Target": 96.0,
         "Status": "watch"},
        {"Ship mode": "(blank)", "On-time delivery": 80.0, "n": 5, "Target": 96.0,
         "Status": "off target"},
    ]  # fmt: skip
    assert formats == {"On-time delivery": "pct", "n": "int", "Target": "pct"}


def test_the_sparkline_spans_its_box_scaled_to_its_values():
    spark = [(dt.date(2026, m, 1), v) for m, v in ((1, 10.0), (2, 20.0), (3, 15.0))]
    (line,), dots = spark_geometry(spark)
    assert [x for x, _ in line] == [0.0, 50.0, 100.0]  # the whole width, months evenly spaced
    assert [y for _, y in line] == [90.0, 10.0, 50.0]  # lowest at the bottom, highest on top
    assert dots == [(100.0, 50.0)]  # the last month is marked


def test_a_month_without_data_breaks_the_sparkline_rather_than_joining_or_dropping_to_zero():
    spark = [
        (dt.date(2026, m, 1), v) for m, v in ((1, 1.0), (2, 2.0), (3, None), (4, 3.0), (5, 4.0))
    ]
    (first, second), _ = spark_geometry(spark)
    assert [x for x, _ in first] == [0.0, 25.0] and [x for x, _ in second] == [75.0, 100.0]


def test_a_month_alone_between_gaps_is_a_dot_and_one_month_draws_nothing():
    spark = [
        (dt.date(2026, m, 1), v) for m, v in ((1, 1.0), (2, None), (3, 2.0), (4, None), (5, 3.0))
    ]
    lines, dots = spark_geometry(spark)
    assert lines == [] and [x for x, _ in dots] == [0.0, 50.0, 100.0, 100.0]
    assert spark_geometry([(dt.date(2026, 1, 1), 5.0), (dt.date(2026, 2, 1), None)]) == ([], [])
    flat, _ = spark_geometry([(dt.date(2026, m, 1), 7.0) for m in (1, 2, 3)])
    assert all(10 <= y <= 90 for _, y in flat[0])


def test_the_sparkline_html_draws_each_run_and_dot_and_names_its_months():
    import re

    spark = [(dt.date(2026, m, 1), v) for m, v in ((1, 1.0), (2, 2.0), (3, None), (4, 3.0))]
    out = sparkline_html(spark, "Orders")
    assert 'title="Orders, Jan 2026 – Apr 2026"' in out and 'role="img"' in out
    assert out.count('class="spark-line"') == 1  # Jan-Feb; April alone is a dot
    assert re.findall(r'class="spark-dot" style="left:([\d.]+)%', out) == ["100", "100"]
    # The outline under the Jan-Feb run: from the bottom up to January's point and along.
    assert 'style="--p:polygon(0% 100%,0% 90%,33.3% 50%,33.3% 100%)"' in out
    assert sparkline_html([], "Orders") == ""


def test_the_card_is_one_html_block_with_what_a_card_shows():
    spark = [(dt.date(2026, m, 1), float(m)) for m in (1, 2, 3)]
    card = card_view(value("abandon_pct", 6.0, prev=5.0, target=5.0, status="red", spark=spark))
    out = card_html(card)
    assert 'data-kpi="abandon_pct" data-label="Abandonment"' in out
    assert '<div class="kpi-value">6.0%</div>' in out
    # Abandonment up is bad: a red chip with an up arrow, then what it is compared with.
    assert '<span class="kpi-delta kpi-delta-bad">↑ +1.0 pts</span>' in out
    assert '<span class="kpi-vs">vs previous</span>' in out
    assert '<div class="kpi-foot">target 5.0% · was 5.0%</div>' in out
    assert 'class="rag rag-red"' in out and "off target" in out and 'class="spark"' in out
    empty = card_html(card_view(value("csat_pct", None, reason="no contacts data loaded")))
    assert '<div class="kpi-change"></div>' in empty and ">—<" in empty
    assert "None" not in empty and "nan" not in empty


def test_the_scorecard_is_one_html_block_whose_cards_link_to_their_group_page():
    from cockpit.screens.scorecard_view import scorecard_html

    cards = by_group([value("orders", 10.0), value("nps", 30.0)])
    link = {"page": "efficiency", "href": "Efficiency?month=2026-09", "help": "Open Efficiency"}
    out = scorecard_html(
        [
            {"title": "Efficiency", "cards": cards["Efficiency"], "link": link,
             "details": {**link, "label": "Details →"}},
            {"title": None, "cards": cards["Customer"], "link": None, "details": None},
        ],
        columns=5,
    )  # fmt: skip
    assert out.count("<h3>") == 1 and "<h3>Efficiency</h3>" in out
    assert '<a class="kpi-details in-app" href="Efficiency?month=2026-09"' in out
    # The linked card is an anchor around the card; the unlinked one a plain block.
    assert ('<a class="kpi-card in-app" href="Efficiency?month=2026-09" data-page="efficiency"'
            ' aria-label="Open Efficiency"><div class="kpi" data-kpi="orders"') in out  # fmt: skip
    assert '<div class="kpi-card"><div class="kpi" data-kpi="nps"' in out
    assert out.count('style="--cols:5"') == 2


def test_what_moved_tiles_and_the_headline_escape_their_text():
    from cockpit.screens.scorecard_view import headline_html, movers_html

    movers = [{"label": "NPS", "text": "NPS rose 22 points; mostly <Online>"},
              {"label": "Units", "text": "Units fell 5%"}]  # fmt: skip
    link = {"page": "customer", "href": "Customer?f_channel=%3COnline%3E", "help": "Open",
            "label": "Open <Online> →"}  # fmt: skip
    out = movers_html(movers, [link, None])
    assert "<h3>What moved</h3>" in out and 'style="--cols:2"' in out
    assert "mostly &lt;Online&gt;" in out and "Open &lt;Online&gt; →" in out
    assert '<div class="mover"><div class="mover-label">Units</div>' in out  # no link, no anchor
    assert headline_html("2 of 3 KPIs off target", "Q3 <2026>") == (
        '<h4 class="kpi-headline">2 of 3 KPIs off target '
        '<span class="kpi-headline-period">· Q3 &lt;2026&gt;</span></h4>'
    )


# -- issue 23: labels that agree ---------------------------------------------------------------
def test_a_card_without_a_value_but_with_a_target_does_not_say_no_target():
    card = card_view(value("csat_pct", None, target=85.0, reason="no surveys data in this period"))
    assert "target 85.0%" in card["footnote"]
    assert card["status_text"] == "no value"
    assert card_view(value("orders", 12.0))["status_text"] == "no target"


def test_a_zero_money_target_prints_as_zero_not_pence():
    card = card_view(value("budget_variance", 9_800.0, target=0.0, status="red"))
    assert "target £0 " in card["footnote"] + " " and "£0.00" not in card["footnote"]
    assert card["target_text"] == "£0"


def test_a_custom_metrics_precision_follows_its_values():
    from cockpit.kpis.custom_metrics import CustomMetric

    metric = CustomMetric("ratio", "Ratio", "orders", "sum(quantity)", target=0.5)
    defs = {metric.kpi_id: metric.as_kpi()}
    v = KpiValue(id=metric.kpi_id, label="", group="", unit="", value=0.49, previous=0.5,
                 change=-0.01, change_pct=None, target=0.5, status="red", reason=None)  # fmt: skip
    card = card_view(v, defs=defs)
    assert card["value_text"] == "0.49"
    assert card["footnote"] == "target 0.50 · was 0.50"
    # Values that differ in the third decimal get three.
    v.value, v.previous, v.target = 1.234, 1.232, 1.2
    card = card_view(v, defs=defs)
    assert (card["value_text"], card["footnote"]) == ("1.234", "target 1.200 · was 1.232")
    # Large numbers keep one decimal when that tells them apart.
    v.value, v.previous, v.target = 1_234.5, 1_200.0, None
    assert card_view(v, defs=defs)["value_text"] == "1,234.5"


def test_the_card_says_where_its_target_comes_from():
    v = value("on_time_pct", 89.0, target=96.0, status="red")
    v.target_source = "plan"
    assert "Target 96.0% from the uploaded plan" in card_view(v)["help"]
    v.target_source = "plan+settings"
    assert "from the uploaded plan and Settings" in card_view(v)["help"]


def test_scorecard_values_carry_the_target_source(tiny_db):
    from cockpit.kpis import make_period, scorecard
    from cockpit.kpis.targets import save_target_overrides

    save_target_overrides(tiny_db, {"asa_seconds": {"target": 50}})
    cards = {c.id: c for c in scorecard(tiny_db, period=make_period("month", dt.date(2025, 1, 1)))}
    assert cards["abandon_pct"].target_source == "plan"
    assert cards["asa_seconds"].target_source == "settings"
    assert cards["cycle_time_days"].target_source == "default"
    assert cards["orders"].target_source == "none"


def test_a_change_that_rounds_to_zero_has_no_sign():
    assert change_text(lookup("on_time_pct"), -0.04) == "0.0 pts"
    assert change_text(lookup("on_time_pct"), 0.04) == "0.0 pts"
    assert change_text(lookup("asa_seconds"), -0.2) == "0 s"
    assert change_text(lookup("on_time_pct"), -0.06) == "-0.1 pts"


def test_what_moved_says_what_it_compares_with():
    from cockpit.kpis import make_period
    from cockpit.screens.scorecard_view import movers_heading, movers_html

    qtd = make_period("quarter", dt.date(2026, 8, 1))
    assert (
        movers_heading(qtd, "prev") == "What moved vs the same months of Q2 2026 (Apr – May 2026)"
    )
    # Against target the movers are still changes since the previous period: it says so.
    month = make_period("month", dt.date(2026, 10, 1))
    assert movers_heading(month, "target") == (
        "What moved vs Sep 2026 (changes since the previous period; targets have no slices)"
    )
    html = movers_html([{"label": "OEE", "text": "OEE rose"}], [None], heading="What moved vs X")
    assert "<h3>What moved vs X</h3>" in html
