"""The URL API: view state <-> query parameters <-> link."""

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit import links
from cockpit.links import ViewState, from_query_params, to_query_params, to_url
from cockpit.store import LATEST

TRICKY = ["Leeds", "São Paulo", "R&D", "a=b", "x,y", "100%", "+ plus", "日本", "#1", "a/b?c"]
# Surrogates cannot be UTF-8 encoded, so no URL can carry them.
texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)
filter_values = st.one_of(st.sampled_from(TRICKY), texts)
finite = st.floats(allow_nan=False, allow_infinity=False)

states = st.builds(
    ViewState.build,
    page=st.sampled_from(links.PAGES),
    period=st.sampled_from(links.PERIODS),
    start=st.none() | st.from_regex(r"[12][0-9]{3}-(0[1-9]|1[0-2])", fullmatch=True),
    month=st.none() | st.from_regex(r"[12][0-9]{3}-(0[1-9]|1[0-2])", fullmatch=True),
    compare=st.sampled_from(links.COMPARES),
    filters=st.dictionaries(
        st.sampled_from(links.DIMENSIONS), st.lists(filter_values, min_size=1, max_size=4)
    ),
    drivers=st.dictionaries(st.sampled_from(links.DRIVERS), finite),
    baseline_months=st.integers(*links.BASELINE_RANGE),
    scenario=st.none() | st.text(min_size=1, max_size=links.SCENARIO_MAX_CHARS),
    asof=st.none() | st.integers(0, LATEST - 1),
    kpi=st.none() | st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
).filter(  # an inverted range is swapped with a notice (its own test), not round-tripped
    lambda s: not (s.period == "range" and s.start and s.month and s.start > s.month)
)


@given(states)
def test_params_round_trip_is_identity(state):
    back, notices = from_query_params(to_query_params(state))
    assert back == state
    assert notices == []


@given(states)
def test_url_round_trip_is_identity(state):
    url = to_url(state, base="https://cockpit.example.com")
    parts = urlsplit(url)
    params = parse_qs(parts.query, keep_blank_values=True)
    back, notices = from_query_params(params, page=links.page_for_path(parts.path))
    assert back == state
    assert notices == []


def test_default_state_has_no_params():
    assert to_query_params(ViewState()) == {}
    assert to_url(ViewState()) == "/"


def test_url_matches_documented_example():
    state = ViewState.build(
        page="efficiency", period="quarter", month="2026-09", filters={"site": ["Leeds"]}, asof=42
    )
    assert to_url(state, "http://host:8501") == (
        "http://host:8501/Efficiency?period=quarter&month=2026-09&f_site=Leeds&asof=42"
    )


def test_filters_are_repeated_keys_and_values_escaped():
    state = ViewState.build(filters={"site": ["Lyon", "R&D=1, x"], "channel": ["Web"]})
    assert to_query_params(state) == {"f_channel": ["Web"], "f_site": ["Lyon", "R&D=1, x"]}
    assert to_url(state) == "/?f_channel=Web&f_site=Lyon&f_site=R%26D%3D1%2C%20x"


def test_drivers_are_written_in_short_form():
    state = ViewState.build(page="whatif", drivers={"volume": 15.0, "price": -2.5, "agents": 3})
    assert to_query_params(state) == {
        "page": "whatif",
        "d_agents": "3",
        "d_price": "-2.5",
        "d_volume": "15",
    }


def test_state_is_canonical_whatever_the_input_order():
    a = ViewState.build(filters={"site": ["Lyon", "Leeds", "Lyon"], "channel": ["Web"]})
    b = ViewState(filters=(("site", ("Leeds", "Lyon")), ("channel", ("Web",))))
    assert a == b
    assert a.filters == (("channel", ("Web",)), ("site", ("Leeds", "Lyon")))
    assert a.filter_map == {"channel": ("Web",), "site": ("Leeds", "Lyon")}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"page": "home"},
        {"period": "week"},
        {"month": "2026-13"},
        {"compare": "forecast"},
        {"compare": "prev,forecast"},
        {"filters": {"colour": ["red"]}},
        {"filters": {"site": [""]}},
        {"drivers": {"volume": float("nan")}},
        {"drivers": {"weather": 1.0}},
        {"baseline_months": 0},
        {"scenario": ""},
        {"asof": -1},
    ],
)
def test_invalid_state_is_refused(kwargs):
    with pytest.raises(ValueError):
        ViewState.build(**kwargs)


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"period": "weird"}, "period"),
        ({"month": "2026-13"}, "month"),
        ({"month": "26-01"}, "month"),
        ({"compare": "forecast"}, "compare"),
        ({"asof": "abc"}, "asof"),
        ({"asof": "-3"}, "asof"),
        ({"asof": str(LATEST)}, "asof"),
        ({"d_volume": "lots"}, "d_volume"),
        ({"d_volume": "nan"}, "d_volume"),
        ({"d_volume": "inf"}, "d_volume"),
        ({"d_weather": "5"}, "d_weather"),
        ({"f_colour": "red"}, "f_colour"),
        ({"baseline": "0"}, "baseline"),
        ({"baseline": "three"}, "baseline"),
        ({"scenario": ""}, "scenario"),
        ({"utm_source": "mail"}, "utm_source"),
        ({"page": "home"}, "page"),
    ],
)
def test_malformed_param_is_ignored_with_a_notice(params, word):
    state, notices = from_query_params(params)
    assert state == ViewState()
    assert len(notices) == 1
    assert word in notices[0]


def test_good_params_survive_beside_bad_ones():
    state, notices = from_query_params(
        {"period": "t12m", "month": "2026-99", "f_site": ["Leeds", ""], "asof": "7", "zz": "1"}
    )
    assert state == ViewState.build(period="t12m", filters={"site": ["Leeds"]}, asof=7)
    assert len(notices) == 3


def test_single_string_filter_and_repeated_scalar():
    state, notices = from_query_params({"f_site": "Leeds", "period": ["month", "ytd"]})
    assert state == ViewState.build(period="ytd", filters={"site": ["Leeds"]})
    assert notices == []


def test_streamlit_own_params_are_ignored_silently():
    state, notices = from_query_params({"embed": "true", "embed_options": "light_theme"})
    assert state == ViewState()
    assert notices == []


def test_path_page_wins_over_param():
    state, notices = from_query_params({"page": "cost"}, page="customer")
    assert state.page == "customer"
    assert notices == []


def test_page_paths():
    assert set(links.PAGE_PATHS) == set(links.PAGES)
    assert links.page_for_path("/What_if") == "whatif"
    assert links.page_for_path("/") == "overview"
    assert links.page_for_path("") == "overview"
    assert links.page_for_path("/nope") is None
    assert to_url(ViewState(page="sql"), "http://h/") == "http://h/SQL"


def test_as_of_is_latest_when_live():
    assert ViewState().as_of == LATEST
    assert ViewState(asof=12).as_of == 12


def test_param_names_cover_every_written_key():
    state = ViewState.build(
        page="cost",
        period="range",
        start="2025-04",
        month="2026-01",
        compare="yoy",
        filters={d: ["x"] for d in links.DIMENSIONS},
        drivers={d: 1.0 for d in links.DRIVERS},
        baseline_months=6,
        scenario="s",
        asof=1,
        kpi="on_time_pct",
        pack=3,
    )
    assert set(to_query_params(state)) == set(links.param_names())


def test_dimensions_and_drivers_are_their_sources_own():
    from cockpit import datasets
    from cockpit.kpis.engine import DIMENSIONS as ENGINE_DIMENSIONS
    from cockpit.whatif import model

    assert links.DIMENSIONS == datasets.FILTER_DIMENSIONS == ENGINE_DIMENSIONS
    assert tuple(model.DRIVERS) == links.DRIVERS
    # What the engine filters by, a link may carry: f_cause reads back as a filter.
    state, notices = from_query_params({"f_cause": ["Jam"], "d_agents": "2"})
    assert (state.filter_map, state.driver_map, notices) == (
        {"cause": ("Jam",)},
        {"agents": 2.0},
        [],
    )


@given(states)
def test_an_in_app_link_round_trips_through_its_click(state):
    """A link drawn in an HTML block (page_href) and the click it sends back (link_target)
    open the same page with the same view."""
    params = to_query_params(state)
    params.pop("page", None)
    href = links.page_href(state.page, params)
    path, _, query = href.partition("?")
    assert not path.startswith("/")  # relative: works under a base URL path too
    file, got = links.link_target({"page": state.page, "query": query})
    assert file == links.navigation.page(state.page).file
    back, notices = from_query_params(
        {k: v if isinstance(v, list) else [v] for k, v in got.items()}
    )
    assert notices == [] and replace(back, page=state.page) == state


def test_an_in_app_link_click_naming_no_page_is_ignored():
    assert links.link_target({"page": "../secrets", "query": "a=1"}) is None
    assert links.link_target({"page": None}) is None
    assert links.link_target({}) is None
    assert links.page_href("overview", {}) == "./"
    assert links.page_href("whatif", {"d_volume": "10"}) == "What_if?d_volume=10"


def test_an_in_app_link_carries_filters_and_version_not_the_view_bar_or_page_state():
    state = links.ViewState(
        page="whatif", period="quarter", month="2026-06", compare="yoy",
        filters={"site": ["Lyon", "Porto"]}, drivers={"volume": 110.0}, baseline_months=6,
        scenario="Plan B", asof=7,
    )  # fmt: skip
    assert links.in_app_params(state) == {"f_site": ["Lyon", "Porto"], "asof": "7"}
    assert set(links.VIEW_BAR_KEYS) == {"period", "from", "month", "compare"}
    assert links.in_app_params(links.ViewState()) == {}


def test_a_custom_range_and_all_time_round_trip():
    state, notices = from_query_params({"period": "range", "from": "2025-04", "month": "2026-03"})
    assert notices == []
    assert (state.period, state.start, state.month) == ("range", "2025-04", "2026-03")
    assert to_query_params(state) == {"period": "range", "from": "2025-04", "month": "2026-03"}
    state, notices = from_query_params({"period": "all"})
    assert (state.period, state.start, notices) == ("all", None, [])
    # `from` belongs to a range: beside another period it is dropped with a notice.
    state, notices = from_query_params({"period": "ytd", "from": "2025-04"})
    assert state.start is None and notices == ["Ignored from=: it only applies to period=range."]


def test_an_inverted_custom_range_is_swapped_with_a_notice():
    # QA: from=2026-03 with month=2026-01 silently collapsed to Jan 2026.
    params = {"period": "range", "from": "2026-03", "month": "2026-01"}
    state, notices = from_query_params(params)
    assert (state.period, state.start, state.month) == ("range", "2026-01", "2026-03")
    assert notices == ["from=2026-03 was after the end month 2026-01: swapped."]
    assert to_query_params(state) == {"period": "range", "from": "2026-01", "month": "2026-03"}
