"""Card texts: values, signed changes in the KPI's unit, colours by direction, footnotes."""

import datetime as dt

from cockpit.kpis import KpiValue
from cockpit.kpis.registry import lookup
from cockpit.screens.scorecard_view import by_group, card_view, change_text, sparkline_svg


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
    assert groups["Efficiency"][0]["spark"] == [1.0, 2.0, 3.0]
    assert groups["Customer"][0]["spark"] == []


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


def _lines(svg: str) -> list[list[tuple[float, float]]]:
    import re

    return [
        [tuple(map(float, p.split(","))) for p in pts.split()]
        for pts in re.findall(r'<polyline points="([^"]+)"', svg)
    ]


def _dots(svg: str) -> list[tuple[float, float]]:
    import re

    return [
        (float(x), float(y)) for x, y in re.findall(r'class="dot" d="M([\d.]+) ([\d.]+)h0"', svg)
    ]


def test_the_sparkline_is_svg_scaled_to_its_values():
    spark = [(dt.date(2026, m, 1), v) for m, v in ((1, 10.0), (2, 20.0), (3, 15.0))]
    svg = sparkline_svg(spark)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    (line,) = _lines(svg)
    xs, ys = [x for x, _ in line], [y for _, y in line]
    assert xs == [0.0, 60.0, 120.0]  # the whole width, months evenly spaced
    assert ys[1] == 3.0 and ys[0] == 25.0  # highest at the top, lowest at the bottom (28 high)
    assert ys[2] == 14.0  # halfway
    assert _dots(svg) == [(120.0, 14.0)]  # the dot on the last month


def test_a_month_without_data_breaks_the_sparkline_rather_than_joining_or_dropping_to_zero():
    spark = [
        (dt.date(2026, m, 1), v) for m, v in ((1, 1.0), (2, 2.0), (3, None), (4, 3.0), (5, 4.0))
    ]
    svg = sparkline_svg(spark)
    first, second = _lines(svg)
    assert [x for x, _ in first] == [0.0, 30.0] and [x for x, _ in second] == [90.0, 120.0]


def test_a_sparkline_needs_two_months_with_values_and_a_flat_line_stays_inside():
    assert sparkline_svg([(dt.date(2026, 1, 1), 5.0), (dt.date(2026, 2, 1), None)]) == ""
    assert sparkline_svg([]) == ""
    flat = sparkline_svg([(dt.date(2026, m, 1), 7.0) for m in (1, 2, 3)])
    assert all(0 <= y <= 28 for line in _lines(flat) for _, y in line)


def test_a_month_alone_between_gaps_is_a_dot():
    spark = [
        (dt.date(2026, m, 1), v) for m, v in ((1, 1.0), (2, None), (3, 2.0), (4, None), (5, 3.0))
    ]
    svg = sparkline_svg(spark)
    assert _lines(svg) == []
    assert [x for x, _ in _dots(svg)] == [0.0, 60.0, 120.0, 120.0]  # three months + the last


def test_the_card_carries_its_sparkline_as_an_image_titled_with_its_months():
    import base64
    import re

    spark = [(dt.date(2026, m, 1), float(m)) for m in (1, 2, 3)] + [(dt.date(2026, 4, 1), None)]
    card = card_view(value("orders", 3.0, spark=spark))
    img = card["spark_html"]
    assert img.startswith('<img class="spark" src="data:image/svg+xml;base64,')
    assert 'title="Orders, Jan 2026 – Mar 2026"' in img  # up to the last month with a value
    data = re.search(r"base64,([^\"]+)", img).group(1)
    assert base64.b64decode(data).decode() == sparkline_svg(spark)
    assert card_view(value("orders", 3.0))["spark_html"] == ""
