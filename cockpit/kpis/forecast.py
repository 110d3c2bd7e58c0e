"""Forecast to period end, and the pacing target (the target to date) of an unfinished period.

A period is unfinished when its last month is still arriving (the partial-month flag of
cockpit.kpis.periods, judged from the loaded data), or when it is a quarter or a year to
date: the forecast runs to the quarter's or the year's last month.

Method, per additive component of the KPI's monthly families (orders, revenue, on-time
numerator and denominator, ...), so a ratio KPI is the ratio of its forecast numerator and
denominator (engine.evaluate on the forecast sums):
- `share` s of the current month done: the weekday shape of past months (rows per weekday,
  per dataset, kpi_daily_rows.sql) summed over the days loaded, else days elapsed / days.
- H(m), the history's expectation of a whole month m: the mean of the three complete months
  before the current one, times the month-of-year index x(m-12) / mean(x(M-15..M-13)) when
  two years exist.
- the current month: so far x + (1 - s) R, with R = x + (1 - s) H(M) (the run rate x / s
  weighted s against history's H(M)); each later month of the period: H(m) R / H(M).
- the seasonal naive: so far x + (1 - s) x(M-12) and x(m-12) for later months (the month
  before when there is no year-ago month).
The backtest (`backtest`) forecasts each complete month from the months before it, both
ways; the model is shown only where its mean absolute error beats the naive one's, else
the naive forecast, saying so. The interval (80 %) is the 10th-90th percentile of the
chosen method's backtest errors (relative for additive KPIs, in the KPI's unit for ratios),
applied to the part of the period still to come.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import statistics
from dataclasses import asdict, dataclass, field

from cockpit.kpis.catalogue import Kpi
from cockpit.kpis.periods import Period, add_months, month_end, month_span
from cockpit.kpis.targets import is_additive

HISTORY = 3  # complete months in the level
MIN_BACKTEST = 4  # backtest errors needed for an interval and a verdict on the model
LOW_Q, HIGH_Q = 0.1, 0.9
MODEL, NAIVE = "model", "seasonal_naive"
FORECAST_KINDS = ("month", "quarter", "ytd")


def period_end(period: Period) -> dt.date | None:
    """The last month of the whole period: a quarter's third month, a year's December (None
    for trailing periods, ranges and all time: they end where they end)."""
    if period.kind == "month":
        return period.end
    if period.kind == "quarter":
        return dt.date(period.end.year, ((period.end.month - 1) // 3) * 3 + 3, 1)
    if period.kind == "ytd":
        return dt.date(period.end.year, 12, 1)
    return None


def weekday_weights(days: dict[dt.date, int], before: dt.date) -> dict[int, float] | None:
    """Rows per calendar day of each weekday (0 = Monday) over the days before `before`
    (whole months only); None with fewer than 8 weeks of days."""
    known = {d: n for d, n in days.items() if d < before}
    if not known:
        return None
    first = min(known).replace(day=1)
    span = (before - first).days
    if span < 56:
        return None
    counts = [0] * 7
    totals = [0.0] * 7
    for i in range(span):
        d = first + dt.timedelta(days=i)
        counts[d.weekday()] += 1
        totals[d.weekday()] += known.get(d, 0)
    return {w: totals[w] / counts[w] for w in range(7) if counts[w]}


def month_share(last: dt.date, weights: dict[int, float] | None = None) -> float:
    """The share of its month done by day `last` (inclusive): the weekday shape, else the
    days elapsed over the days in the month."""
    days = calendar.monthrange(last.year, last.month)[1]
    if weights and sum(weights.values()) > 0:
        per_day = [weights.get(dt.date(last.year, last.month, d).weekday(), 0.0)
                   for d in range(1, days + 1)]  # fmt: skip
        total = sum(per_day)
        if total > 0:
            return sum(per_day[: last.day]) / total
    return last.day / days


# -- one component ---------------------------------------------------------------------------
def _mean(values: list) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if len(known) == len(values) and known else None


def expected(series: dict[dt.date, float], month: dt.date, origin: dt.date) -> float | None:
    """H(month): history's whole-month expectation from the complete months before `origin`
    (the month in progress): the last HISTORY months' mean, times the month-of-year index
    when the same months a year earlier are there."""
    base = _mean([series.get(add_months(origin, -i)) for i in range(1, HISTORY + 1)])
    if base is None:
        last = series.get(add_months(origin, -1))
        return None if last is None else float(last)
    year_ago = series.get(add_months(month, -12))
    base_ago = _mean([series.get(add_months(origin, -12 - i)) for i in range(1, HISTORY + 1)])
    if year_ago is not None and base_ago:
        return float(year_ago) * base / base_ago
    return base


def naive(series: dict[dt.date, float], month: dt.date, origin: dt.date) -> float | None:
    """The seasonal naive whole month: the same month a year earlier, else the last month."""
    year_ago = series.get(add_months(month, -12))
    if year_ago is not None:
        return float(year_ago)
    last = series.get(add_months(origin, -1))
    return None if last is None else float(last)


def rest_of_period(
    series: dict[dt.date, float],
    *,
    current: dt.date,
    so_far: float | None,
    share: float,
    later: list[dt.date],
    method: str = MODEL,
) -> float | None:
    """The component's amount still to come: the rest of `current` (so far `so_far`, share
    `share` done) and the whole `later` months; None when history gives no expectation."""
    x = float(so_far or 0.0)
    if method == NAIVE:
        whole = naive(series, current, current)
        if whole is None:
            return None
        rest = (1 - share) * whole
        for m in later:
            n = naive(series, m, current)
            if n is None:
                return None
            rest += n
        return rest
    h = expected(series, current, current)
    if h is None:
        return None
    rate = x + (1 - share) * h  # the run rate x / s, weighted s, against history's h
    rest = (1 - share) * rate
    momentum = rate / h if h else 1.0
    for m in later:
        hm = expected(series, m, current)
        if hm is None:
            return None
        rest += hm * momentum
    return rest


# -- a KPI -------------------------------------------------------------------------------------
NumericSums = dict[str, dict]  # {family: {component: value}} as engine.Components.sums gives


def _numeric(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def components_of(kpi: Kpi) -> set[tuple[str, str]]:
    """The (family, component) pairs a KPI's value reads (a product's, its factors')."""
    from cockpit.kpis.registry import lookup

    out: set[tuple[str, str]] = set()
    for name in (kpi.numerator, kpi.denominator, kpi.requires):
        for n in name if isinstance(name, tuple) else (name,):
            if n:
                out.add(tuple(n.split(".", 1)))
    for factor in kpi.factors:
        out |= components_of(lookup(factor))
    return out


def component_series(
    by_month: dict[dt.date, NumericSums], only: set | None = None
) -> dict[tuple[str, str], dict]:
    """{(family, component): {month: value}} of the numeric components of monthly sums
    (`only` those pairs when given)."""
    out: dict[tuple[str, str], dict] = {}
    for month, sums in by_month.items():
        for fam, comps in sums.items():
            for comp, v in comps.items():
                if (only is None or (fam, comp) in only) and _numeric(v):
                    out.setdefault((fam, comp), {})[month] = float(v)
    return out


def period_sums(
    by_month: dict[dt.date, NumericSums],
    to_date: NumericSums,
    *,
    current: dt.date,
    current_sums: NumericSums | None = None,
    share: float,
    later: list[dt.date],
    method: str,
    series: dict | None = None,
    only: set | None = None,
) -> NumericSums | None:
    """The components summed to period end: `to_date` (the period so far) plus each numeric
    component's rest, from the current month's amount so far (`current_sums`; none loaded
    yet when empty); histograms and dates stay as they are. None when a component has no
    expectation. `only`: the (family, component) pairs to forecast (the KPI's), the others
    kept as they are."""
    current_sums = current_sums or {}
    if series is None:  # (`expected` and `naive` read only months before `current`)
        series = component_series({m: s for m, s in by_month.items() if m < current}, only)
    out = {fam: dict(comps) for fam, comps in to_date.items()}
    for fam, comps in to_date.items():
        for comp, v in comps.items():
            # `rows` is forecast only where the KPI reads it (contacts per 1,000 orders).
            wanted = (fam, comp) in only if only is not None else comp != "rows"
            if not wanted or not _numeric(v):
                continue
            so_far = (current_sums.get(fam) or {}).get(comp)
            rest = rest_of_period(series.get((fam, comp), {}), current=current,
                                  so_far=so_far if _numeric(so_far) else 0.0, share=share,
                                  later=later, method=method)  # fmt: skip
            if rest is None:
                return None
            out[fam][comp] = v + rest
    return out


@dataclass
class Backtest:
    """One-month-ahead errors of the model and the seasonal naive over a KPI's history."""

    n: int
    mape_model: float | None
    mape_naive: float | None
    mae_model: float | None
    mae_naive: float | None
    errors_model: list[float]  # relative (additive KPIs) or in the KPI's unit (ratios)
    errors_naive: list[float]

    @property
    def method(self) -> str:
        """The model when its backtest error beats the naive's (on at least MIN_BACKTEST)."""
        if self.n >= MIN_BACKTEST and self.mae_model is not None and self.mae_naive is not None:
            return MODEL if self.mae_model < self.mae_naive else NAIVE
        return NAIVE

    @property
    def mase(self) -> float | None:
        """The model's mean absolute error over the seasonal naive's (below 1: it beats it)."""
        if self.mae_model is None or not self.mae_naive:
            return None
        return self.mae_model / self.mae_naive


def _err(kpi: Kpi, actual: float, forecast: float) -> float:
    if is_additive(kpi):
        return actual / forecast - 1 if forecast else math.inf
    return actual - forecast


def backtest(kpi: Kpi, by_month: dict[dt.date, NumericSums], evaluate) -> Backtest:
    """Rolling origin over the complete months of `by_month`: each month forecast (share 0)
    from the months before it by the model and by the seasonal naive. `evaluate(kpi, sums)`
    is the engine's (a value or None)."""
    months = sorted(by_month)
    only = components_of(kpi)
    series = component_series(by_month, only)
    errs: dict[str, list[float]] = {MODEL: [], NAIVE: []}
    abs_err: dict[str, list[float]] = {MODEL: [], NAIVE: []}
    pct: dict[str, list[float]] = {MODEL: [], NAIVE: []}
    for m in months:
        if add_months(m, -HISTORY) not in by_month:
            continue
        actual = evaluate(kpi, by_month[m])
        if actual is None:
            continue
        # Nothing of the month known yet, but its rows (a family with no rows has no value).
        zero = {fam: {**comps, **{c: 0 for f, c in only if f == fam and c in comps}}
                for fam, comps in by_month[m].items()}  # fmt: skip
        found = {}
        for method in (MODEL, NAIVE):
            sums = period_sums(by_month, zero, current=m, share=0.0, later=[], method=method,
                               series=series, only=only)  # fmt: skip
            found[method] = None if sums is None else evaluate(kpi, sums)
        if any(v is None for v in found.values()):
            continue
        for method, f in found.items():
            errs[method].append(_err(kpi, actual, f))
            abs_err[method].append(abs(actual - f))
            if actual:
                pct[method].append(abs(actual - f) / abs(actual) * 100)
    return Backtest(
        n=len(errs[MODEL]),
        mape_model=statistics.fmean(pct[MODEL]) if pct[MODEL] else None,
        mape_naive=statistics.fmean(pct[NAIVE]) if pct[NAIVE] else None,
        mae_model=statistics.fmean(abs_err[MODEL]) if abs_err[MODEL] else None,
        mae_naive=statistics.fmean(abs_err[NAIVE]) if abs_err[NAIVE] else None,
        errors_model=errs[MODEL],
        errors_naive=errs[NAIVE],
    )


def quantile(values: list[float], q: float) -> float:
    """Linear-interpolated quantile (like numpy's default)."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (pos - lo) * (ordered[hi] - ordered[lo])


def interval(
    kpi: Kpi, value: float, rest: float, weight: float, errors: list[float]
) -> tuple[float, float] | None:
    """The 80 % range of a forecast `value`: the errors' 10th-90th percentiles applied to
    the part still to come (`rest`, the additive amount; `weight`, its share of a ratio's
    denominator). None with fewer than MIN_BACKTEST errors."""
    finite = [e for e in errors if math.isfinite(e)]
    if len(finite) < MIN_BACKTEST:
        return None
    lo, hi = quantile(finite, LOW_Q), quantile(finite, HIGH_Q)
    if is_additive(kpi):
        ends = value + rest * lo, value + rest * hi
    else:
        ends = value + weight * lo, value + weight * hi
    return min(ends), max(ends)  # a negative rest (a variance) turns the range round


VERDICTS = {
    "hit": "likely hit",
    "reach": "within reach",
    "risk": "at risk",
    "miss": "likely miss",
}


def verdict(kpi: Kpi, value: float, low: float | None, high: float | None,
            target: float | None) -> str | None:  # fmt: skip
    """Whether the period end makes its target: "likely hit" (the whole range does),
    "within reach" (the forecast does, not all the range), "at risk" (the forecast misses,
    not all the range), "likely miss" (the whole range misses); None without a target."""
    if target is None:
        return None
    sign = 1.0 if kpi.higher_is_better else -1.0
    makes = sign * value >= sign * target
    if low is None or high is None:
        return VERDICTS["reach" if makes else "risk"]
    worst = low if kpi.higher_is_better else high
    best = high if kpi.higher_is_better else low
    if makes:
        return VERDICTS["hit" if sign * worst >= sign * target else "reach"]
    return VERDICTS["miss" if sign * best < sign * target else "risk"]


@dataclass
class Forecast:
    """A KPI's expected value at period end, its 80 % range, and how it was made."""

    value: float
    low: float | None
    high: float | None
    end: dt.date  # the period's last month
    method: str  # MODEL or NAIVE
    target: float | None  # the whole period's target
    verdict: str | None
    share_done: float  # of the current month
    through: dt.date  # the last day loaded
    backtest_n: int
    mase: float | None  # model MAE / naive MAE in the backtest
    note: str
    months: list[tuple] = field(default_factory=list)  # [(month, value, low, high)]

    def to_json(self) -> dict:
        out = asdict(self)
        out["end"] = self.end.strftime("%Y-%m")
        out["through"] = self.through.isoformat()
        out["months"] = [
            {"month": m.strftime("%Y-%m"), "value": v, "low": lo, "high": hi}
            for m, v, lo, hi in self.months
        ]
        return out


def method_note(bt: Backtest) -> str:
    """What the card's hover and the JSON say about the method."""
    if bt.n < MIN_BACKTEST:
        return (f"seasonal naive: {bt.n} backtest months, too few to judge the model"
                " (it needs 4)")  # fmt: skip
    ratio = f"{bt.mase:.2f}" if bt.mase is not None else "—"
    if bt.method == MODEL:
        return (
            f"run rate with history's shape: beat the seasonal naive in the backtest (MASE {ratio})"
        )
    return f"seasonal naive: the model did not beat it in the backtest (MASE {ratio})"


def forecast_kpi(
    kpi: Kpi,
    *,
    by_month: dict[dt.date, NumericSums],
    to_date: NumericSums,
    current_sums: NumericSums,
    current: dt.date,
    share: float,
    end: dt.date,
    target: float | None,
    evaluate,
    through: dt.date | None = None,
) -> Forecast | None:
    """The forecast to `end` of a KPI whose period is summed so far in `to_date`, its
    current month `current` `share` done (its amounts so far in `current_sums`, empty when
    none is loaded yet); `by_month` holds the complete months before it
    (and may hold more). `evaluate(kpi, sums)` -> (value, denominator) or None."""
    if kpi.formula not in ("ratio", "product"):
        return None  # percentiles do not add up: no forecast of a period's percentile
    history = {m: s for m, s in by_month.items() if m < current}
    bt = backtest(kpi, history, lambda k, s: (evaluate(k, s) or (None,))[0])
    method = bt.method
    later = [m for m in month_span(add_months(current, 1), end)] if end > current else []
    only = components_of(kpi)
    sums = period_sums(history, to_date, current=current, current_sums=current_sums,
                       share=share, later=later, method=method, only=only)  # fmt: skip
    if sums is None:
        return None
    got, done = evaluate(kpi, sums), evaluate(kpi, to_date)
    if got is None or got[0] is None:
        return None
    value, den = got
    so_far_value = done[0] if done else None
    rest = value - (so_far_value or 0.0) if is_additive(kpi) else 0.0
    weight = _weight(den, done[1] if done else None, share, len(later))
    errors = bt.errors_model if method == MODEL else bt.errors_naive
    band = interval(kpi, value, rest, weight, errors)
    low, high = band if band else (None, None)
    months = month_values(kpi, history, current_sums, current=current, share=share,
                          later=later, method=method, errors=errors, evaluate=evaluate)  # fmt: skip
    return Forecast(
        value=value, low=low, high=high, end=end, method=method, target=target,
        verdict=verdict(kpi, value, low, high, target), share_done=share,
        through=through or month_end(add_months(current, -1)), backtest_n=bt.n,
        mase=bt.mase, note=method_note(bt), months=months,
    )  # fmt: skip


def month_values(
    kpi: Kpi, history: dict, current_sums: NumericSums, *, current: dt.date, share: float,
    later: list[dt.date], method: str, errors: list[float], evaluate,
) -> list[tuple]:  # fmt: skip
    """Each month's own forecast to period end, for the monthly trend: [(month, value, low,
    high)], the month in progress (its part so far and the rest) then the later months."""
    series = component_series(history, components_of(kpi))
    rows = (
        {fam: comps.get("rows") for fam, comps in history[max(history)].items()} if history else {}
    )
    out = []
    for i, month in enumerate([current, *later]):
        sums: NumericSums = {}
        for (fam, comp), values in series.items():
            cur = current_sums.get(fam, {}).get(comp) if i == 0 else None
            cur = cur if _numeric(cur) else 0.0
            so_far = (current_sums.get(fam) or {}).get(comp)
            so_far = so_far if _numeric(so_far) else 0.0
            args = {"current": current, "so_far": so_far, "share": share, "method": method}
            before = rest_of_period(values, later=later[: max(i - 1, 0)], **args)
            upto = rest_of_period(values, later=later[:i], **args)
            if before is None or upto is None:
                return []
            part = upto if i == 0 else upto - before
            sums.setdefault(fam, {})[comp] = cur + part
            if comp != "rows":
                sums[fam]["rows"] = sums[fam].get("rows") or rows.get(fam) or 1
        got = evaluate(kpi, sums)
        if got is None or got[0] is None:
            return []
        value = got[0]
        done = evaluate(kpi, current_sums) if i == 0 and current_sums else None
        rest = value - (done[0] if done else 0.0) if is_additive(kpi) else 0.0
        weight = (1 - share) if i == 0 else 1.0
        band = interval(kpi, value, rest if i == 0 or not is_additive(kpi) else value, weight,
                        errors)  # fmt: skip
        out.append((month, value, *(band or (None, None))))
    return out


def _weight(den_total, den_done, share: float, later: int) -> float:
    """The share of a ratio's period still to come: of its denominator when it has one,
    else in months."""
    if den_total and den_done is not None:
        return max(0.0, min(1.0, 1 - den_done / den_total))
    months = later + 1
    return (1 - share + later) / months if months else 0.0


# -- pacing ------------------------------------------------------------------------------------
def target_to_date(
    kpi: Kpi, monthly: dict[dt.date, float | None], months: list[dt.date],
    current: dt.date | None, share: float,
) -> float | None:  # fmt: skip
    """The target to date: for an additive KPI, the months done's targets plus `share` of
    the current month's (every month needs one); for a ratio, the same rate as the period
    (the mean of the months' targets)."""
    targets = [monthly.get(m) for m in months]
    if is_additive(kpi):
        if any(t is None for t in targets):
            return None
        return sum(
            t * (share if m == current else 1.0) for t, m in zip(targets, months, strict=True)
        )
    known = [t for t in targets if t is not None]
    return sum(known) / len(known) if known else None


def last_day(month: dt.date, last_dates: dict[dt.date, dt.date | None]) -> dt.date:
    """The last day loaded of `month` (its month end when unknown)."""
    got = last_dates.get(month)
    return got if got is not None and got.replace(day=1) == month else month_end(month)


# -- charts' points --------------------------------------------------------------------------------
def pace_points(
    period: Period,
    values: dict[dt.date, float | None],
    targets: dict[dt.date, float | None],
    forecast: Forecast,
) -> dict[str, list[tuple]]:
    """The cumulative chart of an additive KPI's unfinished period, by day: `actual`
    [(day, cumulative)] from 0 at the period's start through each month done to the last
    day loaded; `pacing` [(day, cumulative target)] to the period's end (empty unless every
    month has a target); `forecast` [(day, value, low, high)] from the last actual point to
    the period's end (low/high None without a range)."""
    start = period.start - dt.timedelta(days=1)
    actual, total = [(start, 0.0)], 0.0
    for m in month_span(period.start, forecast.through):
        total += values.get(m) or 0.0
        actual.append((min(month_end(m), forecast.through), total))
    pacing: list[tuple] = []
    months = month_span(period.start, forecast.end)
    if all(targets.get(m) is not None for m in months):
        pacing, cum = [(start, 0.0)], 0.0
        for m in months:
            cum += targets[m]
            pacing.append((month_end(m), cum))
    last = actual[-1]
    line = [(last[0], last[1], last[1], last[1]),
            (month_end(forecast.end), forecast.value, forecast.low, forecast.high)]  # fmt: skip
    return {"actual": actual, "pacing": pacing, "forecast": line}
