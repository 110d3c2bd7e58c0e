"""Gaps in the coverage said in runs, not as a wall of months."""

import pandas as pd

from cockpit.screens.freshness import gap_text


def test_consecutive_months_are_one_run():
    months = list(pd.period_range("2001-02", "2011-12", freq="M").strftime("%Y-%m"))
    assert gap_text([*months, "2024-03"]) == "Feb 2001 – Dec 2011 (131 months), Mar 2024"


def test_many_runs_are_counted_after_the_first_five():
    months = [f"20{y:02d}-01" for y in range(10, 18)]  # eight single-month gaps
    text = gap_text(months)
    assert text.startswith("Jan 2010, Jan 2011, Jan 2012, Jan 2013, Jan 2014, ")
    assert text.endswith("and 3 more gaps (3 months)")
