"""Issue 27: a view nobody computed yet is never a blank body. The cards' skeletons show
first, then the cards with "Working out what moved…", then "what moved"; if "what moved"
fails, its place says so and the cards stay."""

from __future__ import annotations

import json

import pytest
from streamlit.delta_generator import DeltaGenerator

from cockpit import kpis
from cockpit.ui import cards

from .conftest import kpi_cards, page_text

PENDING = "Working out what moved…"


@pytest.fixture
def steps(monkeypatch) -> list[tuple]:
    """What the Overview draws and computes, in order: ("skeleton", labels shown), ("cards",
    key, values shown, movers pending?), ("block", key) and ("computed", what)."""
    seen: list[tuple] = []
    scorecard, what_moved, block, html = (
        kpis.scorecard, kpis.what_moved, cards.html_block, DeltaGenerator.html
    )  # fmt: skip

    def drawn_html(self, body, *args, **kwargs):
        if "kpi-skeleton" in body:
            seen.append(("skeleton", body.count('class="kpi-card kpi-skeleton"')))
        return html(self, body, *args, **kwargs)

    def drawn_block(data, *, key):
        seen.append(("cards", key, data.count('class="kpi-value"'), PENDING in data))
        return block(data, key=key)

    def computed(name, fn):
        def wrapper(*args, **kwargs):
            seen.append(("computed", name))
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(DeltaGenerator, "html", drawn_html)
    monkeypatch.setattr(cards, "html_block", drawn_block)
    monkeypatch.setattr(kpis, "scorecard", computed("scorecard", scorecard))
    monkeypatch.setattr(kpis, "what_moved", computed("movers", what_moved))
    return seen


def test_a_view_not_computed_shows_skeletons_then_cards_then_what_moved(
    open_app, shared_demo_db, steps
):
    at = open_app(shared_demo_db, period="t12m", compare="yoy", f_site="Lyon")
    assert [s[0] for s in steps] == ["skeleton", "computed", "cards", "computed", "cards"]
    skeleton, scorecard, pending, movers, final = steps
    assert skeleton[1] >= 25  # a placeholder per card, on screen before anything is computed
    assert scorecard == ("computed", "scorecard")
    # The cards (every value) with "what moved" still pending, before what moved is computed.
    assert pending[1] == "overview_pending" and pending[2] >= 25 and pending[3]
    assert movers == ("computed", "movers")
    assert final[1] == "overview" and final[2] == pending[2] and not final[3]
    assert "What moved" in page_text(at) and PENDING not in page_text(at)
    # The same view again (a rerun) is drawn at once: nothing computed, no skeleton.
    steps.clear()
    at.run()
    assert [s[:2] for s in steps] == [("cards", "overview")]


def test_what_moved_failing_says_so_and_leaves_the_cards(
    open_app, shared_demo_db, steps, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kpis, "what_moved", broken)
    at = open_app(shared_demo_db, period="ytd")
    assert not at.exception
    text = page_text(at)
    assert "Could not work out what moved for this view" in text
    assert "disk on fire" not in text and PENDING not in text
    shown = kpi_cards(at)
    assert len(shown) >= 25 and shown["Orders"]["value"] not in ("", "—")
    # No skeleton is left standing: the one block on the page is the final one.
    blocks = [e for e in at.get("bidi_component") if e.proto.component_name == "cockpit.html_block"]
    assert len(blocks) == 1 and "Could not work out" in json.loads(blocks[0].proto.json)
