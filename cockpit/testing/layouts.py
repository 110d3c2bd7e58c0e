"""Canonical tables rendered the ways real exports come, to judge detection on layouts it has
never seen (tests/unit/test_layouts.py, bench/recognition.py).

A rendering is one family of variation (title block above, a units row, two-row headers,
headers in another language or in code style, decimal commas, AM/PM dates, months across,
...) applied to one dataset's canonical table, written as xlsx, csv or tsv, from a seed. The
headers come from the same vocabulary the detector reads (cockpit.vocabulary), so a synonym
added there is exercised here too. `judge` loads a rendering into a new store and says
whether it loaded exactly the canonical table (its KPI figures equal those of the table
loaded directly), was held with the right dataset proposed, was missed, or went wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
from dataclasses import dataclass, field

import openpyxl

from cockpit import datasets, ledger, vocabulary
from cockpit.ingest.header_words import TRANSLATIONS

D, T = dt.date, dt.datetime
FORMATS = ("xlsx", "csv", "tsv")
LEGACY_FORMATS = ("xls", "ods")  # written too (xlwt, odfpy); bench/recognition.py --formats

# Small canonical tables with known KPI figures, every dataset with a KPI (returns read the
# orders beside them: CONTEXT). Every date column has a day past the 12th, so that a day-first
# or month-first rendering is unambiguous (an ambiguous one would be a family of its own).
CANONICAL: dict[str, list[dict]] = {
    "orders": [
        {"order_id": "SO-1001", "order_date": D(2025, 1, 10), "ship_date": D(2025, 1, 12),
         "promised_date": D(2025, 1, 15), "delivered_date": D(2025, 1, 14), "site": "Leeds",
         "customer": "Acme", "product": "Widget", "quantity": 10, "revenue": 1250.5,
         "cost": 600},
        {"order_id": "SO-1002", "order_date": D(2025, 1, 20), "ship_date": D(2025, 1, 25),
         "promised_date": D(2025, 1, 22), "delivered_date": D(2025, 1, 27), "site": "Lyon",
         "customer": "Birch", "product": "Gadget", "quantity": 4, "revenue": 480,
         "cost": 300},
        {"order_id": "SO-1003", "order_date": D(2025, 2, 3), "ship_date": D(2025, 2, 4),
         "promised_date": D(2025, 2, 8), "delivered_date": D(2025, 2, 6), "site": "Leeds",
         "customer": "Acme", "product": "Widget", "quantity": 25, "revenue": 3125,
         "cost": 1500},
        {"order_id": "SO-1004", "order_date": D(2025, 2, 14), "ship_date": D(2025, 2, 16),
         "promised_date": D(2025, 2, 18), "delivered_date": D(2025, 2, 17), "site": "Lyon",
         "customer": "Cedar", "product": "Gizmo", "quantity": 7, "revenue": 910.25,
         "cost": 455},
    ],
    "returns": [
        {"order_id": "SO-1001", "return_date": D(2025, 1, 20), "reason": "Damaged",
         "quantity": 2, "refund": 250.1},
        {"order_id": "SO-1003", "return_date": D(2025, 2, 10), "reason": "Wrong item",
         "quantity": 5, "refund": 625},
    ],
    "production": [
        {"date": D(2025, 1, 6), "site": "Leeds", "line": "L1", "batch": "B-501",
         "planned_minutes": 480, "run_minutes": 420, "ideal_minutes": 380, "units": 1000,
         "good_units": 950, "scrap_units": 50},
        {"date": D(2025, 1, 17), "site": "Lyon", "line": "L2", "batch": "B-502",
         "planned_minutes": 480, "run_minutes": 360, "ideal_minutes": 300, "units": 800,
         "good_units": 760, "scrap_units": 40},
        {"date": D(2025, 2, 3), "site": "Leeds", "line": "L1", "batch": "B-503",
         "planned_minutes": 450, "run_minutes": 400, "ideal_minutes": 350, "units": 900,
         "good_units": 880, "scrap_units": 20},
    ],
    "downtime": [
        {"date": D(2025, 1, 6), "site": "Leeds", "line": "L1", "cause": "Jam", "minutes": 50},
        {"date": D(2025, 1, 17), "site": "Lyon", "line": "L2", "cause": "Jam", "minutes": 70},
        {"date": D(2025, 1, 19), "site": "Lyon", "line": "L2", "cause": "Changeover",
         "minutes": 30},
        {"date": D(2025, 2, 4), "site": "Leeds", "line": "L1", "cause": "Power cut",
         "minutes": 95},
    ],
    "budget": [
        {"month": D(2025, m, 1), "unit": unit, "account": acc, "budget": b + 10 * m,
         "actual": a + 7 * m}
        for m in (1, 2, 3)
        for unit, acc, b, a in (("Operations", "Salaries", 1000, 1100),
                                ("Operations", "Energy", 500, 450),
                                ("Sales", "Travel", 300, 280))
    ],
    "contacts": [
        {"contact_id": "T-1", "contact_date": T(2025, 1, 5, 9, 15), "channel": "Phone",
         "agent": "Ann", "answered": True, "wait_seconds": 30, "handle_seconds": 300,
         "resolved": True, "csat": 5},
        {"contact_id": "T-2", "contact_date": T(2025, 1, 16, 14, 40), "channel": "Phone",
         "agent": "Bob", "answered": True, "wait_seconds": 90, "handle_seconds": 500,
         "resolved": False, "csat": 3},
        {"contact_id": "T-3", "contact_date": T(2025, 1, 21, 10, 5), "channel": "Email",
         "agent": "Bob", "answered": False, "wait_seconds": 200, "handle_seconds": 0,
         "resolved": False, "csat": 4},
        {"contact_id": "T-4", "contact_date": T(2025, 2, 3, 16, 30), "channel": "Chat",
         "agent": "Ann", "answered": True, "wait_seconds": 45, "handle_seconds": 420,
         "resolved": True, "csat": 4},
    ],
    "contact_stats": [
        {"interval_start": D(2025, 1, d), "channel": q, "offered": o, "answered": a,
         "abandoned": o - a, "asa_seconds": s, "aht_seconds": h}
        for d, q, o, a, s, h in ((6, "Sales", 120, 110, 25, 310), (17, "Sales", 140, 120, 40, 295),
                                 (6, "Support", 90, 88, 12, 420), (17, "Support", 60, 51, 55, 400))
    ],
    "delivery_stats": [
        {"month": D(2025, m, 1), "site": route, "planned": p, "cancelled": c, "late": late}
        for m, route, p, c, late in ((1, "Paris - Lyon", 300, 6, 21), (1, "Lyon - Nice", 120, 2, 9),
                                     (2, "Paris - Lyon", 280, 3, 30), (2, "Lyon - Nice", 110, 0, 4))
    ],
    "surveys": [
        {"response_date": D(2025, 1, d), "score": s, "site": site, "segment": "Trade"}
        for d, s, site in ((3, 10, "Leeds"), (4, 9, "Leeds"), (8, 7, "Lyon"), (9, 6, "Lyon"),
                           (15, 3, "Lyon"), (20, 0, "Leeds"))
    ],
    "targets": [
        {"kpi": k, "month": D(2025, m, 1), "target": t}
        for k, t in (("revenue", 5000), ("abandon_pct", 5), ("oee_pct", 65))
        for m in (1, 2, 3)
    ],
}  # fmt: skip
CONTEXT = {"returns": ["orders"]}

# Headers that give the column its name however the family words them (the first synonym is
# the plain English one the `plain` family writes).
PLAIN = {"contacts": {"contact_id": "ticket id", "contact_date": "created", "csat": "csat"}}

# Families that only make sense for some datasets (months across: plans and targets).
MONTHS_ACROSS = ("budget", "targets")


@dataclass
class Rendering:
    family: str
    dataset: str
    fmt: str
    seed: int
    name: str
    data: bytes
    rows: list[dict] = field(default_factory=list)  # the canonical rows it stands for
    negative: Negative | None = None  # a sheet of a kind with no canonical table

    def __str__(self) -> str:
        return f"{self.family}/{self.dataset}/{self.fmt}/seed={self.seed}"


# --- the grid a rendering is written from ------------------------------------------------


@dataclass
class Grid:
    header: list[str]
    body: list[list]  # Python values
    above: list[list] = field(default_factory=list)  # title, notes, blank rows
    below_header: list[list] = field(default_factory=list)  # units row
    super_header: list | None = None  # a first header row over groups
    below: list[list] = field(default_factory=list)  # totals, footnotes
    sheet: str = "Data"
    # How cells are written as text (csv/tsv) and typed (xlsx): one per family.
    text: dict = field(default_factory=dict)
    emptied: list[tuple[int, str]] = field(default_factory=list)  # (row, column) left empty
    changed: list[tuple[int, str, object]] = field(default_factory=list)  # (row, column, value)


def _columns(dataset: str) -> list[str]:
    rows = CANONICAL[dataset]
    keys = {k for r in rows for k in r}
    return [c for c in datasets.get(dataset).column_names if c in keys]


def _plain(dataset: str, col: str) -> str:
    got = PLAIN.get(dataset, {}).get(col)
    return got or (vocabulary.synonyms(dataset, col) or (col.replace("_", " "),))[0]


def _title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def _base(dataset: str, rnd: random.Random) -> Grid:
    cols = _columns(dataset)
    header = [_title(_plain(dataset, c)) for c in cols]
    body = [[r.get(c) for c in cols] for r in CANONICAL[dataset]]
    return Grid(header=header, body=body)


# --- the families of variation ------------------------------------------------------------


def _f_plain(g: Grid, ds: str, rnd: random.Random) -> None:
    """The canonical table with plain English headers."""


def _f_synonyms(g: Grid, ds: str, rnd: random.Random) -> None:
    """Each header a synonym of the vocabulary, in its own capitalisation."""
    for i, c in enumerate(_columns(ds)):
        syn = vocabulary.synonyms(ds, c)
        if syn:
            g.header[i] = rnd.choice([str.title, str.upper, str.lower, lambda s: s])(
                rnd.choice(syn)
            )


def _f_code_style(g: Grid, ds: str, rnd: random.Random) -> None:
    """Headers as systems write them: ORDER_DATE, orderDate, order.date, ser_time."""
    style = rnd.choice(["upper_snake", "camel", "snake", "dotted"])
    for i, h in enumerate(g.header):
        w = re.sub(r"[^\w ]", "", h).lower().split()
        g.header[i] = {
            "upper_snake": "_".join(w).upper(),
            "camel": w[0] + "".join(x.title() for x in w[1:]) if w else h,
            "snake": "_".join(w),
            "dotted": ".".join(w),
        }[style]


_FOREIGN: dict[str, list[str]] = {}
for _k, _v in TRANSLATIONS.items():
    if " " not in _v and len(_k) > 2:
        _FOREIGN.setdefault(_v, []).append(_k)


def _f_translated(g: Grid, ds: str, rnd: random.Random) -> None:
    """Headers translated word for word (the vocabulary's translations, read backwards)."""
    for i, h in enumerate(g.header):
        g.header[i] = " ".join(
            rnd.choice(_FOREIGN[w.lower()]).title() if w.lower() in _FOREIGN else w
            for w in h.split()
        )


def _f_language(g: Grid, ds: str, rnd: random.Random) -> None:
    """Every header in one of the six other languages, as its vocabulary file lists them per
    language (a column with none there: its words translated)."""
    lang = rnd.choice(vocabulary.LANGUAGES[1:])
    for i, c in enumerate(_columns(ds)):
        own = vocabulary.synonyms_in(ds, c, lang)
        if own:
            g.header[i] = rnd.choice([str.title, str.upper, str.capitalize])(rnd.choice(own))
        else:
            g.header[i] = " ".join(
                rnd.choice(_FOREIGN[w.lower()]).title() if w.lower() in _FOREIGN else w
                for w in g.header[i].split()
            )


def _by_language() -> list[str]:
    """The datasets whose vocabulary lists synonyms per language."""
    return [ds for ds in CANONICAL
            if any(set(e) & set(vocabulary.LANGUAGES[1:]) for e in vocabulary.columns(ds).values())]  # fmt: skip


def _f_title_block(g: Grid, ds: str, rnd: random.Random) -> None:
    """A title, a note and a blank line above the header."""
    label = datasets.get(ds).label
    g.above = [[f"{label} report"], [f"Exported {rnd.randint(1, 28)}/03/2025 by ERP"], []]
    if rnd.random() < 0.5:
        g.above.insert(1, ["Confidential - internal use only"])


def _f_units_row(g: Grid, ds: str, rnd: random.Random) -> None:
    """A row of units under the header ('£', 'min', 'dd/mm/yyyy')."""
    units = []
    for c in _columns(ds):
        t = datasets.get(ds).column(c).type
        units.append(
            "£" if c in ("revenue", "cost", "refund", "budget", "actual", "target")
            else "min" if c.endswith("minutes") or c == "minutes"
            else "s" if c.endswith("seconds")
            else "date" if t in (datasets.DATE, datasets.TIMESTAMP)
            else "#" if t == datasets.NUMBER else ""
        )  # fmt: skip
    g.below_header = [units]


def _f_two_row_header(g: Grid, ds: str, rnd: random.Random) -> None:
    """A super-header over the header ('Order' over 'Date', 'ID'), merged in spirit."""
    first = [h.split()[0] if len(h.split()) > 1 else "" for h in g.header]
    g.super_header = [f if i == 0 or f != first[i - 1] else "" for i, f in enumerate(first)]
    g.header = [" ".join(h.split()[1:]) if len(h.split()) > 1 else h for h in g.header]


def _f_totals_row(g: Grid, ds: str, rnd: random.Random) -> None:
    """A totals row under the data: 'Total' and the sums of the number columns."""
    cols = _columns(ds)
    row = []
    for i, c in enumerate(cols):
        vals = [
            r[i] for r in g.body if isinstance(r[i], int | float) and not isinstance(r[i], bool)
        ]
        num = datasets.get(ds).column(c).type == datasets.NUMBER
        row.append(sum(vals) if num and vals else None)
    label = next(i for i, c in enumerate(cols) if datasets.get(ds).column(c).type != "DOUBLE")
    row[label] = rnd.choice(
        [
            "Total",
            "Grand Total",
            "TOTAL",
            "Totales",
            "Gesamt",
            "Summe",
            "Totale",
            "Totaal",
            "Total:",
        ]
    )
    g.below = [[], row] if rnd.random() < 0.5 else [row]


def _f_blank_separators(g: Grid, ds: str, rnd: random.Random) -> None:
    """Blank rows between groups of rows."""
    out = []
    for i, r in enumerate(g.body):
        if i and rnd.random() < 0.6:
            out.append([None] * len(r))
        out.append(r)
    g.body = out


def _insert(g: Grid, pos: int, header: str, values: list) -> None:
    """A new column at `pos`: its header, its body values, blanks in every other row."""
    g.header.insert(pos, header)
    for r, v in zip(g.body, values, strict=True):
        r.insert(pos, v)
    for row in [*([g.super_header] if g.super_header else []), *g.below_header, *g.below]:
        if len(row) >= pos:
            row.insert(pos, None)


def _f_extra_columns(g: Grid, ds: str, rnd: random.Random) -> None:
    """Irrelevant columns: a row number, a comment, an internal code."""
    extras = [("Row #", lambda i: i + 1), ("Comments", lambda i: rnd.choice(["", "ok", "check"])),
              ("Internal Ref", lambda i: f"X{rnd.randint(100, 999)}")]  # fmt: skip
    for name, fn in rnd.sample(extras, rnd.randint(1, 3)):
        pos = rnd.randint(0, len(g.header))
        _insert(g, pos, name, [fn(i) if any(v is not None for v in r) else None
                               for i, r in enumerate(g.body)])  # fmt: skip


def _f_decimal_comma(g: Grid, ds: str, rnd: random.Random) -> None:
    """European numbers and dates: 1.250,50 and 15.01.2025 (semicolons in a csv)."""
    g.text.update(decimal=",", date="%d.%m.%Y", delimiter=";")


def _f_thousands(g: Grid, ds: str, rnd: random.Random) -> None:
    """Numbers written as text with thousands separators: 1,250.50 / 1.250,50 / 1 250,50."""
    sep, dec, delim = rnd.choice(
        [(",", ".", ","), (".", ",", ";"), (" ", ",", ";"), ("'", ".", ",")]
    )
    g.text.update(thousands=sep, decimal=dec, delimiter=delim, numbers_as_text=True)


def _f_day_first(g: Grid, ds: str, rnd: random.Random) -> None:
    """Dates day first: 15/01/2025."""
    g.text.update(date="%d/%m/%Y", as_text=True)


def _f_yymmdd(g: Grid, ds: str, rnd: random.Random) -> None:
    """Dates as yymmdd text: 250115."""
    g.text.update(date="%y%m%d", as_text=True)


def _f_yyyymmdd(g: Grid, ds: str, rnd: random.Random) -> None:
    """Dates as yyyymmdd text or numbers: 20250115 (a time after it where there is one)."""
    g.text.update(date="%Y%m%d", as_text=True)


def _label_column(ds: str) -> int:
    """Where a totals row writes its label: the first column that is not a number."""
    cols = _columns(ds)
    return next(i for i, c in enumerate(cols) if datasets.get(ds).column(c).type != "DOUBLE")


def _numbers_sum(ds: str, rows: list[list]) -> list:
    """A row of the sums of the number columns over `rows` (None elsewhere)."""
    out = []
    for i, c in enumerate(_columns(ds)):
        vals = [r[i] for r in rows if isinstance(r[i], int | float) and not isinstance(r[i], bool)]
        num = datasets.get(ds).column(c).type == datasets.NUMBER
        out.append(sum(vals) if num and vals else None)
    return out


_SUBTOTAL_LABELS = ("{} Total", "Subtotal", "Sub-total", "Zwischensumme", "Sous-total",
                    "Subtotale", "Subtotaal", "")  # fmt: skip
_GRAND_LABELS = ("Grand Total", "Total", "Gesamt", "Totale", "Totaal", "Summe", "Totales:")


def _f_section_subtotals(g: Grid, ds: str, rnd: random.Random) -> None:
    """Rows in sections (by site, channel, unit...), each closed by a subtotal row (labelled
    'Leeds Total', 'Subtotal', 'Zwischensumme'..., or with a blank label) and a grand total
    at the end, as Excel's Subtotal command and ERP reports write them."""
    cols = _columns(ds)
    label = _label_column(ds)
    texts = [i for i, c in enumerate(cols) if datasets.get(ds).column(c).type == "VARCHAR"
             and i != label and len({r[i] for r in g.body}) < len(g.body)]  # fmt: skip
    key = texts[0] if texts else None
    groups: dict = {}
    for n, r in enumerate(g.body):
        groups.setdefault(r[key] if key is not None else n // 2, []).append(r)
    style = rnd.choice(_SUBTOTAL_LABELS)
    body = []
    for name, rows in groups.items():
        body += rows
        sub = _numbers_sum(ds, rows)
        sub[label] = style.format(name) if style else None
        body.append(sub)
    grand = _numbers_sum(ds, g.body)
    grand[label] = rnd.choice(_GRAND_LABELS)
    g.body = body
    g.below = [grand]


_TOTAL_WORDS = ("Total Care Ltd", "Totally Fresh", "Total outage at the plant", "Sum Ventures",
                "Gesamtschule Nord", "Totalcare", "Summit Foods")  # fmt: skip
# Names that only name (an account or a cause carries meaning: cost or income, planned or not).
_NAMES = ("site", "agent", "customer", "product", "segment", "batch", "line")


def _f_total_words_in_data(g: Grid, ds: str, rnd: random.Random) -> None:
    """A data row whose name starts like a total ('Total Care Ltd', 'Total outage ...') in the
    first column, in a row with a blank cell: data, not a totals row."""
    cols = _columns(ds)
    names = [i for i, c in enumerate(cols) if c in _NAMES]
    i = rnd.choice(names)
    order = [i] + [k for k in range(len(cols)) if k != i]
    g.header = [g.header[k] for k in order]
    g.body = [[r[k] for k in order] for r in g.body]
    row = rnd.randrange(len(g.body))
    word = rnd.choice(_TOTAL_WORDS)
    g.body[row][0] = word
    g.changed.append((row, cols[i], word))
    blank = [k for k, c in enumerate(cols) if c in _NAMES and k != i]
    if blank:
        k = rnd.choice(blank)
        g.body[row][order.index(k)] = None
        g.emptied.append((row, cols[k]))


def _f_sentinel_letter(g: Grid, ds: str, rnd: random.Random) -> None:
    """A stray code letter ('N', 'X', 'NA'...) in one cell of a number column that is not
    required: 'none' in the export's code, empty in the table it stands for."""
    cols = _columns(ds)
    d = datasets.get(ds)
    required = {c for group in d.required for alt in group for c in alt}
    opt = [i for i, c in enumerate(cols) if d.column(c).type == datasets.NUMBER
           and c not in required and any(isinstance(r[i], int | float) for r in g.body)]  # fmt: skip
    i = rnd.choice(opt)
    row = rnd.randrange(len(g.body))
    g.body[row][i] = rnd.choice(["N", "X", "n", "NA", "x", "U"])
    g.emptied.append((row, cols[i]))


def _f_ampm(g: Grid, ds: str, rnd: random.Random) -> None:
    """Times of day with AM/PM: 01/05/2025 02:40 PM."""
    g.text.update(date="%m/%d/%Y", stamp="%m/%d/%Y %I:%M %p", as_text=True)


def _f_date_time_apart(g: Grid, ds: str, rnd: random.Random) -> None:
    """A timestamp as a date column and a time column."""
    cols = _columns(ds)
    for i in reversed(range(len(cols))):
        if datasets.get(ds).column(cols[i]).type != datasets.TIMESTAMP:
            continue
        h = g.header[i]
        times = [
            v.strftime("%H:%M:%S") if isinstance(v, T) else None for v in (r[i] for r in g.body)
        ]
        for r in g.body:
            r[i] = r[i].date() if isinstance(r[i], T) else r[i]
        g.header[i] = f"{h} Date" if "date" not in h.lower() else h
        _insert(g, i + 1, "Time", times)


def _f_durations_hms(g: Grid, ds: str, rnd: random.Random) -> None:
    """Durations as h:mm:ss text (seconds and minutes columns)."""
    for i, c in enumerate(_columns(ds)):
        if c.endswith("_seconds") or c.endswith("minutes"):
            per = 1 if c.endswith("_seconds") else 60
            for r in g.body:
                if isinstance(r[i], int | float):
                    s = int(round(r[i] * per))
                    r[i] = f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def _f_yes_no_codes(g: Grid, ds: str, rnd: random.Random) -> None:
    """Yes/no columns as codes: Y/N, 1/0, yes/no."""
    yes, no = rnd.choice([("Y", "N"), ("1", "0"), ("yes", "no"), ("Yes", "No")])
    for r in g.body:
        for i, v in enumerate(r):
            if isinstance(v, bool):
                r[i] = yes if v else no


def _f_placeholders(g: Grid, ds: str, rnd: random.Random) -> None:
    """Empty text cells written as n/a, -, N/A (the table it stands for has them empty)."""
    ph = rnd.choice(["n/a", "-", "N/A", "#N/A", "null"])
    cols = _columns(ds)
    opt = [i for i, c in enumerate(cols) if c in ("customer", "product", "segment", "reason",
                                                  "batch", "agent", "line")]  # fmt: skip
    for i in opt:
        r = rnd.randrange(len(g.body))
        g.body[r][i] = ph
        g.emptied.append((r, cols[i]))


def _f_months_across(g: Grid, ds: str, rnd: random.Random) -> None:
    """Months across the columns, the year in the header, the title or the sheet name; the
    month names in one of the seven languages; text or numeric row labels; a total column."""
    rows = CANONICAL[ds]
    months = sorted({r["month"] for r in rows})
    lang = rnd.choice(vocabulary.LANGUAGES)
    names = vocabulary.month_names()[lang]
    where = rnd.choice(["header", "title", "sheet"])

    spelling = {m: rnd.choice(names[m.month - 1]).title() for m in months}

    def mname(m: dt.date) -> str:
        n = spelling[m]
        return f"{n} {m.year}" if where == "header" else n

    keys = ["unit", "account"] if ds == "budget" else ["kpi"]
    measures = ["budget", "actual"] if ds == "budget" else ["target"]
    groups = list(dict.fromkeys(tuple(r[k] for k in keys) for r in rows))
    g.header = [_title(k) for k in keys]
    for m in months:
        for meas in measures:
            g.header.append(f"{mname(m)} {meas.title()}" if len(measures) > 1 else mname(m))
    total = rnd.random() < 0.5 and len(measures) == 1
    if total:
        g.header.append("Total")
    # Row labels as numbers sometimes (cost-centre codes 4100, 4200): the figures are the same.
    codes = {}
    if ds == "budget" and rnd.random() < 0.4:
        codes = {u: 4100 + 100 * i for i, u in enumerate(dict.fromkeys(k[0] for k in groups))}
    g.body = []
    for key in groups:
        line = [codes.get(key[0], key[0]), *key[1:]]
        for m in months:
            for meas in measures:
                got = [
                    r[meas] for r in rows if tuple(r[k] for k in keys) == key and r["month"] == m
                ]
                line.append(got[0] if got else None)
        if total:
            line.append(sum(v for v in line[len(keys) :] if v is not None))
        g.body.append(line)
    year = months[0].year
    title = {"budget": "Budget vs actual", "targets": "Targets"}[ds]
    if where == "title":
        g.above = [[f"{title} {year}"], []]
    elif where == "sheet":
        g.above = [[title], []]
        g.sheet = str(year)


# --- negative families: sheets of kinds the team has not seen ------------------------------
# Each is modelled on a public export of its kind (the garment factory's team-day log with
# targeted and actual productivity ratios, a telecom customer snapshot with tenure, charges
# and churn, a grid operator's quarter-hour load series, a support-ticket export whose 1-5
# rating is filled on the closed tickets only, a bank call centre's per-call log, a machine
# event log, a city's service requests with target and closed times, a formula dashboard
# over a budget). None is a canonical table: `want` is the dataset it should load or be held
# as (None: no dataset fits, kept raw), `allowed` the datasets it may at most be proposed as;
# anything else loaded or proposed is wrong.

NO_DATASET = "none"  # the "dataset" of a negative rendering that fits none


@dataclass
class Negative:
    build: object  # (rnd) -> list of (sheet name, Grid)
    want: dict  # sheet -> the dataset it should load or be held as (None: kept raw)
    allowed: dict  # sheet -> datasets it may be proposed as or loaded into
    workbook: bool = False  # several sheets, or formulas: always written as xlsx


def _case(rnd: random.Random, header: list[str]) -> list[str]:
    style = rnd.choice([lambda s: s, str.lower, str.upper, str.title])
    return [style(h) for h in header]


def _days(rnd: random.Random, n: int) -> list[D]:
    return sorted(D(2025, 1, 5) + dt.timedelta(days=rnd.randint(0, 40)) for _ in range(n))


def _n_team_productivity(rnd: random.Random) -> list[tuple[str, Grid]]:
    """A garment factory's team-day log: targeted and actual productivity are ratios."""
    header = ["date", "quarter", "department", "day", "team", "targeted_productivity", "smv",
              "wip", "over_time", "incentive", "idle_time", "idle_men", "no_of_style_change",
              "no_of_workers", "actual_productivity"]  # fmt: skip
    body = []
    for d in _days(rnd, 36):
        target = rnd.choice([0.8, 0.75, 0.7, 0.65, 0.8, 0.35])
        body.append([d, f"Quarter{(d.day - 1) // 7 + 1}", rnd.choice(["sweing", "finishing"]),
                     d.strftime("%A"), rnd.randint(1, 12), target, round(rnd.uniform(3, 30), 2),
                     rnd.choice([None, rnd.randint(500, 1500)]), rnd.choice([960, 6960, 10170]),
                     rnd.choice([0, 0, 50, 38]), 0, 0, rnd.choice([0, 0, 1]),
                     rnd.choice([8, 56.5, 59, 30.5]),
                     round(min(1.1, target + rnd.uniform(-0.25, 0.15)), 6)])  # fmt: skip
    return [("Data", Grid(header=_case(rnd, header), body=body))]


def _n_customer_snapshot(rnd: random.Random) -> list[tuple[str, Grid]]:
    """A telecom customer snapshot: tenure, monthly and total charges, churn; no dates."""
    header = ["customerID", "gender", "SeniorCitizen", "Partner", "Dependents", "tenure",
              "PhoneService", "InternetService", "Contract", "PaperlessBilling", "PaymentMethod",
              "MonthlyCharges", "TotalCharges", "Churn"]  # fmt: skip
    body = []
    for i in range(40):
        tenure, monthly = rnd.randint(1, 72), round(rnd.uniform(18, 118), 2)
        body.append([f"{rnd.randint(1000, 9999)}-{rnd.choice(['VHVEG', 'GNVDE', 'QPYBK'])}{i}",
                     rnd.choice(["Male", "Female"]), rnd.choice([0, 1]),
                     rnd.choice(["Yes", "No"]), rnd.choice(["Yes", "No"]), tenure,
                     rnd.choice(["Yes", "No"]), rnd.choice(["DSL", "Fiber optic", "No"]),
                     rnd.choice(["Month-to-month", "One year", "Two year"]),
                     rnd.choice(["Yes", "No"]),
                     rnd.choice(["Electronic check", "Mailed check", "Credit card (automatic)"]),
                     monthly, round(monthly * tenure, 2), rnd.choice(["Yes", "No"])])  # fmt: skip
    return [("Sheet1", Grid(header=header, body=body))]


def _n_energy_series(rnd: random.Random) -> list[tuple[str, Grid]]:
    """A grid operator's load series: quarter-hour timestamps and MWh."""
    header = rnd.choice([
        ["Datetime", "Resolution code", "Total Load", "Most recent forecast",
         "Day-ahead forecast"],
        ["Time (CET/CEST)", "Day-ahead Total Load Forecast [MW]", "Actual Total Load [MW]"],
        ["Start date", "End date", "Total (grid load) [MWh]", "Residual load [MWh]"],
    ])  # fmt: skip
    body = []
    t0 = T(2025, 1, 14, 0, 0)
    for i in range(48):
        stamp = t0 + dt.timedelta(minutes=15 * i)
        load = round(rnd.uniform(9000, 14000), 2)
        if header[0] == "Datetime":
            body.append([stamp, "PT15M", load, round(load * 1.01, 2), round(load * 0.98, 2)])
        elif header[0].startswith("Time"):
            end = stamp + dt.timedelta(minutes=15)
            body.append([f"{stamp:%d.%m.%Y %H:%M} - {end:%d.%m.%Y %H:%M}", round(load * 0.99),
                         round(load)])  # fmt: skip
        else:
            body.append([stamp, stamp + dt.timedelta(minutes=15), load, round(load * 0.7, 2)])
    return [("Load", Grid(header=header, body=body))]


def _n_ticket_ratings(rnd: random.Random) -> list[tuple[str, Grid]]:
    """A support-ticket export whose 1-5 satisfaction rating is filled on closed tickets only
    (a third): contacts with csat optional, never surveys rejecting two thirds."""
    header = ["Ticket ID", "Customer Name", "Customer Email", "Product Purchased",
              "Ticket Type", "Ticket Subject", "Ticket Status", "Ticket Priority",
              "Ticket Channel", "Created", "First Response Time", "Time to Resolution",
              "Customer Satisfaction Rating"]  # fmt: skip
    # Half the exports have no created date (the public one: purchase date, first response,
    # resolution): then only a survey's 'response time' covers a date.
    created = rnd.random() < 0.5
    if not created:
        header[header.index("Created")] = "Date of Purchase"
    body = []
    for i, d in enumerate(_days(rnd, 42)):
        status = ["Closed", "Open", "Pending Customer Response"][i % 3]
        stamp = T(d.year, d.month, d.day, rnd.randint(8, 17), rnd.randint(0, 59))
        first = stamp + dt.timedelta(hours=rnd.randint(1, 20))
        body.append([str(1000 + i), f"Customer {i}", f"c{i}@example.com",
                     rnd.choice(["GoPro Hero", "LG Smart TV", "Dell XPS"]),
                     rnd.choice(["Technical issue", "Billing inquiry", "Refund request"]),
                     rnd.choice(["Product setup", "Network problem", "Account access"]), status,
                     rnd.choice(["Low", "Medium", "High", "Critical"]),
                     rnd.choice(["Email", "Chat", "Phone", "Social media"]),
                     stamp if created else d - dt.timedelta(days=rnd.randint(30, 300)), first,
                     first + dt.timedelta(hours=rnd.randint(1, 30)) if status == "Closed" else None,
                     rnd.randint(1, 5) if status == "Closed" else None])  # fmt: skip
    return [("Tickets", Grid(header=header, body=body))]


def _n_call_log(rnd: random.Random) -> list[tuple[str, Grid]]:
    """A bank call centre's per-call log: queue and service times, outcome codes."""
    header = ["vru.line", "call_id", "customer_id", "priority", "type", "date", "vru_entry",
              "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start",
              "ser_exit", "ser_time", "server"]  # fmt: skip
    body = []
    yymmdd = rnd.random() < 0.5  # the public log writes its dates as 990101
    for i, d in enumerate(_days(rnd, 40)):
        s = rnd.randint(7 * 3600, 20 * 3600)
        vru, q, ser = rnd.randint(1, 9), rnd.randint(0, 200), rnd.randint(20, 600)
        hms = lambda x: f"{x // 3600}:{x // 60 % 60:02d}:{x % 60:02d}"  # noqa: E731
        outcome = rnd.choice(["AGENT", "AGENT", "HANG", "PHANTOM"])
        served = outcome == "AGENT"
        body.append([f"AA01{rnd.randint(0, 9)}", str(33116 + i), str(rnd.randint(10**7, 10**8)),
                     rnd.choice([0, 1, 2]), rnd.choice(["PS", "NW", "NE"]),
                     int(d.strftime("%y%m%d")) if yymmdd else d, hms(s),
                     hms(s + vru), vru, hms(s + vru) if q else "00:00:00",
                     hms(s + vru + q) if q else "00:00:00", q, outcome,
                     hms(s + vru + q) if served else "00:00:00",
                     hms(s + vru + q + ser) if served else "00:00:00", ser if served else 0,
                     rnd.choice(["MICHAL", "ANAT", "NO_SERVER"]) if served else "NO_SERVER"])  # fmt: skip
    return [("calls", Grid(header=header, body=body))]


def _n_machine_events(rnd: random.Random) -> list[tuple[str, Grid]]:
    """A machine event log: order, machine, PLAY/STOP state, start, end, duration, units."""
    header = ["Order", "Machine", "State", "Start", "End", "Duration", "Units"]
    body = []
    t = T(2025, 1, 14, 6, 0)
    for i in range(40):
        state = "PLAY" if i % 3 else "STOP"
        minutes = rnd.randint(5, 90)
        end = t + dt.timedelta(minutes=minutes)
        body.append([f"OF-{2400 + i // 4}", rnd.choice(["M01", "M02", "M03"]), state, t, end,
                     minutes, rnd.randint(20, 400) if state == "PLAY" else 0])  # fmt: skip
        t = end
    return [("Events", Grid(header=_case(rnd, header), body=body))]


def _n_service_requests(rnd: random.Random) -> list[tuple[str, Grid]]:
    """A city's service requests: case id, opened, target and closed times, on-time flag."""
    header = rnd.choice([
        ["Case ID", "Request Type", "Department", "Source", "Opened", "Target Date", "Closed",
         "Status", "On Time"],
        ["CASE_ID", "TYPE", "DEPT", "CHANNEL", "START_DATE", "TARGET_DATE", "END_DATE",
         "STATUS", "ONTIME"],
        ["Service Request Id", "Service Type", "Agency", "Source", "Open Date",
         "Target Close Date", "Close Date", "Status", "Closed On Time"],
    ])  # fmt: skip
    body = []
    for i, d in enumerate(_days(rnd, 40)):
        opened = T(d.year, d.month, d.day, rnd.randint(7, 18), rnd.randint(0, 59))
        target = opened + dt.timedelta(days=rnd.choice([2, 3, 5]))
        closed = opened + dt.timedelta(days=rnd.randint(0, 8), hours=rnd.randint(0, 9))
        body.append([f"{21000000 + i}", rnd.choice(["Bulk Trash", "Pothole", "Streetlight Out"]),
                     rnd.choice(["Public Works", "Transportation"]),
                     rnd.choice(["Phone", "Web", "App"]), opened, target, closed, "Closed",
                     "Y" if closed <= target else "N"])  # fmt: skip
    return [("Requests", Grid(header=header, body=body))]


def _n_formula_dashboard(rnd: random.Random) -> list[tuple[str, Grid]]:
    """A budget sheet and a dashboard of formulas restating it (`=Budget!D2`, sums)."""
    g = _base("budget", rnd)
    g.sheet = "Budget"
    cols = _columns("budget")
    header = ["Account", "Month", "Budget", "Actual", "Variance"]
    body = []
    for r, row in enumerate(g.body, start=2):
        acc, month = cols.index("account"), cols.index("month")
        b, a = cols.index("budget"), cols.index("actual")
        letter = "ABCDEFGHIJ"
        body.append([
            Formula(f"=Budget!{letter[acc]}{r}", row[acc]),
            Formula(f"=Budget!{letter[month]}{r}", row[month]),
            Formula(f"=Budget!{letter[b]}{r}", row[b]),
            Formula(f"=Budget!{letter[a]}{r}", row[a]),
            Formula(f"=Budget!{letter[a]}{r}-Budget!{letter[b]}{r}", row[a] - row[b]),
        ])  # fmt: skip
    dash = Grid(header=header, body=body, above=[["Budget dashboard"], []], sheet="Dashboard")
    return [("Budget", g), ("Dashboard", dash)]


@dataclass
class Formula:
    """A formula cell with the value Excel cached for it."""

    text: str
    value: object


NEGATIVES: dict[str, Negative] = {
    "team_productivity": Negative(_n_team_productivity, {"Data": None}, {"Data": set()}),
    "customer_snapshot": Negative(_n_customer_snapshot, {"Sheet1": None}, {"Sheet1": set()}),
    "energy_series": Negative(_n_energy_series, {"Load": None}, {"Load": set()}),
    "ticket_ratings": Negative(_n_ticket_ratings, {"Tickets": "contacts"},
                               {"Tickets": {"contacts"}}),
    "call_log": Negative(_n_call_log, {"calls": "contacts"}, {"calls": {"contacts"}}),
    "machine_events": Negative(_n_machine_events, {"Events": None},
                               {"Events": {"production", "downtime"}}),
    "service_requests": Negative(_n_service_requests, {"Requests": "contacts"},
                                 {"Requests": {"contacts"}}),
    "formula_dashboard": Negative(_n_formula_dashboard, {"Budget": "budget", "Dashboard": None},
                                  {"Budget": {"budget"}, "Dashboard": set()}, workbook=True),
}  # fmt: skip


# What `combined` draws from, in the order they are applied (a header family, then values,
# then rows and columns added, then what goes around the table; one way of writing cells).
_COMBINABLE = (
    ("synonyms", "code_style", "translated"),
    ("two_row_header",),
    ("durations_hms",),
    ("yes_no_codes",),
    ("placeholders",),
    ("totals_row",),
    ("blank_separators",),
    ("units_row",),
    ("date_time_apart",),
    ("extra_columns",),
    ("title_block",),
    ("decimal_comma", "day_first", "ampm"),
)


def _f_combined(g: Grid, ds: str, rnd: random.Random) -> None:
    """Three to five of the other families at once, as real exports combine them."""
    picks = sorted(rnd.sample(range(len(_COMBINABLE)), rnd.randint(3, 5)))
    for i in picks:
        family = rnd.choice(_COMBINABLE[i])
        if ds in datasets_for(family):
            FAMILIES[family](g, ds, rnd)


FAMILIES = {
    "plain": _f_plain,
    "synonyms": _f_synonyms,
    "code_style": _f_code_style,
    "translated": _f_translated,
    "language": _f_language,
    "title_block": _f_title_block,
    "units_row": _f_units_row,
    "two_row_header": _f_two_row_header,
    "totals_row": _f_totals_row,
    "blank_separators": _f_blank_separators,
    "extra_columns": _f_extra_columns,
    "decimal_comma": _f_decimal_comma,
    "thousands": _f_thousands,
    "day_first": _f_day_first,
    "yymmdd": _f_yymmdd,
    "yyyymmdd": _f_yyyymmdd,
    "section_subtotals": _f_section_subtotals,
    "total_words_in_data": _f_total_words_in_data,
    "sentinel_letter": _f_sentinel_letter,
    "ampm": _f_ampm,
    "date_time_apart": _f_date_time_apart,
    "durations_hms": _f_durations_hms,
    "yes_no_codes": _f_yes_no_codes,
    "placeholders": _f_placeholders,
    "months_across": _f_months_across,
    "combined": _f_combined,
}
FAMILIES.update({name: None for name in NEGATIVES})  # rendered from their own grids


def datasets_for(family: str) -> list[str]:
    """The datasets a family renders (months across: budget and targets only)."""
    if family == "months_across":
        return list(MONTHS_ACROSS)
    if family == "durations_hms":
        return ["contacts", "contact_stats", "production", "downtime"]
    if family in ("date_time_apart", "ampm"):
        return ["contacts", "orders"]
    if family == "yes_no_codes":
        return ["contacts"]
    if family == "language":
        return _by_language()
    if family == "total_words_in_data":
        return [ds for ds in CANONICAL if set(_columns(ds)) & set(_NAMES)]
    if family == "sentinel_letter":
        return [ds for ds in CANONICAL if _optional_numbers(ds)]
    if family in NEGATIVES:
        wants = [w for w in NEGATIVES[family].want.values() if w]
        return [wants[0] if len(wants) == 1 and len(NEGATIVES[family].want) == 1 else NO_DATASET]
    return list(CANONICAL)


def _optional_numbers(ds: str) -> list[str]:
    d = datasets.get(ds)
    required = {c for group in d.required for alt in group for c in alt}
    return [c for c in _columns(ds) if d.column(c).type == datasets.NUMBER and c not in required]


# --- writing -------------------------------------------------------------------------------


def _text(v, t: dict) -> str:
    if isinstance(v, Formula):
        return _text(v.value, t)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, T):
        if v.time() == dt.time(0) and "stamp" not in t:
            return v.strftime(t.get("date", "%Y-%m-%d"))
        return v.strftime(t.get("stamp", t.get("date", "%Y-%m-%d") + " %H:%M:%S"))
    if isinstance(v, D):
        return v.strftime(t.get("date", "%Y-%m-%d"))
    if isinstance(v, float) and not math.isfinite(v):
        return ""
    if isinstance(v, int | float) and "thousands" in t:
        s = f"{v:,.2f}" if not float(v).is_integer() else f"{int(v):,}"
        return (
            s.replace(",", "\0").replace(".", t.get("decimal", ".")).replace("\0", t["thousands"])
        )
    if isinstance(v, int | float):
        s = str(int(v)) if float(v).is_integer() else repr(float(v))
        return s.replace(".", t["decimal"]) if "decimal" in t else s
    return str(v)


def _all_rows(g: Grid) -> list[list]:
    return [*g.above, *([g.super_header] if g.super_header else []), g.header, *g.below_header,
            *g.body, *g.below]  # fmt: skip


def _write(g: Grid, fmt: str) -> bytes:
    rows = _all_rows(g)
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = g.sheet
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None or v == "":
                    continue
                v = _cell(v, g)  # a number cell is a number in any locale, unless text
                cell = ws.cell(r, c, v)
                if isinstance(v, T):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                elif isinstance(v, D):
                    cell.number_format = "yyyy-mm-dd"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    if fmt == "xls":
        return _xls(g, rows)
    if fmt == "ods":
        return _ods(g, rows)
    delim = "\t" if fmt == "tsv" else g.text.get("delimiter", ",")
    out = io.StringIO()
    w = csv.writer(out, delimiter=delim, lineterminator="\n")
    width = max(len(r) for r in rows)
    for row in rows:
        w.writerow([_text(v, g.text) for v in row] + [""] * (width - len(row)))
    return out.getvalue().encode()


def _cell(v, g: Grid):
    """A cell's value as a workbook holds it (text when the family writes dates or numbers as
    text)."""
    if g.text.get("as_text") and isinstance(v, D | T):
        return _text(v, g.text)
    if g.text.get("numbers_as_text") and isinstance(v, int | float) and not isinstance(v, bool):
        return _text(v, g.text)
    return v


def _xls(g: Grid, rows: list[list]) -> bytes:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet(g.sheet)
    styles = {D: xlwt.easyxf(num_format_str="YYYY-MM-DD"),
              T: xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")}  # fmt: skip
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            v = _cell(v, g)
            if v is None or v == "":
                continue
            if isinstance(v, D):
                ws.write(r, c, v, styles[T if isinstance(v, T) else D])
            else:
                ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ods(g: Grid, rows: list[list]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=g.sheet)
    for row in rows:
        tr = TableRow()
        for v in row:
            v = _cell(v, g)
            if v is None or v == "":
                cell = TableCell()
            elif isinstance(v, bool):
                cell = TableCell(valuetype="boolean", booleanvalue=str(v).lower())
                cell.addElement(P(text=str(v).upper()))
            elif isinstance(v, D):
                cell = TableCell(valuetype="date", datevalue=v.isoformat())
                cell.addElement(P(text=v.isoformat()))
            elif isinstance(v, int | float):
                cell = TableCell(valuetype="float", value=v)
                cell.addElement(P(text=str(v)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def _book(sheets: list[tuple[str, Grid]]) -> bytes:
    """Several sheets in one workbook; formula cells keep their cached values, as Excel
    saves them (openpyxl writes none: they are put in the sheet XML after saving)."""
    import zipfile

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    cached: dict[int, dict[str, object]] = {}
    for n, (name, g) in enumerate(sheets, start=1):
        ws = wb.create_sheet(name)
        for r, row in enumerate(_all_rows(g), start=1):
            for c, v in enumerate(row, start=1):
                if v is None or v == "":
                    continue
                if isinstance(v, Formula):
                    cell = ws.cell(r, c, v.text)
                    cached.setdefault(n, {})[cell.coordinate] = v.value
                    v = v.value
                else:
                    cell = ws.cell(r, c, v)
                if isinstance(v, D):
                    cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            m = re.match(r"xl/worksheets/sheet(\d+)\.xml$", item.filename)
            if m and int(m[1]) in cached:
                values = cached[int(m[1])]

                def fill(x: re.Match, values=values) -> str:
                    v = values.get(x[1])
                    if isinstance(v, D):
                        v = (v - D(1899, 12, 30)).days
                    kind = ' t="str"' if isinstance(v, str) else ""
                    return f'<c r="{x[1]}"{x[2]}{kind}><f>{x[3]}</f><v>{v}</v></c>'

                text = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>',
                              fill, data.decode())  # fmt: skip
                data = text.encode()
            dst.writestr(item, data)
    return out.getvalue()


def _render_negative(family: str, fmt: str, seed: int) -> Rendering:
    neg = NEGATIVES[family]
    rnd = random.Random(f"{family}/{fmt}/{seed}")
    sheets = neg.build(rnd)
    for name, g in sheets:
        g.sheet = name
    if neg.workbook or len(sheets) > 1:
        fmt, data = "xlsx", _book(sheets)
    else:
        data = _write(sheets[0][1], fmt)
    ds = datasets_for(family)[0]
    return Rendering(family, ds, fmt, seed, f"export_{seed}.{fmt}", data, negative=neg)


def render(family: str, dataset: str, fmt: str, seed: int) -> Rendering:
    """One rendering of `dataset`'s canonical table in `family`, written as `fmt` (a negative
    family: its own sheets)."""
    if family in NEGATIVES:
        return _render_negative(family, fmt, seed)
    rnd = random.Random(f"{family}/{dataset}/{fmt}/{seed}")
    g = _base(dataset, rnd)
    FAMILIES[family](g, dataset, rnd)
    rows = [dict(r) for r in CANONICAL[dataset]]
    for i, col in g.emptied:
        rows[i][col] = None
    for i, col, v in g.changed:
        rows[i][col] = v
    # A neutral file name: the name must not tell the detector what the sheet is.
    # (A text file has no sheet: the year a workbook puts in the sheet name goes in the file's.)
    stem = g.sheet if g.sheet.isdigit() and fmt in ("csv", "tsv") else seed
    return Rendering(family, dataset, fmt, seed, f"export_{stem}.{fmt}", _write(g, fmt), rows)


# --- judging -------------------------------------------------------------------------------

RIGHT, HELD, MISSED, WRONG = "loaded right", "held, right proposal", "missed", "wrong"


def figures(store) -> dict[str, tuple]:
    """Every KPI's value and target per month of the canonical tables (rounded)."""
    from cockpit.kpis.engine import scorecard
    from cockpit.kpis.periods import make_period

    out = {}
    for month in (D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)):
        for k in scorecard(store, period=make_period("month", month)):
            key = (k.value, k.target)
            if key != (None, None):
                out[f"{k.id}@{month:%Y-%m}"] = tuple(
                    None if v is None else round(v, 6) for v in key
                )
    return out


def _store(dataset: str):
    from cockpit.store import Store

    store = Store.open(":memory:")
    for other in CONTEXT.get(dataset, []):
        ledger.load_table(store, other, CANONICAL[other])
    return store


def expected(dataset: str, rows: list[dict]) -> dict[str, tuple]:
    """The figures of the canonical rows loaded directly (cached)."""
    key = (dataset, repr(rows))
    if key not in _EXPECTED:
        store = _store(dataset)
        try:
            ledger.load_table(store, dataset, rows)
            _EXPECTED[key] = figures(store)
        finally:
            store.close()
    return _EXPECTED[key]


_EXPECTED: dict[tuple, dict] = {}


@dataclass
class Outcome:
    verdict: str
    detail: str = ""


def judge(r: Rendering) -> Outcome:
    """Load the rendering into a new store and say how it went (see the module docstring)."""
    from cockpit.ingest.pipeline import load_files

    store = _store(r.dataset if r.negative is None else NO_DATASET)
    try:
        report = load_files(store, [(r.name, r.data)])
        sheets = [s for f in report.files for s in f.sheets]
        if r.negative is not None:
            return _judge_negative(r, report, sheets)
        loaded = [s for s in sheets if s.status == "loaded"]
        held = [s for s in sheets if s.status == "held"]
        if any(s.dataset != r.dataset for s in loaded):
            return Outcome(WRONG, f"loaded as {[s.dataset for s in loaded]}")
        if loaded:
            got, want = figures(store), expected(r.dataset, r.rows)
            if got == want:
                return Outcome(RIGHT)
            diff = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            return Outcome(WRONG, f"different figures: {diff[:4]}")
        proposals = [(s.proposed or {}).get("dataset") for s in held]
        if any(p and p != r.dataset for p in proposals):
            return Outcome(WRONG, f"held as {proposals}")
        if r.dataset in proposals:
            return Outcome(HELD, "; ".join(h for s in held for h in s.hold_reasons)[:120])
        why = [m for f in report.files for m in f.messages] + [
            f"{s.status}: {'; '.join(s.hold_reasons or s.messages)}" for s in sheets
        ]
        return Outcome(MISSED, "; ".join(why)[:160])
    finally:
        store.close()


def _judge_negative(r: Rendering, report, sheets) -> Outcome:
    """A negative rendering: each sheet loads into (or is held as) the dataset it should be,
    or a dataset it may be, with no row rejected; a sheet that fits none is kept raw ('no
    dataset fits'). Anything else loaded or proposed is wrong."""
    neg, verdicts = r.negative, []
    if not sheets:
        return Outcome(MISSED, "; ".join(m for f in report.files for m in f.messages)[:160])
    for s in sheets:
        key = s.sheet if s.sheet in neg.want else next(iter(neg.want))
        want, allowed = neg.want[key], neg.allowed[key]
        proposed = (s.proposed or {}).get("dataset") if s.status == "held" else None
        if s.status == "loaded" and s.dataset not in allowed:
            return Outcome(WRONG, f"{key}: loaded as {s.dataset}")
        if s.status == "held" and proposed and proposed not in allowed:
            return Outcome(WRONG, f"{key}: held as {proposed}")
        if s.status == "loaded" and s.rows_rejected:
            return Outcome(WRONG, f"{key}: {s.rows_rejected} rows rejected as {s.dataset}")
        if s.status == "loaded" or (s.status == "raw-only" and want is None):
            verdicts.append(RIGHT)
        elif s.status == "held" and (proposed in allowed or want is None):
            verdicts.append(HELD)
        else:
            why = "; ".join(s.hold_reasons or s.messages)
            return Outcome(MISSED, f"{key}: {s.status} {why}"[:160])
    return Outcome(HELD if HELD in verdicts else RIGHT)
