"""The canonical datasets: their columns, types and requirements. Their header synonyms are
read from queries/vocabulary/<dataset>.toml (cockpit.vocabulary), where they are written.

Every canonical table also carries the system columns of SYSTEM_COLUMNS, which tie each
row to the load it came from (lineage, versioning, as-of reads).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cockpit import vocabulary

# Canonical column types, as DuckDB types.
DATE = "DATE"
TIMESTAMP = "TIMESTAMP"
TEXT = "VARCHAR"
NUMBER = "DOUBLE"
BOOL = "BOOLEAN"

SYSTEM_COLUMNS: dict[str, str] = {
    "_load_id": "BIGINT",  # the load (ledger row) the row came from
    "_seg": "BIGINT",  # the load segment (load, month, site) used for supersede/as-of
    "_row": "BIGINT",  # 1-based row number in the source sheet, for lineage
    "_month": "DATE",  # first day of the reporting month of the row
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    synonyms: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    columns: tuple[Column, ...]
    # Each inner tuple is one alternative set of columns that must all be mapped;
    # the dataset is satisfied when every group has at least one alternative mapped.
    required: tuple[tuple[tuple[str, ...], ...], ...]
    month_column: str | None
    site_column: str | None = None
    description: str = ""
    # A second column the reporting month comes from when month_column is blank.
    month_fallback: str | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The synonyms are data (queries/vocabulary/<name>.toml), filled in here.
        cols = tuple(
            replace(c, synonyms=c.synonyms or vocabulary.synonyms(self.name, c.name))
            for c in self.columns
        )
        object.__setattr__(self, "columns", cols)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def missing_required(self, mapped: set[str]) -> list[str]:
        """Human-readable descriptions of required groups not satisfied by `mapped`."""
        missing = []
        for group in self.required:
            if not any(all(c in mapped for c in alt) for alt in group):
                missing.append(" or ".join(" + ".join(alt) for alt in group))
        return missing


def _c(name: str, type_: str, description: str = "") -> Column:
    """A column; its synonyms come from the vocabulary when its dataset is made."""
    return Column(name, type_, (), description)


ORDERS = Dataset(
    name="orders",
    label="Orders and shipping",
    description="A row per order line, or per product and month in an aggregated sales export.",
    columns=(
        _c("order_date", DATE),
        _c("order_id", TEXT),
        _c("ship_date", DATE),
        # Promise and delivery may carry a time of day (a timestamp); one at midnight is taken
        # as a date alone, and on-time compares at the coarser precision of the two.
        _c("promised_date", TIMESTAMP),
        _c("delivered_date", TIMESTAMP),
        _c("site", TEXT),
        _c("region", TEXT),
        _c("customer", TEXT),
        _c("product", TEXT),
        _c("category", TEXT),
        _c("channel", TEXT),
        _c("ship_mode", TEXT),
        _c("quantity", NUMBER),
        _c("revenue", NUMBER),
        _c("cost", NUMBER),
        _c("profit", NUMBER),
        _c("freight_cost", NUMBER),
        _c("weight_kg", NUMBER),
    ),
    required=((("order_date",),), (("order_id",), ("quantity",), ("revenue",))),
    month_column="order_date",
    site_column="site",
)

RETURNS = Dataset(
    name="returns",
    label="Returns",
    columns=(
        _c("order_id", TEXT),
        _c("return_date", DATE),
        _c("reason", TEXT),
        _c("quantity", NUMBER),
        _c("refund", NUMBER),
    ),
    required=((("order_id",),),),
    month_column="return_date",
)

PRODUCTION = Dataset(
    name="production",
    label="Production runs",
    columns=(
        _c("date", DATE),
        _c("planned_minutes", NUMBER),
        _c("start_time", TIMESTAMP),
        _c("end_time", TIMESTAMP),
        _c("units", NUMBER),
        _c("batch", TEXT),
        _c("site", TEXT),
        _c("line", TEXT),
        _c("product", TEXT),
        _c("operator", TEXT),
        _c("shift", TEXT),
        _c("run_minutes", NUMBER),
        _c("downtime_minutes", NUMBER),
        _c("good_units", NUMBER),
        _c("scrap_units", NUMBER),
        _c("ideal_minutes", NUMBER),
        _c("ideal_rate_per_minute", NUMBER),
    ),
    required=((("date",),), (("planned_minutes",), ("start_time", "end_time"))),
    month_column="date",
    site_column="site",
)

DOWNTIME = Dataset(
    name="downtime",
    label="Downtime log",
    columns=(
        _c("minutes", NUMBER),
        _c("date", DATE),
        _c("batch", TEXT),
        _c("site", TEXT),
        _c("line", TEXT),
        _c("cause", TEXT),
        _c("category", TEXT),
        _c("operator_error", BOOL),
    ),
    required=((("minutes",),), (("date",), ("batch",))),
    month_column="date",
    site_column="site",
)

BUDGET = Dataset(
    name="budget",
    label="Budget vs actual",
    columns=(
        _c("month", DATE),
        _c("unit", TEXT),
        _c("actual", NUMBER),
        _c("account", TEXT),
        _c("kind", TEXT),
        _c("budget", NUMBER),
    ),
    required=((("month",),), (("unit",),), (("actual",), ("budget",))),  # a plan alone too
    month_column="month",
)

CONTACTS = Dataset(
    name="contacts",
    label="Contact centre",
    columns=(
        _c("contact_date", TIMESTAMP),
        _c("contact_id", TEXT),
        _c("resolved_at", TIMESTAMP),
        _c("channel", TEXT),
        _c("agent", TEXT),
        _c("topic", TEXT),
        _c("answered", BOOL),
        _c("resolved", BOOL),
        _c("first_contact_resolved", BOOL),
        _c("wait_seconds", NUMBER),
        _c("handle_seconds", NUMBER),
        _c("csat", NUMBER),
        _c("sla_met", BOOL),
    ),
    required=((("contact_date",),),),
    month_column="contact_date",
)

CONTACT_STATS = Dataset(
    name="contact_stats",
    label="Contact-centre statistics (ACD)",
    description=(
        "Aggregated ACD rows per interval, day or agent: calls offered, answered, abandoned, "
        "average speed of answer, average handle (talk) time, service level (0-100 % of "
        "answered calls answered within the threshold)."
    ),
    columns=(
        _c("interval_start", TIMESTAMP),
        _c("month", DATE),
        _c("offered", NUMBER),
        _c("answered", NUMBER),
        _c("abandoned", NUMBER),
        _c("asa_seconds", NUMBER),
        _c("aht_seconds", NUMBER),
        _c("service_level_pct", NUMBER),
        _c("threshold_seconds", NUMBER),
        # The mean wait of all calls (answered or not): kept so that "Waiting Time (AVG)" is
        # never read as the speed of answer; no KPI uses it.
        _c("wait_seconds", NUMBER),
        _c("agent", TEXT),
        _c("channel", TEXT),
    ),
    required=((("interval_start",), ("month",)), (("offered",),)),
    month_column="interval_start",
    month_fallback="month",
)

DELIVERY_STATS = Dataset(
    name="delivery_stats",
    label="Punctuality counts",
    description=(
        "Aggregated punctuality or delivery counts per month and route (or site): planned, "
        "cancelled and late (or on-time) counts. On time = planned - cancelled - late."
    ),
    columns=(
        _c("month", DATE),
        _c("site", TEXT),
        _c("origin", TEXT),
        _c("destination", TEXT),
        _c("channel", TEXT),
        _c("planned", NUMBER),
        _c("cancelled", NUMBER),
        _c("late", NUMBER),
        _c("on_time", NUMBER),
    ),
    required=((("month",),), (("planned",),), (("late",), ("on_time",))),
    month_column="month",
    site_column="site",
)

SURVEYS = Dataset(
    name="surveys",
    label="Customer surveys",
    columns=(
        _c("response_date", DATE),
        _c("score", NUMBER),
        _c("segment", TEXT),
        _c("site", TEXT),
        _c("channel", TEXT),
        # A 1-5 satisfaction rating, beside (or instead of) the 0-10 recommend score.
        _c("csat", NUMBER),
    ),
    required=((("response_date",),), (("score",), ("csat",))),
    month_column="response_date",
    site_column="site",
)

TARGETS = Dataset(
    name="targets",
    label="Targets (monthly plan)",
    columns=(
        _c("kpi", TEXT),
        _c("month", DATE),
        _c("target", NUMBER),
        _c("site", TEXT),
        _c("amber_threshold", NUMBER),
    ),
    required=((("kpi",),), (("month",),)),
    month_column="month",
    site_column="site",
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        ORDERS,
        RETURNS,
        PRODUCTION,
        DOWNTIME,
        BUDGET,
        CONTACTS,
        CONTACT_STATS,
        DELIVERY_STATS,
        SURVEYS,
        TARGETS,
    )  # fmt: skip
}


# Text columns a viewer can filter on. Each dataset's `<name>_slice` table macro takes an
# optional `f_<dimension>` list for every one of these it has (see store.MACROS).
FILTER_DIMENSIONS = (
    "site", "region", "channel", "category", "product", "customer", "ship_mode",
    "line", "agent", "topic", "segment", "unit", "account", "cause",
)  # fmt: skip


def filter_dimensions(ds: Dataset) -> list[str]:
    """The filter dimensions that are columns of `ds`."""
    return [d for d in FILTER_DIMENSIONS if d in ds.column_names]


def get(name: str) -> Dataset:
    """The dataset called `name`; a clear error naming the valid ones otherwise."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}") from None


def table_ddl(ds: Dataset) -> str:
    """CREATE TABLE statement for a canonical dataset (identifiers come from this module)."""
    cols = [f"{n} {t}" for n, t in SYSTEM_COLUMNS.items()]
    cols += [f"{c.name} {c.type}" for c in ds.columns]
    return f"CREATE TABLE IF NOT EXISTS {ds.name} ({', '.join(cols)})"
