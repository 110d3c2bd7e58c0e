"""Erlang C against textbook values and an independent closed form."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.whatif import erlang


def erlang_c_closed_form(a: Fraction, n: int) -> Fraction:
    """Erlang C from its textbook formula with exact factorials (small n only)."""
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def erlang_c_log_space(a: float, n: int) -> float:
    """Erlang C through log-sum-exp of the Poisson terms (works for thousands of agents)."""
    logs = [k * math.log(a) - math.lgamma(k + 1) for k in range(n)]
    log_top = n * math.log(a) - math.lgamma(n + 1) + math.log(n / (n - a))
    peak = max(*logs, log_top)
    total = sum(math.exp(x - peak) for x in logs) + math.exp(log_top - peak)
    return math.exp(log_top - peak) / total


@pytest.mark.parametrize(
    ("agents", "published"),
    [(11, 0.6821), (12, 0.4494), (13, 0.2853), (14, 0.1741)],
)
def test_erlang_c_matches_published_table_for_ten_erlangs(agents, published):
    assert erlang.erlang_c(10.0, agents) == pytest.approx(published, abs=5e-5)


def test_two_erlangs_on_three_agents_wait_four_ninths():
    assert erlang.erlang_c(2.0, 3) == pytest.approx(4 / 9, rel=1e-12)


@pytest.mark.parametrize(
    ("a", "n"), [(Fraction(1, 2), 1), (Fraction(7, 3), 4), (Fraction(5), 9), (Fraction(37, 2), 22)]
)
def test_erlang_c_equals_closed_form(a, n):
    assert erlang.erlang_c(float(a), n) == pytest.approx(float(erlang_c_closed_form(a, n)), 1e-12)


@pytest.mark.parametrize(("a", "n"), [(900.0, 1000), (4500.0, 4560), (9000.0, 9100)])
def test_large_agent_counts_do_not_overflow(a, n):
    expected = erlang_c_log_space(a, n)
    assert 0 < erlang.erlang_c(a, n) < 1
    assert erlang.erlang_c(a, n) == pytest.approx(expected, rel=1e-9)


def test_asa_and_service_level_for_ten_erlangs_on_thirteen_agents():
    # 120 contacts an hour of 300 s each = 10 Erlangs
    c = erlang.erlang_c(10.0, 13)
    assert erlang.asa_seconds(120, 300, 13) == pytest.approx(c * 300 / 3)
    assert erlang.asa_seconds(120, 300, 13) == pytest.approx(28.53, abs=0.01)
    sl = erlang.service_level(120, 300, 13, threshold_seconds=20)
    assert sl == pytest.approx(1 - c * math.exp(-3 * 20 / 300))
    assert sl == pytest.approx(0.7664, abs=1e-4)


def test_unstable_and_empty_queues():
    assert erlang.erlang_c(10.0, 10) == 1.0
    assert erlang.asa_seconds(120, 300, 10) == math.inf
    assert erlang.service_level(120, 300, 9) == 0.0
    assert erlang.erlang_c(0.0, 3) == 0.0
    assert erlang.asa_seconds(0, 300, 3) == 0.0
    assert erlang.service_level(0, 300, 3) == 1.0


def test_interpolate_is_linear_between_whole_agents():
    at13, at14 = erlang.asa_seconds(120, 300, 13), erlang.asa_seconds(120, 300, 14)
    assert erlang.interpolate(erlang.asa_seconds, 120, 300, 13.25) == pytest.approx(
        at13 + 0.25 * (at14 - at13)
    )
    assert erlang.interpolate(erlang.asa_seconds, 120, 300, 13.0) == at13


@given(a=st.floats(0.1, 200), extra=st.integers(1, 40))
def test_more_agents_never_wait_more(a, extra):
    n = math.floor(a) + extra
    assert 0 <= erlang.erlang_c(a, n + 1) <= erlang.erlang_c(a, n) <= 1
