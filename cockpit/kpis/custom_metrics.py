"""Custom metrics: an analyst's KPI defined as a SQL aggregate over one dataset.

A metric is `numerator [/ denominator] x scale` where both are aggregate expressions over the
dataset's columns (e.g. `sum(freight_cost)` / `sum(weight_kg)`). It is validated before it is
saved: DuckDB parses it, and its syntax tree may hold only the dataset's columns, constants,
operators and an allowlist of functions (no subqueries, tables, windows or settings); then it
runs once through the SQL guard. It is always computed through the same guard (read-only,
time limit), with period months and filters bound as parameters. The expression text is the
one piece of user SQL the app composes into a query: that is what a custom metric is, and the
allowlist above is what makes it safe.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass

from cockpit import auth, currency, datasets, items
from cockpit.kpis import targets as targets_mod
from cockpit.kpis.catalogue import _FORMATTERS, Kpi
from cockpit.kpis.engine import Comparison, KpiValue
from cockpit.kpis.periods import Period, add_months, compare_list, comparison_months
from cockpit.sqlguard import QueryRefused, run_readonly
from cockpit.sqltree import expression_nodes
from cockpit.store import LATEST, Store, resolve_as_of

SETTING = "custom_metrics"  # the kind of kept item (cockpit.items) a metric is
GROUPS = ("Efficiency", "Cost", "Customer", "Custom")
AGGREGATES = {
    "sum",
    "count",
    "count_star",
    "avg",
    "mean",
    "min",
    "max",
    "median",
    "quantile_cont",
    "quantile_disc",
    "stddev",
    "stddev_samp",
    "stddev_pop",
    "bool_and",
    "bool_or",
    "approx_count_distinct",
    "fsum",
    "mode",
}
SCALARS = {
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "coalesce",
    "nullif",
    "abs",
    "round",
    "greatest",
    "least",
    "date_diff",
    "datediff",
    "epoch",
    "date_part",
    "datepart",
    "year",
    "month",
    "day",
    "lower",
    "upper",
    "trim",
    "length",
    "ln",
    "log",
    "sqrt",
    "power",
    "pow",
    "floor",
    "ceil",
    "ifnull",
    "if",
    "~~",
    "!~~",
    "~~*",
    "!~~*",
    "contains",
    "starts_with",
    "regexp_matches",
    "isnan",
    "isfinite",
}
_ALLOWED_CLASSES = {
    "FUNCTION",
    "COLUMN_REF",
    "CONSTANT",
    "CASE",
    "COMPARISON",
    "CONJUNCTION",
    "OPERATOR",
    "CAST",
    "BETWEEN",
}
_ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class MetricInvalid(ValueError):
    """A custom metric that cannot be saved; the message says why."""


@dataclass(frozen=True)
class CustomMetric:
    id: str
    label: str
    dataset: str
    numerator: str
    denominator: str | None = None
    scale: float = 1.0
    fmt: str = "number"
    direction: str = "higher"
    target: float | None = None
    amber: float | None = None
    group: str = "Custom"
    description: str = ""

    @property
    def kpi_id(self) -> str:
        return f"custom_{self.id}"

    def as_kpi(self) -> Kpi:
        """The metric in the catalogue's shape, so cards and formats treat it like a built-in."""
        formula = f"{self.numerator}" + (f" / {self.denominator}" if self.denominator else "")
        return Kpi(
            id=self.kpi_id,
            label=self.label,
            group=self.group,
            unit=self.fmt,
            fmt=self.fmt,
            direction=self.direction,
            datasets=(self.dataset,),
            description=self.description or f"Custom metric over {self.dataset}: {formula}",
            default_target=self.target,
            default_amber=self.amber,
        )


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "metric"


# -- validation ------------------------------------------------------------------------------


def _walk(tree, dataset: datasets.Dataset, found: dict) -> None:
    for node in expression_nodes(tree):
        _check(node, dataset, found)


def _check(node: dict, dataset: datasets.Dataset, found: dict) -> None:
    cls = node["class"]
    if cls not in _ALLOWED_CLASSES:
        raise MetricInvalid(f"{cls.lower().replace('_', ' ')} is not allowed in a metric")
    if cls == "COLUMN_REF":
        names = node.get("column_names", [])
        if len(names) != 1 or names[0] not in dataset.column_names:
            raise MetricInvalid(
                f"{'.'.join(names)} is not a column of {dataset.name} "
                f"(columns: {', '.join(dataset.column_names)})"
            )
    if cls == "FUNCTION":
        name = node.get("function_name", "").lower()
        if name in AGGREGATES:
            found["aggregate"] = True
        elif name not in SCALARS:
            raise MetricInvalid(f"the function {name}() is not allowed in a metric")


def check_expression(store: Store, dataset: str, expression: str) -> None:
    """Raise MetricInvalid unless `expression` is one safe aggregate over `dataset`'s columns."""
    ds = datasets.get(dataset)
    if not expression or not expression.strip():
        raise MetricInvalid("write an aggregate, e.g. sum(revenue)")
    if ";" in expression or "--" in expression or "/*" in expression:
        raise MetricInvalid("write one expression, without ';' or comments")
    cur = store.cursor()
    try:
        raw = cur.execute(
            "SELECT json_serialize_sql($q)", {"q": f"SELECT ({expression}) FROM t"}
        ).fetchone()[0]
    finally:
        cur.close()
    tree = json.loads(raw)
    if tree.get("error"):
        raise MetricInvalid(f"not valid SQL: {tree.get('error_message', 'parse error')}")
    statements = tree.get("statements", [])
    if len(statements) != 1:
        raise MetricInvalid("write one expression")
    select_list = statements[0]["node"].get("select_list", [])
    if len(select_list) != 1:
        raise MetricInvalid("write one expression")
    found: dict = {}
    _walk(select_list, ds, found)
    if not found.get("aggregate"):
        raise MetricInvalid("a metric must aggregate, e.g. sum(...), count(*), avg(...)")


def validate(store: Store, metric: CustomMetric) -> None:
    """Check every field and run the metric once over the data; raise MetricInvalid."""
    if not _ID.match(metric.id):
        raise MetricInvalid("the id must be lower-case letters, digits and _ (2-41 characters)")
    if not metric.label.strip():
        raise MetricInvalid("give the metric a label")
    if metric.dataset not in datasets.DATASETS:
        raise MetricInvalid(f"unknown dataset {metric.dataset!r}")
    if metric.fmt not in _FORMATTERS:
        raise MetricInvalid(f"format must be one of {', '.join(_FORMATTERS)}")
    if metric.direction not in ("higher", "lower"):
        raise MetricInvalid("direction must be higher or lower")
    if metric.group not in GROUPS:
        raise MetricInvalid(f"group must be one of {', '.join(GROUPS)}")
    if not math.isfinite(metric.scale):
        raise MetricInvalid("scale must be a number")
    check_expression(store, metric.dataset, metric.numerator)
    if metric.denominator:
        check_expression(store, metric.dataset, metric.denominator)
    try:
        _run(store, metric, months=None, filters={}, as_of=LATEST, monthly=False)
    except QueryRefused as exc:
        raise MetricInvalid(f"it does not run: {exc}") from None


# -- storage ---------------------------------------------------------------------------------


def list_metrics(store: Store) -> list[CustomMetric]:
    """The custom metrics, oldest first (each is one kept item: cockpit.items)."""
    kept = items.listing(store, SETTING)
    return [CustomMetric(**item["value"]) for item in reversed(kept.values())]


def save_metric(store: Store, metric: CustomMetric, user: auth.User) -> None:
    """Validate and save (analysts and admins): one row, its own transaction."""
    auth.require(user, "custom_metric")
    validate(store, metric)
    items.put(store, SETTING, metric.id, asdict(metric), user=user.name)


def delete_metric(store: Store, metric_id: str, user: auth.User) -> bool:
    auth.require(user, "custom_metric")
    return items.remove(store, SETTING, metric_id, user=user.name)


def definitions(store: Store) -> dict[str, Kpi]:
    """The custom metrics' definitions by KPI id, for cockpit.kpis.registry.lookup."""
    return {m.kpi_id: m.as_kpi() for m in list_metrics(store)}


def find(store: Store, kpi_id: str) -> CustomMetric | None:
    return next((m for m in list_metrics(store) if m.kpi_id == kpi_id), None)


# -- computing ---------------------------------------------------------------------------------


def _filter_sql(ds: datasets.Dataset, filters: dict) -> tuple[str, dict, list[str]]:
    """Bound filter predicates for the dimensions this dataset has; the ones it lacks."""
    parts, params, missing = [], {}, []
    for dim, values in filters.items():
        if not values:
            continue
        if dim not in ds.column_names:
            missing.append(dim)
            continue
        parts.append(f"list_contains($f_{dim}, {dim})")  # dim checked against the catalogue
        params[f"f_{dim}"] = list(values)
    return (" AND " + " AND ".join(parts)) if parts else "", params, missing


def _run(store, metric: CustomMetric, *, months, filters, as_of, monthly: bool):
    ds = datasets.get(metric.dataset)
    den = f"nullif(({metric.denominator}), 0)" if metric.denominator else "1"
    where, params, _ = _filter_sql(ds, filters)
    month_clause = "list_contains($months, _month)" if months is not None else "true"
    if months is not None:
        params["months"] = list(months)
    params["as_of"] = as_of
    params["scale"] = float(metric.scale)
    group = "GROUP BY _month ORDER BY _month" if monthly else ""
    select_month = "_month AS month, " if monthly else ""
    sql = (
        f"SELECT {select_month}({metric.numerator}) / {den} * $scale AS value "
        f"FROM {ds.name}_asof($as_of) WHERE {month_clause}{where} {group}"
    )
    return run_readonly(store, sql, params=params, max_rows=1000, timeout_s=20).table.to_pylist()


def _value(rows) -> float | None:
    if not rows:
        return None
    v = rows[0]["value"]
    return None if v is None or not math.isfinite(float(v)) else float(v)


def _reads_money(metric: CustomMetric) -> bool:
    """Whether a metric adds amounts of money (its format, or a money column it names)."""
    if metric.dataset not in currency.money_datasets():
        return False
    text = f"{metric.numerator} {metric.denominator or ''}".lower()
    words = set(re.findall(r"[a-z_]+", text))
    return metric.fmt == "money" or bool(words & set(currency.MONEY_COLUMNS))


def compute(
    store,
    metric: CustomMetric,
    *,
    period: Period,
    compare: str = "prev",
    filters: dict | None = None,
    as_of: int | None = None,
) -> KpiValue:
    """The metric as a scorecard value: value, comparison, target, status and sparkline."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    as_of = resolve_as_of(as_of)
    kpi = metric.as_kpi()
    _, _, missing = _filter_sql(datasets.get(metric.dataset), filters)
    value = previous = None
    compares = compare_list(compare)
    before: dict[str, float | None] = {"target": metric.target}  # a metric has no budget
    spark: list = []
    mixed = currency.for_view(store, as_of, filters)
    if missing:
        reason = f"{metric.dataset} has no {', '.join(missing)} column"
    elif mixed.mixed and _reads_money(metric):  # never £ and $ added (issue 23)
        reason = mixed.reason
    else:

        def run(months, monthly=False):
            return _run(store, metric, months=months, filters=filters, as_of=as_of, monthly=monthly)

        value = _value(run(period.months))
        for c in compares:
            if c in ("prev", "yoy"):
                before[c] = _value(run(comparison_months(period, c)))
        previous = before.get(compares[0])
        spark_start = add_months(period.end, -23)
        monthly = run([add_months(spark_start, i) for i in range(24)], monthly=True)
        spark = [(r["month"], None if r["value"] is None else float(r["value"])) for r in monthly]
        reason = None if value is not None else f"no {metric.dataset} data for this period"
    change = None if value is None or previous is None else value - previous
    comparisons = {}
    for c in compares:
        against = before.get(c)
        diff = None if value is None or against is None else value - against
        pct = None if diff is None or not against else 100 * diff / abs(against)
        comparisons[c] = Comparison(c, against, diff, pct)
    return KpiValue(
        id=kpi.id,
        label=kpi.label,
        group=kpi.group,
        unit=kpi.unit,
        value=value,
        previous=previous,
        change=change,
        change_pct=None if change is None or not previous else 100 * change / abs(previous),
        target=metric.target,
        status=targets_mod.status(
            kpi, value, metric.target, targets_mod.amber_threshold(kpi, metric.target, metric.amber)
        ),
        reason=reason,
        spark=spark,
        comparisons=comparisons,
    )
