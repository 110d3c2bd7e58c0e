"""The Data page's recipe form without Streamlit (cockpit/screens/recipe_form.py)."""

from __future__ import annotations

import pytest

from cockpit import auth, recipes
from cockpit.ingest.pipeline import prepare_file
from cockpit.screens import recipe_form as rf
from cockpit.store import Store
from tests.recipe_samples import CALLS, TYPED

ANALYST = auth.User("ann", "analyst")


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "cockpit.duckdb")
    yield s
    s.close()


def _sheet(store):
    return prepare_file(store, CALLS, "calls.csv").sheets[0]


def test_a_held_sheet_opens_with_the_proposal(store):
    sheet = _sheet(store)
    assert sheet.status == "held"
    recipe = rf.initial(sheet, store)
    assert (recipe.name, recipe.dataset, recipe.columns) == (
        "calls",
        "contacts",
        {"contact_id": "call_id"},
    )
    names = rf.headers(sheet)
    assert names == ["vru_line", "call_id", "yymmdd", "vru_entry", "q_time", "outcome"]
    assert rf.column_choice(recipe, "contact_id", names) == ("call_id", "")
    assert rf.column_choice(recipe, "answered", names) == (rf.UNUSED, "")


def test_form_fields_make_the_recipe_and_back():
    base = recipes.parse(TYPED)
    names = ["call_id", "yymmdd", "outcome", "q_time"]
    cols = {
        c: rf.column_choice(base, c, names) for c in ("contact_date", "contact_id", "wait_seconds")
    }
    assert cols["contact_date"] == (rf.EXPRESSION, '"yymmdd" + "vru_entry"')
    cols["answered"] = (rf.EXPRESSION, " \"outcome\" = 'AGENT' ")
    cols["wait_seconds"] = (rf.UNUSED, "")
    r = rf.from_form(base, dataset="contacts", columns=cols, where="\"outcome\" <> 'PHANTOM'",
                     header_row=1)  # fmt: skip
    assert r.columns == {"contact_date": '"yymmdd" + "vru_entry"', "contact_id": "call_id",
                         "answered": "\"outcome\" = 'AGENT'"}  # fmt: skip
    assert r.where == "\"outcome\" <> 'PHANTOM'" and r.header_row is None
    assert r.types == base.types and recipes.parse(r.to_toml()) == r
    # An empty expression box leaves the column unused; a dateless recipe takes the month.
    cols = {"contact_id": ("call_id", ""), "answered": (rf.EXPRESSION, "  ")}
    r = rf.from_form(base, dataset="contacts", columns=cols, month="2024-03", header_row=3)
    assert r.columns == {"contact_id": "call_id"} and r.header_row == 3
    assert rf.month_column(r) == "contact_date" and r.constants == {"contact_date": "2024-03"}
    assert rf.month_text(r) == "2024-03"
    assert rf.check(r) is None
    r.constants["contact_date"] = "March"
    assert "constants.contact_date = 'March' is not a month like 2024-03" in rf.check(r)


def test_preview_shows_rows_what_the_filter_drops_and_the_figures(store):
    view = rf.preview_view(store, CALLS, "calls.csv", TYPED)
    assert view["error"] is None and len(view["rows"]) == 5 and view["dropped"].empty
    assert "_row" not in view["rows"].columns and view["months"] == ["2024-03"]
    r = recipes.parse(TYPED)
    r.columns["answered"] = "\"outcome\" = 'AGENT'"
    figures = {
        f["KPI"]: f["Value"]
        for f in rf.preview_view(store, CALLS, "calls.csv", r.to_toml())["figures"]
    }
    assert figures["Abandonment"] == "60.0%"
    r.where = "\"outcome\" <> 'PHANTOM'"
    view = rf.preview_view(store, CALLS, "calls.csv", r.to_toml())
    assert list(view["rows"]["contact_id"]) == ["1001", "1002", "1004", "1005"]
    assert view["dropped"].to_dict("records") == [{
        "row": 4, "vru_line": "AA0101", "call_id": "1003", "yymmdd": "240302",
        "vru_entry": "6:55:20", "q_time": "12", "outcome": "PHANTOM"}]  # fmt: skip
    assert {f["KPI"]: f["Value"] for f in view["figures"]}["Abandonment"] == "50.0%"


def test_a_refused_expression_is_the_fields_message(store):
    r = recipes.parse(TYPED)
    r.columns["answered"] = "(select 1)"
    view = rf.preview_view(store, CALLS, "calls.csv", r.to_toml())
    assert view["error"] == (
        "calls.csv: recipe 'Bank calls': columns.answered: a subquery is not allowed in a recipe"
    )
    assert view["rows"].empty and view["figures"] == []
    assert "not valid TOML" in rf.preview_view(store, CALLS, "calls.csv", "name = ")["error"]


def test_save_and_load_through_the_queue_names_recipe_and_version(store):
    r = recipes.parse(TYPED)
    r.where = "\"outcome\" <> 'PHANTOM'"
    report = rf.save_and_load(store, CALLS, "calls.csv", r, ANALYST, poll_s=0.01)
    (sheet,) = report.sheets
    assert sheet.status == "loaded" and sheet.rows_loaded == 4
    assert any("recipe 'Bank calls' version 1" in m for m in sheet.messages)
    with pytest.raises(auth.PermissionDenied):
        rf.save_and_load(store, CALLS, "calls.csv", r, auth.User("vic", "viewer"), poll_s=0.01)
    table = rf.saved_table(store)
    row = table.to_dict("records")[0]
    assert row["Last used"] is not None and row["Saved at"] is not None
    assert row | {"Saved at": None, "Last used": None} == {
        "Recipe": "Bank calls", "Dataset": table.iloc[0]["Dataset"], "Version": 1,
        "Saved by": "ann", "Saved at": None, "Layouts": 1, "Loads": 1,
        "Last used": None}  # fmt: skip


def test_import_names_a_nameless_recipe_after_its_file(store):
    said = rf.import_toml(store, 'dataset = "contacts"\n[columns]\ncontact_id = "call_id"\n',
                          "bank.toml", ANALYST)  # fmt: skip
    assert said == "Saved recipe 'bank' version 1."
    assert recipes.get(store, "bank")[1] == 1
    with pytest.raises(auth.PermissionDenied):
        rf.import_toml(store, TYPED, "x.toml", auth.User("vic", "viewer"))


def test_the_bank_log_as_exported_is_read_by_itself(store):
    """Its `date` of yymmdd digits and the h:mm:ss time beside it make the contact's time."""
    from tests.recipe_samples import RECOGNISED

    sheet = prepare_file(store, RECOGNISED, "calls.csv").sheets[0]
    assert (sheet.status, sheet.dataset) == ("ready", "contacts")
    recipe = rf.initial(sheet, store)
    assert recipe.columns == {"contact_date": '"date" + "vru_entry"', "contact_id": "call_id"}
