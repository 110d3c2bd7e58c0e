"""Import recipes: files of our own making in the shapes detection cannot load right, each
loaded from a short recipe, with KPI figures checked against hand-computed values."""

from __future__ import annotations

import datetime as dt

import pytest

from cockpit import auth, kpis, ledger, recipes
from cockpit.kpis.periods import period_between
from tests.unit.workbooks import text, xlsx


def _figures(store, start: str, end: str | None = None) -> dict:
    cards = kpis.scorecard(store, period=period_between(start, end or start), compare="target")
    return {c.id: c.value for c in cards if c.value is not None}


def _load(store, rows_or_bytes, name: str, toml: str):
    data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else text(rows_or_bytes).encode()
    report = recipes.load(store, data, name, recipes.parse(toml))
    assert report.status == "loaded", report.to_dict()
    return report


CALLS = [
    ["vru_line", "call_id", "date", "vru_entry", "q_time", "outcome"],
    ["AA0101", "1001", "990101", "0:00:31", "0", "HANG"],
    ["AA0101", "1002", "990101", "0:34:12", "5", "AGENT"],
    ["AA0101", "1003", "990101", "6:55:20", "12", "AGENT"],
    ["AA0102", "1004", "990102", "7:41:16", "31", "AGENT"],
    ["AA0102", "1005", "990102", "8:03:14", "0", "PHANTOM"],
    ["AA0102", "1006", "990215", "8:10:00", "40", "HANG"],
    ["AA0103", "1007", "990215", "9:00:00", "20", "AGENT"],
]
CALLS_RECIPE = """
name = "Bank call log"
dataset = "contacts"
where = ''' "outcome" <> 'PHANTOM' '''

[types]
"date" = "date:%y%m%d"
"vru_entry" = "duration"

[columns]
contact_date = ''' "date" + "vru_entry" '''
contact_id = "call_id"
answered = ''' "outcome" = 'AGENT' '''
wait_seconds = "q_time"
"""


def test_per_call_log_yymmdd_time_and_outcome_codes(store):
    report = _load(store, CALLS, "calls.csv", CALLS_RECIPE)
    sheet = report.sheets[0]
    assert sheet.rows_loaded == 6  # the PHANTOM row is left out by `where`
    assert any("1 row(s) left out by the recipe's where" in m for m in sheet.messages)
    rows = store.arrow("select contact_id, contact_date, answered from contacts order by _row")
    assert rows.column("contact_date").to_pylist()[:2] == [
        dt.datetime(1999, 1, 1, 0, 0, 31),
        dt.datetime(1999, 1, 1, 0, 34, 12),
    ]
    jan = _figures(store, "1999-01")
    assert jan["abandon_pct"] == pytest.approx(25.0)  # 1 HANG of 4 calls
    assert jan["asa_seconds"] == pytest.approx((5 + 12 + 31) / 3)
    feb = _figures(store, "1999-02")
    assert feb["abandon_pct"] == pytest.approx(50.0)


def test_the_ledger_names_the_recipe_version_and_an_edit_keeps_earlier_loads_exact(store):
    first = _load(store, CALLS, "calls.csv", CALLS_RECIPE).sheets[0]
    edited = CALLS_RECIPE.replace('wait_seconds = "q_time"', 'wait_seconds = """ "q_time" * 2 """')
    second = recipes.load(
        store, text(CALLS[:4]).encode() + b"\n", "calls2.csv", recipes.parse(edited)
    )
    assert second.status == "loaded", second.to_dict()
    got = store.arrow(
        "select load_id, recipe, recipe_version from loads order by load_id"
    ).to_pylist()
    assert [(r["recipe"], r["recipe_version"]) for r in got] == [
        ("Bank call log", 1),
        ("Bank call log", 2),
    ]
    assert [v["version"] for v in recipes.versions(store, "Bank call log")] == [2, 1]
    # The second load replaced January: as of the first load, January's figures are unchanged.
    as_of_first = kpis.scorecard(store, period=period_between("1999-01", "1999-01"),
                                 compare="target", as_of=first.load_id)  # fmt: skip
    asa = {c.id: c.value for c in as_of_first}["asa_seconds"]
    assert asa == pytest.approx((5 + 12 + 31) / 3)
    assert _figures(store, "1999-01")["asa_seconds"] == pytest.approx((5 + 12) * 2 / 2)


MAINTENANCE = [
    ["Date", "Machine", "Stopped", "Total", "Reason"],
    ["2024-03-01", "Press 1", "yes", "1:30:00", "Jam"],
    ["2024-03-01", "Press 2", "no", "0:45:00", "Inspection"],
    ["2024-03-02", "Press 1", "yes", "0:15:30", "Jam"],
    ["2024-03-05", "Press 2", "Yes", "2:00:00", "Electrical"],
    ["2024-04-01", "Press 1", "yes", "0:10:00", "Jam"],
]
MAINTENANCE_RECIPE = """
dataset = "downtime"
where = ''' "Stopped" '''

[types]
Stopped = "bool"
Total = "duration"

[columns]
date = "Date"
line = "Machine"
cause = "Reason"
minutes = ''' epoch("Total") / 60 '''
"""


def test_maintenance_log_only_stopped_rows_with_hms_totals(store):
    _load(store, MAINTENANCE, "maintenance.csv", MAINTENANCE_RECIPE)
    assert _figures(store, "2024-03")["downtime_minutes"] == pytest.approx(90 + 15.5 + 120)
    assert _figures(store, "2024-04")["downtime_minutes"] == pytest.approx(10)
    by_cause = store.arrow("select cause, sum(minutes) m from downtime group by 1 order by 1")
    assert by_cause.to_pylist() == [
        {"cause": "Electrical", "m": 120.0},
        {"cause": "Jam", "m": 115.5},
    ]


SURVEY = [
    ["Submitted", "Store", "Rating"],
    ["2024-05-01", "North", "5"],
    ["2024-05-01", "North", "4"],
    ["2024-05-02", "South", "0"],  # no answer
    ["2024-05-02", "South", "6"],  # not applicable
    ["2024-05-03", "South", "2"],
    ["2024-05-03", "North", "3"],
]
SURVEY_RECIPE = """
dataset = "surveys"

[columns]
response_date = "Submitted"
site = "Store"
csat = ''' nullif(nullif("Rating", 0), 6) '''
"""


def test_survey_sentinels_become_empty_ratings(store):
    _load(store, SURVEY, "survey.csv", SURVEY_RECIPE)
    got = _figures(store, "2024-05")
    assert got["csat_pct"] == pytest.approx(50.0)  # 5 and 4 of 5, 4, 2, 3
    assert got["csat_mean"] == pytest.approx((5 + 4 + 2 + 3) / 4)


def _budget_sheet(year: int) -> list[list]:
    yy = year % 100
    months = [
        f"{m}-{yy}"
        for m in [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ]
    ]
    rows = [["Account", *months, "Grand Total"]]
    for account, base in (("Salaries", 1000), ("Rent", 200)):
        values = [base + i for i in range(12)]
        rows.append([account, *values, sum(values)])
    rows.append(["Grand Total", *[1200 + 2 * i for i in range(12)], 0])
    return rows


BUDGET_RECIPE = """
name = "Plant budget 2019"
dataset = "budget"
sheet = "2019"
where = ''' "Account" <> 'Grand Total' '''

[types]
"Jan-19" = "number"

[columns]
account = "Account"

[constants]
unit = "Plant"

[unpivot]
columns = ["Jan-19:Dec-19"]
value = "budget"
"""


def test_budget_per_year_months_across_with_a_grand_total_row(store):
    book = xlsx({"2019": _budget_sheet(2019), "2020": _budget_sheet(2020)})
    report = _load(store, book, "budget.xlsx", BUDGET_RECIPE)
    assert report.sheets[0].rows_loaded == 24
    got = store.arrow(
        "select month, sum(budget) b, count(*) n from budget group by 1 order by 1"
    ).to_pylist()
    assert got[0] == {"month": dt.date(2019, 1, 1), "b": 1200.0, "n": 2}
    assert got[-1] == {"month": dt.date(2019, 12, 1), "b": 1222.0, "n": 2}
    assert sum(r["b"] for r in got) == sum(1000 + i + 200 + i for i in range(12))
    # The next year's sheet: the same recipe with its sheet and months said.
    nxt = BUDGET_RECIPE.replace('"2019"', '"2020"').replace("-19", "-20")
    _load(store, book, "budget.xlsx", nxt.replace("Plant budget 2019", "Plant budget 2020"))
    total = store.scalar("select sum(budget) from budget where year(month) = 2020")
    assert total == sum(1000 + i + 200 + i for i in range(12))


ORDERS_RECIPE = """
dataset = "orders"
{extra}
[columns]
order_id = "Order"
order_date = "Date"
quantity = "Qty"
revenue = "Revenue"
"""


def test_a_units_row_under_the_header(store):
    rows = [
        ["Order", "Date", "Qty", "Revenue"],
        ["", "", "(pcs)", "(EUR)"],
        ["A1", "2024-02-03", "2", "10.5"],
        ["A2", "2024-02-04", "3", "20"],
    ]
    _load(
        store, rows, "orders_units.csv", ORDERS_RECIPE.format(extra="header_row = 1\ndata_row = 3")
    )
    got = _figures(store, "2024-02")
    assert got["revenue"] == pytest.approx(30.5)
    assert got["units"] == pytest.approx(5)


def test_a_17_row_title_block(store):
    title = [[f"Sales report line {i}", "", "", ""] for i in range(1, 17)] + [["", "", "", ""]]
    rows = [
        *title,
        ["Order", "Date", "Qty", "Revenue"],
        ["B1", "2024-06-01", "1", "100"],
        ["B2", "2024-06-02", "4", "250.25"],
    ]
    report = _load(store, rows, "orders_title.csv", ORDERS_RECIPE.format(extra="header_row = 18"))
    assert report.sheets[0].rows_loaded == 2
    assert _figures(store, "2024-06")["revenue"] == pytest.approx(350.25)


def test_decimal_commas(store):
    rows = [
        ["Order", "Date", "Qty", "Revenue"],
        ["C1", "2024-07-01", "1", "1.234,56"],
        ["C2", "2024-07-02", "2", "99,5"],
    ]
    toml = ORDERS_RECIPE.format(extra='[types]\nRevenue = "number:decimal-comma"\n')
    _load(store, rows, "orders_comma.csv", toml)
    assert _figures(store, "2024-07")["revenue"] == pytest.approx(1234.56 + 99.5)


def test_a_refused_expression_names_the_field_and_loads_nothing(store):
    toml = CALLS_RECIPE.replace('wait_seconds = "q_time"', 'wait_seconds = """ (select 1) """')
    report = recipes.load(store, text(CALLS).encode(), "calls.csv", recipes.parse(toml))
    assert report.status == "rejected"
    assert "columns.wait_seconds" in report.messages[0] and "subquery" in report.messages[0]
    assert store.scalar("select count(*) from loads") == 0
    assert recipes.list_recipes(store) == []


def test_an_unknown_source_column_is_named(store):
    toml = CALLS_RECIPE.replace('contact_id = "call_id"', 'contact_id = "CallID"')
    report = recipes.load(store, text(CALLS).encode(), "calls.csv", recipes.parse(toml))
    assert report.status == "rejected"
    assert "columns.contact_id: no source column 'CallID'" in report.messages[0]


def test_a_cell_the_recipe_cannot_read_rejects_its_row(store):
    rows = [*CALLS, ["AA0104", "1008", "99-03-01", "9:00:00", "3", "AGENT"]]
    report = _load(store, rows, "calls.csv", CALLS_RECIPE)
    sheet = report.sheets[0]
    assert sheet.rows_loaded == 6 and sheet.rows_rejected == 1
    assert sheet.rejects[0]["row"] == 9 and sheet.rejects[0]["column"] == "date"


@pytest.mark.parametrize(
    "bad, field",
    [
        ('dataset = "nope"', "dataset"),
        ('dataset = "orders"\n[columns]\nfoo = "x"', "foo"),
        ('dataset = "orders"\n[types]\nx = "datetime"', "types.x"),
        ('dataset = "orders"\nheader_row = 0', "header_row"),
        ('dataset = "orders"\n[constants]\norder_date = "March"', "constants.order_date"),
        ('dataset = "orders"\ncolour = "red"', "colour"),
        ('dataset = "orders"\nheader_row = 3\ndata_row = 2', "data_row"),
        ('dataset = "orders"\n[lookup.site]\nsheet = "S"', "lookup.site needs column, value"),
    ],
)
def test_bad_recipes_name_the_field(bad, field):
    with pytest.raises(recipes.RecipeError, match=field):
        recipes.parse(bad)


def test_toml_round_trip():
    for toml in (CALLS_RECIPE, MAINTENANCE_RECIPE, SURVEY_RECIPE, BUDGET_RECIPE):
        r = recipes.parse(toml)
        assert recipes.parse(r.to_toml()) == r


def test_save_versions_and_delete_needs_admin(store):
    r = recipes.parse(CALLS_RECIPE)
    assert recipes.save(store, r, auth.User("ann", "analyst")) == 1
    assert recipes.save(store, r, auth.User("ann", "analyst")) == 1  # unchanged: same version
    r.where = None
    assert recipes.save(store, r, auth.User("ann", "analyst")) == 2
    with pytest.raises(auth.PermissionDenied):
        recipes.save(store, r, auth.User("vic", "viewer"))
    with pytest.raises(auth.PermissionDenied):
        recipes.delete(store, "Bank call log", auth.User("ann", "analyst"))
    recipes.delete(store, "Bank call log", auth.User("root", "admin"))
    assert recipes.list_recipes(store) == []
    with pytest.raises(recipes.RecipeError):
        recipes.get(store, "Bank call log")
    old, version = recipes.get(store, "Bank call log", 1)  # loads still name version 1
    assert version == 1 and old.where


def test_preview_writes_nothing_and_gives_figures(store):
    shown = recipes.preview(
        store, text(CALLS).encode(), "calls.csv", recipes.parse(CALLS_RECIPE), rows=2
    )
    assert shown.error is None
    assert shown.rows.num_rows == 2
    assert shown.dropped == [6]
    assert shown.figures["abandon_pct"] == pytest.approx(100 * 2 / 6)
    assert store.scalar("select count(*) from loads") == 0
    assert ledger.list_loads(store) == []
    rows, dropped, figures = shown
    assert (rows.num_rows, dropped, figures) == (2, [6], shown.figures)


# --- next month: the saved recipe runs by itself; a drifted layout is held ---------------


def _plain_load(store, rows, name):
    from cockpit.ingest.pipeline import load_files

    return load_files(store, [(name, text(rows).encode())]).files[0]


def test_next_months_file_of_the_same_layout_loads_with_the_saved_recipe(store):
    _load(store, CALLS, "calls_1999-01.csv", CALLS_RECIPE)
    march = [CALLS[0], ["AA0101", "2001", "990301", "0:10:00", "7", "AGENT"],
             ["AA0101", "2002", "990301", "0:20:00", "0", "PHANTOM"]]  # fmt: skip
    report = _plain_load(store, march, "calls_1999-03.csv")
    sheet = report.sheets[0]
    assert (report.status, sheet.status, sheet.rows_loaded) == ("loaded", "loaded", 1)
    assert "loaded with recipe 'Bank call log' version 1" in sheet.messages
    got = store.arrow("select recipe, recipe_version from loads order by load_id").to_pylist()
    assert got[-1] == {"recipe": "Bank call log", "recipe_version": 1}
    assert _figures(store, "1999-03")["asa_seconds"] == pytest.approx(7)


def test_a_renamed_column_is_held_with_the_difference_then_loads_after_the_update(store):
    first = _load(store, CALLS, "calls_1999-01.csv", CALLS_RECIPE).sheets[0]
    renamed = [["vru_line", "call_id", "date", "vru_entry", "QTime", "outcome"], *CALLS[1:5]]
    report = _plain_load(store, renamed, "calls_1999-01b.csv")
    sheet = report.sheets[0]
    assert sheet.status == "held" and sheet.rows_loaded == 0
    said = " ".join(sheet.messages)
    assert "gone: 'q_time'; new: 'QTime'" in said and "renamed 'q_time' -> 'QTime'?" in said
    assert "cockpit recipes export" in said and "--recipe recipe.toml" in said
    assert recipes.parse(sheet.recipe) == recipes.parse(CALLS_RECIPE)  # the recipe to edit
    assert store.scalar("select count(*) from contacts") == 6  # nothing of it was applied
    before = _figures(store, "1999-01")["asa_seconds"]
    # The analyst updates the recipe; the file loads (and replaces January).
    updated = CALLS_RECIPE.replace('wait_seconds = "q_time"', 'wait_seconds = "QTime"')
    again = recipes.load(store, text(renamed).encode(), "calls_1999-01b.csv",
                         recipes.parse(updated))  # fmt: skip
    assert again.status == "loaded", again.to_dict()
    assert "version 2" in " ".join(again.sheets[0].messages)
    assert _figures(store, "1999-01")["asa_seconds"] == pytest.approx((5 + 12 + 31) / 3)
    assert store.scalar("select count(*) from contacts_live") == 2 + 4  # Feb stays, Jan new
    # The first load's numbers stay the same as of it.
    as_of = kpis.scorecard(store, period=period_between("1999-01", "1999-01"),
                           compare="target", as_of=first.load_id)  # fmt: skip
    assert {c.id: c.value for c in as_of}["asa_seconds"] == pytest.approx(before)


# --- a recipe is a feed: replacing is per recipe --------------------------------------------

TICKETS = [
    ["Ticket", "Opened", "Wait (s)"],
    ["T1", "1999-01-05 10:00", "100"],
    ["T2", "1999-01-06 11:00", "200"],
]
TICKETS_RECIPE = """
name = "Service desk tickets"
dataset = "contacts"

[columns]
contact_id = "Ticket"
contact_date = "Opened"
wait_seconds = "Wait (s)"

[constants]
answered = true
"""


def test_a_file_replaces_only_the_rows_its_own_recipe_loaded(store):
    calls = _load(store, CALLS, "calls.csv", CALLS_RECIPE).sheets[0]
    tickets = _load(store, TICKETS, "tickets.csv", TICKETS_RECIPE).sheets[0]
    assert store.scalar("select count(*) from contacts_live") == 6 + 2  # side by side
    assert tickets.superseded == []
    corrected = [CALLS[0], ["AA0101", "1001", "990101", "0:00:31", "9", "AGENT"]]
    report = _load(store, corrected, "calls_fixed.csv", CALLS_RECIPE)
    (old,) = report.sheets[0].superseded
    assert old["said"] == (
        f"4 rows of load {calls.load_id} (calls.csv, recipe 'Bank call log') for 1999-01"
    )
    assert (old["load_id"], old["rows"], old["months"]) == (calls.load_id, 4, ["1999-01"])
    live = store.arrow("select contact_id from contacts_live order by contact_id")
    # January's calls are replaced; February's calls and the tickets stay.
    assert live.column("contact_id").to_pylist() == ["1001", "1006", "1007", "T1", "T2"]


def test_the_same_file_with_the_same_recipe_is_a_duplicate_and_with_an_edit_loads_again(store):
    data = text(CALLS).encode()
    first = recipes.load(store, data, "calls.csv", recipes.parse(CALLS_RECIPE))
    again = recipes.load(store, data, "calls.csv", recipes.parse(CALLS_RECIPE))
    assert (first.status, again.status) == ("loaded", "duplicate")
    edited = CALLS_RECIPE.replace('wait_seconds = "q_time"', 'wait_seconds = """ "q_time" * 2 """')
    fixed = recipes.load(store, data, "calls.csv", recipes.parse(edited))
    assert fixed.status == "loaded", fixed.to_dict()
    assert fixed.sheets[0].superseded[0]["load_id"] == first.sheets[0].load_id
    assert _figures(store, "1999-01")["asa_seconds"] == pytest.approx(2 * (5 + 12 + 31) / 3)


def test_an_expression_failing_on_the_rows_names_its_field(store):
    toml = CALLS_RECIPE.replace(
        'contact_id = "call_id"', 'contact_id = """ cast("outcome" as integer) """'
    )
    report = recipes.load(store, text(CALLS).encode(), "calls.csv", recipes.parse(toml))
    assert report.status == "rejected"
    assert "columns.contact_id: Conversion Error" in report.messages[0]
    assert store.scalar("select count(*) from loads") == 0


def test_an_unpivot_range_of_date_cell_headers():
    from cockpit.recipes.apply import unpivot_columns

    names = ["Ciudad", "2020-01-01 00:00:00", "2020-02-01 00:00:00", "2020-03-01 00:00:00"]
    r = recipes.parse(
        'dataset = "targets"\n[unpivot]\ncolumns = ["2020-01-01 00:00:00:2020-03-01 00:00:00"]\n'
        'value = "target"\n'
    )
    assert unpivot_columns(r, names) == names[1:]


def test_text_put_in_a_yes_no_column_names_the_field(store):
    toml = CALLS_RECIPE.replace(
        """answered = ''' "outcome" = 'AGENT' '''""", 'answered = "outcome"'
    )
    report = recipes.load(store, text(CALLS).encode(), "calls.csv", recipes.parse(toml))
    assert report.status == "rejected"
    assert "columns.answered: its values cannot be read as yes/no" in report.messages[0]


def test_history_shows_what_each_version_changed(store):
    analyst = auth.User("ann", "analyst")
    r = recipes.parse(CALLS_RECIPE)
    recipes.save(store, r, analyst)
    r.where = """ "outcome" <> 'HANG' """
    recipes.save(store, r, analyst)
    first, second = reversed(recipes.history(store, "Bank call log"))
    assert (first["version"], first["diff"]) == (1, "")
    assert second["version"] == 2 and second["created_by"] == "ann"
    assert "--- version 1" in second["diff"] and "+++ version 2" in second["diff"]
    changed = [line for line in second["diff"].splitlines() if line[:1] in "+-"]
    assert any(line.startswith("-") and "PHANTOM" in line for line in changed)
    assert any(line.startswith("+") and "HANG" in line for line in changed)


def test_a_rename_takes_the_versions_and_the_loads_along(store):
    analyst = auth.User("ann", "analyst")
    _load(store, CALLS, "calls.csv", CALLS_RECIPE)
    recipes.save(store, recipes.parse(CALLS_RECIPE.replace("Bank call log", "Other")), analyst)
    with pytest.raises(recipes.RecipeError, match="exists already"):
        recipes.rename(store, "Bank call log", "Other", analyst)
    with pytest.raises(auth.PermissionDenied):
        recipes.rename(store, "Bank call log", "Calls", auth.User("vic", "viewer"))
    recipes.rename(store, "Bank call log", "Calls", analyst)
    assert sorted(r["name"] for r in recipes.list_recipes(store)) == ["Calls", "Other"]
    renamed, version = recipes.get(store, "Calls")
    assert renamed.name == "Calls" and version == 1
    assert store.scalar("select count(*) from loads where recipe = 'Calls'") == 1
    assert store.scalar("select count(*) from loads where recipe = 'Bank call log'") == 0
    with pytest.raises(recipes.RecipeError):
        recipes.get(store, "Bank call log")
    # The feed goes on under its new name: next month's file replaces its own rows.
    (row,) = [r for r in recipes.list_recipes(store) if r["name"] == "Calls"]
    assert row["loads"] == 1 and row["last_used"] is not None


SIDE_BY_SIDE = [
    ["Downtime by line", None, None, None, None, "Budget 2019", None, None, None],
    ["Date", "Line", "Cause", "Minutes", None, "Unit", "Jan-19", "Feb-19", "Total"],
    ["2019-01-03", "L1", "Jam", 30, None, "Ops", 100, 200, 300],
    ["2019-01-09", "L2", "Changeover", 45, None, "Sales", 50, 60, 110],
    ["2019-02-11", "L1", "Jam", 15, None, None, None, None, None],
]


def test_two_tables_side_by_side_each_load_from_a_short_nameless_recipe(store):
    """The left table is the downtime log, the right one a budget with months across and a
    Total column (left out: it is no month). Each recipe names its columns; a recipe given
    without a name is named after the file and dataset, so the two stay two feeds."""
    data = xlsx({"Sheet1": SIDE_BY_SIDE})
    stops = recipes.parse(
        "dataset = \"downtime\"\nheader_row = 2\nwhere = ''' \"Date\" IS NOT NULL '''\n"
        '[columns]\ndate = "Date"\nline = "Line"\ncause = "Cause"\nminutes = "Minutes"\n'
    )
    budget = recipes.parse(
        "dataset = \"budget\"\nheader_row = 2\nwhere = ''' \"Unit\" IS NOT NULL '''\n"
        '[columns]\nunit = "Unit"\n[constants]\naccount = "All"\nkind = "cost"\n'
        '[unpivot]\ncolumns = ["Jan-19", "Feb-19"]\nvalue = "budget"\n'
    )
    first = recipes.load(store, data, "two.xlsx", stops).sheets[0]
    second = recipes.load(store, data, "two.xlsx", budget).sheets[0]
    assert (first.status, first.rows_loaded) == ("loaded", 3)
    assert (second.status, second.rows_loaded) == ("loaded", 4)
    assert "recipe 'two (downtime)' version 1" in first.messages[0]
    assert "recipe 'two (budget)' version 1" in second.messages[0]
    assert store.scalar("select sum(minutes) from downtime_live") == 30 + 45 + 15
    got = store.arrow("select month, unit, budget from budget_live order by unit, month")
    assert got.to_pylist() == [
        {"month": dt.date(2019, 1, 1), "unit": "Ops", "budget": 100.0},
        {"month": dt.date(2019, 2, 1), "unit": "Ops", "budget": 200.0},
        {"month": dt.date(2019, 1, 1), "unit": "Sales", "budget": 50.0},
        {"month": dt.date(2019, 2, 1), "unit": "Sales", "budget": 60.0},
    ]
