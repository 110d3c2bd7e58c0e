"""What moved: the KPIs that changed most against the comparison, and the slice behind each.

A slice's contribution is how much of the change disappears when that slice alone is put
back to its comparison-period components (a counterfactual that works for sums, ratios of
sums and products alike). Against "target" or "budget" the movers are taken against the
previous period, since targets and budgets have no slices; a view of several comparisons
takes them against its first of prev/yoy.
"""

from __future__ import annotations

from cockpit.kpis.catalogue import Kpi, format_value
from cockpit.kpis.engine import (
    FAMILIES,
    Components,
    KpiValue,
    clean_filters,
    evaluate,
    fetch_components,
    scorecard,
    spark_months,
)
from cockpit.kpis.periods import MONTHLESS, Period, compare_list, comparison_months, data_months
from cockpit.kpis.registry import lookup
from cockpit.store import resolve_as_of


def _swap(total: dict, minus: dict, plus: dict) -> dict:
    """Family components with one slice's current values replaced by its earlier ones."""
    out = {}
    for fam, comps in total.items():
        m, p = minus.get(fam, {}), plus.get(fam, {})
        out[fam] = {
            k: (v or 0) - (m.get(k) or 0) + (p.get(k) or 0)
            for k, v in comps.items()
            if isinstance(v, int | float)
        }
    return out


def _sliceable(kpi: Kpi) -> bool:
    return kpi.formula in ("ratio", "product") and "resolution" not in kpi.families


def _loaded_families(kpi: Kpi, loaded: dict) -> tuple[str, ...]:
    """The KPI's families with data: an alternative dataset not loaded (delivery counts beside
    orders) must not narrow the dimensions a change can be traced to."""
    return tuple(f for f in kpi.families if loaded.get(FAMILIES[f].dataset))


def _dimensions(kpi: Kpi, filters: dict, loaded: dict) -> list[str]:
    dims = None
    for fam in _loaded_families(kpi, loaded):
        own = set(FAMILIES[fam].dimensions)
        dims = own if dims is None else dims & own
    # A dimension already pinned to one value has only that slice: nothing to learn.
    return sorted(d for d in dims or () if len(filters.get(d, [])) != 1)


def dimension_label(dim: str) -> str:
    """'ship_mode' -> 'ship mode': how a dimension is named in a sentence."""
    return dim.replace("_", " ")


def change_size(kpi: Kpi, change: float, change_pct: float | None) -> str:
    """How big a change was, in the KPI's terms: '3.8 pts', '22 points', '£22k', '12%'."""
    if kpi.fmt == "pct":
        return f"{abs(change):.1f} pts"
    if kpi.fmt == "nps":
        return f"{abs(change):.0f} points"
    if kpi.change_in_units or change_pct is None:
        return format_value(kpi, abs(change))
    return f"{abs(change_pct):.0f}%"


def _text(card: KpiValue, driver: dict | None) -> str:
    kpi = lookup(card.id)
    verb = "rose" if card.change > 0 else "fell"
    size = change_size(kpi, card.change, card.change_pct)
    text = f"{card.label} {verb} {size} to {format_value(kpi, card.value)}"
    if driver:
        text += f"; mostly {driver['slice']} ({dimension_label(driver['dimension'])})"
    return text


def _score(card: KpiValue) -> float | None:
    """How much a KPI moved, comparable across KPIs: % change, or for a value that can be
    negative its change over the two values' combined size (crossing zero is not +200 %)."""
    kpi = lookup(card.id)
    if kpi.signed:
        size = abs(card.value) + abs(card.previous)
        return 100 * abs(card.change) / size if size else None
    return None if card.change_pct is None else abs(card.change_pct)


def movers_compare(compare: str) -> str:
    """The comparison movers are taken against: the view's first comparison with months
    ("prev,yoy" -> "prev"); targets and budgets have no slices, so a view of those alone
    moves against the previous period (and shares its movers)."""
    dated = [c for c in compare_list(compare) if c not in MONTHLESS]
    return dated[0] if dated else "prev"


def what_moved(
    store,
    *,
    period: Period,
    compare: str = "prev",
    filters: dict | None = None,
    as_of: int | None = None,
    top: int = 5,
    cards: list[KpiValue] | None = None,
) -> list[dict]:
    """The `top` KPIs by relative change, each with the slice that drove most of it.

    Only months whose data is complete move: a KPI without a value on either side (a
    partial month, a dataset not loaded that far) is left out rather than shown as a fall.
    """
    as_of = resolve_as_of(as_of)
    filters = clean_filters(filters)
    compare = movers_compare(compare)
    if cards is None:  # the caller's scorecard of the same view saves computing it twice
        cards = scorecard(store, period=period, compare=compare, filters=filters, as_of=as_of)
    # A partly loaded month "falls 98 %" only because it is partial: it is flagged, not a mover.
    moved = [c for c in cards if c.change and not c.partial and _score(c) is not None]
    moved.sort(key=_score, reverse=True)
    moved = moved[:top]
    cmp_months = comparison_months(period, compare)
    # The scorecard's months (its sparklines' and the comparison's), not only the two
    # periods: every view ending in the same month then asks the same queries, and the
    # memo answers a year to date or a quarter from the month the warm-up computed. The
    # order collapse reads every line whatever the months, so the wider span costs little.
    span = spark_months(period.end) + period.months + cmp_months
    loaded = data_months(store, as_of)
    fetched: dict[tuple, tuple] = {}
    at_once: dict[str, dict] = {}

    def fetch(fam: str, **how) -> list[dict]:
        return fetch_components(
            store, [fam], start=min(span), end=max(span), filters=filters, as_of=as_of, **how
        )[fam]

    def family_rows(fam: str, dim: str) -> list[dict]:
        """One family's rows by `dim`. A query that slices by several dimensions at once
        (orders) runs once for every dimension not pinned to one value, whichever KPIs moved:
        it collapses the orders once, and the same view asks the same query again."""
        if not FAMILIES[fam].slices_at_once:
            return fetch(fam, dimension=dim)
        if fam not in at_once:
            dims = tuple(d for d in FAMILIES[fam].dimensions if len(filters.get(d, [])) != 1)
            by_dim: dict = {}
            for r in fetch(fam, dimensions=dims):
                by_dim.setdefault(r["dimension"], []).append(r)
            at_once[fam] = by_dim
        return at_once[fam].get(dim, [])

    def components(fams: tuple, dim: str) -> tuple:
        """(named slices, total now, {slice: now}, {slice: before}) of the families by `dim`:
        fetched and summed once, shared by every card that reads the same families."""
        if (fams, dim) not in fetched:
            comps = Components({fam: family_rows(fam, dim) for fam in fams})
            named = [s for s in comps.slices() if s is not None]
            fetched[(fams, dim)] = (
                named,
                comps.sums(period.months),
                comps.sums_by_slice(period.months),
                comps.sums_by_slice(cmp_months),
            )
        return fetched[(fams, dim)]

    out = []
    for card in moved:
        kpi = lookup(card.id)
        driver = None
        if _sliceable(kpi):
            for dim in _dimensions(kpi, filters, loaded):
                named, now, now_by, before_by = components(_loaded_families(kpi, loaded), dim)
                if len(named) < 2:
                    continue  # one slice (or none named) explains everything and nothing
                for s in named:
                    mine, before = now_by[s], before_by[s]
                    fig = evaluate(kpi, _swap(now, mine, before))
                    if fig.value is None:
                        continue
                    contribution = card.value - fig.value
                    # The slice that pushed hardest in the direction the KPI actually moved.
                    if driver is None or contribution * card.change > driver["score"]:
                        driver = {
                            "dimension": dim,
                            "slice": s,
                            "contribution": contribution,
                            "score": contribution * card.change,
                            "slice_value": evaluate(kpi, mine).value,
                            "slice_previous": evaluate(kpi, before).value,
                        }
        better = (card.change > 0) == kpi.higher_is_better
        if driver and driver.pop("score") <= 0:
            driver = None  # no slice pushed the way the KPI moved
        out.append(
            {
                "id": card.id,
                "label": card.label,
                "value": card.value,
                "previous": card.previous,
                "change": card.change,
                "change_pct": card.change_pct,
                "better": better,
                "driver": driver,
                "text": _text(card, driver),
            }
        )
    return out
