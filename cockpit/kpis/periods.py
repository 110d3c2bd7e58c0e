"""Reporting periods (month, quarter, YTD, trailing 3/12 months), comparisons and data months.

Month is the grain: a period is a list of first-of-month dates ending at `end`.
Comparisons: "prev" is the period of the same length just before (a quarter compares with
the previous quarter's same months), "yoy" is the same months a year earlier, "target" the
period's target and "budget" its budget (cockpit/kpis/targets.py: period_budget). A view
may hold several, in order ("prev,yoy,target"; `compare_list`); the first is its primary.

A month is flagged partial when it is the latest month of a dataset and either (a) its last
dated row is more than PARTIAL_DAYS days before the month's last day, or (b) it has fewer
than PARTIAL_SHARE x the median rows of that dataset's earlier months (needs at least 3 of
them). Budget rows are dated to the 1st, so only rule (b) applies to them. Monthly-grain
data is never partial: when every dated month's last date is its 1st (rows dated by their
month only: a month-level summary, an ACD file given its month), a row is a whole month.

A view without a month opens on the latest month complete across the loaded datasets
(`complete_month`), not on a month one partial upload has just started.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from cockpit.kpis import memo
from cockpit.store import resolve_as_of

KINDS = ("month", "quarter", "last_quarter", "ytd", "t3m", "t12m", "range", "all")
SPAN_KINDS = ("range", "all")  # periods that need their first month as well as their last
COMPARES = ("prev", "yoy", "target", "budget")
MONTHLESS = ("target", "budget")  # comparisons with a figure, not other months
PARTIAL_DAYS = 3
PARTIAL_SHARE = 0.5
PARTIAL_MIN_ROWS = 20  # a dataset this small per month is too noisy to call a month partial
STALE_LAG = 1  # months a dataset may trail the newest data and still hold the default back
# Datasets whose months make "data months": targets are a plan, often for future months.
ACTUAL_DATASETS = (
    "orders", "production", "downtime", "budget", "contacts", "contact_stats", "delivery_stats",
    "surveys", "returns",
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    kind: str
    end: dt.date
    start: dt.date
    months: list[dt.date]
    label: str

    @property
    def code(self) -> str:
        """Compact form for URLs and JSON: "2026-10", "2026-Q3", "ytd:2026-10", ..."""
        end = self.end.strftime("%Y-%m")
        if self.kind == "month":
            return end
        if self.kind == "range":
            return f"{self.start:%Y-%m}..{end}"
        return f"{self.kind}:{end}"


def add_months(d: dt.date, n: int) -> dt.date:
    """First day of the month `n` months after the month of `d`."""
    idx = d.year * 12 + d.month - 1 + n
    return dt.date(idx // 12, idx % 12 + 1, 1)


def month_span(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every first-of-month from the month of `start` to the month of `end`, inclusive."""
    first, last = start.replace(day=1), end.replace(day=1)
    out = []
    while first <= last:
        out.append(first)
        first = add_months(first, 1)
    return out


def parse_month(text: str) -> dt.date:
    """ "2026-03" (or a full ISO date) -> date(2026, 3, 1); a clear error otherwise."""
    try:
        return dt.date.fromisoformat(text[:7] + "-01")
    except ValueError:
        raise ValueError(f"not a month: {text!r} (expected YYYY-MM)") from None


def month_end(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def make_period(kind: str, end: dt.date, start: dt.date | None = None) -> Period:
    """The period of `kind` ending at the month of `end`; a custom range and all time also
    take their first month (`start`)."""
    end = end.replace(day=1)
    if kind in SPAN_KINDS:
        if start is None:
            raise ValueError(f"a {kind!r} period needs its first month")
        first = min(start.replace(day=1), end)
        span = f"{first:%b %Y} – {end:%b %Y}" if first != end else f"{end:%b %Y}"
        label = f"All time ({span})" if kind == "all" else span
        return Period(kind, end, first, month_span(first, end), label)
    if kind == "month":
        start, label = end, f"{end:%b %Y}"
    elif kind == "quarter":
        q = (end.month - 1) // 3
        start = dt.date(end.year, 3 * q + 1, 1)
        # A quarter not over yet is quarter-to-date, and says so (Oct alone is Q4-to-date).
        label = f"Q{q + 1} {end.year}" + (
            "" if end.month % 3 == 0 else f" quarter-to-date (to {end:%b})"
        )
    elif kind == "last_quarter":
        # The last quarter complete by the end month: Oct 2026 -> Q3 2026 (Jul-Sep).
        end = end if end.month % 3 == 0 else add_months(end, -(end.month % 3))
        return make_period("quarter", end)
    elif kind == "ytd":
        start, label = dt.date(end.year, 1, 1), f"YTD {end:%b %Y}"
    elif kind == "t3m":
        start, label = add_months(end, -2), f"3 months to {end:%b %Y}"
    elif kind == "t12m":
        start, label = add_months(end, -11), f"12 months to {end:%b %Y}"
    else:
        raise ValueError(f"unknown period kind {kind!r}; known: {', '.join(KINDS)}")
    return Period(kind, end, start, month_span(start, end), label)


def period_between(start: str | dt.date, end: str | dt.date) -> Period:
    """A custom range of whole months (the CLI's --from/--to)."""
    s = parse_month(start) if isinstance(start, str) else start.replace(day=1)
    e = parse_month(end) if isinstance(end, str) else end.replace(day=1)
    if s > e:
        raise ValueError(f"range starts after it ends: {s:%Y-%m} > {e:%Y-%m}")
    return Period("range", e, s, month_span(s, e), f"{s:%b %Y} – {e:%b %Y}")


def _span_label(months: list[dt.date]) -> str:
    first, last = min(months), max(months)
    if first == last:
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b} – {last:%b %Y}"
    return f"{first:%b %Y} – {last:%b %Y}"


def compare_list(compare: str | Sequence[str]) -> tuple[str, ...]:
    """The comparisons of "prev,yoy,target" (or of a sequence), in order, once each;
    ValueError on an unknown one or none."""
    parts = compare.split(",") if isinstance(compare, str) else list(compare)
    out = tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))
    unknown = [p for p in out if p not in COMPARES]
    if unknown or not out:
        raise ValueError(f"unknown comparison {compare!r}; known: {', '.join(COMPARES)}")
    return out


def comparison_label(period: Period, compare: str) -> str:
    """What a period is compared with, in words, like with like: "vs Sep 2026", "vs Q2 2026",
    a quarter-to-date "vs the same months of Q2 2026 (Apr – May 2026)", "vs the same period
    last year (Jul – Aug 2025)", "vs target", "vs budget"; several comparisons
    ("prev,yoy") each said, joined ("vs Sep 2026, the same period last year (…)")."""
    several = compare_list(compare)
    if len(several) > 1:
        words = [comparison_label(period, c).removeprefix("vs ") for c in several]
        return "vs " + ", ".join(words[:-1]) + " and " + words[-1]
    if compare in MONTHLESS:
        return f"vs {compare}"
    months = comparison_months(period, compare)
    span = _span_label(months)
    if compare == "yoy":
        return f"vs the same period last year ({span})"
    if period.kind == "quarter":
        first = months[0]
        quarter = f"Q{(first.month - 1) // 3 + 1} {first.year}"
        if len(months) == 3:
            return f"vs {quarter}"
        return f"vs the same months of {quarter} ({span})"
    return f"vs {span}"


def comparison_months(period: Period, compare: str) -> list[dt.date]:
    """The months a period is compared with (a target or a budget compares with no months)."""
    if compare == "yoy":
        return [add_months(m, -12) for m in period.months]
    if compare == "prev":
        shift = 3 if period.kind == "quarter" else len(period.months)
        return [add_months(m, -shift) for m in period.months]
    if compare in MONTHLESS:
        return []
    raise ValueError(f"unknown comparison {compare!r}; known: {', '.join(COMPARES)}")


def data_months(store, as_of: int | None = None) -> dict[str, dict[dt.date, int]]:
    """Visible rows per dataset and month (from the load segments, no row scan).

    Rows without a month (returns without a return date) are under the key None: the
    dataset is loaded though no month holds them.
    """
    out: dict[str, dict[dt.date, int]] = {}
    for r in memo.rows(store, "data_months", as_of=resolve_as_of(as_of)):
        out.setdefault(r["dataset"], {})[r["month"]] = int(r["rows"])
    return out


def available_months(store, as_of: int | None = None) -> list[dt.date]:
    """Months that hold actual data in any dataset (targets excluded), oldest first."""
    by_ds = data_months(store, as_of)
    return sorted({m for ds in ACTUAL_DATASETS for m in by_ds.get(ds, {}) if m is not None})


@dataclass(frozen=True)
class DefaultMonth:
    """The month a view opens on, why, and the later months that are not complete."""

    month: dt.date | None
    why: str
    incomplete: dict[dt.date, str]  # later month -> what it lacks ("orders only")


def _row_partial(rows: dict[dt.date, int], month: dt.date) -> bool:
    """A month with far fewer rows than the dataset's usual month (needs 3 earlier months)."""
    earlier = [n for m, n in rows.items() if m < month and n > 0]
    if len(earlier) < 3:
        return False
    median = statistics.median(earlier)
    return median >= PARTIAL_MIN_ROWS and rows.get(month, 0) < PARTIAL_SHARE * median


def complete_month(by_dataset: dict[str, dict[dt.date, int]]) -> DefaultMonth:
    """The latest month complete across the loaded datasets (rows per dataset and month).

    A dataset counts while its latest month is at most STALE_LAG months behind the latest
    month of any dataset (one that stopped earlier does not hold the scorecard back); its
    latest month is complete unless it has far fewer rows than usual. The default is the
    earliest of the counted datasets' latest complete months.
    """
    actual = {ds: rows for ds, rows in by_dataset.items() if ds in ACTUAL_DATASETS and rows}
    if not actual:
        return DefaultMonth(None, "no data loaded", {})
    latest = max(max(rows) for rows in actual.values())
    current = {ds: r for ds, r in actual.items() if max(r) >= add_months(latest, -STALE_LAG)}
    done = {}
    for ds, rows in current.items():
        last = max(rows)
        if _row_partial(rows, last):
            earlier = [m for m in rows if m < last]
            last = max(earlier) if earlier else last
        done[ds] = last
    month = min(done.values())
    incomplete = {}
    for m in month_span(add_months(month, 1), latest):
        have = sorted(ds for ds, r in current.items() if r.get(m))
        partial = sorted(ds for ds in have if done[ds] < m)
        lacking = sorted(set(current) - set(have))
        if len(have) < len(current) and len(have) <= 2:
            incomplete[m] = f"{' and '.join(have)} only" if have else "no data"
        elif lacking:
            incomplete[m] = f"no {', '.join(lacking)} yet"
        else:
            incomplete[m] = f"{', '.join(partial)} partly loaded"
    if not incomplete:
        why = "the latest month loaded"
    else:
        later = "; ".join(f"{m:%b %Y}: {what}" for m, what in incomplete.items())
        why = f"the latest month complete in every dataset ({later})"
    return DefaultMonth(month, why, incomplete)


def default_month(store, as_of: int | None = None) -> DefaultMonth:
    """The month a view opens on (see complete_month)."""
    return complete_month(data_months(store, as_of))


def resolve_period(
    store,
    kind: str = "month",
    month: str | None = None,
    as_of: int | None = None,
    start: str | None = None,
) -> Period:
    """The period of `kind` ending at `month` ("YYYY-MM"; default: latest complete month).

    A custom range starts at `start` (without one it is the end month alone); all time
    starts at the first month of data visible at `as_of`."""
    if month:
        end = parse_month(month)
    else:
        end = default_month(store, as_of).month or dt.date.today().replace(day=1)
    if kind == "all":
        months = available_months(store, as_of)
        return make_period(kind, end, months[0] if months else end)
    if kind == "range":
        return make_period(kind, end, parse_month(start) if start else end)
    return make_period(kind, end)


def is_monthly_grain(last_dates: dict[dt.date, dt.date | None]) -> bool:
    """Rows dated by their month only: every month's last date is its own 1st."""
    known = {m: d for m, d in last_dates.items() if m is not None and d is not None}
    return bool(known) and all(d == m for m, d in known.items())


def partial_months(rows: dict[dt.date, int], last_dates: dict[dt.date, dt.date | None]) -> set:
    """The months of one dataset that look only partly loaded (see the module docstring).

    `rows` = visible rows per month; `last_dates` = the last date seen in some months.
    """
    rows = {m: n for m, n in rows.items() if m is not None}
    if not rows:
        return set()
    if is_monthly_grain(last_dates):
        return set()
    partial = set()
    latest = max(rows)
    last = last_dates.get(latest)
    if last is not None and (month_end(latest) - last).days > PARTIAL_DAYS:
        partial.add(latest)
    earlier = [n for m, n in rows.items() if m < latest and n > 0]
    if len(earlier) >= 3 and rows[latest] < PARTIAL_SHARE * statistics.median(earlier):
        partial.add(latest)
    return partial
