"""KPI cards and the scorecard grid: value, change, sparkline, RAG, hover description."""

from __future__ import annotations

import logging

import streamlit as st

from cockpit import actions, currency, links, navigation
from cockpit.alerts import rules as alert_rules
from cockpit.kpis.catalogue import CATALOGUE
from cockpit.kpis.periods import COMPARES
from cockpit.kpis.registry import lookup
from cockpit.screens import scorecard_view
from cockpit.ui import cached
from cockpit.ui.html_block import html_block
from cockpit.ui.shell import PageContext

log = logging.getLogger(__name__)


def scorecard_grid(ctx: PageContext, values: list, *, columns: int = 4, groups=None) -> None:
    """KPI cards grouped by Efficiency / Cost / Customer (`groups`: only those), one HTML
    block (cockpit/ui/html_block.py); cockpit/ui/in_app_links.py says how its links work."""
    html_block(_grid_html(ctx, values, columns=columns, groups=groups), key="scorecard")


def overview_body(ctx: PageContext) -> None:
    """The Overview under its view bar, as one HTML block: the headline (how many KPIs are
    off target), "what moved" and the card groups. A tile opens the KPI's page filtered to
    the slice that moved most; a card opens its group's page with the same view.

    A view computed before (the warm-up's, or one seen since) is drawn at once. Another is
    drawn in steps in the same place, never as an empty body: the cards' skeletons while
    the scorecard is computed, then the cards with "Working out what moved…", then the
    block with "what moved". If "what moved" fails, its place says so and the cards stay."""
    key = overview_key(ctx)
    if cached.scorecard_ready(ctx) and cached.movers_ready(ctx):
        moved = _movers_or_failed(ctx)
        html_block(_overview_html(key, _state(moved), ctx, cached.scorecard(ctx), moved),
                   key="overview")  # fmt: skip
        return
    slot = st.empty()
    if not cached.scorecard_ready(ctx):
        slot.html(_skeleton_html(ctx))
    try:
        values = cached.scorecard(ctx)
    except Exception:
        slot.empty()  # no skeleton left standing under the page's error message
        raise
    with slot:
        # Its own key: the final block below takes this place in the same run.
        html_block(_overview_html(key, PENDING, ctx, values, PENDING), key="overview_pending")
    moved = _movers_or_failed(ctx)
    with slot:
        html_block(_overview_html(key, _state(moved), ctx, values, moved), key="overview")


PENDING, FAILED = "pending", "failed"  # "what moved" still computing / could not be computed


def _state(moved) -> str:
    return moved if isinstance(moved, str) else "ready"


def _movers_or_failed(ctx: PageContext):
    """The view's movers, or FAILED (logged): a failure there must not take the cards."""
    try:
        return cached.movers(ctx)
    except Exception:
        log.exception("what moved failed for %s", cached.view_cache_key(ctx))
        return FAILED


def _skeleton_html(ctx: PageContext) -> str:
    labels: dict[str, list[str]] = {}
    for kpi in CATALOGUE.values():
        labels.setdefault(kpi.group, []).append(kpi.label)
    groups = {g: labels[g] for g in scorecard_view.GROUPS if g in labels}
    return scorecard_view.skeleton_html(groups, ctx.period.label)


def overview_key(ctx: PageContext) -> tuple:
    """What the Overview's block depends on: the view, money symbol and link parameters
    (settings changes clear every cache). The same view draws the same block, kept."""
    defs = cached.kpi_definitions(ctx)
    return (
        cached.view_cache_key(ctx),
        currency.shown(),
        ctx.page,
        repr(sorted(links.in_app_params(ctx.state).items())),
        repr(sorted((k, repr(v)) for k, v in defs.items())),
        repr(sorted(actions.open_counts(ctx.store).items())),  # the cards' open actions
    )


def _default_views(store, version: int, period) -> list[PageContext]:
    """The Overview as a first visitor opens it (live, the default month, no filters), once
    per comparison: the views the server warms up."""
    from cockpit.auth import LOCAL_ADMIN
    from cockpit.store import LATEST

    return [
        PageContext(
            page="overview",
            store=store,
            user=LOCAL_ADMIN,  # the block does not depend on who reads it
            state=links.ViewState(page="overview", compare=compare),
            as_of=LATEST,
            latest_seq=version,
            period=period,
        )
        for compare in COMPARES
    ]


def warm(store, version: int, period) -> None:
    """Build the Overview's block of each default view (server warm-up), so that a first
    visitor's first change of comparison finds it ready."""
    for ctx in _default_views(store, version, period):
        moved = cached.movers(ctx)
        _overview_html(overview_key(ctx), "ready", ctx, cached.scorecard(ctx), moved)


@st.cache_data(show_spinner=False, max_entries=64)
def _overview_html(key: tuple, movers_state: str, _ctx: PageContext, _values: list, _movers) -> str:
    """The Overview's block for `key` with "what moved" in `movers_state` (ready, PENDING or
    FAILED): only those two are hashed (Streamlit skips underscored arguments), so `key`
    must name everything the block shows."""
    head, grid = _head_and_grid(key, _ctx, _values)
    if movers_state == PENDING:
        moved = scorecard_view.movers_note_html(scorecard_view.MOVERS_PENDING)
    elif movers_state == FAILED:
        moved = scorecard_view.movers_note_html(scorecard_view.MOVERS_FAILED)
    else:
        moved = _movers_html(_ctx, _movers)
    return head + moved + grid


@st.cache_data(show_spinner=False, max_entries=64)
def _head_and_grid(key: tuple, _ctx: PageContext, _values: list) -> tuple[str, str]:
    """The headline and the card groups of `key`'s block (built once whatever "what moved"
    shows meanwhile)."""
    return (
        scorecard_view.headline_html(
            scorecard_view.headline(_values),
            scorecard_view.period_basis(_ctx.period, _ctx.state.compare),
        ),
        _grid_html(_ctx, _values),
    )


def _grid_html(ctx: PageContext, values: list, *, columns: int = 4, groups=None) -> str:
    sections = []
    owners = alert_rules.owners_by_kpi(ctx.store)  # every card names its owner (issue 26)
    open_actions = actions.open_counts(ctx.store)  # and says how many actions are open on it
    for group, cards in scorecard_view.by_group(
        values, compare=ctx.state.compare, defs=cached.kpi_definitions(ctx)
    ).items():
        if groups and group not in groups:
            continue
        alert_rules.add_owners(cards, owners, ctx.filters)
        actions.add_counts(cards, open_actions)
        detail = navigation.for_group(group)
        # A group's own page has it as its title, and its cards link nowhere further.
        elsewhere = detail is not None and detail.id != ctx.page
        link = _link(ctx, detail, f"Open {group}") if elsewhere else None
        # On the group's own page a card opens the rows behind it (drill-through).
        rows = navigation.page("rows")
        card_links = (
            None
            if elsewhere
            else [_link(ctx, rows, f"The rows behind {c['label']}", kpi=c["id"]) for c in cards]
        )
        sections.append(
            {
                "title": group if detail is None or elsewhere else None,
                "cards": cards,
                "link": link,
                "details": {**link, "label": "Details →"} if link else None,
                "card_links": card_links,
            }
        )
    return scorecard_view.scorecard_html(sections, columns=columns)


def _link(ctx: PageContext, page, help_text: str, **extra: str) -> dict:
    params = links.in_app_params(ctx.state) | extra
    return {"page": page.id, "href": links.page_href(page.id, params), "help": help_text}


def _movers_html(ctx: PageContext, movers: list[dict]) -> str:
    if not movers:
        return ""
    tile_links = []
    for m in movers:
        detail = navigation.for_group(lookup(m["id"]).group)  # movers are built-ins
        if detail is None:
            tile_links.append(None)
            continue
        driver = m.get("driver")
        if driver:
            slice_ = str(driver["slice"])
            link = _link(ctx, detail, f"Open {detail.label}: {slice_}",
                         **{f"f_{driver['dimension']}": slice_})  # fmt: skip
            link["label"] = f"Open {slice_} →"
        else:
            link = _link(ctx, detail, f"Open {detail.label}")
            link["label"] = "Open →"
        tile_links.append(link)
    heading = scorecard_view.movers_heading(ctx.period, ctx.state.compare)
    return scorecard_view.movers_html(movers, tile_links, heading=heading)
