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
    # A second column the reporting month comes from when month_column is blank.
    month_fallback: str | None = None
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
        ),
        # Promise and delivery may carry a time of day (a timestamp); one at midnight is taken
        # as a date alone, and on-time compares at the coarser precision of the two.
        _c(
            "promised_date",
            TIMESTAMP,
            "promised date",
            "promise date",
            "due date",
            "requested date",
            "scheduled delivery date",
            "commit date",
            "target delivery date",
            "expected date",
            "requested delivery date",
        ),
        _c(
            "delivered_date",
            TIMESTAMP,
            "delivered date",
            "delivery date",
            "delivered on",
            "delivered to client date",
            "received date",
            "actual delivery date",
            "pod date",
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
        _c("order_id", TEXT, "order id", "order no", "order number", "original order"),
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
        ),
        _c("date", DATE, "date", "downtime date", "event date", "stop date"),
        _c("batch", TEXT, "batch", "batch id", "batch no", "lot", "work order", "run id"),
        _c("site", TEXT, "site", "plant", "factory"),
        _c("line", TEXT, "line", "production line", "machine", "work centre", "asset"),
        _c(
            "cause",
            TEXT,
            "cause",
            "downtime cause",
            "reason",
            "factor",
            "stop reason",
            "description",
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
    required=((("month",),), (("unit",),), (("actual",),)),
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
        ),
        _c("channel", TEXT, "channel", "contact channel", "medium", "source"),
        _c("agent", TEXT, "agent", "agent name", "handled by", "owner", "assignee", "rep"),
        _c(
            "topic", TEXT, "topic", "reason", "category", "contact reason", "subject", "disposition"
        ),
        _c("answered", BOOL, "answered", "answered y n", "was answered", "connected"),
        _c("resolved", BOOL, "resolved", "is resolved", "resolved y n", "solved"),
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
        ),
        _c("csat", NUMBER, "csat", "satisfaction", "csat score", "satisfaction rating", "rating"),
        _c("sla_met", BOOL, "sla met", "sla", "within sla", "met sla"),
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
        _c(
            "interval_start",
            TIMESTAMP,
            "interval start",
            "interval",
            "start time",
            "date",
            "day",
            "date time",
            "timestamp",
            "fecha",
            "día",
            "intervalo",
            "jour",
            "début intervalle",
            "datum",
            "intervall",
            "data",
            "giorno",
            "intervallo",
            "dag",
        ),
        _c(
            "month",
            DATE,
            "month",
            "period",
            "reporting month",
            "mes",
            "periodo",
            "mois",
            "période",
            "monat",
            "mês",
            "período",
            "mese",
            "maand",
            "periode",
        ),
        _c(
            "offered",
            NUMBER,
            "offered",
            "calls offered",
            "offered calls",
            "incoming calls",
            "incoming",
            "inbound calls",
            "calls received",
            "received calls",
            "total calls",
            "contacts offered",
            "llamadas entrantes",
            "llamadas recibidas",
            "llamadas ofrecidas",
            "appels entrants",
            "appels reçus",
            "appels offerts",
            "eingehende anrufe",
            "angebotene anrufe",
            "chamadas recebidas",
            "chamadas entrantes",
            "chamadas oferecidas",
            "chiamate in entrata",
            "chiamate ricevute",
            "chiamate offerte",
            "inkomende gesprekken",
            "aangeboden gesprekken",
            "inkomende oproepen",
        ),
        _c(
            "answered",
            NUMBER,
            "answered",
            "answered calls",
            "calls answered",
            "handled calls",
            "calls handled",
            "llamadas atendidas",
            "llamadas contestadas",
            "atendidas",
            "appels traités",
            "appels répondus",
            "appels décrochés",
            "angenommene anrufe",
            "beantwortete anrufe",
            "chamadas atendidas",
            "chiamate risposte",
            "chiamate gestite",
            "beantwoorde gesprekken",
            "aangenomen gesprekken",
        ),
        _c(
            "abandoned",
            NUMBER,
            "abandoned",
            "abandoned calls",
            "calls abandoned",
            "abandons",
            "lost calls",
            "llamadas abandonadas",
            "abandonadas",
            "appels abandonnés",
            "abgebrochene anrufe",
            "verlorene anrufe",
            "chamadas abandonadas",
            "chiamate abbandonate",
            "abbandonate",
            "verlaten gesprekken",
            "afgebroken gesprekken",
        ),
        _c(
            "asa_seconds",
            NUMBER,
            "asa",
            "average speed of answer",
            "avg speed of answer",
            "answer speed avg",
            "answer speed",
            "average answer time",
            "avg answer time",
            "speed of answer",
            "tiempo medio de respuesta",
            "velocidad media de respuesta",
            "temps moyen de réponse",
            "délai moyen de réponse",
            "mittlere antwortzeit",
            "durchschnittliche annahmezeit",
            "tempo médio de resposta",
            "velocidade média de atendimento",
            "tempo medio di risposta",
            "velocità media di risposta",
            "gemiddelde antwoordsnelheid",
            "gemiddelde beantwoordingstijd",
        ),
        _c(
            "aht_seconds",
            NUMBER,
            "aht",
            "average handle time",
            "avg handle time",
            "talk duration avg",
            "talk duration",
            "average talk time",
            "avg talk time",
            "talk time avg",
            "handle time",
            "tiempo medio de operación",
            "tiempo medio de conversación",
            "tmo",
            "durée moyenne de traitement",
            "durée moyenne de communication",
            "dmt",
            "durchschnittliche bearbeitungszeit",
            "durchschnittliche gesprächsdauer",
            "tempo médio de atendimento",
            "tma",
            "tempo medio di gestione",
            "durata media conversazione",
            "gemiddelde afhandeltijd",
            "gemiddelde gespreksduur",
        ),
        _c(
            "service_level_pct",
            NUMBER,
            "service level",
            "service level 20 seconds",
            "service level %",
            "service level pct",
            "sl",
            "sl %",
            "nivel de servicio",
            "niveau de service",
            "servicelevel",
            "servicegrad",
            "nível de serviço",
            "livello di servizio",
            "serviceniveau",
        ),
        _c(
            "threshold_seconds",
            NUMBER,
            "threshold",
            "threshold seconds",
            "service level threshold",
            "sl threshold",
            "answer threshold",
            "umbral",
            "seuil",
            "schwelle",
            "soglia",
            "drempel",
        ),
        # The mean wait of all calls (answered or not): kept so that "Waiting Time (AVG)" is
        # never read as the speed of answer; no KPI uses it.
        _c(
            "wait_seconds",
            NUMBER,
            "waiting time avg",
            "waiting time",
            "average waiting time",
            "avg wait time",
            "tiempo de espera",
            "temps d attente",
            "wartezeit",
            "tempo de espera",
            "tempo di attesa",
            "wachttijd",
        ),
        _c(
            "agent",
            TEXT,
            "agent",
            "agent name",
            "rep",
            "agente",
            "conseiller",
            "mitarbeiter",
            "atendente",
            "operatore",
            "medewerker",
        ),
        _c(
            "channel",
            TEXT,
            "channel",
            "queue",
            "skill",
            "split",
            "canal",
            "cola",
            "file d attente",
            "kanal",
            "warteschlange",
            "fila",
            "canale",
            "coda",
            "kanaal",
            "wachtrij",
        ),
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
        _c(
            "month",
            DATE,
            "month",
            "date",
            "period",
            "mes",
            "fecha",
            "mois",
            "période",
            "monat",
            "mês",
            "mese",
            "maand",
        ),
        _c(
            "site",
            TEXT,
            "route",
            "lane",
            "site",
            "liaison",
            "ligne",
            "relation",
            "ruta",
            "strecke",
            "rota",
            "tratta",
            "traject",
        ),
        _c(
            "origin",
            TEXT,
            "origin",
            "from",
            "departure",
            "departure station",
            "gare de départ",
            "départ",
            "origine",
            "origen",
            "abfahrtsort",
            "origem",
            "partenza",
            "vertrek",
        ),
        _c(
            "destination",
            TEXT,
            "destination",
            "to",
            "arrival",
            "arrival station",
            "gare d arrivée",
            "arrivée",
            "destino",
            "zielort",
            "arrivo",
            "bestemming",
        ),
        _c("channel", TEXT, "channel", "service", "service type", "type de service"),
        _c(
            "planned",
            NUMBER,
            "planned",
            "scheduled",
            "planned trips",
            "planned deliveries",
            "scheduled deliveries",
            "planned services",
            "nombre de circulations prévues",
            "circulations prévues",
            "trains prévus",
            "programados",
            "previstos",
            "geplant",
            "geplante fahrten",
            "previsti",
            "gepland",
        ),
        _c(
            "cancelled",
            NUMBER,
            "cancelled",
            "canceled",
            "cancellations",
            "cancelled trips",
            "nombre de trains annulés",
            "annulés",
            "annulations",
            "cancelados",
            "ausfälle",
            "ausgefallen",
            "cancellati",
            "geannuleerd",
        ),
        _c(
            "late",
            NUMBER,
            "late",
            "delayed",
            "late arrivals",
            "late deliveries",
            "nombre de trains en retard à l arrivée",
            "en retard à l arrivée",
            "retards à l arrivée",
            "retrasados",
            "llegadas con retraso",
            "verspätet",
            "verspätete ankünfte",
            "atrasados",
            "in ritardo",
            "te laat",
        ),
        _c(
            "on_time",
            NUMBER,
            "on time",
            "on time count",
            "delivered on time",
            "on time arrivals",
            "à l heure",
            "a tiempo",
            "puntuales",
            "pünktlich",
            "no prazo",
            "pontuais",
            "puntuali",
            "op tijd",
        ),
    ),
    required=((("month",),), (("planned",),), (("late",), ("on_time",))),
    month_column="month",
    site_column="site",
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
        ),
        _c(
            "score",
            NUMBER,
            "score",
            "nps score",
            "likelihood to recommend",
            "rating",
            "recommend score",
            "how likely",
        ),
        _c("segment", TEXT, "segment", "customer segment", "tier"),
        _c("site", TEXT, "site", "plant", "location"),
        _c("channel", TEXT, "channel", "survey channel"),
        # A 1-5 satisfaction rating, beside (or instead of) the 0-10 recommend score.
        _c(
            "csat",
            NUMBER,
            "csat",
            "csat score",
            "satisfaction",
            "satisfaction score",
            "satisfaction rating",
            "overall satisfaction",
            "customer satisfaction",
            "satisfacción",
            "satisfaction client",
            "zufriedenheit",
            "satisfação",
            "soddisfazione",
            "tevredenheid",
        ),
    ),
    required=((("response_date",),), (("score",), ("csat",))),
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
