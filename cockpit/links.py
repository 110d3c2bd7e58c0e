"""View state <-> URL query parameters: the typed, stable URL API of the cockpit.

Every view is a URL. The query string carries only values that differ from the defaults:

    page=efficiency          the page (normally carried by the URL path instead, see to_url)
    period=quarter           month | quarter (to date) | last_quarter | ytd | t3m | t12m
                             | range (from= to month=) | all (all time, to month=)
    from=2025-04             a custom range's first month (with period=range)
    month=2026-09            the period's end month; absent = latest complete month
    compare=yoy              prev | yoy | target | budget, or several in order:
                             compare=prev,yoy,target (the first is the primary)
    f_site=Leeds&f_site=Lyon a filter: one f_<dimension> key per selected value
    d_volume=15              a what-if driver, % change (agents: absolute)
    baseline=6               what-if baseline, trailing months
    scenario=Peak%20plan     a saved scenario name
    asof=42                  the load sequence the numbers are pinned to; absent = live
    kpi=on_time_pct          the KPI whose rows the Rows page shows (drill-through)
    pack=3                   the meeting pack the Meeting page opens (pinned to its data)

Reading never raises: an unknown key or a malformed value is ignored with a short notice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from urllib.parse import parse_qs, quote, urlencode

from cockpit import datasets, navigation
from cockpit.kpis import periods
from cockpit.store import LATEST, resolve_as_of
from cockpit.whatif import model as whatif_model

# The pages and their URL paths come from the one page registry (cockpit/navigation.py).
PAGES = navigation.PAGE_IDS
PAGE_PATHS: dict[str, str] = navigation.PAGE_PATHS
PERIODS = ("month", "quarter", "last_quarter", "ytd", "t3m", "t12m", "range", "all")
COMPARES = periods.COMPARES
# A link filters by what the KPI engine filters by, and moves the what-if model's drivers:
# both lists are their sources' own (tests/unit/test_links.py keeps them equal).
DIMENSIONS: tuple[str, ...] = datasets.FILTER_DIMENSIONS
DRIVERS: tuple[str, ...] = tuple(whatif_model.DRIVERS)
BASELINE_RANGE = (1, 36)
SCENARIO_MAX_CHARS = 120
FILTER_PREFIX = "f_"
DRIVER_PREFIX = "d_"
# Keys Streamlit itself puts in the query string; not ours to judge.
STREAMLIT_KEYS = frozenset({"embed", "embed_options"})
# The view bar's parameters. They change without redrawing the rest of the page, so links
# inside the app leave them out of their address and take them from the address bar when
# used (cockpit/ui/in_app_links.py); `in_app_params` is what such a link carries itself.
VIEW_BAR_KEYS = ("period", "from", "month", "compare")
# URL keys whose ViewState field has another name (`from` is a Python keyword).
_FIELD_KEYS = {"start": "from", "baseline_months": "baseline"}

_MONTH_RE = re.compile(r"[12][0-9]{3}-(0[1-9]|1[0-2])")
_INT_RE = re.compile(r"[0-9]{1,19}")
_KPI_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")

Filters = tuple[tuple[str, tuple[str, ...]], ...]
Drivers = tuple[tuple[str, float], ...]


def _normal_filters(filters: Mapping[str, Iterable[str]] | Iterable) -> Filters:
    items = filters.items() if isinstance(filters, Mapping) else filters
    merged: dict[str, set[str]] = {}
    for dim, values in items:
        if isinstance(values, str):
            raise TypeError(f"filter {dim!r} values must be a collection of strings")
        merged.setdefault(dim, set()).update(values)
    return tuple((dim, tuple(sorted(vals))) for dim, vals in sorted(merged.items()) if vals)


def _normal_drivers(drivers: Mapping[str, float] | Iterable) -> Drivers:
    items = drivers.items() if isinstance(drivers, Mapping) else drivers
    return tuple(sorted((name, float(value)) for name, value in dict(items).items()))


@dataclass(frozen=True)
class ViewState:
    """Everything needed to reopen a view with the same numbers."""

    page: str = "overview"
    period: str = "month"
    start: str | None = None  # a custom range's first month (URL `from`)
    month: str | None = None
    compare: str = "prev"  # one comparison, or several comma-joined ("prev,yoy,target")
    filters: Filters = ()
    drivers: Drivers = ()
    baseline_months: int = 3
    scenario: str | None = None
    asof: int | None = None
    kpi: str | None = None  # the Rows page's KPI (drill-through)
    pack: int | None = None  # the Meeting page's pack (cockpit/meetings.py)

    def __post_init__(self) -> None:
        # Canonical form (sorted, de-duplicated) keeps equal views equal and URLs stable.
        object.__setattr__(self, "filters", _normal_filters(self.filters))
        object.__setattr__(self, "drivers", _normal_drivers(self.drivers))
        if self.period != "range":  # only a custom range has a first month of its own
            object.__setattr__(self, "start", None)
        if isinstance(self.compare, str) and _compares(self.compare) is not None:
            object.__setattr__(self, "compare", ",".join(_compares(self.compare)))
        problems = state_problems(self)
        if problems:
            raise ValueError("; ".join(problems))

    @classmethod
    def build(
        cls,
        *,
        filters: Mapping[str, Iterable[str]] | None = None,
        drivers: Mapping[str, float] | None = None,
        **kwargs,
    ) -> ViewState:
        """A state from plain dicts of filters and drivers."""
        return cls(filters=_normal_filters(filters or {}), drivers=drivers or (), **kwargs)

    @property
    def compares(self) -> tuple[str, ...]:
        """The comparisons, in order (the first is the primary: movers, single delta)."""
        return tuple(self.compare.split(","))

    @property
    def filter_map(self) -> dict[str, tuple[str, ...]]:
        return dict(self.filters)

    @property
    def driver_map(self) -> dict[str, float]:
        return dict(self.drivers)

    @property
    def as_of(self) -> int:
        """The as-of version for queries: the pinned load, or LATEST when live."""
        return resolve_as_of(self.asof)


def state_problems(state: ViewState) -> list[str]:
    """Why a state is invalid (empty when valid)."""
    problems = []
    if state.page not in PAGES:
        problems.append(f"unknown page {state.page!r}")
    if state.period not in PERIODS:
        problems.append(f"unknown period {state.period!r}")
    if state.month is not None and not _is_month(state.month):
        problems.append(f"month {state.month!r} is not YYYY-MM")
    if state.start is not None and not _is_month(state.start):
        problems.append(f"from {state.start!r} is not YYYY-MM")
    if _compares(state.compare) is None:
        problems.append(f"unknown comparison {state.compare!r}")
    for dim, values in state.filters:
        if dim not in DIMENSIONS:
            problems.append(f"unknown filter dimension {dim!r}")
        if not all(isinstance(v, str) and v for v in values):
            problems.append(f"filter {dim!r} values must be non-empty strings")
    for name, value in state.drivers:
        if name not in DRIVERS:
            problems.append(f"unknown driver {name!r}")
        if not math.isfinite(value):
            problems.append(f"driver {name!r} must be a finite number")
    if not _is_baseline(state.baseline_months):
        problems.append(f"baseline_months must be {BASELINE_RANGE[0]}-{BASELINE_RANGE[1]}")
    if state.scenario is not None and not _is_scenario(state.scenario):
        problems.append(f"scenario name must be 1-{SCENARIO_MAX_CHARS} characters")
    if state.asof is not None and not _is_asof(state.asof):
        problems.append("asof must be a load sequence number")
    if state.kpi is not None and not _is_kpi(state.kpi):
        problems.append("kpi must be a KPI id (lower-case letters, digits and _)")
    if state.pack is not None and not _is_pack(state.pack):
        problems.append("pack must be a meeting pack number")
    return problems


def _compares(value: object) -> tuple[str, ...] | None:
    """The comparisons of "prev,yoy" (order kept, repeats dropped); None when invalid."""
    if not isinstance(value, str):
        return None
    parts = tuple(dict.fromkeys(value.split(",")))
    return parts if parts and all(p in COMPARES for p in parts) else None


def _is_month(value: object) -> bool:
    return isinstance(value, str) and _MONTH_RE.fullmatch(value) is not None


def _is_baseline(value: object) -> bool:
    lo, hi = BASELINE_RANGE
    return type(value) is int and lo <= value <= hi


def _is_scenario(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= SCENARIO_MAX_CHARS


def _is_kpi(value: object) -> bool:
    return isinstance(value, str) and _KPI_RE.fullmatch(value) is not None


def _is_pack(value: object) -> bool:
    return type(value) is int and 0 < value < LATEST


def _is_asof(value: object) -> bool:
    return type(value) is int and 0 <= value < LATEST


DEFAULT = ViewState()


def _number_text(value: float) -> str:
    """Shortest text that reads back as the same float (15.0 -> "15")."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def to_query_params(state: ViewState) -> dict[str, str | list[str]]:
    """The query parameters for `state`: only values that differ from the defaults."""
    params: dict[str, str | list[str]] = {}
    if state.page != DEFAULT.page:
        params["page"] = state.page
    if state.period != DEFAULT.period:
        params["period"] = state.period
    if state.start is not None and state.period == "range":
        params["from"] = state.start
    if state.month is not None:
        params["month"] = state.month
    if state.compare != DEFAULT.compare:
        params["compare"] = state.compare
    for dim, values in state.filters:
        params[FILTER_PREFIX + dim] = list(values)
    for name, value in state.drivers:
        params[DRIVER_PREFIX + name] = _number_text(value)
    if state.baseline_months != DEFAULT.baseline_months:
        params["baseline"] = str(state.baseline_months)
    if state.scenario is not None:
        params["scenario"] = state.scenario
    if state.asof is not None:
        params["asof"] = str(state.asof)
    if state.kpi is not None:
        params["kpi"] = state.kpi
    if state.pack is not None:
        params["pack"] = str(state.pack)
    return params


def _shown(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _last(value: str | list[str]) -> str | None:
    if isinstance(value, str):
        return value
    return value[-1] if value else None


def _choice(key: str, raw: str, allowed: tuple[str, ...], notices: list[str]) -> str | None:
    if raw in allowed:
        return raw
    notices.append(f"Ignored {key}={_shown(raw)}: expected one of {', '.join(allowed)}.")
    return None


def _compare_choice(raw: str, notices: list[str]) -> str | None:
    """`compare`'s known comparisons, in order, once each; a notice names the unknown ones."""
    parts = [p.strip() for p in raw.split(",")]
    kept = list(dict.fromkeys(p for p in parts if p in COMPARES))
    unknown = [p for p in dict.fromkeys(parts) if p not in COMPARES]
    if unknown:
        shown = ", ".join(_shown(p) for p in unknown[:3])
        notices.append(f"Ignored compare={shown}: expected one of {', '.join(COMPARES)}.")
    return ",".join(kept) or None


def from_query_params(
    params: Mapping[str, str | list[str]], *, page: str | None = None
) -> tuple[ViewState, list[str]]:
    """The state a query string describes, and a notice per ignored parameter; never raises.

    `page`, when given (the page the URL path opened), wins over a `page` parameter.
    Pass every value of repeated keys (st.query_params.get_all), not only the last.
    """
    kw: dict[str, object] = {}
    filters: dict[str, set[str]] = {}
    drivers: dict[str, float] = {}
    notices: list[str] = []
    for key, value in params.items():
        if key in STREAMLIT_KEYS:
            continue
        if key.startswith(FILTER_PREFIX):
            dim = key[len(FILTER_PREFIX) :]
            if dim not in DIMENSIONS:
                notices.append(f"Ignored filter {_shown(key)}: unknown dimension.")
                continue
            values = [value] if isinstance(value, str) else list(value)
            kept = {v for v in values if isinstance(v, str) and v}
            if len(kept) < len(values):
                notices.append(f"Ignored an empty value of filter {key}.")
            if kept:
                filters.setdefault(dim, set()).update(kept)
            continue
        raw = _last(value)
        if raw is None:
            notices.append(f"Ignored {_shown(key)}: no value.")
            continue
        if key.startswith(DRIVER_PREFIX):
            name = key[len(DRIVER_PREFIX) :]
            if name not in DRIVERS:
                notices.append(f"Ignored driver {_shown(key)}: unknown driver.")
                continue
            number = _parse_float(raw)
            if number is None:
                notices.append(f"Ignored {key}={_shown(raw)}: not a number.")
                continue
            drivers[name] = number
        elif key == "page":
            kw["page"] = _choice(key, raw, PAGES, notices)
        elif key == "period":
            kw["period"] = _choice(key, raw, PERIODS, notices)
        elif key == "compare":
            kw["compare"] = _compare_choice(raw, notices)
        elif key in ("month", "from"):
            if _is_month(raw):
                kw["start" if key == "from" else "month"] = raw
            else:
                notices.append(f"Ignored {key}={_shown(raw)}: expected YYYY-MM.")
        elif key == "baseline":
            n = int(raw) if _INT_RE.fullmatch(raw) else None
            if _is_baseline(n):
                kw["baseline_months"] = n
            else:
                lo, hi = BASELINE_RANGE
                notices.append(f"Ignored baseline={_shown(raw)}: expected {lo}-{hi} months.")
        elif key == "scenario":
            if _is_scenario(raw):
                kw["scenario"] = raw
            else:
                notices.append(f"Ignored scenario={_shown(raw)}: empty or too long.")
        elif key == "kpi":
            if _is_kpi(raw):
                kw["kpi"] = raw
            else:
                notices.append(f"Ignored kpi={_shown(raw)}: expected a KPI id.")
        elif key == "pack":
            n = int(raw) if _INT_RE.fullmatch(raw) else None
            if _is_pack(n):
                kw["pack"] = n
            else:
                notices.append(f"Ignored pack={_shown(raw)}: expected a meeting pack number.")
        elif key == "asof":
            n = int(raw) if _INT_RE.fullmatch(raw) else None
            if _is_asof(n):
                kw["asof"] = n
            else:
                notices.append(f"Ignored asof={_shown(raw)}: expected a load number.")
        else:
            notices.append(f"Ignored unknown parameter {_shown(key)}.")
    if page is not None:
        if page in PAGES:
            kw["page"] = page
        else:
            notices.append(f"Unknown page {_shown(page)}; showing the overview.")
    kw = {k: v for k, v in kw.items() if v is not None}
    if "start" in kw and kw.get("period") != "range":
        notices.append("Ignored from=: it only applies to period=range.")
        del kw["start"]
    if kw.get("period") == "range" and kw.get("month") and kw.get("start", "") > kw["month"]:
        # An inverted range would otherwise collapse to its end month, silently.
        kw["start"], kw["month"] = kw["month"], kw["start"]
        notices.append(f"from={kw['month']} was after the end month {kw['start']}: swapped.")
    state = ViewState(filters=_normal_filters(filters), drivers=drivers, **kw)
    return state, notices


def _parse_float(raw: str) -> float | None:
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def page_for_path(path: str) -> str | None:
    """The page a URL path opens ("/What_if" -> "whatif"), or None if it is not a page."""
    wanted = "/" + path.strip("/")
    for page, page_path in PAGE_PATHS.items():
        if page_path.lower() == wanted.lower():
            return page
    return None


def to_url(state: ViewState, base: str = "") -> str:
    """The link to `state`: base + page path + query string (the page is in the path)."""
    params = to_query_params(state)
    params.pop("page", None)
    query = _commas_kept(urlencode(params, doseq=True, quote_via=quote, safe=""))
    path = PAGE_PATHS[state.page]
    url = base.rstrip("/") + path
    return f"{url}?{query}" if query else url


def _commas_kept(query: str) -> str:
    """compare=prev,yoy rather than compare=prev%2Cyoy: the link reads as it is typed (its
    values are ids, so a comma there is only ever a separator)."""
    return re.sub(r"(?<![^&])compare=[a-z%2C]+", lambda m: m.group(0).replace("%2C", ","), query)


def page_href(page: str, params: Mapping[str, str | list[str]]) -> str:
    """A link from inside the app to `page` with `params`, relative to the app's root
    ("Cost?period=quarter", "./?compare=yoy"), so it also works under a base URL path."""
    path = PAGE_PATHS[page].lstrip("/") or "./"
    query = urlencode(dict(params), doseq=True, quote_via=quote, safe="")
    return f"{path}?{query}" if query else path


def in_app_params(state: ViewState) -> dict[str, str | list[str]]:
    """What an in-app link to another page carries of `state`: the data version and the
    filters, not the page and not the view bar's parameters (VIEW_BAR_KEYS)."""
    params = to_query_params(state)
    for key in ("page", "drivers", "baseline", "scenario", "kpi", "pack", *VIEW_BAR_KEYS):
        params.pop(key, None)
    return {k: v for k, v in params.items() if not k.startswith(DRIVER_PREFIX)}


def link_target(clicked: Mapping[str, object]) -> tuple[str, dict[str, str | list[str]]] | None:
    """What an in-app link click asks for ({"page": id, "query": "a=1&b=2"}) as (page file,
    query params), or None when it names no page of the registry."""
    page = clicked.get("page")
    if not isinstance(page, str) or page not in PAGE_PATHS:
        return None
    query = clicked.get("query")
    parsed = parse_qs(query if isinstance(query, str) else "", keep_blank_values=True)
    params = {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}
    return navigation.page(page).file, params


def param_names() -> list[str]:
    """Every query parameter the URL API understands (for docs and their test)."""
    names = [f.name for f in fields(ViewState) if f.name not in ("filters", "drivers")]
    names = [_FIELD_KEYS.get(n, n) for n in names]
    names += [FILTER_PREFIX + d for d in DIMENSIONS] + [DRIVER_PREFIX + d for d in DRIVERS]
    return names
