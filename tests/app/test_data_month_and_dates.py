"""Issue 23: the month of a dateless file, and date columns with some bad values, on the Data
page: the page never crashes; good rows load and bad ones are rejected with reasons."""

from __future__ import annotations

import datetime as dt

from .conftest import sql_value


def _upload(at, name: str, data: bytes) -> None:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]


BUDGET_NO_MONTH = b"Unit,Account,Budget,Actual\nOps,Travel,100,90\nSales,Travel,120,110\n"


def test_the_month_of_a_dateless_file_makes_it_loadable_with_that_month(open_app, empty_db):
    at = open_app(empty_db, "data")
    _upload(at, "budget_nomonth.csv", BUDGET_NO_MONTH)
    (held,) = [e for e in at.expander if "held" in e.label]
    assert "looks like **budget**" in held.label
    month = next(t for t in at.text_input if t.key.startswith("month_"))
    month.input("2025-03").run()
    # It used to stop here: the month (a date) went into a JSON cache key.
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.expander if "held" in e.label]
    assert any("→ **budget**" in e.label for e in at.expander)
    load = at.button(key="load_files")
    assert not load.disabled
    load.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert sql_value(empty_db, "select count(*) from budget_live") == 2
    assert sql_value(empty_db, "select min(month) from budget_live") == dt.date(2025, 3, 1)
    assert sql_value(empty_db, "select max(month) from budget_live") == dt.date(2025, 3, 1)
    assert sql_value(empty_db, "select sum(actual) from budget_live") == 200
