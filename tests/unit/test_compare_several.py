"""Several comparisons at once (issue 28): compare=prev,yoy,target in the link, each
comparison's figure on every card from the same monthly components, a line per comparison
on a card, a column each in the xlsx scorecard, and each in `cockpit kpis` / /api/kpis.

Hand values on tiny_db (tests/conftest.py), January 2025:
- orders 4; a year earlier (Jan 2024) order H alone: 1; Dec 2024 has no orders: no value.
- on-time 2/3; Jan 2024: H shipped 16 Jan, promised 20 Jan: 1/1 = 100%.
- abandonment 25%; its plan row (targets dataset) says 5: the target and the budget.
- operating cost 1100 + 450 = 1550; its budget lines' budget 1000 + 500 = 1500 (the income
  line is not a cost); budget variance has no budget of its own (it is against the budget).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from starlette.datastructures import QueryParams

from cockpit import ledger, links
from cockpit.api import ApiError, kpi_args
from cockpit.cli import main
from cockpit.commands import kpis as kpis_cmd
from cockpit.export import xlsx
from cockpit.export.brief import brief_html
from cockpit.kpis import make_period, memo, scorecard
from cockpit.kpis.engine import Comparison, KpiValue
from cockpit.kpis.periods import comparison_label
from cockpit.screens import scorecard_view
from cockpit.store import Store

JAN = dt.date(2025, 1, 1)
T = dt.datetime


# -- the link ------------------------------------------------------------------------------
def _reopen(url: str) -> tuple[links.ViewState, list[str]]:
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return links.from_query_params(query)


def test_several_comparisons_round_trip_through_the_link():
    state, notices = links.from_query_params({"compare": "prev,yoy,target"})
    assert notices == []
    assert state.compare == "prev,yoy,target"
    assert state.compares == ("prev", "yoy", "target")
    url = links.to_url(state, "https://ops.example.com")
    assert url == "https://ops.example.com/?compare=prev,yoy,target"  # commas, not %2C
    again, notices = _reopen(url)
    assert (again, notices) == (state, [])
    # Order is the viewer's; the encoded form reads back the same.
    assert _reopen("/?compare=target%2Cprev")[0].compares == ("target", "prev")


def test_repeats_are_dropped_and_unknown_comparisons_are_named_in_a_notice():
    state, notices = links.from_query_params({"compare": "yoy,yoy,prev"})
    assert (state.compare, notices) == ("yoy,prev", [])
    state, notices = links.from_query_params({"compare": "prev,forecast,yoy"})
    assert state.compare == "prev,yoy"
    assert notices == ["Ignored compare='forecast': expected one of prev, yoy, target, budget."]
    state, notices = links.from_query_params({"compare": "forecast"})
    assert state.compare == "prev" and len(notices) == 1  # nothing known left: the default


def test_a_single_comparison_link_is_unchanged():
    for one in ("yoy", "target", "budget"):
        state, notices = links.from_query_params({"compare": one})
        assert (state.compare, notices) == (one, [])
        assert links.to_query_params(state) == {"compare": one}
    assert links.to_query_params(links.ViewState(compare="prev")) == {}
    # "prev,prev" is the default view, so its link has no compare at all.
    assert links.to_query_params(links.ViewState(compare="prev,prev")) == {}
    with pytest.raises(ValueError):
        links.ViewState(compare="prev,forecast")


def test_the_basis_names_every_comparison():
    period = make_period("month", dt.date(2026, 9, 1))
    # "What moved" is against the first comparison with months, else the previous period.
    assert scorecard_view.movers_heading(period, "target,yoy,prev") == (
        "What moved vs the same period last year (Sep 2025)"
    )
    assert scorecard_view.movers_heading(period, "budget,target") == (
        "What moved vs Aug 2026 (changes since the previous period; targets and budgets have"
        " no slices)"
    )
    assert comparison_label(period, "budget") == "vs budget"
    assert comparison_label(period, "prev,yoy,target") == (
        "vs Aug 2026, the same period last year (Sep 2025) and target"
    )


# -- the engine ----------------------------------------------------------------------------
def _cards(store, compare, kind="month", end=JAN):
    return {c.id: c for c in scorecard(store, period=make_period(kind, end), compare=compare)}


def test_each_comparison_of_a_card_by_hand(tiny_db):
    cards = _cards(tiny_db, "prev,yoy,target,budget")
    orders = cards["orders"].comparisons
    assert list(orders) == ["prev", "yoy", "target", "budget"]
    assert orders["prev"] == Comparison("prev", None, None, None)  # no orders in Dec 2024
    assert orders["yoy"] == Comparison("yoy", 1, 3, pytest.approx(300))
    assert orders["budget"].value is None  # no plan for orders: no budget
    on_time = cards["on_time_pct"].comparisons
    assert on_time["yoy"].value == pytest.approx(100)
    assert on_time["yoy"].change == pytest.approx(200 / 3 - 100)
    assert on_time["target"].value == 95  # the catalogue default: a target, not a budget
    assert on_time["budget"].value is None
    abandon = cards["abandon_pct"].comparisons
    assert (abandon["target"].value, abandon["target"].change) == (5, 20)
    assert (abandon["budget"].value, abandon["budget"].change) == (5, 20)  # the plan
    cost = cards["operating_cost"].comparisons["budget"]
    assert (cost.value, cost.change) == (1500, 50)
    assert cards["budget_variance"].comparisons["budget"].value is None
    # The first comparison is the card's previous / change, as with one comparison.
    assert cards["orders"].previous is None
    first_yoy = _cards(tiny_db, "yoy,prev")["orders"]
    assert (first_yoy.previous, first_yoy.change) == (1, 3)


def test_several_comparisons_equal_each_one_asked_alone(tiny_db):
    together = _cards(tiny_db, "prev,yoy,target,budget", end=dt.date(2025, 2, 1))
    for basis in ("prev", "yoy", "target", "budget"):
        alone = _cards(tiny_db, basis, end=dt.date(2025, 2, 1))
        for kpi_id, card in alone.items():
            got = together[kpi_id].comparisons[basis]
            assert got.value == card.previous, (basis, kpi_id)
            assert got.change == card.change, (basis, kpi_id)


def test_the_warm_up_answers_every_query_of_several_comparisons(tiny_db):
    """The warm-up computes each comparison of the default view alone; the view of them
    all together then asks no query the memo has not answered (no per-card round trips)."""
    memo.clear()
    version, period = tiny_db.latest_seq(), make_period("month", JAN)
    for basis in ("prev", "yoy", "target"):
        scorecard(tiny_db, period=period, compare=basis, as_of=version)
    misses = memo.stats()["misses"]
    scorecard(tiny_db, period=period, compare="prev,yoy,target,budget", as_of=version)
    assert memo.stats()["misses"] == misses


def test_a_plan_for_part_of_the_period_is_no_budget(tiny_db):
    # The plan has January only: Q1 has no abandonment budget (its target still averages).
    cards = _cards(tiny_db, "target,budget", kind="quarter", end=dt.date(2025, 3, 1))
    assert cards["abandon_pct"].comparisons["budget"].value is None
    assert cards["abandon_pct"].comparisons["target"].value is not None


def _contact(cid: str, opened: T, hours: float) -> dict:
    return {"contact_id": cid, "contact_date": opened, "channel": "Phone", "agent": "Ann",
            "answered": True, "resolved_at": opened + dt.timedelta(hours=hours)}  # fmt: skip


def test_percentiles_of_each_multi_month_comparison_are_their_own(store):
    """Medians do not add up: a quarter's comparison with the previous quarter and with a
    year earlier each take the median of their own months' rows."""
    ledger.load_table(store, "contacts", [
        _contact("now1", T(2025, 1, 5, 9), 2), _contact("now2", T(2025, 2, 5, 9), 24),
        _contact("prev1", T(2024, 12, 5, 9), 4),
        _contact("yoy1", T(2024, 1, 5, 9), 10), _contact("yoy2", T(2024, 3, 5, 9), 30),
        _contact("yoy3", T(2024, 3, 6, 9), 6),
    ])  # fmt: skip
    cards = _cards(store, "prev,yoy", kind="t3m", end=dt.date(2025, 3, 1))
    median = cards["resolution_hours_median"]
    assert median.value == 13  # median of 2 and 24
    assert median.comparisons["prev"].value == 4  # Oct-Dec 2024: one contact
    assert median.comparisons["yoy"].value == 10  # Jan-Mar 2024: 6, 10, 30
    swapped = _cards(store, "yoy,prev", kind="t3m", end=dt.date(2025, 3, 1))
    assert swapped["resolution_hours_median"].comparisons["prev"].value == 4


# -- the card ------------------------------------------------------------------------------
def _value(kpi_id, value, goal, **against) -> KpiValue:
    comparisons = {
        b: Comparison(b, v, None if None in (v, value) else value - v, None)
        for b, v in against.items()
    }
    first = next(iter(comparisons.values()))
    return KpiValue(id=kpi_id, label="", group="", unit="", value=value, previous=first.value,
                    change=first.change, change_pct=None, target=goal, status="red",
                    reason=None, comparisons=comparisons)  # fmt: skip


def test_a_card_has_a_line_per_comparison_in_the_views_order():
    v = _value("on_time_pct", 90.0, 91.2, prev=87.9, yoy=90.4, target=91.2)
    card = scorecard_view.card_view(v, compare="prev,yoy,target")
    assert [(x["text"], x["tone"]) for x in card["compare_lines"]] == [
        ("▲ 2.1 pts vs prev", "good"),
        ("▼ 0.4 pts vs last year", "bad"),
        ("1.2 pts below target", "bad"),
    ]
    assert card["status"] == "red"  # the status stays the target's
    body = scorecard_view.card_html(card)
    assert body.count('class="kpi-cmp ') == 3 and "kpi-change" not in body
    assert "1.2 pts below target" in body


def test_cost_over_its_budget_is_bad_and_missing_figures_say_little():
    cost = _value("operating_cost", 1550.0, None, budget=1500.0, yoy=None, target=None)
    lines = scorecard_view.card_view(cost, compare="budget,yoy,target")["compare_lines"]
    # No target: nothing; nothing a year earlier: said once.
    assert [(x["text"], x["tone"]) for x in lines] == [
        ("£50.00 over budget", "bad"),
        ("no value a year earlier", "none"),
    ]
    empty = _value("operating_cost", None, None, prev=1500.0, yoy=1400.0)
    assert scorecard_view.card_view(empty, compare="prev,yoy")["compare_lines"] == []


def test_one_comparison_keeps_the_single_delta():
    v = _value("on_time_pct", 90.0, 91.2, prev=87.9)
    card = scorecard_view.card_view(v, compare="prev")
    assert "compare_lines" not in card
    assert (card["delta_text"], card["delta_description"]) == ("+2.1 pts", "vs previous")
    budget = scorecard_view.card_view(_value("operating_cost", 1550.0, None, budget=1500.0),
                                      compare="budget")  # fmt: skip
    assert budget["delta_description"] == "vs budget" and "budget £1.5k" in budget["footnote"]


# -- exports -------------------------------------------------------------------------------
def test_xlsx_scorecard_has_a_column_per_comparison(tiny_db):
    values = scorecard(tiny_db, period=make_period("month", JAN), compare="prev,yoy,target")
    table, formats = scorecard_view.scorecard_table(values, compare="prev,yoy,target")
    data = xlsx.table_to_xlsx(table, title="Scorecard", context=[], formats=formats, words=False)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Group")
    assert list(header) == [
        "Group", "KPI", "Unit", "Value", "Target", "Status",
        "Previous period", "Change vs previous period",
        "Same period last year", "Change vs same period last year",
        "Change vs target",
    ]  # fmt: skip
    by_kpi = {r[1]: dict(zip(header, r, strict=True)) for r in rows[rows.index(header) + 1 :]}
    orders = by_kpi["Orders"]
    assert (orders["Value"], orders["Same period last year"]) == (4, 1)
    assert orders["Change vs same period last year"] == 3
    assert orders["Previous period"] is None  # no value, not 0
    assert by_kpi["Abandonment"]["Change vs target"] == 20


def test_the_brief_has_a_line_per_comparison():
    v = _value("on_time_pct", 90.0, 91.2, prev=87.9, yoy=90.4, target=91.2)
    card = scorecard_view.card_view(v, compare="prev,yoy,target") | {"group": "Efficiency"}
    page = brief_html(title="T", subtitle="", cards=[card], movers=[], context=[], link=None)
    for text in ("▲ 2.1 pts vs prev", "▼ 0.4 pts vs last year", "1.2 pts below target"):
        assert text in page


# -- the CLI and the API -------------------------------------------------------------------
@pytest.fixture
def tiny_file(tmp_path, tiny_tables):
    path = tmp_path / "tiny.duckdb"
    store = Store.open(path)
    for name, rows in tiny_tables.items():
        ledger.load_table(store, name, rows)
    store.close()
    return str(path)


def test_cli_json_returns_each_comparison(tiny_file, capsys):
    argv = ["kpis", "--db", tiny_file, "--period", "2025-01", "--compare", "prev,yoy", "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["compare"] == "prev,yoy"
    kpis = {k["id"]: k for k in doc["kpis"]}
    assert kpis["orders"]["comparisons"] == {
        "prev": {"value": None, "change": None, "change_pct": None},
        "yoy": {"value": 1, "change": 3, "change_pct": 300},
    }


def test_cli_refuses_an_unknown_comparison(tiny_file, capsys):
    with pytest.raises(SystemExit):
        main(["kpis", "--db", tiny_file, "--compare", "prev,forecast"])
    assert "unknown comparison" in capsys.readouterr().err


def test_api_takes_several_comparisons_in_both_styles(tiny_db):
    cli_style = kpi_args(QueryParams("period=2025-01&compare=prev,yoy"))
    page_style = kpi_args(QueryParams("month=2025-01&compare=prev%2Cyoy%2Ctarget"))
    assert (cli_style.compare, page_style.compare) == ("prev,yoy", "prev,yoy,target")
    doc = kpis_cmd.report(tiny_db, page_style)
    orders = next(k for k in doc["kpis"] if k["id"] == "orders")
    assert list(orders["comparisons"]) == ["prev", "yoy", "target"]
    assert orders["comparisons"]["yoy"]["value"] == 1
    with pytest.raises(ApiError):  # the page's words: an unknown one refuses the request
        kpi_args(QueryParams("month=2025-01&compare=prev,forecast"))
    with pytest.raises(ValueError):  # the CLI's words: refused by the report
        kpis_cmd.report(tiny_db, SimpleNamespace(**{**vars(cli_style), "compare": "prev,x"}))
