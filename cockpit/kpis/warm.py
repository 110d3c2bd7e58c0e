"""Compute the view most visitors open first, before anyone asks for it.

The server calls `default_view` at start-up and after each load: the Overview's scorecard
and "what moved" for the latest complete month land in the shared query memo
(cockpit.kpis.memo), so the first visitor — or eight leaders opening one link at once — is
served from it instead of waiting for the queries.
"""

from __future__ import annotations

from cockpit.kpis.engine import DIMENSIONS, dimension_values, scorecard
from cockpit.kpis.movers import movers_compare, what_moved
from cockpit.kpis.periods import COMPARES, default_month, make_period


def default_view(store) -> bool:
    """Scorecard and movers of the default view at the newest version; False when no data."""
    version = store.latest_seq()
    month = default_month(store, version).month
    if month is None:
        return False
    period = make_period("month", month)
    for compare in COMPARES:  # "compare with" is the choice a viewer changes first
        cards = scorecard(store, period=period, compare=compare, as_of=version)
        if movers_compare(compare) == compare:  # else its movers are another comparison's
            what_moved(store, period=period, compare=compare, as_of=version, cards=cards)
    for dimension in DIMENSIONS:  # the sidebar's filter choices
        dimension_values(store, dimension, version)
    return True
