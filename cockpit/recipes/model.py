"""A recipe: the one declarative description of how one layout becomes one dataset.

Parsed from TOML (tomllib) and checked field by field; written back by a small writer, so a
recipe read and written again is the same document. See README "Recipes" for the contract.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field

from cockpit import datasets

TYPE_SPECS = ("number", "number:decimal-comma", "text", "duration", "bool")
DATED_PREFIXES = ("date:", "timestamp:", "time:")
DATE_ORDERS = ("dmy", "mdy")  # date:dmy: day-first numeric dates, any separator, ISO too
TOP_KEYS = ("name", "dataset", "sheet", "header_row", "data_row", "where")
TABLES = ("types", "columns", "constants", "unpivot", "lookup")


class RecipeError(ValueError):
    """A recipe that cannot be used; the message names the field and what to do."""


@dataclass
class Unpivot:
    columns: list[str]  # source columns holding one month each (a "A:B" range is expanded later)
    value: str  # the canonical column their cells become
    year: int | None = None  # when the headers name no year


@dataclass
class Lookup:
    """A canonical column's value from another sheet of the workbook, found by a key."""

    sheet: str  # the lookup sheet (a code -> name table)
    column: str  # the source column of this sheet holding the codes
    key: str  # the lookup sheet's code column
    value: str  # the lookup sheet's column whose value the canonical column takes


@dataclass
class Recipe:
    dataset: str
    name: str | None = None
    sheet: str | None = None
    header_row: int | None = None  # 1-based
    data_row: int | None = None  # 1-based first data row (default: the row under the header)
    where: str | None = None
    types: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, object] = field(default_factory=dict)
    unpivot: Unpivot | None = None
    lookup: dict[str, Lookup] = field(default_factory=dict)

    def to_toml(self) -> str:
        return dumps(self)


def parse(text: str, *, source: str = "recipe") -> Recipe:
    """A Recipe from TOML text; RecipeError naming the field when it is not a valid one."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RecipeError(f"{source}: not valid TOML: {exc}") from None
    return from_dict(doc, source=source)


def from_dict(doc: dict, *, source: str = "recipe") -> Recipe:
    unknown = sorted(set(doc) - set(TOP_KEYS) - set(TABLES))
    if unknown:
        known = ", ".join((*TOP_KEYS, *(f"[{t}]" for t in TABLES)))
        raise RecipeError(f"{source}: unknown field(s) {', '.join(unknown)}; known: {known}")
    name = doc.get("dataset")
    if not isinstance(name, str) or not name:
        raise RecipeError(f"{source}: 'dataset' is required (one of {_dataset_names()})")
    if name not in datasets.DATASETS:
        raise RecipeError(f"{source}: dataset {name!r} is not known; use one of {_dataset_names()}")
    ds = datasets.get(name)
    r = Recipe(dataset=name)
    for key in ("name", "sheet", "where"):
        value = doc.get(key)
        if value is not None and not isinstance(value, str):
            raise RecipeError(f"{source}: '{key}' must be text")
        setattr(r, key, value.strip() if key == "where" and value else value)
    for key in ("header_row", "data_row"):
        value = doc.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1
        ):
            raise RecipeError(f"{source}: '{key}' must be a row number (1 or more)")
        setattr(r, key, value)
    if r.header_row and r.data_row and r.data_row <= r.header_row:
        raise RecipeError(f"{source}: 'data_row' must be below 'header_row'")
    r.types = _text_table(doc, "types", source)
    for col, spec in r.types.items():
        dated = spec.startswith(DATED_PREFIXES) and (
            "%" in spec or spec.split(":", 1)[1] in DATE_ORDERS
        )
        if spec not in TYPE_SPECS and not dated:
            raise RecipeError(
                f"{source}: types.{_key(col)} = {spec!r} is not a type; use date:FORMAT, "
                "timestamp:FORMAT (strftime, like date:%d/%m/%Y), date:dmy or date:mdy (numeric "
                "dates day- or month-first, with or without a time), number, "
                "number:decimal-comma, text, duration or bool"
            )
    r.columns = _text_table(doc, "columns", source)
    constants = doc.get("constants", {})
    if not isinstance(constants, dict):
        raise RecipeError(f"{source}: [constants] must be a table")
    r.constants = dict(constants)
    for canon in (*r.columns, *r.constants):
        if canon not in ds.column_names:
            raise RecipeError(
                f"{source}: {name} has no column {canon!r}; its columns: {', '.join(ds.column_names)}"
            )
    both = sorted(set(r.columns) & set(r.constants))
    if both:
        raise RecipeError(f"{source}: {', '.join(both)} is both in [columns] and [constants]")
    for canon, value in r.constants.items():
        constant_value(ds, canon, value, source=source)  # checked now, used when applied
    up = doc.get("unpivot")
    if up is not None:
        r.unpivot = _unpivot(up, ds, source)
    r.lookup = _lookups(doc.get("lookup", {}), ds, source)
    return r


def _lookups(doc, ds, source: str) -> dict[str, Lookup]:
    if not isinstance(doc, dict):
        raise RecipeError(f"{source}: [lookup.COLUMN] tables are expected")
    out = {}
    for canon, spec in doc.items():
        if canon not in ds.column_names:
            raise RecipeError(f"{source}: lookup.{canon}: {ds.name} has no column {canon!r}")
        fields = ("sheet", "column", "key", "value")
        if not isinstance(spec, dict) or set(spec) - set(fields):
            raise RecipeError(f"{source}: lookup.{canon} takes {', '.join(fields)}")
        missing = [f for f in ("sheet", "column", "value") if not isinstance(spec.get(f), str)]
        if missing:
            raise RecipeError(f"{source}: lookup.{canon} needs {', '.join(missing)} (text)")
        out[canon] = Lookup(spec["sheet"], spec["column"], spec.get("key") or spec["column"],
                            spec["value"])  # fmt: skip
    return out


def _unpivot(up, ds, source: str) -> Unpivot:
    if not isinstance(up, dict):
        raise RecipeError(f"{source}: [unpivot] must be a table")
    extra = sorted(set(up) - {"columns", "value", "year"})
    if extra:
        raise RecipeError(f"{source}: unpivot has unknown field(s) {', '.join(extra)}")
    cols = up.get("columns")
    if isinstance(cols, str):
        cols = [cols]
    if not isinstance(cols, list) or not cols or not all(isinstance(c, str) for c in cols):
        raise RecipeError(
            f'{source}: unpivot.columns must list the month columns (or a range "Jan-19:Dec-19")'
        )
    value = up.get("value")
    if not isinstance(value, str) or value not in ds.column_names:
        raise RecipeError(
            f"{source}: unpivot.value must name a column of {ds.name} that the months' cells "
            f"become (e.g. budget); its columns: {', '.join(ds.column_names)}"
        )
    if ds.month_column is None:
        raise RecipeError(f"{source}: {ds.name} has no month column to unpivot months into")
    year = up.get("year")
    if year is not None and (not isinstance(year, int) or not 1950 <= year <= 2099):
        raise RecipeError(f"{source}: unpivot.year must be a year like 2019")
    return Unpivot(list(cols), value, year)


def _text_table(doc: dict, key: str, source: str) -> dict[str, str]:
    table = doc.get(key, {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise RecipeError(f"{source}: [{key}] must be a table of text values")
    return {k: v.strip() for k, v in table.items()}


def constant_value(ds, canon: str, value, *, source: str = "recipe"):
    """A [constants] value as the canonical column's type ('2024-03' is a month's first day)."""
    kind = ds.column(canon).type
    if kind in (datasets.DATE, datasets.TIMESTAMP):
        if isinstance(value, dt.datetime):
            return value if kind == datasets.TIMESTAMP else value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise RecipeError(f"{source}: constants.{canon} = {value!r} is not a month like 2024-03")
    if kind == datasets.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RecipeError(f"{source}: constants.{canon} must be a number")
        return float(value)
    if kind == datasets.BOOL:
        if not isinstance(value, bool):
            raise RecipeError(f"{source}: constants.{canon} must be true or false")
        return value
    return str(value)


def _dataset_names() -> str:
    return ", ".join(sorted(datasets.DATASETS))


# --- writer ------------------------------------------------------------------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else _string(k)


def _string(s: str) -> str:
    if '"' in s and "'''" not in s and "\n" not in s and "'" not in s:
        return f"'{s}'"  # a literal string: a SQL expression's "quoted" names read as written
    if '"' in s and "'''" not in s and "\n" not in s:
        return f"'''{s}'''"
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return _string(f"{v:%Y-%m}") if v.day == 1 else v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return _string(str(v))


def dumps(r: Recipe) -> str:
    """The recipe as TOML; parse(dumps(r)) == r."""
    lines = []
    for key in TOP_KEYS:
        value = getattr(r, key)
        if value is not None:
            lines.append(f"{key} = {_value(value)}")
    for table in ("types", "columns", "constants"):
        items = getattr(r, table)
        if items:
            lines += ["", f"[{table}]"] + [f"{_key(k)} = {_value(v)}" for k, v in items.items()]
    if r.unpivot:
        lines += ["", "[unpivot]", f"columns = {_value(r.unpivot.columns)}"]
        lines.append(f"value = {_value(r.unpivot.value)}")
        if r.unpivot.year is not None:
            lines.append(f"year = {r.unpivot.year}")
    for canon, lk in r.lookup.items():
        lines += ["", f"[lookup.{_key(canon)}]"]
        lines += [f"{k} = {_value(getattr(lk, k))}" for k in ("sheet", "column", "key", "value")]
    return "\n".join(lines) + "\n"
