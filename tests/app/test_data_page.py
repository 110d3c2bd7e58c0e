"""The Data page flow: upload, per-sheet detection, a mapping corrected in the editor, load,
the report, the same file again (duplicate), replacing a month, and undo from the history."""

from __future__ import annotations

import datetime as dt

from .conftest import goto, metric, number, orders_csv, orders_in_month, sql_value

AUG, SEP, OCT = dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)
PER_MONTH = 12


def _upload(at, name: str, data: bytes) -> None:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]


def _texts(elements) -> str:
    return " ".join(e.value for e in elements)


def _map_ship_date_to_dispatched(at) -> None:
    """Correct the mapping as the analyst would: 'Your column' of ship_date <- Dispatched.

    AppTest cannot type into a data_editor; it seeds the editor's edit state instead, which
    is exactly what the browser sends, so the page's own code path handles the edit.
    """
    editor = at.data_editor[0]
    table = editor.value
    row = list(table["column"]).index("ship_date")
    assert table["source"][row] == "—"  # 'Dispatched' is no known synonym
    at.session_state[editor.key] = {
        "edited_rows": {row: {"source": "Dispatched"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.data_editor[0].value
    assert table["source"][list(table["column"]).index("ship_date")] == "Dispatched"


def test_upload_map_load_duplicate_replace_and_undo(open_app, empty_db):
    at = open_app(empty_db, "data")
    first = orders_csv([AUG, SEP, OCT], PER_MONTH, tag="A")

    # Upload: the file is read and checked, sheet by sheet, before anything is stored.
    _upload(at, "orders_q3.csv", first)
    assert ":material/description: orders_q3.csv" in [s.value for s in at.subheader]
    assert any("→ **orders**" in e.label for e in at.expander)
    assert "header row 1" in _texts(at.caption)
    assert metric(at, "Rows to load") == f"{3 * PER_MONTH}"
    assert metric(at, "Months") == "3"
    assert sql_value(empty_db, "select count(*) from orders") == 0

    _map_ship_date_to_dispatched(at)

    # Load: one click, then the report.
    at.button(key="load_files").click().run()
    assert not at.exception
    report = _texts(at.success)
    assert f"{3 * PER_MONTH} rows loaded into **orders**" in report
    assert sql_value(empty_db, "select count(*) from orders_live") == 3 * PER_MONTH
    # The corrected mapping was used: every row has the Dispatched date as ship_date.
    shipped = sql_value(empty_db, "select count(ship_date) from orders_live")
    assert shipped == 3 * PER_MONTH
    first_load = sql_value(empty_db, "select max(load_id) from loads where status = 'loaded'")

    # The same file again: recognised, nothing loaded.
    _upload(at, "orders_q3.csv", first)
    warning = _texts(at.warning)
    assert "Already loaded on" in warning and f"as load {first_load}" in warning
    assert not [b for b in at.button if b.key == "load_files" and not b.disabled]
    assert sql_value(empty_db, "select count(*) from loads where status = 'loaded'") == 1

    # A re-export of October (different rows): choose "replace", load.
    october = orders_csv([OCT], 4, tag="B")
    _upload(at, "orders_oct_fixed.csv", october)
    replace = at.radio(key=next(r.key for r in at.radio if r.key.startswith("replace_")))
    assert replace.value == "replace"
    assert metric(at, "Already loaded") == "1"
    at.button(key="load_files").click().run()
    assert not at.exception
    assert "4 rows loaded into **orders**" in _texts(at.success)
    october_ids = (
        "select list(distinct order_id order by order_id) from orders_live where _month = $m"
    )
    live_oct = sql_value(empty_db, october_ids, {"m": OCT})
    assert live_oct == [f"B-202610-{i:03d}" for i in range(4)]
    # The old October rows are superseded, not deleted; other months are untouched.
    assert sql_value(empty_db, "select count(*) from orders where _month = $m", {"m": OCT}) == (
        PER_MONTH + 4
    )
    assert orders_in_month(empty_db, SEP) == PER_MONTH

    # Undo the replacement from the history (popover confirm): October's first rows return.
    goto(at, "overview")
    at.selectbox(key="month").set_value("2026-10").run()
    assert number(metric(at, "Orders")) == 4
    goto(at, "data")
    replacing = sql_value(empty_db, "select max(load_id) from loads where status = 'loaded'")
    at.selectbox(key="history_load").set_value(replacing).run()
    at.button(key="confirm_undo").click().run()
    assert not at.exception
    assert orders_in_month(empty_db, OCT) == PER_MONTH
    goto(at, "overview")
    assert at.selectbox(key="month").value == "2026-10"
    assert number(metric(at, "Orders")) == PER_MONTH


def test_demo_button_on_an_empty_database_loads_the_demo_company(open_app, empty_db):
    at = open_app(empty_db, "data")
    at.button(key="seed_demo").click().run()
    assert not at.exception
    assert "rows loaded into **orders**" in _texts(at.success)
    assert sql_value(empty_db, "select count(distinct dataset) from loads where is_demo") >= 6
    goto(at, "overview")
    assert number(metric(at, "Orders")) > 0


def test_the_history_selector_names_a_csv_load_without_a_sheet(open_app, shared_demo_db):
    # '#9 contact_centre.csv › — (loaded)': the table's dash for "no sheet" leaked into the
    # selector's label.
    at = open_app(shared_demo_db, "data")
    select = at.selectbox(key="history_load")
    csv_load = sql_value(shared_demo_db, "select max(load_id) from loads where sheet is null")
    xlsx_load = sql_value(
        shared_demo_db, "select max(load_id) from loads where sheet = 'Sales budget'"
    )
    csv_file = sql_value(
        shared_demo_db, "select file from loads where load_id = $id", {"id": csv_load}
    )
    assert select.format_func(csv_load) == f"#{csv_load} {csv_file} (loaded)"
    assert select.format_func(xlsx_load) == f"#{xlsx_load} sales_plan.xlsx › Sales budget (loaded)"
