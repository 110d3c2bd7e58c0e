"""Erlang C queueing for the contact centre: waiting probability, answer time, service level.

Computed through the Erlang B recursion B(n) = A*B(n-1) / (n + A*B(n-1)), which stays in
[0, 1] at every step, so thousands of agents never overflow (no factorials or powers).
"""

from __future__ import annotations

import math


def traffic(contacts_per_hour: float, handle_seconds: float) -> float:
    """Offered load in Erlangs: contacts per hour times handle time in hours."""
    return max(0.0, contacts_per_hour) * max(0.0, handle_seconds) / 3600.0


def erlang_b(traffic_erlangs: float, agents: int) -> float:
    """Blocking probability of an M/M/N/N system (Erlang B)."""
    if agents < 0:
        raise ValueError("agents must be >= 0")
    a = float(traffic_erlangs)
    b = 1.0
    for n in range(1, int(agents) + 1):
        b = a * b / (n + a * b)
    return b


def erlang_c(traffic_erlangs: float, agents: int) -> float:
    """Probability that a contact waits (Erlang C); 1.0 when the queue is unstable."""
    a = float(traffic_erlangs)
    n = int(agents)
    if a <= 0:
        return 0.0
    if n <= a:
        return 1.0
    b = erlang_b(a, n)
    return n * b / (n - a * (1.0 - b))


def asa_seconds(contacts_per_hour: float, handle_seconds: float, agents: int) -> float:
    """Average speed of answer (mean wait of all contacts), seconds; inf when unstable."""
    a = traffic(contacts_per_hour, handle_seconds)
    if a <= 0:
        return 0.0
    if agents <= a:
        return math.inf
    return erlang_c(a, agents) * handle_seconds / (agents - a)


def service_level(
    contacts_per_hour: float, handle_seconds: float, agents: int, threshold_seconds: float = 60
) -> float:
    """Share (0-1) of contacts answered within `threshold_seconds`."""
    a = traffic(contacts_per_hour, handle_seconds)
    if a <= 0:
        return 1.0
    if agents <= a:
        return 0.0
    c = erlang_c(a, agents)
    return 1.0 - c * math.exp(-(agents - a) * threshold_seconds / handle_seconds)


def interpolate(fn, contacts_per_hour: float, handle_seconds: float, agents: float, *rest):
    """`fn` at a fractional number of agents, linear between the neighbouring whole numbers."""
    lo = math.floor(agents)
    frac = agents - lo
    low = fn(contacts_per_hour, handle_seconds, max(lo, 0), *rest)
    if frac == 0:
        return low
    high = fn(contacts_per_hour, handle_seconds, lo + 1, *rest)
    if math.isinf(low):
        return low
    return low + (high - low) * frac
