"""The KPI catalogue, read from queries/kpis.toml, and how each KPI's value is formatted."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field

from cockpit import currency
from cockpit.queries import QUERIES_DIR

CATALOGUE_FILE = QUERIES_DIR / "kpis.toml"
GROUPS = ("Efficiency", "Cost", "Customer")
FORMATS = ("pct", "money", "days", "seconds", "hours", "count", "minutes", "score", "nps", "number")
FORMULAS = ("ratio", "product", "histogram_quantile", "period_quantile")


@dataclass(frozen=True)
class Kpi:
    id: str
    label: str
    group: str
    unit: str
    fmt: str
    direction: str
    datasets: tuple[str, ...]
    description: str
    default_target: float | None = None
    default_amber: float | None = None
    # How the value comes from monthly components ("family.component").
    formula: str = "ratio"
    # A component, or a tuple of components of several families added together.
    numerator: str | tuple[str, ...] | None = None
    denominator: str | tuple[str, ...] | None = None
    requires: str | None = None
    scale: float = 1.0
    cap: float | None = None
    factors: tuple[str, ...] = ()
    component: str | None = None
    q: float | None = None
    empty: str = "no data in this period"
    families: tuple[str, ...] = field(default=())
    signed: bool = False  # can be negative (variance, NPS): no % change of it makes sense
    needs: tuple[str, ...] = ()  # ingredients checked before `empty` (INGREDIENTS)
    # What "vs budget" compares with: "plan" (the uploaded plan), a component, or "none".
    budget: str = "plan"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    @property
    def dataset_groups(self) -> tuple[tuple[str, ...], ...]:
        """The datasets needed: every group must have one loaded ("contacts|contact_stats"
        is a group of two: per-contact rows, aggregated rows or both, added up)."""
        return tuple(tuple(d.split("|")) for d in self.datasets)

    @property
    def change_in_units(self) -> bool:
        """Changes are told in points or units: percentages and signed values."""
        return self.signed or self.fmt in ("pct", "nps")


def _family(component: str | list | None) -> list[str]:
    if isinstance(component, list | tuple):
        return [f for c in component for f in _family(c)]
    return [component.split(".", 1)[0]] if component else []


def _components(value: str | list | None) -> str | tuple[str, ...] | None:
    return tuple(value) if isinstance(value, list) else value


def _kpi(entry: dict) -> Kpi:
    formula = entry.get("formula", "ratio")
    comps = [entry.get(k) for k in ("numerator", "denominator", "requires", "component")]
    budget = entry.get("budget", "plan")
    families = tuple(dict.fromkeys(f for c in comps for f in _family(c)))
    return Kpi(
        id=entry["id"],
        label=entry["label"],
        group=entry["group"],
        unit=entry["unit"],
        fmt=entry["format"],
        direction=entry["direction"],
        datasets=tuple(entry["datasets"]),
        description=entry["description"],
        default_target=entry.get("default_target"),
        default_amber=entry.get("default_amber"),
        formula=formula,
        numerator=_components(entry.get("numerator")),
        denominator=_components(entry.get("denominator")),
        requires=entry.get("requires"),
        scale=float(entry.get("scale", 1.0)),
        cap=entry.get("cap"),
        factors=tuple(entry.get("factors", ())),
        component=entry.get("component"),
        q=entry.get("q"),
        empty=entry.get("empty", "no data in this period"),
        families=families,
        signed=bool(entry.get("signed", entry.get("format") == "nps")),
        needs=tuple(entry.get("needs", ())),
        budget=budget,
    )


@dataclass(frozen=True)
class Ingredient:
    """What an empty KPI may lack: a component, and the columns that make it (kpis.toml)."""

    id: str
    component: str  # "family.component": empty when 0 or None while the family has rows
    columns: tuple[str, ...]  # any of them with a value in the loaded data: it was loaded
    missing: str  # the reason when no column ever held a value
    empty: str  # the reason when the columns are loaded but not for this period

    @property
    def family(self) -> str:
        return self.component.split(".", 1)[0]


def load_ingredients(path=CATALOGUE_FILE) -> dict[str, Ingredient]:
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("ingredient", [])
    return {
        e["id"]: Ingredient(e["id"], e["component"], tuple(e["columns"]), e["missing"], e["empty"])
        for e in entries
    }


def load_catalogue(path=CATALOGUE_FILE) -> dict[str, Kpi]:
    """Read and check the catalogue file; a product KPI inherits its factors' families."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh)["kpi"]
    kpis = {e["id"]: _kpi(e) for e in entries}
    for k in list(kpis.values()):
        if k.group not in GROUPS or k.fmt not in FORMATS or k.formula not in FORMULAS:
            raise ValueError(f"KPI {k.id}: bad group, format or formula")
        if k.direction not in ("higher", "lower"):
            raise ValueError(f"KPI {k.id}: direction must be higher or lower")
        if unknown := [n for n in k.needs if n not in INGREDIENTS]:
            raise ValueError(f"KPI {k.id}: unknown ingredient(s) {', '.join(unknown)}")
        if k.budget not in ("plan", "none") and _family(k.budget)[0] not in k.families:
            raise ValueError(f"KPI {k.id}: budget {k.budget!r} is not of its own families")
        if k.formula == "product":
            fams = tuple(dict.fromkeys(f for x in k.factors for f in kpis[x].families))
            kpis[k.id] = Kpi(**{**k.__dict__, "families": fams})
    return kpis


INGREDIENTS: dict[str, Ingredient] = load_ingredients()
CATALOGUE: dict[str, Kpi] = load_catalogue()


def _money(v: float) -> str:
    sign, c = "-" if v < 0 else "", currency.shown()
    a = abs(v)
    if a == 0:
        return f"{c}0"  # a zero target or amount is £0, not £0.00
    if a >= 1e9:
        return f"{sign}{c}{a / 1e9:.1f}B"
    if a >= 1e6:
        return f"{sign}{c}{a / 1e6:.1f}M"
    # From 1k up in thousands (9.8k beside +21k, not 9,792 beside +21k).
    if a >= 1e4:
        return f"{sign}{c}{a / 1e3:.0f}k"
    if a >= 999.5:
        return f"{sign}{c}{a / 1e3:.1f}k"
    if a >= 100:
        return f"{sign}{c}{a:,.0f}"
    return f"{sign}{c}{a:,.2f}"


format_money = _money  # the one money format: cards, what-if, exports


def _hours(v: float) -> str:
    # Under an hour in minutes: "12 min", not "0.2 h".
    return f"{v * 60:.0f} min" if abs(v) < 1 else f"{v:.1f} h"


_FORMATTERS = {
    "pct": lambda v: f"{v:.1f}%",
    "money": _money,
    "days": lambda v: f"{v:.1f} d",
    "seconds": lambda v: f"{v:.0f} s",
    "hours": _hours,
    "count": lambda v: f"{v:,.0f}",
    "minutes": lambda v: f"{v:,.0f} min",
    "score": lambda v: f"{v:.2f}",
    "nps": lambda v: f"{v:+.0f}",
    "number": lambda v: f"{v:,.1f}",
}


def display_unit(kpi: Kpi) -> str:
    """The unit a KPI's value is shown in: money in the data's currency (cockpit.currency)."""
    return currency.shown() if kpi.fmt == "money" else kpi.unit


# Formats with a number of decimals that can grow: (template, the format's own decimals).
_DECIMALS = {
    "pct": ("{:.{d}f}%", 1),
    "days": ("{:.{d}f} d", 1),
    "score": ("{:.{d}f}", 2),
    "number": ("{:,.{d}f}", 1),
}
MAX_EXTRA_DECIMALS = 3


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(kpi: Kpi, value: float | None, decimals: int | None = None) -> str:
    """The value as shown on a card: "94.2%", "£1.2M", "3.4 d", "52 s"; "—" when missing.
    Built-in and custom KPIs alike (find the Kpi with cockpit.kpis.registry.lookup).
    `decimals` (see `decimals_for`) overrides the format's own for pct, days, score, number."""
    if _missing(value):
        return "—"
    if decimals is not None and kpi.fmt in _DECIMALS:
        return _DECIMALS[kpi.fmt][0].format(float(value), d=decimals)
    return _FORMATTERS[kpi.fmt](float(value))


def decimals_for(kpi: Kpi, values) -> int | None:
    """The decimals at which values shown side by side (a value, its target, the previous
    value) print as they are: at least the format's own, two significant digits for a plain
    number under 1 (0.49, not 0.5), and more until different values print differently
    (0.49 vs 0.50, never "0.5 · target 0.5"), up to MAX_EXTRA_DECIMALS more. None for
    formats that do not grow (money, counts, seconds)."""
    if kpi.fmt not in _DECIMALS:
        return None
    template, own = _DECIMALS[kpi.fmt]
    known = sorted({float(v) for v in values if not _missing(v)})
    least = own
    small = [abs(v) for v in known if v and kpi.fmt in ("number", "score")]
    if small and min(small) < 1:
        least = max(own, 1 - math.floor(math.log10(min(small))))
    for d in range(least, own + MAX_EXTRA_DECIMALS + 1):
        if len({template.format(v, d=d) for v in known}) == len(known):
            return d
    return max(least, own + MAX_EXTRA_DECIMALS)
