"""Mapping: header normalising, fingerprints, match scores, wide layouts, proposals,
analyst overrides and remembered layouts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cockpit.ingest import mapping as m
from cockpit.ingest.detect_types import ColumnProfile


def col(name: str, kind: str = "text", index: int = 0) -> ColumnProfile:
    return ColumnProfile(index=index, name=name, kind=kind, evidence="test")


def analysis(columns: list[tuple[str, str]], sheet: str | None = "Sheet1", title=None):
    """A stand-in for detect_sheet's SheetAnalysis: only what propose() reads."""
    profiles = [col(n, k, i) for i, (n, k) in enumerate(columns)]
    return SimpleNamespace(columns=profiles, sheet=sheet, file="export.xlsx", title=title)


def test_normalise_keeps_words_and_drops_units():
    assert m.normalise("Ship_Date (UTC)") == "ship date utc"
    assert m.normalise("  Wait (s) ") == "wait"
    assert m.normalise("Order-No.#") == "order no"
    assert m.normalise("Revenue (£)") == "revenue"
    assert m.normalise("On-time %") == "on time %"


def test_fingerprint_is_the_normalised_sheet_and_headers():
    a = m.fingerprint("Orders", ["Order ID", "Ship_Date"])
    assert a == m.fingerprint("orders", ["order id", "Ship Date"])
    assert len(a) == 16
    assert a != m.fingerprint("Orders", ["Ship_Date", "Order ID"])  # order matters
    assert a != m.fingerprint("Orders 2", ["Order ID", "Ship_Date"])
    assert a != m.fingerprint(None, ["Order ID", "Ship_Date"])


def test_match_scores_exact_partial_and_too_weak():
    ship = ("orders", "ship_date")
    assert m._match_score("Dispatch Date", *ship) == 1.0
    assert m._match_score("ship_date", *ship) == 1.0
    assert m._match_score("Date Shipped", *ship) == 1.0  # words in any order
    # Every word of a two-word synonym inside a longer header: a partial match.
    assert m._match_score("Actual Ship Date", *ship) == pytest.approx(0.85)
    assert m._match_score("PQ First Sent to Client Date", "production", "date") == 0.0
    assert m._match_score("Colour", *ship) == 0.0


def test_map_columns_matches_greedily_by_strength_and_type():
    profiles = [
        col("Order No", "text"),
        col("Order Date", "date"),
        col("Ship Date", "text"),  # text can't be a date
        col("Qty", "number"),
    ]
    mapping, total, scores = m.map_columns("orders", profiles)
    assert mapping == {"order_id": "Order No", "order_date": "Order Date", "quantity": "Qty"}
    assert scores == {"order_id": 1.0, "order_date": 1.0, "quantity": 1.0}
    assert total == 3.0


def test_budget_pairs_need_two_accounts_with_actuals():
    profiles = [
        col("Month", "date"),
        col("Salaries_Budget", "number"),
        col("Salaries_Actual", "number"),
        col("Budget Energy", "number"),
        col("Actual Energy", "number"),
        col("Travel Plan", "number"),  # no actual: left out
    ]
    pairs = m.detect_pairs(profiles)
    assert pairs.kind == "pairs"
    assert pairs.pairs == {
        "Salaries": {"budget": "Salaries_Budget", "actual": "Salaries_Actual"},
        "Energy": {"budget": "Budget Energy", "actual": "Actual Energy"},
    }
    assert m.detect_pairs(profiles[:3]) is None


def test_cause_columns_need_a_key_and_mostly_numbers():
    profiles = [col("Date", "date"), col("Jam", "number"), col("Power", "number"),
                col("Changeover", "number"), col("Total", "number")]  # fmt: skip
    said = ["Downtime by cause"]  # the sheet's name says what the numbers are
    causes = m.detect_causes(profiles, {"date": "Date"}, said)
    assert causes.kind == "causes" and causes.columns == ["Jam", "Power", "Changeover"]
    assert m.detect_causes(profiles, {}, said) is None  # no key column
    wide_text = [*profiles, *(col(f"Note {i}", "text") for i in range(6))]
    assert m.detect_causes(wide_text, {"date": "Date"}, said) is None
    # Several numeric columns are never causes on their own: nothing says downtime.
    assert m.detect_causes(profiles, {"date": "Date"}, ["Sheet1"]) is None


def test_propose_picks_the_dataset_the_headers_name():
    a = analysis([("Order ID", "text"), ("Order Date", "date"), ("Qty", "number")], "Orders")
    p = m.propose(a)
    assert p.dataset == "orders"
    assert p.columns == {"order_id": "Order ID", "order_date": "Order Date", "quantity": "Qty"}
    assert p.confidence >= 0.6 and not p.missing_required


def test_propose_declines_a_sheet_that_fits_nothing():
    p = m.propose(analysis([("Colour", "text"), ("Weight", "number")]))
    assert p.dataset is None and p.reasons == ["no dataset fits this sheet"]


def test_propose_for_a_chosen_dataset_reports_what_is_missing():
    p = m.propose(analysis([("Colour", "text"), ("Qty", "number")]), dataset="orders")
    assert p.dataset == "orders"
    assert p.missing_required == ["order_date"]


def test_wide_budget_is_proposed_with_its_pairs():
    a = analysis(
        [("Month", "date"), ("Department", "text"), ("Sales Income_Budget", "number"),
         ("Sales Income_Actual", "number"), ("Wages_Budget", "number"),
         ("Wages_Actual", "number")],
        "Budget",
    )  # fmt: skip
    p = m.propose(a)
    assert p.dataset == "budget" and p.unpivot.kind == "pairs"
    assert p.columns == {"month": "Month", "unit": "Department"}
    assert not p.missing_required  # account, budget, actual come from the pairs


def test_overrides_replace_unmap_and_check_names():
    profiles = [col("Ref"), col("When", "date"), col("Qty", "number")]
    base = m.Mapping("orders", {"order_id": "Ref", "quantity": "Qty"})
    out = m.apply_overrides(base, {"order_date": "When", "quantity": None}, profiles)
    assert out.columns == {"order_id": "Ref", "order_date": "When"}
    assert out.confidence == 1.0 and out.reasons[-1] == "mapping confirmed by the analyst"
    moved = m.apply_overrides(base, {"order_date": "Ref"}, profiles)
    assert moved.columns == {"quantity": "Qty", "order_date": "Ref"}  # a source maps once
    with pytest.raises(ValueError, match="no source column 'Nope'"):
        m.apply_overrides(base, {"order_id": "Nope"}, profiles)
    with pytest.raises(ValueError, match="orders has no column 'colour'"):
        m.apply_overrides(base, {"colour": "Ref"}, profiles)


def test_remembered_layouts_round_trip_through_the_store(store):
    mapping = m.Mapping(
        "downtime",
        {"date": "Day"},
        unpivot=m.Unpivot("causes", columns=["Jam", "Power", "Changeover"]),
    )
    fp = m.fingerprint("Stops", ["Day", "Jam", "Power", "Changeover"])
    assert m.recall(store, fp) is None
    with store.transaction() as cur:
        m.remember(cur, fp, mapping, file="jan.xlsx", load_id=7, options={})
    saved = m.recall(store, fp)
    assert saved["dataset"] == "downtime" and saved["example_file"] == "jan.xlsx"

    profiles = [col("Day", "date"), col("Jam", "number"), col("Power", "number"),
                col("Changeover", "number")]  # fmt: skip
    again = m.from_remembered(saved, profiles)
    assert again.columns == {"date": "Day"} and again.unpivot.columns == [
        "Jam",
        "Power",
        "Changeover",
    ]
    assert again.remembered_from == "jan.xlsx" and not again.missing_required
    # A source column it needs is gone: the layout no longer applies.
    assert m.from_remembered(saved, profiles[:3]) is None

    with store.transaction() as cur:  # a corrected mapping replaces the remembered one
        m.remember(cur, fp, m.Mapping("downtime", {"date": "Day", "minutes": "Jam"}),
                   file="feb.xlsx", load_id=8, options={})  # fmt: skip
    again = m.recall(store, fp)
    assert again["mapping"]["columns"] == {"date": "Day", "minutes": "Jam"}
    assert again["example_file"] == "jan.xlsx"  # where the layout was first seen
    assert store.scalar("select count(*) from layouts") == 1
