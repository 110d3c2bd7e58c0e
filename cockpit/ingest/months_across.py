"""Months across the columns: budgets, forecasts and sales targets with one column per month.

Finance and planning sheets put a row per account, city or seller and the months across
(`Jan` … `Dec`, `Jan-19`, `2024-03`, or real date cells shown `mmm-yy`). `detect` unpivots
such a sheet to one row per label and month, in the canonical columns of `targets` (a sales
budget by place or seller: kpi = revenue) or `budget` (accounts), and says what it left out:
Total / YTD / quarter / % columns, section labels, subtotal rows, captions, helper lists.

`actuals_from_transactions` turns a transactions list (date, category, amount) beside a
budget into the budget's monthly actuals per account.

Every decision needs evidence from the sheet; without it the function returns None and the
sheet is held for the analyst (a wrong number is worse than no number).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from cockpit import vocabulary
from cockpit.ingest.header_words import strip_accents

MIN_MONTHS = 3

# Month words in English, Spanish, French, German, Portuguese, Italian and Dutch, accents
# stripped; abbreviations as the export tools write them ("Sept", "janv", "Mär", "mrt"):
# queries/vocabulary/common.toml [months].
MONTH_WORDS = vocabulary.month_words()
_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _vocab(key: str) -> frozenset[str]:
    """A word list of queries/vocabulary/common.toml [months_across]."""
    return vocabulary.words("months_across", key)


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_COPYRIGHT = re.compile(r"(?i)(©|\(c\)|copyright)\s*(19|20)\d\d")
_DATE_CELL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
_TOKENS = re.compile(r"[a-z]+|\d+|%")
_FILLER = _vocab("filler")


def _words(text: str) -> list[str]:
    """Lower-case accentless words of a header or label ("SalesRep" -> sales rep)."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(text))
    return _TOKENS.findall(strip_accents(text).lower())


def _wordset(*texts: str | None) -> set[str]:
    return {w for t in texts if t for w in _words(t)}


# --- vocabularies (accentless, lower case) -------------------------------------------------

PLAN_WORDS = _vocab("plan")
ACTUAL_WORDS = _vocab("actual")
SALES_WORDS = _vocab("sales")
COST_WORDS = _vocab("cost")
INCOME_WORDS = _vocab("income")
# Headers of a label column naming a place or a seller (the targets' site dimension).
PLACE_WORDS = _vocab("place")
UNIT_WORDS = _vocab("unit")
# Headers of a label column naming KPIs: the rows are targets per KPI, never budget lines.
KPI_WORDS = _vocab("kpi")
_CODE_WORDS = _vocab("code")
ACCOUNT_WORDS = _vocab("account")

# Header tags beside a month ("Jan Budget", "Actual Feb") and what they make of the column.
_TAG_BUDGET = PLAN_WORDS | _vocab("budget_tags")
_TAG_ACTUAL = ACTUAL_WORDS
_NOT_MONTH = [
    (re.compile(r"^(ytd|mtd|qtd|cumul\w*|acum\w*|kumul\w*)$"), "a year-to-date figure"),
    (
        re.compile(r"^(var|variance|variances|diff|difference|delta|desv\w*|ecart|abw\w*)$"),
        "a variance",
    ),  # fmt: skip
    (
        re.compile(r"^(%|pct|percent|percentage|porcentaje|pourcentage|prozent|ratio)$"),
        "a percentage",
    ),  # fmt: skip
    (re.compile(r"^(ly|py|prior|last|previous|anterior)$"), "a prior-year figure"),
    (
        re.compile(r"^(total|totals|totales|totaux|totale|totaal|gesamt|summe|sum|suma|somme)$"),
        "a total",
    ),  # fmt: skip
]
_COLUMN_REASONS = [
    (re.compile(r"\b(total|totals|totales|totaux|totale|totaal|gesamt|summe|sum|suma|somme"
                r"|fy|full year|annual|anual|annuel|yearly|year|ano|annee|jahr|anno|jaar)\b"),
     "a total"),
    (re.compile(r"\b(ytd|mtd|qtd|to date|cumulative|acumulado)\b"), "a year-to-date figure"),
    (re.compile(r"^(q[1-4]|h[1-2]|t[1-4])\b|\b(quarter|trimestre|quartal|semester|semestre)\b"),
     "a quarter or half-year"),
    (re.compile(r"\b(avg|average|mean|promedio|media|moyenne|durchschnitt|gemiddelde)\b"),
     "an average"),
    (re.compile(r"%|\b(pct|percent|percentage|ind)\b"), "a percentage"),
    (re.compile(r"\b(var|variance|diff|difference|delta)\b"), "a variance"),
]  # fmt: skip

# Row labels that are not accounts: subtotals, totals, computed lines (English, Spanish,
# French, German, Portuguese, Italian, Dutch; matched accentless, lower case): patterns of
# queries/vocabulary/common.toml [row_labels].
_SUBTOTAL = re.compile(vocabulary.common()["row_labels"]["subtotal"])
_TOTAL = re.compile(vocabulary.common()["row_labels"]["total"])
_COMPUTED = re.compile(vocabulary.common()["row_labels"]["computed"])
_PERCENT_ROW = re.compile(r"%|\b(percent|percentage|pct|porcentaje|pourcentage|prozent)\b")
_LESS_ROW = re.compile(r"^(less|menos|moins|abzuglich|abzgl|minus)\b")
_CAPTION = re.compile(
    r"\b(figures|amounts|values|numbers|cifras|montos|importes|valores|montants|chiffres"
    r"|betrage|betraege|werte|valori|importi|bedragen)\b.*\b(in|en|em)\b"
    r"|^(in|en|em)\s+(usd|eur|gbp|\$|€|£|thousands?|millions?|miles|milliers|tausend)\b"
    r"|\b(currency|moneda|devise|wahrung)\b"
)
_SCALE = [
    (re.compile(r"\b(in|en|em)\s+(\w+\s+)?(millions?|millones|millionen|milhoes|milioni|mln)\b"
                r"|\$\s?m\b|\(m\)"), 1_000_000.0, "millions"),
    (re.compile(r"\b(in|en|em)\s+(\w+\s+)?(thousands?|miles|milliers|tausend|milhares|migliaia)"
                r"\b|'000|\b000s\b|\(000\)|\bk\s*(usd|eur|gbp|\$|€|£)"), 1_000.0, "thousands"),
]  # fmt: skip


@dataclass
class MonthsAcross:
    dataset: str  # "targets" or "budget"
    rows: pa.Table  # canonical columns of the dataset + "_row" (1-based label row)
    reasons: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


@dataclass
class _Month:
    name: str  # the column
    year: int | None
    month: int
    role: str | None  # "budget" / "actual" from a tag in the header, else None


def parse_month_header(name: str) -> tuple[int | None, int, list[str]] | None:
    """(year or None, month 1-12, other words) for a month header; None when it is not one.

    'Jan' -> (None, 1, []); 'Jan-19' -> (2019, 1, []); '2024-03' -> (2024, 3, []);
    '03/2024' -> (2024, 3, []); '2020-01-01 00:00:00' (a date cell) -> (2020, 1, []);
    'Jan Budget' -> (None, 1, ['budget']); 'Sept. 2019' -> (2019, 9, []).
    """
    text = strip_accents(str(name)).strip().lower()
    if m := _DATE_CELL.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        return (year, month, []) if 1 <= month <= 12 else None
    for pattern, y, mo in ((_YEAR_MONTH, 1, 2), (_MONTH_YEAR, 2, 1)):
        if m := pattern.match(text):
            year, month = int(m.group(y)), int(m.group(mo))
            return (year, month, []) if 1 <= month <= 12 and 1950 <= year <= 2099 else None
    tokens = _TOKENS.findall(text)
    months = [i for i, t in enumerate(tokens) if t in MONTH_WORDS]
    if len(months) != 1:
        return None
    at = months[0]
    month = MONTH_WORDS[tokens[at]]
    year = None
    rest = []
    for i, t in enumerate(tokens):
        if i == at:
            continue
        if t.isdigit():
            if len(t) == 4 and 1950 <= int(t) <= 2099 and year is None:
                year = int(t)
            elif len(t) == 2 and abs(i - at) == 1 and year is None and _joined(text, tokens, at, i):
                year = 2000 + int(t) if int(t) < 70 else 1900 + int(t)  # "Jan-19", "Jan '19"
            else:
                return None  # "Jan 1" is a day, "Jan 15 2020" a date
        elif t not in _FILLER:
            rest.append(t)
    # A longer word that merely contains a month word ("Marketing") never reaches here: the
    # tokens are whole words. Words like "May" as a name stay possible; the caller requires
    # at least three month columns in order.
    return year, month, rest


def _joined(text: str, tokens: list[str], a: int, b: int) -> bool:
    """True when two adjacent tokens are joined by '-', "'", '.' or '/' ("Jan-19"), not a
    space ("Jan 15" is a day of January in a daily sheet)."""
    first, second = (tokens[a], tokens[b]) if a < b else (tokens[b], tokens[a])
    return bool(re.search(rf"{re.escape(first)}\s*[-'’./]\s*{re.escape(second)}", text))


def _tag_role(words: list[str]) -> tuple[str | None, str | None]:
    """(role, reason-not-a-month) for the words beside a month in a header."""
    if not words:
        return None, None
    for w in words:
        for pattern, why in _NOT_MONTH:
            if pattern.match(w):
                return None, why
    ws = set(words)
    if ws & _TAG_BUDGET and not ws & _TAG_ACTUAL:
        return "budget", None
    if ws & _TAG_ACTUAL and not ws & _TAG_BUDGET:
        return "actual", None
    return None, "not a plain month (" + " ".join(words) + ")"


def _column_reason(name: str, kind: str) -> str:
    text = " ".join(_words(name))
    for pattern, why in _COLUMN_REASONS:
        if pattern.search(text):
            return why
    if kind in ("number", "percent"):
        return "a number column that is not a month"
    return "not used"


def _year_from(texts: list[tuple[str, str | None]]) -> tuple[int, str] | None:
    """The first source naming exactly one year: (year, "from the title 'Budget 2022'")."""
    for where, text in texts:
        if not text:
            continue
        # "© 2007 Vertex42 LLC" in a template's title is its copyright, not the budget's year.
        text_years = _COPYRIGHT.sub(" ", text)
        years = set(_YEAR.findall(text_years))
        if len(years) == 1:
            return int(years.pop()), f"from the {where} {text!r}"
    return None


def _scale(texts: list[str]) -> tuple[float, str] | None:
    for text in texts:
        low = strip_accents(text).lower()
        for pattern, factor, word in _SCALE:
            if pattern.search(low):
                return factor, f"figures in {word} ({text!r}): values x {factor:,.0f}"
    return None


def _row_label_reason(label: str) -> str | None:
    """Why a labelled row with numbers is not an account (None when it is one)."""
    low = " ".join(_words(label)) if label.strip() != "%" else "%"
    raw = strip_accents(label).strip().lower()
    if _SUBTOTAL.search(low):
        return "a subtotal"
    if _TOTAL.search(low):
        return "a total"
    if _PERCENT_ROW.search(raw):
        return "a percentage row"
    if _COMPUTED.search(low):
        return "a computed line (subtotal)"
    if _LESS_ROW.search(low):
        return "a deduction line ('less'), whose sign the sheet does not state"
    return None


def _section_kind(label: str) -> str | None:
    """'income' / 'cost' for a section label ("Income:", "Gastos fijos"), else None."""
    ws = set(_words(label))
    if ws & COST_WORDS:
        return "cost"
    if ws & INCOME_WORDS:
        return "income"
    return None


def _account_kind(label: str) -> str | None:
    ws = set(_words(label))
    if ws & INCOME_WORDS and not ws & COST_WORDS:
        return "income"
    if ws & COST_WORDS:
        return "cost"
    return None


def _label_month(year: int, month: int) -> str:
    return f"{_ABBR[month - 1]} {year}"


def detect(
    typed: pa.Table, columns: list, *, sheet: str | None, title: str | None, file: str
) -> MonthsAcross | None:
    """typed: the typed sheet (source column names; a '_row' column); columns: its
    ColumnProfile list (name, kind). None when the sheet is not months-across."""
    parsed = [(c, parse_month_header(c.name)) for c in columns]
    candidates = [(c, p) for c, p in parsed if p is not None]
    if len(candidates) < MIN_MONTHS:
        return None
    reasons: list[str] = []
    left_out: list[str] = []

    # Helper lists beside the table: columns past the month block after a fully blank column
    # (blank unnamed columns are absent from the profiles, so a jump in position marks one).
    first_month = min(c.index for c, _ in candidates)
    last_month = max(c.index for c, _ in candidates)
    beside: set[str] = set()
    prev = None
    for c in sorted(columns, key=lambda c: c.index):
        if c.index > last_month and prev is not None and c.index > prev + 1:
            beside.update(x.name for x in columns if x.index >= c.index)
            break
        prev = c.index
    months: list[_Month] = []
    for c, (year, month, rest) in candidates:
        if c.name in beside:
            continue
        role, why = _tag_role(rest)
        if why:
            left_out.append(f"column {c.name!r}: {why}")
            continue
        if c.kind not in ("number", "empty"):
            left_out.append(f"column {c.name!r}: a month, but its values are {c.kind}, not amounts")
            continue
        months.append(_Month(c.name, year, month, role))
    if len(months) < MIN_MONTHS or all(
        c.kind == "empty" for c in columns if c.name in {m.name for m in months}
    ):
        return None

    roles = {m.role for m in months}
    if None in roles and len(roles) > 1:
        return None  # "Jan" beside "Jan Actual": which is which is a guess
    # Months in column order must run forward (per tag): three stray words are not a calendar.
    for role in roles:
        seq = [m for m in months if m.role == role]
        keys = [(m.year or 0, m.month) for m in seq]
        # (Also holds Jul … Dec, Jan … Jun without years: which year is which is a guess.)
        if any(b <= a for a, b in zip(keys, keys[1:], strict=False)):
            return None

    stem = Path(file).stem
    context_texts = [("title", title), ("sheet name", sheet), ("file name", Path(file).name)]
    yearless = [m for m in months if m.year is None]
    if yearless:
        if len(yearless) < len(months):
            return None  # some months say their year and some do not
        found = _year_from(context_texts)
        if found is None:
            return None  # no year anywhere: held for the analyst
        year, where = found
        for m in yearless:
            m.year = year
        reasons.append(f"year {year} {where}")
    dates = [dt.date(m.year, m.month, 1) for m in months]
    first, last = min(dates), max(dates)
    n_distinct = len(set(dates))
    reasons.insert(
        0,
        f"{n_distinct} month columns {_label_month(first.year, first.month)} …"
        f" {_label_month(last.year, last.month)} unpivoted",
    )

    # The other columns: label, unit, and what is left out.
    month_names = {m.name for m in months}
    text_before = [
        c
        for c in columns
        if c.index < first_month and c.name not in beside and (c.kind == "text" or _coded(c))
    ]
    for c in columns:
        if c.name in month_names or c.name in beside:
            continue
        if c.name in {x.name for x, _ in candidates}:
            continue  # already reported above
        if c not in text_before:
            left_out.append(f"column {c.name!r}: {_column_reason(c.name, c.kind)}")
    if beside:
        left_out.append(
            "columns " + ", ".join(repr(n) for n in sorted(beside, key=_position(columns)))
            + ": beside the table (after a blank column)"
        )  # fmt: skip
    if not text_before:
        return None

    context = _wordset(sheet, title, stem)
    dataset = None
    place = next((c for c in text_before if set(_words(c.name)) & PLACE_WORDS), None)
    unit_col = next((c for c in text_before if set(_words(c.name)) & UNIT_WORDS), None)

    account_col = next((c for c in text_before if set(_words(c.name)) & ACCOUNT_WORDS), None)
    kpi_col = next((c for c in text_before if set(_words(c.name)) & KPI_WORDS), None)
    if kpi_col is not None and account_col is None:
        # 'Kpi | Jan 2025 | Feb 2025': a target per KPI and month (a plan of the KPIs, not
        # money per account); with actuals beside them it is neither: held.
        if "actual" in roles or context & ACTUAL_WORDS:
            return None
        dataset, label_col = "targets", kpi_col
        reasons.append(f"rows are KPIs ({kpi_col.name!r}): a target per KPI and month")
        if place is kpi_col:
            place = None
    elif place is not None and (account_col is not None or context & COST_WORDS):
        # Accounts per store or region ("Region, Account, Jan …"), or a cost budget by site:
        # the place is the budget's unit, not a revenue target.
        if unit_col is None and place is not account_col:
            unit_col = place
        place = None
    if dataset is None and place is not None:
        plan = sorted(context & PLAN_WORDS)
        if roles == {"budget"}:
            plan = plan or ["budget"]
        if not plan or context & COST_WORDS or context & ACTUAL_WORDS or "actual" in roles:
            return None  # sales by place without a plan word may be actual sales: hold
        dataset, label_col = "targets", place
        reasons.append(
            f"rows are {place.name!r} values and the sheet says {', '.join(repr(w) for w in plan)}:"
            " revenue targets by site"
        )
    elif dataset is None:
        dataset = "budget"
        others = [c for c in text_before if c is not unit_col]
        if not others:
            return None
        label_col = next(
            (c for c in others if set(_words(c.name)) & ACCOUNT_WORDS), others[-1]
        )  # fmt: skip
        if roles == {None}:
            plan, actual = context & PLAN_WORDS, context & ACTUAL_WORDS
            if bool(plan) == bool(actual):
                return None  # neither or both: budget or actual is a guess
            role = "budget" if plan else "actual"
            for m in months:
                m.role = role
            said = ", ".join(repr(w) for w in sorted(plan or actual))
            reasons.append(f"values are {role} (the sheet, title or file says {said})")
        else:
            reasons.append("budget and actual columns told apart by their headers")
        reasons.append(f"accounts from column {label_col.name!r}")
        if unit_col is not None:
            reasons.append(f"unit from column {unit_col.name!r}")
    site_col = place if dataset == "targets" and label_col is kpi_col else None
    for c in text_before:
        if c is not label_col and c is not unit_col and c is not site_col:
            left_out.append(f"column {c.name!r}: not used")

    # Duplicate month columns (two "Jan" with no tag to tell them apart) make no sense.
    keys = [(m.year, m.month, m.role) for m in months]
    if len(set(keys)) < len(keys):
        return None

    labels = [_code(v) for v in typed.column(label_col.name).to_pylist()]
    rownums = typed.column("_row").to_pylist()
    values = {m.name: typed.column(m.name).to_pylist() for m in months}
    units = [_code(v) for v in typed.column(unit_col.name).to_pylist()] if unit_col else None
    sites = [_code(v) for v in typed.column(site_col.name).to_pylist()] if site_col else None
    captions = [t for t in (title,) if t]
    captions += [lab for lab in labels if isinstance(lab, str) and _CAPTION.search(_low(lab))]
    scale = _scale(captions)
    factor = 1.0
    if scale:
        factor = scale[0]
        reasons.append(scale[1])

    out: dict[str, list] = {}
    section: str | None = None
    sections_seen: list[str] = []
    blank_cells = 0
    default_unit = sheet or stem
    context_kind = None
    if context & SALES_WORDS and not context & COST_WORDS:
        context_kind = "income"
    elif context & COST_WORDS and not context & SALES_WORDS:
        context_kind = "cost"
    for i, label in enumerate(labels):
        row_values = [values[m.name][i] for m in months]
        has_numbers = any(v is not None for v in row_values)
        label = label.strip() if isinstance(label, str) else label
        if not label:
            if has_numbers:
                left_out.append(f"row {rownums[i]}: values without a label")
            continue
        if not has_numbers:
            if _CAPTION.search(_low(label)):
                left_out.append(f"row {rownums[i]} {label!r}: a caption")
                continue
            kind = _section_kind(label)
            if kind and dataset == "budget":
                section = kind
                sections_seen.append(label)
                left_out.append(f"row {rownums[i]} {label!r}: a section label ({kind})")
            elif label.endswith(":"):
                left_out.append(f"row {rownums[i]} {label!r}: a section label")
            else:
                left_out.append(f"row {rownums[i]} {label!r}: no month values (a group label)")
            continue
        why = _row_label_reason(label)
        if why:
            left_out.append(f"row {rownums[i]} {label!r}: {why}")
            continue
        if dataset == "budget":
            if section is not None:
                kind = section
            else:
                kind = _account_kind(label) or context_kind or "cost"
        # One output row per label and month; a budget and an actual column of the same
        # month ("Jan Budget", "Jan Actual") fill the two values of that one row.
        per_month: dict[dt.date, dict[str, float]] = {}
        for m, v in zip(months, row_values, strict=True):
            if v is None:
                blank_cells += 1
                continue
            per_month.setdefault(dt.date(m.year, m.month, 1), {})[m.role or "target"] = v
        for month, got in per_month.items():
            _append(out, "_row", rownums[i])
            _append(out, "month", month)
            if dataset == "targets" and label_col is kpi_col:
                _append(out, "kpi", str(label))
                _append(out, "target", next(iter(got.values())) * factor)
                _append(out, "site", sites[i] if sites else None)
            elif dataset == "targets":
                _append(out, "kpi", "revenue")
                _append(out, "target", next(iter(got.values())) * factor)
                _append(out, "site", label)
            else:
                _append(out, "account", label)
                _append(out, "unit", units[i] if units and units[i] else default_unit)
                _append(out, "kind", kind)
                for role in ("budget", "actual"):
                    _append(out, role, got[role] * factor if role in got else None)
    if not out:
        return None
    if dataset == "budget":
        if sections_seen:
            reasons.append(
                "kind (income or cost) from the section labels "
                + ", ".join(repr(s) for s in sections_seen)
            )
        else:
            reasons.append(
                "kind (income or cost) from the account names"
                + (f", else from the sheet's words ({context_kind})" if context_kind else "")
            )
        if unit_col is None:
            reasons.append(f"unit = {default_unit!r} (the {'sheet' if sheet else 'file'} name)")
    if blank_cells:
        reasons.append(f"{blank_cells} blank month cell(s) give no row (blank is not zero)")
    return MonthsAcross(dataset, _table(dataset, out), reasons, left_out)


def _coded(c) -> bool:
    """A number column of labels left of the months, named as one (seller ids 101, 102 under
    'Seller', cost-centre codes under 'Cost centre'): its numbers are codes, not amounts."""
    return c.kind == "number" and bool(
        set(_words(c.name)) & (PLACE_WORDS | UNIT_WORDS | ACCOUNT_WORDS | KPI_WORDS | _CODE_WORDS)
    )


def _code(v):
    """A label as text: the code 101.0 read as a number is '101'."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v) if isinstance(v, int) else v


def _low(text: str) -> str:
    return strip_accents(text).strip().lower()


def _position(columns: list):
    where = {c.name: c.index for c in columns}
    return lambda name: where.get(name, 0)


def _append(out: dict[str, list], key: str, value) -> None:
    out.setdefault(key, []).append(value)


_SCHEMAS = {
    "targets": pa.schema(
        [
            ("kpi", pa.string()),
            ("month", pa.date32()),
            ("target", pa.float64()),
            ("site", pa.string()),
            ("amber_threshold", pa.float64()),
            ("_row", pa.int64()),
        ]
    ),
    "budget": pa.schema(
        [
            ("month", pa.date32()),
            ("unit", pa.string()),
            ("actual", pa.float64()),
            ("account", pa.string()),
            ("kind", pa.string()),
            ("budget", pa.float64()),
            ("_row", pa.int64()),
        ]
    ),
}


def _table(dataset: str, out: dict[str, list]) -> pa.Table:
    schema = _SCHEMAS[dataset]
    n = len(out["_row"])
    arrays = [pa.array(out.get(f.name, [None] * n), f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


# --- a transactions list beside a budget ---------------------------------------------------

_AMOUNT_WORDS = _vocab("amount")
_KIND_WORDS = _vocab("kind")
_CATEGORY_WORDS = _vocab("category")


def account_key(name: str) -> str:
    """A category or account name as compared: case, accents, punctuation and plurals aside.

    'Office Supplies' and 'office supply' -> 'office supply'; 'Utilités' -> 'utilite'.
    """
    out = []
    for w in re.findall(r"[a-z0-9]+", strip_accents(str(name)).lower()):
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


def actuals_from_transactions(
    typed: pa.Table, columns: list, budget_accounts: list[str]
) -> tuple[pa.Table, list[str]] | None:
    """A transactions list (date, category, amount) beside a budget: summed per month and
    category as budget 'actual' rows (month, account, actual, kind), categories matched to the
    budget's accounts (case/accents/plural-insensitive); returns (rows, reasons) or None when
    it is not such a list or fewer than half its categories match."""
    dates = [c for c in columns if c.kind in ("date", "timestamp")]
    numbers = [c for c in columns if c.kind == "number"]
    texts = [c for c in columns if c.kind == "text"]
    if not dates or not numbers or not texts or not budget_accounts:
        return None
    date_col = next((c for c in dates if "date" in _words(c.name)), dates[0])
    amount_col = next((c for c in numbers if set(_words(c.name)) & _AMOUNT_WORDS), None)
    if amount_col is None:
        if len(numbers) != 1:
            return None  # which number is the amount is a guess
        amount_col = numbers[0]
    wanted = {account_key(a): a for a in budget_accounts}

    def share(col) -> tuple[float, list]:
        vals = [v for v in typed.column(col.name).to_pylist() if v]
        distinct = {account_key(v) for v in vals}
        return (len(distinct & wanted.keys()) / len(distinct) if distinct else 0.0), vals

    named = [c for c in texts if set(_words(c.name)) & _CATEGORY_WORDS]
    pool = named or texts
    cat_col = max(pool, key=lambda c: share(c)[0])
    ratio = share(cat_col)[0]
    if ratio < 0.5:
        return None

    # A type column ("Income" / "Expense") says each transaction's kind.
    type_col, types = None, None
    for c in texts:
        if c is cat_col:
            continue
        vals = typed.column(c.name).to_pylist()
        seen = {_account_kind(v) if _wordset(v) <= _KIND_WORDS else "?" for v in vals if v}
        if seen and seen <= {"income", "cost"}:
            type_col, types = c, vals
            break
    when = typed.column(date_col.name).to_pylist()
    cats = typed.column(cat_col.name).to_pylist()
    amounts = typed.column(amount_col.name).to_pylist()
    sums: dict[tuple[dt.date, str], float] = {}
    by_cat: dict[str, list[float]] = {}
    unmatched: dict[str, int] = {}
    incomplete = 0
    said_kind: dict[str, set[str]] = {}
    for j, (d, cat, amount) in enumerate(zip(when, cats, amounts, strict=True)):
        if d is None or amount is None or not cat:
            incomplete += 1
            continue
        account = wanted.get(account_key(cat))
        if account is None:
            unmatched[cat] = unmatched.get(cat, 0) + 1
            continue
        by_cat.setdefault(account, []).append(amount)
        if types is not None and types[j]:
            said_kind.setdefault(account, set()).add(_account_kind(types[j]) or "cost")
        key = (dt.date(d.year, d.month, 1), account)
        sums[key] = sums.get(key, 0.0) + amount
    if not sums:
        return None
    # Bank and card exports write spending as negative amounts: an account whose amounts are
    # all negative is spending written with a minus, so its sums are turned positive.
    flipped = sorted(a for a, vals in by_cat.items() if all(v <= 0 for v in vals))
    rows = sorted(sums.items())
    month_list = [k[0] for k, _ in rows]
    accounts = [k[1] for k, _ in rows]
    actual = [(-v if k[1] in flipped else v) for k, v in rows]
    kinds = [
        next(iter(said_kind[a])) if len(said_kind.get(a, ())) == 1 else _account_kind(a) or "cost"
        for a in accounts
    ]
    table = pa.table(
        {
            "month": pa.array(month_list, pa.date32()),
            "account": pa.array(accounts, pa.string()),
            "actual": pa.array(actual, pa.float64()),
            "kind": pa.array(kinds, pa.string()),
        }
    )
    n_tx = sum(len(v) for v in by_cat.values())
    reasons = [
        f"{n_tx} transactions ({date_col.name!r}, {cat_col.name!r}, {amount_col.name!r}) summed"
        f" per month and account as actuals: {len(by_cat)} of"
        f" {len(by_cat) + len(unmatched)} categories match the budget's accounts"
    ]
    if type_col is not None:
        reasons.append(f"kind (income or cost) from column {type_col.name!r}")
    if flipped:
        reasons.append(
            "amounts written negative (spending) counted positive for "
            + ", ".join(repr(a) for a in flipped)
        )
    if unmatched:
        listed = ", ".join(f"{k!r} ({n})" for k, n in sorted(unmatched.items()))
        reasons.append(f"transactions in categories not in the budget left out: {listed}")
    if incomplete:
        reasons.append(f"{incomplete} transaction(s) without a date, category or amount left out")
    return table, reasons
