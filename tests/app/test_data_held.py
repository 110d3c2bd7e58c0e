"""A sheet the app is not sure of is held on the Data page: the proposal, what is missing, and
one click to confirm; the confirmed layout is remembered and next month's file loads itself."""

from __future__ import annotations

from .conftest import sql_value


def _upload(at, name: str, data: bytes) -> None:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]


def _ledger(month: int, n: int = 5) -> bytes:
    # A date and numbers with nothing that says what they are: never loaded on a guess.
    rows = ["Date,Ref,Qty,Amount"]
    rows += [f"2025-{month:02d}-{1 + i:02d},R{month}{i},{1 + i},{10.5 * (i + 1)}" for i in range(n)]
    return ("\n".join(rows) + "\n").encode()


def test_held_sheet_waits_for_one_click_and_is_remembered(open_app, empty_db):
    at = open_app(empty_db, "data")
    _upload(at, "ledger_jan.csv", _ledger(1))
    (exp,) = [e for e in at.expander if "held" in e.label]
    assert "looks like **Orders and shipping**" in exp.label
    warning = " ".join(w.value for w in at.warning)
    assert "not loaded until you confirm" in warning and "nothing in the sheet says" in warning
    # Nothing is ready to load yet: the load button only loads what is certain.
    assert next(b for b in at.button if b.key == "load_files").disabled
    assert sql_value(empty_db, "select count(*) from orders") == 0

    confirm = next(b for b in at.button if b.key.startswith("hold_ok_"))
    assert confirm.label == "Yes, load it as orders and shipping"
    confirm.click().run()
    assert not at.exception
    assert any("→ **orders**" in e.label for e in at.expander)
    at.button(key="load_files").click().run()
    assert not at.exception
    assert sql_value(empty_db, "select count(*) from orders_live") == 5
    assert sql_value(empty_db, "select sum(revenue) from orders_live") == 10.5 * 15

    # February's file of the same layout loads by itself: the confirmation was remembered.
    _upload(at, "ledger_feb.csv", _ledger(2, 3))
    assert not [e for e in at.expander if "held" in e.label]
    assert any("Same layout as ledger_jan.csv" in s.value for s in at.success)
    at.button(key="load_files").click().run()
    assert sql_value(empty_db, "select count(*) from orders_live") == 8


def test_a_survey_rating_is_asked_for_in_words_and_then_loads(open_app, empty_db):
    """A coded question (Q7ALL, 1-5 answers) is offered as the satisfaction rating in words
    ("how satisfied"), not as "the csat rating"; picking it loads every answer's rating."""
    rows = ["Survey date,Q7ALL,Segment"]
    rows += [f"2024-03-{d:02d},{1 + d % 5},Retail" for d in range(1, 29)]
    at = open_app(empty_db, "data")
    _upload(at, "airport_march.csv", ("\n".join(rows) + "\n").encode())
    ask = next(s for s in at.selectbox if s.key.startswith("rating_csat_"))
    assert ask.label.startswith("Which question asks how satisfied the customer was")
    assert "csat rating" not in ask.label
    ask.set_value("Q7ALL").run()
    assert not at.exception
    at.button(key="load_files").click().run()
    assert sql_value(empty_db, "select count(csat) from surveys_live") == 28
    assert sql_value(empty_db, "select sum(csat) from surveys_live") == sum(
        1 + d % 5 for d in range(1, 29)
    )


def test_a_file_with_nothing_recognised_says_so_before_loading(open_app, empty_db):
    at = open_app(empty_db, "data")
    _upload(at, "paint.csv", b"colour,size\nred,1\nblue,2\ngreen,3\n")
    (exp,) = [e for e in at.expander if "kept raw" in e.label]
    assert "nothing recognised: kept raw only" in exp.label
    said = " ".join(i.value for i in at.info)
    assert "Nothing here was recognised as one of the cockpit's datasets" in said
    button = at.button(key="load_files")
    assert button.label == "Keep 1 file raw only"
    assert "changes no KPI" in " ".join(c.value for c in at.caption)
