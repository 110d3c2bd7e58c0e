"""Round trips: values formatted the way exports write them parse back exactly."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.ingest import typed
from cockpit.ingest.detect_types import date_formats, profile_column

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def evaluate(con, expr: str, values: list[str], **params) -> list:
    """Apply an SQL expression over `v` to each value, in order."""
    sql = (
        f"select {expr} as r from (select unnest($vals) as v, generate_subscripts($vals, 1) as i)"
        " order by i"
    )
    return con.sql(sql, params={"vals": values, **params}).to_arrow_table()["r"].to_pylist()


cents = st.integers(min_value=-(10**11), max_value=10**11)
currency = st.sampled_from(["", "$", "£", "€", "USD ", "EUR "])
negative_style = st.sampled_from(["-", "()", "trailing"])


def export_number(c: int, cur: str, neg: str, *, decimal_comma: bool = False) -> str:
    body = f"{abs(c) / 100:,.2f}"
    if decimal_comma:
        body = body.replace(",", "_").replace(".", ",").replace("_", ".")
    body = cur + body
    if c >= 0:
        return body
    return {"-": "-" + body, "()": f"({body})", "trailing": body + "-"}[neg]


@FAST
@given(st.lists(st.tuples(cents, currency, negative_style), min_size=1, max_size=20))
def test_numbers_round_trip(con, items):
    values = [export_number(c, cur, neg) for c, cur, neg in items]
    parsed = evaluate(con, typed.number_sql("v", False), values)
    assert parsed == [float(f"{c / 100:.2f}") for c, _, _ in items]


@FAST
@given(st.lists(st.tuples(cents, negative_style), min_size=1, max_size=20))
def test_decimal_comma_numbers_round_trip(con, items):
    values = [export_number(c, "", neg, decimal_comma=True) for c, neg in items]
    parsed = evaluate(con, typed.number_sql("v", True), values)
    assert parsed == [float(f"{c / 100:.2f}") for c, _ in items]


@FAST
@given(st.lists(st.integers(min_value=-100_000, max_value=100_000), min_size=1, max_size=20))
def test_percentages_round_trip(con, tenths):
    values = [f"{t / 10:.1f}%" for t in tenths]
    assert evaluate(con, typed.number_sql("v", False), values) == [
        float(f"{t / 10:.1f}") for t in tenths
    ]


bool_words = st.sampled_from(
    [(w, True) for w in ("Y", "Yes", "TRUE", "true", "1", "x")]
    + [(w, False) for w in ("N", "No", "FALSE", "false", "0")]
)


@FAST
@given(st.lists(st.tuples(bool_words, st.sampled_from(["", " "])), min_size=1, max_size=20))
def test_booleans_round_trip(con, items):
    values = [pad + w + pad for (w, _), pad in items]
    assert evaluate(con, typed.bool_sql("v", False), values) == [b for (_, b), _ in items]


dates = st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2068, 12, 31))
styles = st.sampled_from(
    [
        ("dmy", "%d/%m/%Y"),
        ("dmy", "%d.%m.%Y"),
        ("dmy", "%d/%m/%y"),
        ("mdy", "%m/%d/%Y"),
        ("mdy", "%m/%d/%y"),
        ("dmy", "%Y-%m-%d"),
        ("dmy", "%Y-%m-%d 00:00:00"),
        ("dmy", "%d-%b-%y"),
        ("mdy", "%b %d, %Y"),
        ("dmy", "%d %B %Y"),
    ]
)


@FAST
@given(st.lists(dates, min_size=1, max_size=20), styles, st.booleans())
def test_dates_round_trip(con, days, style, unpadded):
    order, fmt = style
    values = [d.strftime(fmt) for d in days]
    if unpadded and fmt.startswith("%m/%d"):
        values = [f"{d.month}/{d.day}/{d.strftime(fmt[-2:])}" for d in days]
    params = typed.format_params("f", date_formats(order))
    parsed = evaluate(con, f"cast({typed.strptime_sql('v', 'f')} as date)", values, **params)
    assert parsed == days


@FAST
@given(st.lists(st.datetimes(min_value=dt.datetime(1990, 1, 1)), min_size=1, max_size=20))
def test_calamine_datetimes_round_trip(con, moments):
    moments = [m.replace(microsecond=0) for m in moments if m.year < 2100]
    values = [m.strftime("%Y-%m-%d %H:%M:%S") for m in moments]
    params = typed.format_params("f", typed.ISO_FORMATS)
    parsed = evaluate(con, typed.strptime_sql("v", "f"), values, **params)
    assert parsed == moments


@settings(max_examples=8, deadline=None)
@given(st.lists(dates, min_size=1, max_size=30), dates.filter(lambda d: d.day > 12))
def test_day_first_is_proven_by_any_day_above_12(con, days, witness):
    values = [d.strftime("%d/%m/%Y") for d in [*days, witness]]
    p = profile_column(con, pa.array(values), 0, "Date")
    assert p.kind == "date" and p.date_order == "dmy" and p.ambiguous is None
    q = profile_column(con, pa.array([d.strftime("%m/%d/%Y") for d in [*days, witness]]), 0, "D")
    assert q.kind == "date" and q.date_order == "mdy" and q.ambiguous is None
