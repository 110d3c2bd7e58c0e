"""The canonical datasets: their columns, types, requirements and header synonyms.

Every canonical table also carries the system columns of SYSTEM_COLUMNS, which tie each
row to the load it came from (lineage, versioning, as-of reads).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    extra: dict = field(default_factory=dict)

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


def _c(name: str, type_: str, *synonyms: str, description: str = "") -> Column:
    return Column(name, type_, tuple(synonyms), description)


ORDERS = Dataset(
    name="orders",
    label="Orders and shipping",
    description="A row per order line, or per product and month in an aggregated sales export.",
    columns=(
        _c(
            "order_date",
            DATE,
            "order date",
            "ordered on",
            "date ordered",
            "order dt",
            "po date",
            "sales date",
            "invoice date",
            "transaction date",
            "order created",
            "date",
            "booking date",
            "order placed",
            "purchase date",
            "sale date",
            "created date",
        ),
        _c(
            "order_id",
            TEXT,
            "order id",
            "order no",
            "order number",
            "order #",
            "so number",
            "sales order",
            "po number",
            "po no",
            "order ref",
            "order reference",
            "invoice no",
            "sale id",
            "sales id",
            "booking id",
            "transaction id",
            "invoice id",
            "receipt no",
            "order line id",
            "line id",
        ),
        _c(
            "ship_date",
            DATE,
            "ship date",
            "shipped on",
            "dispatch date",
            "shipped date",
            "date shipped",
            "despatch date",
            "shipping date",
            "dispatched on",
            "trip start date",
            "departure date",
            "pickup date",
            "pick up date",
            "shipped at",
        ),
        _c(
            "promised_date",
            DATE,
            "promised date",
            "promise date",
            "due date",
            "requested date",
            "scheduled delivery date",
            "commit date",
            "target delivery date",
            "expected date",
            "requested delivery date",
            "planned eta",
            "eta",
            "promised delivery",
            "scheduled date",
            "expected delivery date",
        ),
        _c(
            "delivered_date",
            DATE,
            "delivered date",
            "delivery date",
            "delivered on",
            "delivered to client date",
            "received date",
            "actual delivery date",
            "pod date",
            "actual eta",
            "ata",
            "actual arrival",
            "arrival date",
            "delivered at",
        ),
        _c(
            "site",
            TEXT,
            "site",
            "plant",
            "warehouse",
            "facility",
            "dc",
            "location",
            "fulfilment centre",
            "fulfillment center",
            "depot",
            "store",
            "store id",
            "shop",
            "branch",
            "city",
            "outlet",
        ),
        _c("region", TEXT, "region", "sales region", "territory", "area", "market"),
        _c(
            "customer",
            TEXT,
            "customer",
            "customer name",
            "client",
            "account",
            "customer id",
            "sold to",
            "buyer",
            "customer code",
            "customer name code",
            "client id",
        ),
        _c(
            "product",
            TEXT,
            "product",
            "product name",
            "item",
            "sku",
            "item description",
            "product code",
            "material",
            "item code",
        ),
        _c(
            "category",
            TEXT,
            "category",
            "product category",
            "product group",
            "family",
            "product line",
            "segment",
        ),
        _c("channel", TEXT, "channel", "sales channel", "order channel", "source"),
        _c(
            "ship_mode",
            TEXT,
            "ship mode",
            "shipment mode",
            "shipping method",
            "carrier",
            "delivery method",
            "transport mode",
            "mode",
        ),
        _c(
            "quantity",
            NUMBER,
            "quantity",
            "qty",
            "units",
            "line item quantity",
            "qty ordered",
            "qty shipped",
            "units sold",
            "pieces",
            "units ordered",
            "quantity ordered",
            "order quantity",
        ),
        _c(
            "revenue",
            NUMBER,
            "revenue",
            "sales",
            "amount",
            "net sales",
            "line total",
            "line item value",
            "sales amount",
            "total sales",
            "value",
            "net amount",
            "sales value",
            "turnover",
            "sale amount",
            "amount usd",
        ),
        _c(
            "cost",
            NUMBER,
            "cost",
            "cogs",
            "cost of goods",
            "total cost",
            "line cost",
            "standard cost",
            "cost of goods sold",
            "cost of sales",
            "cogs amount",
        ),
        _c("profit", NUMBER, "profit", "gross profit", "margin", "gross margin"),
        _c(
            "freight_cost",
            NUMBER,
            "freight cost",
            "freight",
            "shipping cost",
            "freight cost usd",
            "delivery cost",
        ),
        _c("weight_kg", NUMBER, "weight", "weight kg", "weight kilograms", "gross weight"),
    ),
    required=((("order_date",),), (("order_id",), ("quantity",), ("revenue",))),
    month_column="order_date",
    site_column="site",
)

RETURNS = Dataset(
    name="returns",
    label="Returns",
    columns=(
        _c(
            "order_id",
            TEXT,
            "order id",
            "order no",
            "order number",
            "original order",
            "order",
            "returned order",
        ),
        _c("return_date", DATE, "return date", "returned on", "rma date", "date returned"),
        _c("reason", TEXT, "reason", "return reason", "reason code"),
        _c("quantity", NUMBER, "quantity", "qty", "qty returned", "units returned"),
        _c("refund", NUMBER, "refund", "refund amount", "credit", "credit amount"),
    ),
    required=((("order_id",),),),
    month_column="return_date",
)

PRODUCTION = Dataset(
    name="production",
    label="Production runs",
    columns=(
        _c("date", DATE, "date", "production date", "run date", "shift date", "prod date"),
        _c(
            "planned_minutes",
            NUMBER,
            "planned minutes",
            "planned time",
            "planned min",
            "scheduled minutes",
            "planned production time",
            "available minutes",
        ),
        _c("start_time", TIMESTAMP, "start", "start time", "started", "start at", "run start"),
        _c("end_time", TIMESTAMP, "end", "end time", "finished", "end at", "run end", "stop time"),
        _c(
            "units",
            NUMBER,
            "units",
            "total units",
            "units produced",
            "output",
            "qty produced",
            "total count",
            "produced",
        ),
        _c(
            "batch",
            TEXT,
            "batch",
            "batch id",
            "batch no",
            "lot",
            "lot number",
            "work order",
            "run id",
            "job",
        ),
        _c("site", TEXT, "site", "plant", "factory", "facility"),
        _c(
            "line",
            TEXT,
            "line",
            "production line",
            "machine",
            "work centre",
            "work center",
            "cell",
            "asset",
        ),
        _c("product", TEXT, "product", "sku", "item", "flavor", "flavour", "material"),
        _c("operator", TEXT, "operator", "operator name", "crew", "team"),
        _c("shift", TEXT, "shift"),
        _c(
            "run_minutes", NUMBER, "run minutes", "run time", "runtime", "operating time", "run min"
        ),
        _c(
            "downtime_minutes",
            NUMBER,
            "downtime minutes",
            "downtime",
            "downtime min",
            "stop minutes",
            "total downtime",
        ),
        _c("good_units", NUMBER, "good units", "good count", "good", "good qty", "first pass"),
        _c(
            "scrap_units",
            NUMBER,
            "scrap units",
            "scrap",
            "rejects",
            "reject count",
            "scrap qty",
            "defects",
            "waste",
        ),
        _c(
            "ideal_minutes",
            NUMBER,
            "ideal minutes",
            "ideal time",
            "standard minutes",
            "ideal run time",
            "min batch time",
            "standard time",
            "ideal min",
            "ideal mins",
        ),
        _c(
            "ideal_rate_per_minute",
            NUMBER,
            "ideal rate",
            "ideal rate per minute",
            "rated speed",
            "units per minute",
            "ideal run rate",
        ),
    ),
    required=((("date",),), (("planned_minutes",), ("start_time", "end_time"))),
    month_column="date",
    site_column="site",
)

DOWNTIME = Dataset(
    name="downtime",
    label="Downtime log",
    columns=(
        _c(
            "minutes",
            NUMBER,
            "minutes",
            "downtime minutes",
            "duration",
            "duration min",
            "downtime",
            "lost minutes",
            "stop minutes",
            "downtime duration",
            "stop duration",
            "duration minutes",
            "minutes lost",
            "downtime mins",
        ),
        _c(
            "date",
            DATE,
            "date",
            "downtime date",
            "event date",
            "stop date",
            "downtime started",
            "downtime start",
            "started",
            "start",
            "start time",
            "stopped at",
            "down since",
            "event start",
        ),
        _c("batch", TEXT, "batch", "batch id", "batch no", "lot", "work order", "run id"),
        _c("site", TEXT, "site", "plant", "factory"),
        _c(
            "line",
            TEXT,
            "line",
            "production line",
            "machine",
            "work centre",
            "asset",
            "equipment",
            "asset name",
            "machine name",
            "asset causing down",
        ),
        _c(
            "cause",
            TEXT,
            "cause",
            "downtime cause",
            "reason",
            "factor",
            "stop reason",
            "description",
            "downtime reason",
            "reason code",
            "failure reason",
            "stoppage reason",
            "downtime cause code",
        ),
        _c("category", TEXT, "category", "cause category", "type", "downtime category"),
        _c("operator_error", BOOL, "operator error", "operator_error", "human error"),
    ),
    required=((("minutes",),), (("date",), ("batch",))),
    month_column="date",
    site_column="site",
)

BUDGET = Dataset(
    name="budget",
    label="Budget vs actual",
    columns=(
        _c("month", DATE, "month", "period", "fiscal month", "posting period", "date"),
        _c(
            "unit",
            TEXT,
            "unit",
            "department",
            "cost centre",
            "cost center",
            "dept",
            "project",
            "business unit",
            "division",
            "project id",
            "cost centre id",
            "cost center id",
            "department id",
            "store id",
            "profit centre",
            "profit center",
            "cost centre code",
        ),
        _c("actual", NUMBER, "actual", "actuals", "actual spend", "actual amount", "act"),
        _c(
            "account",
            TEXT,
            "account",
            "gl account",
            "account name",
            "expense type",
            "line item",
            "nature",
        ),
        _c("kind", TEXT, "kind", "type", "cost or income", "account type"),
        _c("budget", NUMBER, "budget", "plan", "budget amount", "bud", "planned"),
    ),
    required=((("month",),), (("unit",),), (("actual",), ("budget",))),  # a plan alone too
    month_column="month",
)

CONTACTS = Dataset(
    name="contacts",
    label="Contact centre",
    columns=(
        _c(
            "contact_date",
            TIMESTAMP,
            "contact date",
            "opened at",
            "opened",
            "created",
            "created at",
            "call date",
            "start time",
            "date",
            "received",
            "timestamp",
            "call start",
            "date time",
            "open time",
            "opened time",
            "open date",
            "created time",
            "creation date",
            "reported at",
            "logged at",
            "call time",
            "call datetime",
            "date of call",
            "created on",
            "create date",
            "date created",
            "created date",
            "opened date",
            "submitted at",
            "requested",
            "request date",
            "opened_at",
        ),
        _c(
            "contact_id",
            TEXT,
            "contact id",
            "call id",
            "ticket id",
            "case id",
            "ticket",
            "case number",
            "interaction id",
            "incident id",
            "incident number",
            "ticket number",
            "request id",
            "issue key",
            "issue id",
            "call ref",
            "ticket no",
            "key",
            "incident",
            "number",
        ),
        _c(
            "resolved_at",
            TIMESTAMP,
            "resolved at",
            "resolved",
            "closed at",
            "closed",
            "resolution date",
            "closed date",
            "resolved time",
            "resolved date",
            "resolution time stamp",
            "close time",
            "closed time",
            "resolved on",
            "closed on",
            "resolution datetime",
            "solved at",
            "date resolved",
            "date closed",
            "close date",
            "resolved_at",
            "closed_at",
            "last resolved",
        ),
        _c("channel", TEXT, "channel", "contact channel", "medium", "source"),
        _c(
            "agent",
            TEXT,
            "agent",
            "agent name",
            "handled by",
            "owner",
            "assignee",
            "rep",
            "agent id",
            "assigned to",
            "technician",
            "handler",
            "resolved by",
            "assigned to name",
            "assignee name",
            "staff",
            "assigned staff",
            "assigned agent",
        ),
        _c(
            "topic",
            TEXT,
            "topic",
            "reason",
            "category",
            "contact reason",
            "subject",
            "disposition",
            "help topic",
            "request type",
            "issue type",
            "subcategory",
        ),
        _c("answered", BOOL, "answered", "answered y n", "was answered", "connected"),
        _c(
            "resolved",
            BOOL,
            "resolved",
            "is resolved",
            "resolved y n",
            "solved",
            "status",
            "current status",
            "ticket status",
            "state",
            "resolution status",
        ),
        _c(
            "first_contact_resolved",
            BOOL,
            "first contact resolved",
            "fcr",
            "resolved first contact",
            "first call resolution",
        ),
        _c(
            "wait_seconds",
            NUMBER,
            "wait seconds",
            "wait",
            "wait s",
            "wait time",
            "queue time",
            "speed of answer",
            "wait sec",
            "time to answer",
            "speed of answer in seconds",
            "answer speed",
            "asa",
            "waiting time",
            "hold time",
            "queue wait",
        ),
        _c(
            "handle_seconds",
            NUMBER,
            "handle seconds",
            "handle",
            "handle time s",
            "handle time",
            "aht",
            "talk time",
            "handling time",
            "duration",
            "handle sec",
            "avg talk duration",
            "talk duration",
            "call duration",
            "handle time hrs",
        ),
        _c(
            "csat",
            NUMBER,
            "csat",
            "satisfaction",
            "csat score",
            "satisfaction rating",
            "rating",
            "satisfaction score",
            "customer satisfaction",
            "csat rating",
            "satisfaction survey",
        ),
        _c(
            "sla_met",
            BOOL,
            "sla met",
            "sla",
            "within sla",
            "met sla",
            "overdue",
            "is overdue",
            "sla breached",
            "breached",
            "sla violated",
            "sla breach",
            "made sla",
            "within sla y n",
        ),
    ),
    required=((("contact_date",),),),
    month_column="contact_date",
)

SURVEYS = Dataset(
    name="surveys",
    label="Customer surveys",
    columns=(
        _c(
            "response_date",
            DATE,
            "response date",
            "date",
            "submitted",
            "submitted at",
            "survey date",
            "completed",
            "timestamp",
            "submitted on",
            "start date",
            "recorded date",
            "end date",
            "response time",
        ),
        _c(
            "score",
            NUMBER,
            "score",
            "nps score",
            "likelihood to recommend",
            "rating",
            "recommend score",
            "likely to recommend",
            "how likely are you to recommend",
            "recommend",
            "net promoter score",
            "nps",
        ),
        _c("segment", TEXT, "segment", "customer segment", "tier"),
        _c("site", TEXT, "site", "plant", "location"),
        _c("channel", TEXT, "channel", "survey channel"),
    ),
    required=((("response_date",),), (("score",),)),
    month_column="response_date",
    site_column="site",
)

TARGETS = Dataset(
    name="targets",
    label="Targets (monthly plan)",
    columns=(
        _c("kpi", TEXT, "kpi", "metric", "measure", "kpi id"),
        _c("month", DATE, "month", "period"),
        _c("target", NUMBER, "target", "plan", "goal"),
        _c("site", TEXT, "site", "plant"),
        _c("amber_threshold", NUMBER, "amber threshold", "amber", "tolerance"),
    ),
    required=((("kpi",),), (("month",),)),
    month_column="month",
    site_column="site",
)

DATASETS: dict[str, Dataset] = {
    d.name: d for d in (ORDERS, RETURNS, PRODUCTION, DOWNTIME, BUDGET, CONTACTS, SURVEYS, TARGETS)
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
