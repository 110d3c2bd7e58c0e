"""Periods, comparisons, available months and the partial-month rule."""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit.kpis import available_months, comparison_months, make_period, resolve_period
from cockpit.kpis.periods import add_months, month_span, parse_month, partial_months, period_between

D = dt.date


def test_add_months_crosses_years_both_ways():
    assert add_months(D(2025, 11, 20), 3) == D(2026, 2, 1)
    assert add_months(D(2025, 1, 1), -1) == D(2024, 12, 1)
    assert add_months(D(2025, 1, 1), -24) == D(2023, 1, 1)


@pytest.mark.parametrize(
    ("kind", "end", "first", "n", "label"),
    [
        ("month", D(2026, 10, 1), D(2026, 10, 1), 1, "Oct 2026"),
        ("quarter", D(2026, 9, 1), D(2026, 7, 1), 3, "Q3 2026"),
        ("quarter", D(2026, 8, 1), D(2026, 7, 1), 2, "Q3 2026 quarter-to-date (to Aug)"),
        ("ytd", D(2026, 3, 1), D(2026, 1, 1), 3, "YTD Mar 2026"),
        ("t3m", D(2026, 1, 1), D(2025, 11, 1), 3, "3 months to Jan 2026"),
        ("t12m", D(2026, 10, 1), D(2025, 11, 1), 12, "12 months to Oct 2026"),
    ],
)
def test_period_kinds(kind, end, first, n, label):
    p = make_period(kind, end)
    assert (p.start, len(p.months), p.months[-1], p.label) == (first, n, end, label)
    assert p.months == month_span(first, end)


def test_last_complete_quarter_ends_at_or_before_the_month():
    q3 = make_period("last_quarter", D(2026, 10, 1))
    assert (q3.months, q3.label) == ([D(2026, 7, 1), D(2026, 8, 1), D(2026, 9, 1)], "Q3 2026")
    assert make_period("last_quarter", D(2026, 9, 1)).label == "Q3 2026"
    assert make_period("last_quarter", D(2026, 2, 1)).label == "Q4 2025"


def test_comparisons():
    q3 = make_period("quarter", D(2026, 8, 1))  # Jul-Aug
    assert comparison_months(q3, "prev") == [D(2026, 4, 1), D(2026, 5, 1)]
    t3m = make_period("t3m", D(2026, 2, 1))
    assert comparison_months(t3m, "prev") == [D(2025, 9, 1), D(2025, 10, 1), D(2025, 11, 1)]
    assert comparison_months(t3m, "yoy") == [D(2024, 12, 1), D(2025, 1, 1), D(2025, 2, 1)]
    assert comparison_months(t3m, "target") == []
    with pytest.raises(ValueError, match="unknown comparison"):
        comparison_months(t3m, "lastweek")


def test_parse_month_and_ranges():
    assert parse_month("2026-03") == D(2026, 3, 1)
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("March")
    r = period_between("2025-11", "2026-02")
    assert (r.kind, len(r.months), r.code) == ("range", 4, "2025-11..2026-02")
    with pytest.raises(ValueError):
        period_between("2026-02", "2025-11")


def test_available_months_and_default_period(tiny_db):
    months = available_months(tiny_db)
    assert months[0] == D(2024, 1, 1) and months[-1] == D(2025, 3, 1)
    assert D(2024, 6, 1) not in months
    # Returns end in Feb (one month behind): Mar has orders and production only.
    assert resolve_period(tiny_db).end == D(2025, 2, 1)
    assert resolve_period(tiny_db, "quarter", "2025-02").months == [D(2025, 1, 1), D(2025, 2, 1)]
    # Before the first load (version 0) nothing is visible.
    assert available_months(tiny_db, as_of=0) == []


def test_partial_month_rules():
    rows = {D(2025, 1, 1): 100, D(2025, 2, 1): 90, D(2025, 3, 1): 110, D(2025, 4, 1): 100}
    # Ends on 27 April: 3 days short of the 30th is still complete, 4 days is partial.
    assert partial_months(rows, {D(2025, 4, 1): D(2025, 4, 27)}) == set()
    assert partial_months(rows, {D(2025, 4, 1): D(2025, 4, 26)}) == {D(2025, 4, 1)}
    # Fewer than half the median of earlier months (100): partial even without dates.
    assert partial_months({**rows, D(2025, 4, 1): 49}, {}) == {D(2025, 4, 1)}
    assert partial_months({**rows, D(2025, 4, 1): 50}, {}) == set()
    # Only the latest month is ever flagged.
    assert partial_months({**rows, D(2025, 2, 1): 1}, {}) == set()


def test_monthly_grain_data_is_never_partial():
    # Issue 23: rows dated only by their month (an ACD summary given its month, a row per
    # month) carry the 1st as their date: that is a whole month, not one that stops on day 1.
    mar = D(2024, 3, 1)
    assert partial_months({mar: 1251}, {mar: mar}) == set()
    monthly = {D(2024, m, 1): 1 for m in range(1, 4)}
    assert partial_months(monthly, {m: m for m in monthly}) == set()
    # Nor by its row count: a month-level file with fewer rows is not a month cut short.
    many = {D(2024, m, 1): 100 for m in range(1, 4)} | {D(2024, 4, 1): 10}
    assert partial_months(many, {m: m for m in many}) == set()
    # Daily data whose latest month stops on the 1st is still partial.
    daily = {D(2025, m, 1): 100 for m in (1, 2, 3)}
    last = {
        D(2025, 1, 1): D(2025, 1, 31),
        D(2025, 2, 1): D(2025, 2, 28),
        D(2025, 3, 1): D(2025, 3, 1),
    }
    assert partial_months(daily, last) == {D(2025, 3, 1)}


# -- the default month: latest complete across datasets (issue 14) ---------------------------
def _months(first: D, n: int, rows: int) -> dict:
    from cockpit.kpis.periods import add_months

    return {add_months(first, i): rows for i in range(n)}


def test_an_orders_only_upload_for_a_new_month_does_not_become_the_default():
    from cockpit.kpis.periods import complete_month

    by_ds = {
        "orders": {**_months(D(2026, 1, 1), 10, 500), D(2026, 11, 1): 12},
        "contacts": _months(D(2026, 1, 1), 10, 150),
        "budget": _months(D(2026, 1, 1), 10, 15),
        "targets": _months(D(2026, 1, 1), 12, 14),  # a plan for future months is no data
    }
    got = complete_month(by_ds)
    assert got.month == D(2026, 10, 1)
    assert got.incomplete == {D(2026, 11, 1): "orders only"}
    assert "Nov 2026: orders only" in got.why


def test_a_dataset_that_stopped_long_ago_does_not_hold_the_default_back():
    from cockpit.kpis.periods import complete_month

    by_ds = {"orders": _months(D(2026, 1, 1), 10, 500), "surveys": _months(D(2026, 1, 1), 6, 40)}
    got = complete_month(by_ds)
    assert (got.month, got.why, got.incomplete) == (D(2026, 10, 1), "the latest month loaded", {})


def test_a_latest_month_with_far_fewer_rows_than_usual_is_partial():
    from cockpit.kpis.periods import complete_month

    by_ds = {
        "orders": {**_months(D(2026, 1, 1), 10, 500), D(2026, 11, 1): 480},
        "contacts": {**_months(D(2026, 1, 1), 10, 150), D(2026, 11, 1): 30},
    }
    got = complete_month(by_ds)
    assert got.month == D(2026, 10, 1)
    assert got.incomplete == {D(2026, 11, 1): "contacts partly loaded"}


def test_a_custom_range_and_all_time_are_whole_months_between_their_ends():
    import datetime as dt

    from cockpit.kpis.periods import comparison_months, make_period

    p = make_period("range", dt.date(2026, 3, 9), dt.date(2025, 11, 20))
    assert p.months == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1),
                        dt.date(2026, 2, 1), dt.date(2026, 3, 1)]  # fmt: skip
    assert p.label == "Nov 2025 – Mar 2026"
    # "previous" is the span of the same length just before it.
    assert comparison_months(p, "prev")[0] == dt.date(2025, 6, 1)
    everything = make_period("all", dt.date(2026, 3, 1), dt.date(2024, 1, 1))
    assert len(everything.months) == 27 and everything.label == "All time (Jan 2024 – Mar 2026)"
    # A first month after the end is the end month alone, not an empty period.
    assert make_period("range", dt.date(2026, 1, 1), dt.date(2026, 5, 1)).months == [
        dt.date(2026, 1, 1)
    ]


def test_the_comparison_says_what_it_compares_like_with_like():
    # Issue 23: a quarter-to-date against "previous" compares with the same months of the
    # last quarter, and says so.
    from cockpit.kpis.periods import comparison_label, make_period

    qtd = make_period("quarter", D(2026, 8, 1))  # Jul-Aug 2026
    assert comparison_label(qtd, "prev") == "vs the same months of Q2 2026 (Apr – May 2026)"
    assert comparison_label(make_period("quarter", D(2026, 9, 1)), "prev") == "vs Q2 2026"
    assert comparison_label(make_period("month", D(2026, 1, 1)), "prev") == "vs Dec 2025"
    assert comparison_label(qtd, "yoy") == "vs the same period last year (Jul – Aug 2025)"
    assert comparison_label(make_period("t12m", D(2026, 10, 1)), "prev") == (
        "vs Nov 2024 – Oct 2025"
    )
    assert comparison_label(qtd, "target") == "vs target"
