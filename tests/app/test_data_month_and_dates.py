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
    assert "looks like **Budget vs actual**" in held.label
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


BAD_DATES = {3: "2025-13-01", 5: "2025-02-30", 8: "31/31/2025"}


def _orders_with_bad_dates() -> bytes:
    """'Booked' (no known synonym) is the order date, with three bad values in ten: too many
    for the detector to call it a date column; 'Ship Date' is a clean date column."""
    lines = ["Order Ref,Booked,Ship Date,Location,Qty,Sales"]
    for i in range(10):
        booked = BAD_DATES.get(i, f"2025-03-{1 + i:02d}")
        lines.append(f"A{i},{booked},2025-03-{2 + i:02d},Leeds,1,{10 * (i + 1)}")
    return ("\n".join(lines) + "\n").encode()


def test_a_date_column_with_bad_values_loads_the_good_rows_and_rejects_the_rest(open_app, empty_db):
    at = open_app(empty_db, "data")
    _upload(at, "orders_march.csv", _orders_with_bad_dates())
    # The file has dates ('Ship Date'): no offer to stamp it all with one month.
    assert not [t for t in at.text_input if t.key.startswith("month_")]
    editor = at.data_editor[0]
    table = editor.value
    row = list(table["column"]).index("order_date")
    assert table["source"][row] == "—"
    at.session_state[editor.key] = {
        "edited_rows": {row: {"source": "Booked"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    # It used to stop here: ArrowInvalid: Failed to parse string: '2025-13-01'.
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.metric if m.label == "Rows to load"] == ["7"]
    assert [m.value for m in at.metric if m.label == "Rows rejected"] == ["3"]
    rejects = at.dataframe[[i for i, d in enumerate(at.dataframe) if "reason" in d.value][0]]
    shown = rejects.value
    # Row numbers are the sheet's (the header is row 1).
    assert list(shown["row"]) == [i + 2 for i in sorted(BAD_DATES)]
    assert set(shown["column"]) == {"Booked"}
    assert list(shown["value"]) == [BAD_DATES[i] for i in sorted(BAD_DATES)]
    assert all(r.startswith("not a date") for r in shown["reason"])
    at.button(key="load_files").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert sql_value(empty_db, "select count(*) from orders_live") == 7
    loaded = sql_value(empty_db, "select list(order_id order by order_id) from orders_live")
    assert loaded == [f"A{i}" for i in range(10) if i not in BAD_DATES]
    assert sql_value(empty_db, "select max(order_date) from orders_live") == dt.date(2025, 3, 10)
