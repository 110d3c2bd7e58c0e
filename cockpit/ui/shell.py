"""The page shell every page calls first: page config, login gate, URL state, sidebar.

A page file reads like a description of its screen because everything shared lives here:
`ctx = page_shell("efficiency")` gives the store, the user, the view state (from the URL)
and the filters, and draws the sidebar (pages, filters, data freshness, saved views) and the
pinned-data banner. A page with a period then calls `view_section(ctx, body)`: the view bar
(period, month, comparison, Share) and the page's body under it, one fragment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import streamlit as st

from cockpit import auth, currency, links, navigation
from cockpit.auth import User
from cockpit.screens import freshness, page_nav, saved
from cockpit.store import Store, resolve_as_of
from cockpit.ui import auth_gate, errors, in_app_links, saving
from cockpit.ui.resources import get_store

PERIOD_LABELS = {
    "month": "Month",
    "quarter": "Quarter to date",
    "last_quarter": "Last complete quarter",
    "ytd": "Year to date",
    "t3m": "Trailing 3 months",
    "t12m": "Trailing 12 months",
    "range": "Custom range",
    "all": "All time",
}
COMPARE_LABELS = {
    "prev": "Previous period",
    "yoy": "Last year",  # the same period a year earlier; short, as a chip among others
    "target": "Target",
    "budget": "Budget",
}
# The sidebar's expanders, drawn only while open (session-state keys of their open state).
FILTERS_OPEN = "filters_open"
FRESHNESS_OPEN = "freshness_open"
# Each URL-synced widget's parameter as the last run left it in the address bar.
_ADDRESS_SEEN = "_address_seen"
_VIEW_WIDTH = 220  # px: each of the view bar's choices, "Trailing 12 months" in full
_COMPARE_ONE_WIDTH = 236  # px: one chip, room to click beside it; Share and Brief on the row
_COMPARE_WIDTH = 360  # px: Compare with holding several (three chips; a fourth scrolls)


@dataclass
class PageContext:
    """What a page needs to draw itself."""

    page: str
    store: Store
    user: User
    state: links.ViewState
    as_of: int  # the version the numbers are read at (LATEST when live)
    latest_seq: int
    period: object | None = None  # cockpit.kpis.Period when the page has a period
    filters: dict[str, list[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    # Which month is shown and why ("the latest month complete in every dataset ...").
    month_note: str = ""
    month_incomplete: str | None = None  # what the shown month lacks, when it is incomplete
    dimensions: tuple[str, ...] = ()  # what the page's Filters offer

    @property
    def pinned(self) -> bool:
        return self.state.asof is not None

    @property
    def as_of_arg(self) -> int | None:
        """The as-of argument for core calls: None when live."""
        return self.state.asof


def page_shell(
    page: str,
    *,
    dimensions: tuple[str, ...] = (),
) -> PageContext:
    """Set up the page `page` (an id of cockpit.navigation.PAGES: its title, icon and the
    action it needs come from there) and draw the shared chrome; returns the page's context."""
    entry = navigation.page(page)
    st.set_page_config(
        page_title=f"{entry.title} · Ops Cockpit", page_icon=entry.page_icon, layout="wide"
    )
    _style()
    try:
        return _shell(page, entry, dimensions)
    except Exception as exc:  # noqa: BLE001 - said in our words; the page cannot go on
        errors.report(exc, f"the {entry.label} page")
        st.stop()


def page_body(ctx: PageContext):
    """`with page_body(ctx):` around a page's body without a view bar (Data, SQL, Settings):
    a failure shows our message, not Streamlit's."""
    return errors.guard(f"the {navigation.page(ctx.page).label} page")


def _shell(page: str, entry, dimensions: tuple[str, ...]) -> PageContext:
    title = entry.title
    store = get_store()
    user = auth_gate.require_login(store)
    in_app_links.follow_pending()
    state, notices = links.from_query_params(_query_dict())
    latest = store.latest_seq()
    state = _pin_to_pack(store, state, notices)
    if state.asof is not None and state.asof > latest:
        notices.append(
            f"asof={state.asof} is newer than the latest load ({latest}); showing live data"
        )
        state = replace(state, asof=None)
    _drop_ignored_params(state)
    ctx = PageContext(
        page=page,
        store=store,
        user=user,
        state=replace(state, page=page),
        as_of=resolve_as_of(state.asof),
        latest_seq=latest,
        notices=notices,
        dimensions=tuple(dimensions),
    )
    with st.sidebar:
        # Drawn on top but filled last, so its links carry the filters chosen in this run.
        nav = st.empty()
        if dimensions:
            _filter_bar(ctx, dimensions)
        _navigation(ctx, nav)
        _freshness(ctx)
        _saved_views(ctx)
        auth_gate.user_badge(user)
        in_app_links.catch_clicks(links.VIEW_BAR_KEYS)
    # Money in this view's currency (its version, its sites); several are told, never added.
    money = currency.use_view(store, ctx.as_of, ctx.filters)
    if money.mixed:
        ctx.notices.append(f"Money is not shown: {money.reason}.")
    elif money.note:
        ctx.notices.append(f"Note: {money.note}.")
    st.title(title)
    errors.show_pending()
    auth_gate.stop_unless_allowed(user, entry)
    if ctx.pinned:
        _pinned_banner(ctx)
    for notice in ctx.notices:
        st.text(f"⚠️ {notice}")
    return ctx


def _pin_to_pack(store, state: links.ViewState, notices: list[str]) -> links.ViewState:
    """A meeting pack's link (`pack=N`) opens at the pack's data version: the pinned-data
    banner then says when newer data came in."""
    if state.pack is None:
        return state
    from cockpit import meetings

    seq = meetings.pack_seq(store, state.pack)
    if seq is None:
        notices.append(f"There is no meeting pack {state.pack}; showing the list of packs.")
        return replace(state, pack=None)
    return state if state.asof is not None else replace(state, asof=seq)


def view_section(
    ctx: PageContext,
    body: Callable[[PageContext], None],
    *,
    actions: Iterable[Callable[[PageContext], None]] = (),
) -> None:
    """The view bar (period, month, comparison; then `actions`, the page's buttons) and
    `body(view)` under it, as one fragment: changing the view reruns and redraws only this
    part of the page, not the sidebar and the title.

    `view` is a copy of `ctx` with the period resolved; the fragment's reruns start from
    the `ctx` of the page's last full run (filters change in the sidebar, a full rerun)."""

    @st.fragment
    def view_fragment() -> None:
        # Inside the fragment, so that its own reruns are guarded too.
        with errors.guard(f"the {navigation.page(ctx.page).label} view"):
            _view(ctx, body, actions)

    view_fragment()


def _view(ctx: PageContext, body, actions) -> None:
    """The view bar and the body under it (the fragment's content)."""
    view = replace(
        ctx,
        filters=dict(ctx.filters),
        notices=[],
        latest_seq=ctx.store.latest_seq(),  # a load since the full run shows at once
    )
    # The view's money symbol again: a fragment's rerun may run in another thread.
    currency.use_view(ctx.store, ctx.as_of, ctx.filters)
    bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small", key="view_bar")
    with bar:
        _period_bar(view)
        if view.period is not None:  # nothing to share or export before data is loaded
            st.space("stretch")
            for action in actions:
                action(view)
    if view.month_incomplete:
        st.warning(view.month_incomplete, icon=":material/warning:")
    elif view.month_note:
        st.caption(f"Showing {view.month_note}.")
    body(view)


def _drop_ignored_params(state: links.ViewState) -> None:
    """Parameters the view ignored (with a notice) leave the address bar, so a link copied
    from it carries only what it shows."""
    kept = links.to_query_params(state)
    for key in list(st.query_params):
        if key not in links.STREAMLIT_KEYS and key not in kept:
            del st.query_params[key]


def _navigation(ctx: PageContext, slot) -> None:
    """The app's name and the page list (one HTML block in `slot`); the links carry the
    filters and data version, and take the view bar's choices when used."""
    allowed = [p for p in navigation.PAGES if auth.can(ctx.user, p.needs)]
    slot.html(page_nav.sidebar_html(allowed, ctx.page, links.in_app_params(ctx.state)))


def _version(ctx: PageContext) -> int:
    """The data version the page reads: part of every cache key, so a new load shows at once."""
    return ctx.state.asof if ctx.state.asof is not None else ctx.latest_seq


# Sidebar lookups run on every rerun: cached per database and data version.
@st.cache_data(show_spinner=False, max_entries=64)
def _months(db: str, version: int) -> list[str]:
    from cockpit.kpis import available_months

    return [m.strftime("%Y-%m") for m in available_months(get_store(), version)]


@st.cache_data(show_spinner=False, max_entries=64)
def _default_month(db: str, version: int) -> tuple[str | None, str, dict[str, str]]:
    from cockpit.kpis.periods import default_month

    dm = default_month(get_store(), version)
    month = dm.month.strftime("%Y-%m") if dm.month else None
    return month, dm.why, {m.strftime("%Y-%m"): what for m, what in dm.incomplete.items()}


@st.cache_data(show_spinner=False, max_entries=256)
def _dimension_values(db: str, version: int, dim: str) -> list[str]:
    from cockpit.kpis import dimension_values

    return dimension_values(get_store(), dim, version)


@st.cache_data(show_spinner=False, max_entries=64)
def _latest_months(db: str, version: int) -> list[dict]:
    return freshness.latest_months(get_store(), version)


def warm_sidebar(store, version: int, dimensions) -> None:
    """Fill the sidebar's caches for `version` before the first visitor (server warm-up)."""
    db = str(store.path)
    _months(db, version)
    _default_month(db, version)
    for dim in dimensions:
        _dimension_values(db, version, dim)
    _latest_months(db, version)


def _query_dict() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _style() -> None:
    st.html(
        """<style>
        [data-testid="stMetricValue"] { font-size: 1.9rem; }
        [data-testid="stMetric"] { padding: 0.4rem 0.6rem; }
        .card-head { font-size:0.9rem; color:#333; display:flex; align-items:center;
                     gap:0.4rem; }
        .rag { display:inline-block; width:1.05rem; height:1.05rem; border-radius:50%;
               flex:none; }
        .rag-green { background:#1a9850 } .rag-amber { background:#f0a500 }
        .rag-red { background:#d73027 } .rag-none { background:#c8c8c8 }
        .rag-text { margin-left:auto; font-size:0.75rem; font-weight:600; white-space:nowrap; }
        .rag-text-green { color:#1a7f37 } .rag-text-amber { color:#9a6200 }
        .rag-text-red { color:#c62828 } .rag-text-none { color:#8a8a8a; font-weight:400 }
        .app-name { display:flex; align-items:center; gap:0.4rem; font-size:1.25rem;
                    font-weight:600; margin:0 0 0.75rem 0; }
        .page-nav { display:flex; flex-direction:column; gap:0.125rem; }
        .page-nav-end { border:none; border-top:1px solid rgba(49,51,63,0.2);
                        margin:1rem 0 0 0; }
        .nav-item { display:flex; align-items:center; gap:0.5rem; padding:0.25rem 0.5rem;
                    border-radius:0.5rem; color:rgb(49,51,63); line-height:1.6; }
        a.nav-item:hover { background:rgba(151,166,195,0.15); }
        .nav-current { color:rgba(49,51,63,0.5); }
        .nav-icon { font-family:"Material Symbols Rounded"; font-size:1.25rem; line-height:1;
                    font-weight:400; font-style:normal; letter-spacing:normal;
                    text-transform:none; white-space:nowrap; direction:ltr;
                    font-feature-settings:"liga"; -webkit-font-smoothing:antialiased; }
        .kpi-headline { font-size:1.25rem; font-weight:600; margin:0 0 0.5rem 0;
                        padding:0; line-height:1.4; }
        .kpi-headline-period { font-weight:400; font-size:0.9rem; }
        .kpi-pending { color:rgba(49,51,63,0.6); font-style:italic; }
        .kpi-skeleton-value { height:2.4rem; margin:0.55rem 0 0.2rem 0.25rem;
                              border-radius:0.25rem; background:rgba(151,166,195,0.2); }
        .kpi-groups { display:flex; flex-direction:column; gap:1rem; }
        .kpi-group-head { display:flex; align-items:baseline; justify-content:space-between;
                          gap:1rem; margin-top:0.75rem; }
        .kpi-group-head h3 { font-size:1.5rem; font-weight:600; margin:0; padding:0; }
        /* At most --cols columns, none narrower than 14rem (fewer on a phone). */
        .kpi-grid, .movers { display:grid; gap:1rem; grid-template-columns:repeat(auto-fit,
            minmax(max(14rem, calc((100% - (var(--cols) - 1) * 1rem) / var(--cols))), 1fr)); }
        .kpi-card, .mover { display:block; border:1px solid rgba(49,51,63,0.2);
                            border-radius:0.5rem; padding:calc(1rem - 1px); min-width:0; }
        a.in-app { color:inherit; text-decoration:none; cursor:pointer; }
        a.kpi-card:hover, a.mover:hover { border-color:rgba(49,51,63,0.5);
                                          background:rgba(240,242,246,0.5); }
        a.in-app:focus-visible { outline:2px solid #1c83e1; outline-offset:2px; }
        a.kpi-details, .mover-open { color:#1c6ebf; font-size:0.875rem; white-space:nowrap; }
        a.kpi-details:hover, a.mover:hover .mover-open { text-decoration:underline; }
        .mover-label { font-weight:600; }
        .mover-text { font-size:0.875rem; color:rgba(49,51,63,0.6); margin:0.25rem 0; }
        .kpi-value { font-size:1.9rem; line-height:1.3; margin:0.55rem 0 0.2rem 0.25rem;
                     color:rgb(49,51,63); white-space:nowrap; overflow:hidden;
                     text-overflow:ellipsis; }
        .kpi-change { min-height:1.6rem; display:flex; align-items:center; gap:0.5rem;
                      margin-left:0.25rem; font-size:0.875rem; white-space:nowrap; }
        .kpi-delta { border-radius:0.75rem; padding:0.05rem 0.45rem; }
        .kpi-delta-good { color:#177233; background:rgba(33,195,84,0.12); }
        .kpi-delta-bad { color:#b2271e; background:rgba(255,43,43,0.1); }
        .kpi-vs { color:rgba(49,51,63,0.6); overflow:hidden; text-overflow:ellipsis; }
        .kpi-compares { min-height:1.6rem; margin:0 0 0 0.25rem; font-size:0.875rem;
                        line-height:1.35; }
        .kpi-cmp { white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
        .kpi-cmp-good { color:#177233; }
        .kpi-cmp-bad { color:#b2271e; }
        .kpi-cmp-flat, .kpi-cmp-none { color:rgba(49,51,63,0.6); }
        .kpi-foot { font-size:0.875rem; color:rgba(49,51,63,0.6); min-height:1.3rem; }
        .kpi-pace { font-size:0.875rem; color:rgb(49,51,63); margin-top:0.2rem; }
        .kpi-actions { font-size:0.8rem; color:#1c6ebf; margin-top:0.2rem; }
        .spark { position:relative; width:100%; height:30px; margin:0.45rem 0; }
        .spark-line, .spark-line::before, .spark-line::after { position:absolute; inset:0; }
        .spark-line::before, .spark-line::after { content:""; clip-path:var(--p); }
        /* A phone: the view bar's choices one per row, full width; its buttons after. */
        @media (max-width: 640px) {
          .st-key-view_bar > .st-key-period, .st-key-view_bar > .st-key-from,
          .st-key-view_bar > .st-key-month,
          .st-key-view_bar > .st-key-compare { flex:1 1 100% !important; width:100% !important; }
        }
        .spark-line::before { background:#4c78a8; top:-1px; bottom:1px; }
        .spark-line::after { background:#e9eef5; top:1px; bottom:-1px; }
        .spark-dot { position:absolute; width:5px; height:5px; margin:-2.5px 0 0 -2.5px;
                     border-radius:50%; background:#4c78a8; }
        </style>"""
    )


def _period_bar(ctx: PageContext) -> None:
    from cockpit.kpis import resolve_period

    months = _months(str(ctx.store.path), _version(ctx))
    if not months:  # nothing loaded: no choices to offer; the page says what to do
        ctx.period = None
        return
    default, why, incomplete = _default_month(str(ctx.store.path), _version(ctx))
    kind = _url_selectbox(
        "Period", list(PERIOD_LABELS), "period", PERIOD_LABELS.get, ctx.state.period
    )
    start = None
    if kind == "range":
        # A range opens on the twelve months to the month shown; its first month is a link
        # parameter (`from`) like the others.
        end_now = st.session_state.get("month") or ctx.state.month or default or months[-1]
        start = _url_selectbox(
            "From",
            list(reversed(months)),
            "from",
            _month_label,
            ctx.state.start,
            default=_range_start(months, end_now),
        )
    elif "from" in st.query_params:
        del st.query_params["from"]
    _url_selectbox(
        "Ending in",
        list(reversed(months)),
        "month",
        lambda ym: _month_label(ym) + (" · incomplete" if ym in incomplete else ""),
        ctx.state.month,
        default=default,
    )
    compare = _compare_choice(ctx.state.compares)
    month = st.session_state["month"]
    # The default month is left out of the view state so a live link moves on; a range's
    # first month is kept whole, so the link opens the same span.
    ctx.state = replace(
        ctx.state,
        period=kind,
        start=start,
        month=month if month != default else None,
        compare=compare,
    )
    ctx.period = resolve_period(ctx.store, kind, month, ctx.as_of_arg, start=start)
    if month == default:
        # What the view shows, and why it ends where it does: the month itself, or the
        # quarter or span around it ("Q3 2026; Oct 2026 is the latest month loaded").
        shown = ctx.period.label
        if kind == "month" or shown == _month_label(month):
            ctx.month_note = f"{_month_label(month)}: {why}"
        else:
            ctx.month_note = f"{shown}; {_month_label(month)} is {why}"
    if month in incomplete:
        ctx.month_incomplete = f"{_month_label(month)} is incomplete: {incomplete[month]}"


def _compare_choice(from_url: tuple[str, ...]) -> str:
    """Compare with: one comparison or several, in the order chosen; in the link as
    compare=prev,yoy,target (links.py), left out when it is the default (prev alone).
    Synced by hand like the filters: a bound multiselect writes repeated parameters."""
    key, options = "compare", list(COMPARE_LABELS)
    current = st.session_state.get(key)
    if not isinstance(current, list) or _address_changed(key):
        current = list(from_url)
    # None chosen reads as the default; the placeholder says so until the next run shows it.
    current = [c for c in current if c in options] or [links.DEFAULT.compare]
    st.session_state[key] = current
    chosen = st.multiselect(
        "Compare with",
        options,
        key=key,
        format_func=COMPARE_LABELS.get,
        placeholder=COMPARE_LABELS[links.DEFAULT.compare],
        select_all=False,
        # One comparison leaves room to click beside its chip, the buttons on the bar's row.
        width=_COMPARE_ONE_WIDTH if len(current) == 1 else _COMPARE_WIDTH,
    )
    value = ",".join(chosen) or links.DEFAULT.compare
    if value == links.DEFAULT.compare:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    _remember_address(key)
    return value


def _range_start(months: list[str], end: str) -> str:
    """A custom range's first month when the link names none: twelve months to `end`, or
    the first month of data when there is less."""
    import datetime as dt

    from cockpit.kpis.periods import add_months

    wanted = add_months(dt.date.fromisoformat(end + "-01"), -11).strftime("%Y-%m")
    return max(wanted, months[0])


def _url_selectbox(
    label: str, options: list[str], key: str, format_func, url_value, default: str | None = None
) -> str:
    """A selectbox whose choice lives in the URL as the option id (links.py's API).

    The `default` (else the first option) is left out of the URL. Not bind="query-params":
    a bound selectbox writes its formatted label ("Quarter") to the URL and ignores ids
    ("quarter"), which would break every shared link.
    """
    default = default if default in options else options[0]
    # Always re-assigned: on a page switch Streamlit resets a keyed widget to its default.
    current = st.session_state.get(key)
    if current not in options or _address_changed(key):
        current = url_value if url_value in options else default
    st.session_state[key] = current
    value = st.selectbox(label, options, key=key, format_func=format_func, width=_VIEW_WIDTH)
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    _remember_address(key)
    return value


url_selectbox = _url_selectbox  # for page bodies with a choice of their own in the link


def _address_changed(key: str) -> bool:
    """Whether the address bar's `key` differs from what the last run left there: the
    viewer went back or forward, or followed a link. The address then wins over what the
    widget last held, so Back shows the view the address names."""
    seen = st.session_state.get(_ADDRESS_SEEN, {})
    return key in seen and seen[key] != st.query_params.get_all(key)


def _remember_address(key: str) -> None:
    st.session_state.setdefault(_ADDRESS_SEEN, {})[key] = st.query_params.get_all(key)


def _month_label(ym: str) -> str:
    import datetime as dt

    return dt.date.fromisoformat(ym + "-01").strftime("%b %Y")


def _filter_bar(ctx: PageContext, dimensions: tuple[str, ...]) -> None:
    """The Filters expander. Its choices are drawn only while it is open (it opens itself
    when the link carries a filter): closed, the filters are the URL's, and the page's
    reruns skip four heavy widgets."""
    from_url = dict(ctx.state.filters)
    with st.expander(
        "Filters", expanded=bool(from_url), key=FILTERS_OPEN, on_change="rerun"
    ) as box:
        for dim in dimensions:
            values = _dimension_values(str(ctx.store.path), _version(ctx), dim)
            if not values:
                continue
            if box.open:
                label = dim.replace("_", " ").capitalize()
                chosen = _url_multiselect(label, values, f"f_{dim}", from_url.get(dim, ()))
            else:
                chosen = [v for v in from_url.get(dim, ()) if v in values]
            if chosen:
                ctx.filters[dim] = list(chosen)
    ctx.state = replace(
        ctx.state,
        filters=tuple(sorted((k, tuple(sorted(v))) for k, v in ctx.filters.items())),
    )


def _url_multiselect(label: str, options: list[str], key: str, url_values) -> list[str]:
    """A multiselect whose choices live in the URL as repeated parameters (f_site=A&f_site=B).

    Synced by hand rather than bound: a bound widget's parameter is dropped from the address
    bar when the viewer switches page, so a reload there would lose the filter.
    """
    current = st.session_state.get(key)
    if current is None or _address_changed(key):
        current = list(url_values)
    current = [v for v in current if v in options]
    st.session_state[key] = current
    chosen = st.multiselect(label, options, key=key, placeholder="All")
    if chosen:
        if st.query_params.get_all(key) != list(chosen):
            st.query_params[key] = list(chosen)
    elif key in st.query_params:
        del st.query_params[key]
    _remember_address(key)
    return chosen


def _freshness(ctx: PageContext) -> None:
    with st.expander("Data freshness", key=FRESHNESS_OPEN, on_change="rerun") as box:
        if not box.open:  # drawn only when opened
            return
        rows = _latest_months(str(ctx.store.path), _version(ctx))
        if not rows:
            st.caption("No data loaded yet. Open **Data** to upload exports or load the demo.")
            return
        # One caption of lines (a hard break each), not one element per dataset.
        st.caption(
            "  \n".join(
                f"**{r['label']}**: to {r['latest']}" + (" · partial" if r.get("partial") else "")
                for r in rows
            )
        )


def _pinned_banner(ctx: PageContext) -> None:
    when = ctx.store.seq_time(ctx.state.asof)
    when_text = when.strftime("%d %b %Y %H:%M") if when else "an earlier load"
    live = links.to_url(replace(ctx.state, asof=None, pack=None))
    if ctx.latest_seq > ctx.state.asof:
        st.info(
            f":material/push_pin: Data as of {when_text} (load {ctx.state.asof}); newer data available. "
            f"[Open the latest]({live})",
            icon=None,
        )
    else:
        st.caption(f":material/push_pin: Pinned to data as of {when_text} (load {ctx.state.asof}).")


def share_button(ctx: PageContext) -> None:
    """A Share button opening a dialog with the pinned link (same numbers later), a live
    link and "save this view". A dialog, not a popover: its content is drawn only when
    opened, rather than on every rerun of the page."""
    if st.button(
        "Share",
        icon=":material/share:",
        key="share",
        help="A link that opens this view with these numbers",
    ):
        _share_dialog(ctx)


@st.dialog("Share this view")
def _share_dialog(ctx: PageContext) -> None:
    with errors.guard("the share dialog"):  # a dialog reruns alone, like a fragment
        _share_links(ctx)


def _share_links(ctx: PageContext) -> None:
    base = _base_url()
    pinned_state = replace(ctx.state, asof=ctx.state.asof or ctx.latest_seq)
    live_state = replace(ctx.state, asof=None)
    when = ctx.store.seq_time(pinned_state.asof)
    when_text = when.strftime("%d %b %Y %H:%M") if when else "now"
    st.markdown(f"**Pinned** to the data as of load {pinned_state.asof} ({when_text}):")
    st.code(links.to_url(pinned_state, base), language=None)
    st.markdown("**Live** (always the latest data):")
    st.code(links.to_url(live_state, base), language=None)
    st.markdown("**Save this view** to find it later under Saved views:")
    name = st.text_input(
        "Name",
        key="save_view_name",
        label_visibility="collapsed",
        placeholder="e.g. Lyon OEE, Q3 board pack",
    )
    pin = st.checkbox("Pin the numbers (as of now)", value=True, key="save_view_pin")
    shared = saving.share_choice(ctx.user, key="save_view_shared")
    if st.button("Save view", key="save_view") and name.strip():
        url = links.to_url(pinned_state if pin else live_state)
        value = {"url": url, "page": ctx.page}
        if saving.save(ctx.store, "views", name, value, ctx.user, shared=shared):
            st.rerun()  # closes the dialog; the sidebar lists the new view


def _saved_views(ctx: PageContext) -> None:
    views = saved.list_saved(ctx.store, "views", ctx.user)
    if not views:
        return
    with st.expander("Saved views", icon=":material/bookmarks:"):
        for name, item in list(views.items())[:30]:
            st.markdown(f"[{_md_escape(name)}]({item['value']['url']})")


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>" else ch for ch in text)


def _base_url() -> str:
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context under AppTest
        url = ""
    if "://" not in url:
        return ""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def public_base_url() -> str:
    """The app's absolute address for links that leave it (brief, exports): the browser's
    own, else $COCKPIT_PUBLIC_URL, else this server on localhost."""
    import os

    base = _base_url() or os.environ.get("COCKPIT_PUBLIC_URL", "").rstrip("/")
    if base:
        return base
    port = st.get_option("server.port") or 8501
    return f"http://localhost:{port}"
