"""Issue 14: numbers a COO can trust (amber defined once, default month, no value without data)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from urllib.parse import urlencode

from cockpit import auth, ledger, links, navigation
from cockpit.ui.resources import _store_for

from .conftest import (
    card_notes,
    html_blocks,
    kpi_cards,
    metric,
    number,
    orders_in_month,
    page_text,
    sql_value,
)
from .test_settings_sql_pages import card_status


def test_demo_oct_2026_below_the_plans_amber_threshold_is_red(open_app, shared_demo_db):
    # targets_plan.xlsx: on-time 96 / amber 91, CSAT 85 / 80, NPS 30 / 20 (absolute thresholds).
    at = open_app(shared_demo_db, month="2026-10")
    for label in ("On-time delivery", "CSAT", "NPS"):
        assert card_status(at, label) == "red", label


def _orders_only_november(db) -> None:
    """An orders-only upload of 12 lines for Nov 2026 (every other dataset ends in Oct)."""
    store = _store_for(str(db.resolve()))
    rows = [
        {"order_id": f"N-{i}", "order_date": dt.date(2026, 11, 1 + i), "quantity": 1,
         "revenue": 10.0, "site": "Leeds"}
        for i in range(12)
    ]  # fmt: skip
    ledger.load_table(store, "orders", rows, file="november-orders.csv")


def test_a_partial_upload_does_not_take_over_the_scorecard(open_app, demo_db):
    _orders_only_november(demo_db)
    at = open_app(demo_db)
    month = at.selectbox(key="month")
    assert month.value == "2026-10"  # the latest month complete across the datasets
    assert month.format_func("2026-11") == "Nov 2026 · incomplete"
    text = page_text(at)
    assert "Showing Oct 2026: the latest month complete in every dataset" in text
    assert "Nov 2026: orders only" in text
    assert "What moved" in text and "fell 9" not in text  # no "Units fell 98 %"
    assert number(metric(at, "Return rate")) > 0

    month.set_value("2026-11").run()
    assert "Nov 2026 is incomplete: orders only" in " ".join(w.value for w in at.warning)
    assert metric(at, "Return rate") == "—"  # no returns loaded for November: no value
    assert "no returns data for Nov 2026" in card_notes(at)
    assert card_status(at, "Return rate") == "none"


# -- what-if and links --------------------------------------------------------------------------
def test_goal_seek_shows_the_driver_value_and_apply_moves_slider_and_url(open_app, shared_demo_db):
    at = open_app(shared_demo_db, "whatif")
    at.button(key="FormSubmitter:goalseek-Find the value").click().run()
    found = " ".join(s.value for s in at.success)
    assert "brings average speed of answer to" in found and "Agents" not in found, found
    apply = at.button(key="apply_goalseek")
    agents = float(apply.label.split("Apply: ")[1].split(" agents")[0])
    assert found.startswith(f"{agents:+g} agents brings")
    apply.click().run()
    assert at.slider(key="d_agents").value == agents
    assert at.query_params["d_agents"] in (f"{agents:g}", [f"{agents:g}"])


def test_scenario_link_opens_with_its_saved_drivers(open_app, demo_db):
    from cockpit.screens import saved

    store = _store_for(str(demo_db.resolve()))
    saved.save(store, "scenarios", "Peak season", {"drivers": {"volume": 15.0, "agents": 3.0}},
               user=auth.LOCAL_ADMIN, shared=True)  # fmt: skip
    at = open_app(demo_db, "whatif", scenario="Peak season")
    assert at.slider(key="d_volume").value == 15.0
    assert at.slider(key="d_agents").value == 3.0
    assert "Scenario 'Peak season'" in " ".join(i.value for i in at.info)


def test_out_of_range_driver_is_clamped_with_a_notice(open_app, shared_demo_db):
    from cockpit.whatif.model import DRIVERS

    top = float(DRIVERS["volume"].max)
    at = open_app(shared_demo_db, "whatif", d_volume="500")
    assert at.slider(key="d_volume").value == top
    assert "outside the model's range" in " ".join(w.value for w in at.warning)
    # The address bar says what the page shows: a link copied from it opens the clamped value.
    assert at.query_params["d_volume"] in (f"{top:g}", [f"{top:g}"])
    at.slider(key="d_price").set_value(5.0).run()  # and it stays there on the next move
    assert at.slider(key="d_volume").value == top
    assert at.query_params["d_volume"] in (f"{top:g}", [f"{top:g}"])


def test_ignored_parameters_leave_the_url(open_app, shared_demo_db):
    at = open_app(shared_demo_db, period="weird", f_nope="x", compare="yoy")
    assert "Ignored period='weird'" in " ".join(t.value for t in at.text)
    assert "period" not in at.query_params and "f_nope" not in at.query_params
    assert at.query_params["compare"] in ("yoy", ["yoy"])


# -- quick to read ------------------------------------------------------------------------------
def test_headline_counts_the_cards_statuses(open_app, shared_demo_db):
    at = open_app(shared_demo_db, month="2026-10")
    statuses = [
        m.group(1) for h in html_blocks(at) for m in re.finditer(r'class="rag rag-(\w+)"', h)
    ]
    red, amber, green = (statuses.count(s) for s in ("red", "amber", "green"))
    want = f"{red} of {red + amber + green} KPIs off target, {amber} watch, {green} on target"
    assert want in page_text(at), want
    assert red >= 3


def test_no_comparison_text_under_a_missing_change(open_app, shared_demo_db):
    at = open_app(shared_demo_db, month="2026-10", compare="yoy")
    cards = kpi_cards(at)
    assert len(cards) >= 20
    for label, card in cards.items():
        if card["value"] == "—":
            assert card["change"] == "", label  # no "vs last year" under a "—"


def _charts(at) -> list:
    """Every Altair chart on the page as (spec dict, [dataset rows])."""
    import pyarrow as pa

    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    out = []
    for el in walk(at.main):
        if getattr(el, "type", "") == "vega_lite_chart":
            rows = [
                r
                for d in el.proto.datasets
                for r in pa.ipc.open_stream(d.data.data).read_all().to_pylist()
            ]
            out.append((json.loads(el.proto.spec), rows))
    return out


def test_breakdown_has_no_null_row_and_shows_n(open_app, shared_demo_db):
    at = open_app(shared_demo_db, "customer", month="2026-10")
    spec, rows = next(c for c in _charts(at) if "CSAT by agent" in json.dumps(c[0]))
    agents = [r for r in rows if "agent" in r]
    assert agents and all(r["value"] is not None for r in agents)
    assert all(r["n"] >= 1 for r in agents)
    assert "(n=" in json.dumps(spec)


def test_data_history_says_what_a_load_restated(open_app, demo_db):
    store = _store_for(str(demo_db.resolve()))
    rows = [
        {"order_id": f"S-{i}", "order_date": dt.date(2026, 9, 1 + i), "quantity": 1,
         "revenue": 10.0}
        for i in range(20)
    ]  # fmt: skip
    before = orders_in_month(demo_db, dt.date(2026, 9, 1))  # straight from SQL
    entry = ledger.load_table(store, "orders", rows, file="sep-reexport.csv", replace=True)
    at = open_app(demo_db, "data")
    at.selectbox(key="history_load").set_value(entry.load_id).run()
    labels = [e.label for e in at.expander]
    assert any(
        f"What load {entry.load_id} changed" in lab and "restated Sep 2026" in lab for lab in labels
    ), labels
    text = " ".join(m.value for m in at.markdown)
    assert f"Sep 2026 Orders restated {before:,} → 20 by load {entry.load_id}" in text


def test_data_history_lists_the_new_values_of_a_call_centre_month(open_app, demo_db):
    # Issue 23: an ACD month before the demo's first month added contact figures where there
    # were none: new values, not "No KPI value moved".
    store = _store_for(str(demo_db.resolve()))
    stats = [{"month": dt.date(2024, 3, 1), "offered": 1000, "answered": 938, "abandoned": 62}]
    entry = ledger.load_table(store, "contact_stats", stats, file="Call Center Data.csv")
    at = open_app(demo_db, "data")
    at.selectbox(key="history_load").set_value(entry.load_id).run()
    label = next(e.label for e in at.expander if f"What load {entry.load_id} changed" in e.label)
    assert "new value" in label and "no KPI value" not in label, label
    assert not any("No KPI value" in c.value for c in at.caption)
    table = next(df.value for df in at.dataframe if "Change" in getattr(df.value, "columns", []))
    row = table[table["KPI"] == "Abandonment"].iloc[0]
    assert (row["Month"], row["Before"], row["After"], row["Change"]) == (
        "2024-03",
        "—",
        "6.2%",
        "new",
    )


def test_the_overview_says_what_its_changes_compare_with(open_app, shared_demo_db):
    # Issue 23: with Compare = Target, "What moved" still showed changes since the previous
    # period without saying so; a quarter-to-date compared with part of the last quarter.
    at = open_app(shared_demo_db, month="2026-10", compare="target")
    text = " ".join(html_blocks(at))
    assert (
        "What moved vs Sep 2026 (changes since the previous period; targets have no slices)" in text
    )
    assert "Oct 2026 vs target" in text
    at = open_app(shared_demo_db, month="2026-08", period="quarter")
    text = " ".join(html_blocks(at))
    assert "vs the same months of Q2 2026 (Apr – May 2026)" in text
    assert "-0.0 pts" not in text


def test_the_brief_names_its_comparison(open_app, shared_demo_db):
    from cockpit.kpis import make_period
    from cockpit.ui import overview
    from cockpit.ui.shell import PageContext

    store = _store_for(str(shared_demo_db.resolve()))
    state = links.ViewState(compare="yoy", month="2026-09")
    ctx = PageContext("overview", store, None, state, as_of=2**62, latest_seq=14,
                      period=make_period("month", dt.date(2026, 9, 1)))  # fmt: skip
    html_text = overview.brief_bytes(ctx, link="https://x.example/").decode()
    assert "Sep 2026 vs the same period last year (Sep 2025)" in html_text
    assert "What moved vs the same period last year (Sep 2025)" in html_text
    assert "-0.0" not in html_text


def test_brief_and_export_links_are_absolute_with_view_state_and_asof(monkeypatch):
    from cockpit import links
    from cockpit.ui import cached
    from cockpit.ui.shell import PageContext

    monkeypatch.setenv("COCKPIT_PUBLIC_URL", "https://cockpit.example.com/")
    state = links.ViewState(compare="yoy", month="2026-09", filters=(("site", ("Lyon",)),))
    ctx = PageContext("overview", None, None, state, as_of=2**62, latest_seq=14)
    assert cached.pinned_link(ctx) == (
        "https://cockpit.example.com/?month=2026-09&compare=yoy&f_site=Lyon&asof=14"
    )
    monkeypatch.delenv("COCKPIT_PUBLIC_URL")
    assert cached.pinned_link(ctx).startswith("http://localhost:")


def test_cards_and_movers_open_their_page_with_the_slice(open_app, shared_demo_db):
    at = open_app(shared_demo_db, month="2026-09", compare="yoy", f_site="Lyon")
    anchors = [
        (m["css"], html.unescape(m["href"]), m["page"])
        for block in html_blocks(at)
        for m in re.finditer(
            r'<a class="(?P<css>[\w-]+) in-app" href="(?P<href>[^"]*)" data-page="(?P<page>\w+)"',
            block,
        )
    ]
    movers = [(href, page) for css, href, page in anchors if css == "mover"]
    cards = [(href, page) for css, href, page in anchors if css == "kpi-card"]
    assert movers and len(cards) >= 20
    # A link carries the filters; the view bar's choices are not in its address (a view
    # change rewrites no link) but put in from the address bar when it is used.
    href, page = next((h, p) for h, p in movers if "f_" in h.replace("f_site", ""))
    assert href.split("?")[0] == links.PAGE_PATHS[page].lstrip("/")
    assert "f_site=Lyon" in href and "compare" not in href and "month" not in href
    address_bar = {k: at.query_params[k] for k in links.VIEW_BAR_KEYS if k in at.query_params}
    assert address_bar == {"month": "2026-09", "compare": "yoy"}
    # What the click hands to Python: the link's query with the address bar's view.
    href, page = cards[0]
    used = href.split("?", 1)[1] + "&" + urlencode(address_bar, doseq=True)
    file, params = links.link_target({"page": page, "query": used})
    assert file == navigation.page(page).file
    assert params["month"] == "2026-09" and params["compare"] == "yoy"
    assert params["f_site"] == "Lyon"


def test_after_undo_the_coverage_and_selector_drop_the_undone_load(open_app, demo_db):
    _orders_only_november(demo_db)
    load_id = sql_value(demo_db, "select max(load_id) from loads")
    at = open_app(demo_db, "data")
    grid = next(rows for spec, rows in _charts(at) if any("dataset" in r for r in rows))
    assert any(r.get("month") == "2026-11" for r in grid)
    at.selectbox(key="history_load").set_value(load_id).run()
    at.button(key="confirm_undo").click().run()
    assert not at.exception
    grid = next(rows for spec, rows in _charts(at) if any("dataset" in r for r in rows))
    assert not any(r.get("month") == "2026-11" for r in grid)
    assert "2026-11" not in " ".join(c.value for c in at.caption)
    select = at.selectbox(key="history_load")
    assert select.format_func(load_id).endswith("(undone)")


def test_what_moved_is_written_in_the_datas_money_after_the_warm_up(open_app, demo_db, monkeypatch):
    """The server warms the default view before any page has run: its cached "what moved"
    texts must carry the data's money symbol like the cards ("rose £21k", not "rose 21k")."""
    import gc

    from cockpit import currency
    from cockpit.ui import warmup

    monkeypatch.setenv("COCKPIT_DB", str(demo_db))  # the database the warm-up's pages read
    store = _store_for(str(demo_db.resolve()))
    currency.use(store)
    symbol = currency.shown()
    assert symbol == "£"
    currency._shown["symbol"] = ""  # a fresh server: no page has set the symbol yet
    try:
        warmup.warm(store)
    finally:
        gc.unfreeze()
    at = open_app(demo_db)
    assert re.search(r"Budget variance (rose|fell) £[\d.]+k? to £", page_text(at))


def test_the_warm_up_builds_the_overview_block_a_first_visitor_and_a_view_change_need(
    open_app, demo_db, monkeypatch
):
    """The warm-up builds the Overview's block for the default view and each comparison
    under the key the page computes, so neither the first visit nor the first change of
    comparison builds it (the page reuses the warm one)."""
    import gc

    from cockpit.screens import scorecard_view
    from cockpit.ui import warmup

    monkeypatch.setenv("COCKPIT_DB", str(demo_db))
    store = _store_for(str(demo_db.resolve()))
    try:
        warmup.warm(store)
    finally:
        gc.unfreeze()
    built = []
    original = scorecard_view.headline_html
    monkeypatch.setattr(scorecard_view, "headline_html", lambda *a: built.append(a) or original(*a))
    at = open_app(demo_db)
    at.multiselect(key="compare").set_value(["target"]).run()
    assert "vs target" in page_text(at)
    assert built == []
    at.selectbox(key="period").set_value("quarter").run()  # not warmed: built now
    assert len(built) == 1


def test_the_resolution_histogram_states_the_median_as_the_card_does(open_app, shared_demo_db):
    at = open_app(shared_demo_db, "customer", month="2026-10")
    card = metric(at, "Resolution time (median)")
    spec, _ = next(c for c in _charts(at) if "Hours from contact to resolution" in json.dumps(c[0]))
    calcs = re.findall(r"'Median [^']*'", json.dumps(spec))
    assert calcs == [f"'Median {card}'"], (card, calcs)
