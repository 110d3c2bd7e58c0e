"""`as_of` is resolved once, by store.resolve_as_of, where a request enters the core: live
(None) is LATEST, never the newest load number, so the memo keeps live answers out."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from cockpit import links
from cockpit.kpis import available_months, memo, periods
from cockpit.screens import freshness
from cockpit.store import LATEST, resolve_as_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _empty_memo():
    memo.clear()
    yield
    memo.clear()


def test_resolve_maps_live_to_latest_and_keeps_a_load_number():
    assert resolve_as_of(None) == LATEST
    assert resolve_as_of(0) == 0
    assert resolve_as_of(42) == 42
    assert links.ViewState().as_of == LATEST and links.ViewState(asof=7).as_of == 7


def test_live_answers_are_not_remembered_and_pinned_ones_are(tiny_db):
    version = tiny_db.latest_seq()
    live = periods.data_months(tiny_db)
    assert live and memo.stats()["entries"] == 0  # None -> LATEST: not remembered
    assert periods.data_months(tiny_db, version) == live
    assert memo.stats()["entries"] == 1
    assert available_months(tiny_db) == available_months(tiny_db, version)
    assert available_months(tiny_db)[0] == dt.date(2024, 1, 1)
    assert freshness.latest_months(tiny_db) == freshness.latest_months(tiny_db, version)


def _inline_resolutions(source: str) -> list[str]:
    """`LATEST if x is None else x` (either way round) written out instead of the helper."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.IfExp):
            parts = {ast.unparse(node.body), ast.unparse(node.orelse)}
            if "LATEST" in parts and "None" in ast.unparse(node.test):
                found.append(ast.unparse(node))
    return found


def test_only_the_helper_turns_none_into_latest():
    allowed = {ROOT / "cockpit" / "store.py"}
    found = {
        path.relative_to(ROOT).as_posix(): hits
        for path in sorted((ROOT / "cockpit").rglob("*.py"))
        if path not in allowed and (hits := _inline_resolutions(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_finder_sees_both_ways_round():
    source = (
        "a = LATEST if x is None else x\nb = y if y is not None else LATEST\nc = 1 if x else 2\n"
    )
    assert _inline_resolutions(source) == [
        "LATEST if x is None else x",
        "y if y is not None else LATEST",
    ]
