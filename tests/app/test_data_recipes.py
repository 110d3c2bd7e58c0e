"""Where the analyst meets the recipe (issue 24): a checked sheet's recipe as a form with its
live preview, "Save recipe and load", and the Recipes section of the Data page."""

from __future__ import annotations

from cockpit import auth
from tests.recipe_samples import CALLS, TYPED

from .conftest import APP, PAGES, sql_value


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def _widget(widgets, prefix: str):
    (found,) = [w for w in widgets if w.key and w.key.startswith(prefix)]
    return found


def _frames(at) -> list:
    return [d.value for d in at.dataframe]


def _figures(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _dropped(at):
    found = [f for f in _frames(at) if "row" in f.columns and "outcome" in f.columns]
    return found[0] if found else None


def _upload_and_type(at):
    at.file_uploader[0].set_value(("calls_march.csv", CALLS, "text/csv")).run()
    _ok(at)
    # A held sheet opens its recipe with the proposal filled.
    assert _widget(at.toggle, "rf_open_").value is True
    assert _widget(at.selectbox, "rf_col_contact_id_").value == "call_id"
    assert _widget(at.selectbox, "rf_col_answered_").value == ""
    # The TOML view: the types of the yymmdd date and h:mm:ss time, edited as text.
    _widget(at.text_area, "rf_text_").input(TYPED).run()
    _ok(at)
    assert _widget(at.selectbox, "rf_col_contact_date_").value == "(expression)"
    assert _widget(at.text_input, "rf_expr_contact_date_").value == '"yymmdd" + "vru_entry"'
    assert _widget(at.text_input, "rf_name_").value == "Bank calls"
    return at


def test_form_preview_save_and_load(open_app, empty_db):
    at = _upload_and_type(open_app(empty_db, "data"))
    assert _figures(at) == {"Speed of answer": "18 s", "Service level": "60.0%"}
    assert _dropped(at) is None

    _widget(at.selectbox, "rf_col_answered_").set_value("(expression)").run()
    _widget(at.text_input, "rf_expr_answered_").input("\"outcome\" = 'AGENT'").run()
    _ok(at)
    assert _figures(at)["Abandonment"] == "60.0%"
    assert "answered = '''\"outcome\" = 'AGENT''''" in _widget(at.text_area, "rf_text_").value

    _widget(at.text_input, "rf_where_").input("\"outcome\" <> 'PHANTOM'").run()
    _ok(at)
    dropped = _dropped(at)
    assert dropped.to_dict("records") == [{
        "row": 4, "vru_line": "AA0101", "call_id": "1003", "yymmdd": "240302",
        "vru_entry": "6:55:20", "q_time": "12", "outcome": "PHANTOM"}]  # fmt: skip
    assert _figures(at)["Abandonment"] == "50.0%"  # 2 of 4 calls, the phantom left out

    _widget(at.button, "rf_save_").click().run()
    _ok(at)
    said = " ".join(c.value for c in at.caption)
    assert "loaded with recipe 'Bank calls' version 1" in said, said
    assert sql_value(empty_db, "select count(*) from contacts_live") == 4
    assert sql_value(
        empty_db, "select string_agg(contact_id || ':' || answered, ',' order by contact_id) "
        "from contacts_live"
    ) == "1001:false,1002:true,1004:true,1005:false"  # fmt: skip
    assert sql_value(empty_db, "select recipe || ' v' || recipe_version from loads") == (
        "Bank calls v1"
    )
    # The Recipes section lists it, with its load, to export.
    (table,) = [f for f in _frames(at) if "Recipe" in f.columns and "Loads" in f.columns]
    row = table.iloc[0]
    assert (row["Recipe"], row["Version"], row["Loads"]) == ("Bank calls", 1, 1)
    assert any(b.label == "Export as TOML" for b in at.get("download_button"))


def test_a_refused_expression_says_which_field(open_app, empty_db):
    at = _upload_and_type(open_app(empty_db, "data"))
    _widget(at.selectbox, "rf_col_answered_").set_value("(expression)").run()
    _widget(at.text_input, "rf_expr_answered_").input('(select 1) = "call_id"').run()
    _ok(at)
    errors = " ".join(e.value for e in at.error)
    assert "columns.answered: a subquery is not allowed in a recipe" in errors, errors
    assert "Traceback" not in errors and "something went wrong" not in errors
    _widget(at.text_input, "rf_expr_answered_").input('getenv("HOME")').run()
    errors = " ".join(e.value for e in at.error)
    assert "columns.answered:" in errors and "getenv" in errors, errors


def _as(monkeypatch, db, user):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COCKPIT_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = {
        "mode": "password",
        "users": {user.name: {"role": user.role, "password_hash": auth.hash_password("x" * 8)}},
    }
    at.run()
    at.text_input[0].input(user.name)
    at.text_input[1].input("x" * 8)
    at.button[0].click()
    at.run()
    at.switch_page(PAGES["data"]).run()
    return _ok(at)


def test_viewers_see_no_recipes_analysts_do_admins_delete(monkeypatch, empty_db):
    from cockpit import recipes
    from cockpit.ui.resources import _store_for

    at = _as(monkeypatch, empty_db, auth.User("vic", "viewer"))
    store = _store_for(str(empty_db.resolve()))
    recipes.save(store, recipes.parse(TYPED), "ann")
    at.run()
    assert not [s for s in at.subheader if s.value == "Recipes"]
    assert not [f for f in _frames(at) if "Recipe" in f.columns]

    at = _as(monkeypatch, empty_db, auth.User("ann", "analyst"))
    assert [s for s in at.subheader if s.value == "Recipes"]
    assert not [b for b in at.button if b.key == "rf_delete"]  # deleting is the admin's

    at = _as(monkeypatch, empty_db, auth.User("ada", "admin"))
    at.button(key="rf_delete").click().run()
    _ok(at)
    assert "Deleted recipe 'Bank calls'." in " ".join(s.value for s in at.success)
    assert recipes.list_recipes(store) == []


def test_an_analyst_imports_a_recipe_file(open_app, empty_db):
    at = open_app(empty_db, "data")
    assert "No saved recipes yet" in " ".join(c.value for c in at.caption)
    at.toggle(key="rf_import_open").set_value(True).run()
    _ok(at)
    at.file_uploader(key="rf_import_file").set_value(
        ("bank.toml", TYPED.replace('name = "Bank calls"\n', "").encode(), "application/toml")
    ).run()
    at.button(key="rf_import").click().run()
    _ok(at)
    assert "Saved recipe 'bank' version 1." in " ".join(s.value for s in at.success)
    (table,) = [f for f in _frames(at) if "Recipe" in f.columns and "Loads" in f.columns]
    assert table[["Recipe", "Version", "Loads"]].to_dict("records") == [
        {"Recipe": "bank", "Version": 1, "Loads": 0}
    ]
    # A file that is no recipe says what is wrong with it.
    at.file_uploader(key="rf_import_file").set_value(
        ("junk.toml", b'dataset = "nope"\n', "application/toml")
    ).run()
    at.button(key="rf_import").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "junk.toml: dataset 'nope' is not known" in errors, errors


def test_a_month_the_recipe_cannot_hold_blocks_saving(open_app, empty_db):
    at = _upload_and_type(open_app(empty_db, "data"))
    _widget(at.selectbox, "rf_col_contact_date_").set_value("").run()
    _widget(at.text_input, "rf_month_").input("March").run()
    _ok(at)
    errors = " ".join(e.value for e in at.error)
    assert "constants.contact_date = 'March' is not a month like 2024-03" in errors, errors
    assert _widget(at.button, "rf_save_").disabled
    _widget(at.text_input, "rf_month_").input("2024-03").run()
    assert not _widget(at.button, "rf_save_").disabled
    assert _figures(at)["Speed of answer"] == "18 s"


def test_next_months_file_opens_with_the_saved_recipe(open_app, empty_db):
    from cockpit import recipes
    from cockpit.ui.resources import _store_for

    at = open_app(empty_db, "data")
    recipe = recipes.parse(TYPED)
    recipe.where = "\"outcome\" <> 'PHANTOM'"
    store = _store_for(str(empty_db.resolve()))
    recipes.load(store, CALLS, "calls_march.csv", recipe, user="ann")
    april = CALLS.replace(b",2403", b",2404")
    at.file_uploader[0].set_value(("calls_april.csv", april, "text/csv")).run()
    _ok(at)
    (exp,) = [e for e in at.expander if "→ **contacts**" in e.label]
    toggle = _widget(at.toggle, "rf_open_")
    assert toggle.value is False  # a ready sheet's recipe opens when asked
    toggle.set_value(True).run()
    _ok(at)
    assert _widget(at.text_input, "rf_name_").value == "Bank calls"
    assert _widget(at.text_input, "rf_where_").value == "\"outcome\" <> 'PHANTOM'"
    # No `answered` in this recipe: every call left in counts (0 + 5 + 30 + 45) / 4.
    assert _figures(at)["Speed of answer"] == "20 s" and _dropped(at)["row"].tolist() == [4]


def test_an_analyst_reads_a_recipes_versions_and_renames_it(open_app, empty_db):
    from cockpit import recipes
    from cockpit.ui.resources import _store_for

    store = _store_for(str(empty_db.resolve()))
    first = recipes.parse(TYPED)
    recipes.save(store, first, "ann")
    first.where = """ "outcome" <> 'PHANTOM' """
    recipes.save(store, first, "ann")
    at = open_app(empty_db, "data")
    (table,) = [f for f in _frames(at) if "Recipe" in f.columns and "Layouts" in f.columns]
    assert table[["Recipe", "Version", "Loads"]].to_dict("records") == [
        {"Recipe": "Bank calls", "Version": 2, "Loads": 0}
    ]
    diffs = [c.value for c in at.code]
    assert len(diffs) == 1 and "+where" in diffs[0].replace(" ", "") and "PHANTOM" in diffs[0]
    at.text_input(key="rf_rename_to").input("Bank call log").run()
    at.button(key="rf_rename").click().run()
    _ok(at)
    said = " ".join(s.value for s in at.success)
    assert "Renamed recipe 'Bank calls' to 'Bank call log'" in said
    assert [r["name"] for r in recipes.list_recipes(store)] == ["Bank call log"]
