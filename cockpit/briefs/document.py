"""The one-page brief of a view, without Streamlit: the Overview's download, `cockpit brief`
and the scheduled e-mails all compose it here, so the HTML and the PDF say the same."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlsplit

from cockpit import currency, kpis, links
from cockpit.alerts import rules as alert_rules
from cockpit.export.brief import brief_html
from cockpit.export.names import view_file_name
from cockpit.kpis import custom_metrics
from cockpit.kpis.movers import movers_compare
from cockpit.kpis.periods import add_months, default_month, parse_month
from cockpit.screens import scorecard_view
from cockpit.store import resolve_as_of

TITLE = "Operations scorecard"


@dataclass(frozen=True)
class Brief:
    """A composed brief: its HTML and what a mail or a file name says of it."""

    html: str
    title: str
    subtitle: str
    period_label: str
    link: str
    version: int
    labels: tuple[str, ...]  # the cards' KPI labels, in order
    filters: dict = field(default_factory=dict)
    compare: str = "prev"
    notices: tuple[str, ...] = ()  # parameters of the view that were ignored

    def file_name(self, ext: str) -> str:
        """The Overview's download name for this view ('ops-brief-oct-2026-leeds.pdf')."""
        return view_file_name("ops-brief", self.period_label, filters=self.filters,
                              compare=self.compare, ext=ext)  # fmt: skip


class NoData(ValueError):
    """Nothing is loaded at the view's version: there is no brief to make."""


def context_lines(store, period, filters: dict, version: int) -> list[tuple[str, str]]:
    """The view's period, filters and data date, written above exports and in the brief."""
    when = store.seq_time(version)
    return [
        ("Period", period.label if period else "—"),
        ("Filters", "; ".join(f"{k}: {', '.join(v)}" for k, v in filters.items()) or "none"),
        ("Data as of", f"load {version}" + (f", {when:%Y-%m-%d %H:%M}" if when else "")),
    ]


def compose(store, *, period, compare: str, filters: dict, values: list, movers: list[dict],
            context: list[tuple[str, str]], link: str | None) -> str:  # fmt: skip
    """The brief's HTML from a view's computed scorecard and movers (the page passes its
    cached ones; `from_view` computes them)."""
    cards = [
        c
        for group in scorecard_view.by_group(
            values, compare=compare, defs=custom_metrics.definitions(store)
        ).values()
        for c in group
    ]
    alert_rules.add_owners(cards, alert_rules.owners_by_kpi(store), filters)
    return brief_html(
        title=TITLE,
        subtitle=f"{scorecard_view.period_basis(period, compare)} · {scorecard_view.headline(values)}",
        cards=cards,
        movers=movers,
        context=context,
        link=link,
        movers_title=scorecard_view.movers_heading(period, compare),
    )


def state_from_url(url: str | None) -> tuple[links.ViewState, list[str]]:
    """The view a link (or its query string alone) names; the Overview when None."""
    if not url:
        return links.ViewState(), []
    query = urlsplit(url).query if "?" in url or "://" in url else url.lstrip("?")
    params = parse_qs(query, keep_blank_values=True)
    state, notices = links.from_query_params(params)
    return replace(state, page="overview"), notices


def from_view(store, state: links.ViewState, *, base_url: str) -> Brief:
    """The brief of `state` (period, month, comparison, filters, asof) as the Overview shows
    it: the month the link names, else the latest complete one; pinned to the version read."""
    notices: list[str] = []
    latest = store.latest_seq()
    if state.asof is not None and state.asof > latest:
        notices.append(f"asof={state.asof} is newer than the latest load ({latest}); live data")
        state = replace(state, asof=None)
    version = state.asof if state.asof is not None else latest
    months = [m.strftime("%Y-%m") for m in kpis.available_months(store, version)]
    if not months:
        raise NoData("No data is loaded yet: there is no brief to make.")
    default = default_month(store, version).month
    default_text = default.strftime("%Y-%m") if default else months[-1]
    month = state.month if state.month in months else default_text
    start = None
    if state.period == "range":
        wanted = add_months(parse_month(month), -11).strftime("%Y-%m")
        start = state.start if state.start in months else max(wanted, months[0])
    filters = {}
    for dim, values in state.filters:
        known = set(kpis.dimension_values(store, dim, version))
        kept = [v for v in values if v in known]
        if kept:
            filters[dim] = kept
    period = kpis.resolve_period(store, state.period, month, state.asof, start=start)
    compare = state.compare
    currency.use_view(store, resolve_as_of(state.asof), filters)
    try:
        common = {"period": period, "filters": filters, "as_of": version}
        values = kpis.scorecard(store, compare=compare, **common)
        builtin = values
        values = values + [
            custom_metrics.compute(store, m, compare=compare, **common)
            for m in custom_metrics.list_metrics(store)
        ]
        against = movers_compare(compare)
        cards = builtin if against == compare else kpis.scorecard(store, compare=against, **common)
        movers = kpis.what_moved(store, compare=against, cards=cards, **common)
        shown = state.month if state.month in months else None
        pinned = replace(state, page="overview", asof=version, month=shown, start=start)
        link = links.to_url(pinned, base_url)
        html = compose(store, period=period, compare=compare, filters=filters, values=values,
                       movers=movers, context=context_lines(store, period, filters, version),
                       link=link)  # fmt: skip
    finally:
        currency.forget_view()
    return Brief(
        html=html,
        title=TITLE,
        subtitle=f"{scorecard_view.period_basis(period, compare)} · "
        f"{scorecard_view.headline(values)}",
        period_label=period.label,
        link=link,
        version=version,
        labels=tuple(v.label for v in values),
        filters=filters,
        compare=compare,
        notices=tuple(notices),
    )
