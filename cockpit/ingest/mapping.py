"""Mapping a detected sheet to a canonical dataset: header synonyms, value types, wide layouts.

A proposal scores every dataset by how many of its columns the sheet's headers name
(exact synonym > all words present) with a compatible value type, and whether its
required columns are covered. Wide layouts are recognised too: one numeric column per
downtime cause (unpivoted to cause, minutes) and budget/actual column pairs per account
(unpivoted to account, budget, actual).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field

from cockpit import datasets, queries, vocabulary
from cockpit.ingest import evidence, header_words

# Which detected column kinds can fill a canonical type.
COMPATIBLE = {
    datasets.DATE: {"date", "timestamp"},
    datasets.TIMESTAMP: {"timestamp", "date", "time"},  # a time of day joins a date column
    datasets.NUMBER: {"number", "percent", "duration", "time"},  # time: as a duration only
    datasets.BOOL: {"bool", "text"},  # text only by name: a ticket's 'Status' for resolved
    datasets.TEXT: {"text", "number", "date", "timestamp", "bool", "percent", "time", "duration"},
}
_PAIR = re.compile(r"^(?P<account>.+?)[\s_\-:/]+(?P<part>budget|bud|plan|actuals?|act)$", re.I)
_PAIR_PREFIX = re.compile(
    r"^(?P<part>budget|bud|plan|actuals?|act)[\s_\-:/]+(?P<account>.+)$", re.I
)
_UNIT_SUFFIX = re.compile(
    r"\((?:s|sec|secs|seconds|min|mins|minutes|h|hrs|hours|%|\$|£|€|usd|gbp|eur)\)"
)
AUTO_CONFIDENCE = 0.6  # below it, even a sheet with evidence waits for the analyst


def normalise(header: str) -> str:
    """A header as plain English words for matching: 'Fecha_Pedido (UTC)' -> 'date order utc'."""
    return header_words.words(header)


@functools.lru_cache(maxsize=65_536)
def _header_words(header: str) -> frozenset[str]:
    return frozenset(normalise(header).split())


def _layout_text(header: str) -> str:
    """The spelling a layout's fingerprint is made of (kept as it was: remembered layouts of
    existing databases must still be found)."""
    text = _UNIT_SUFFIX.sub(" ", str(header).lower())
    text = re.sub(r"[_\-./#:()\[\]]+", " ", text)
    text = re.sub(r"[^\w\s%]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def _names(dataset: str, column: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """A canonical column's name and synonyms in matching form: (exact set, each as words)."""
    col = datasets.get(dataset).column(column)
    names = {normalise(n) for n in (column.replace("_", " "), *col.synonyms)}
    names.discard("")
    return frozenset(names), tuple(sorted(names))


@functools.cache
def _vocabulary(dataset: str) -> frozenset[str]:
    """Every word of every name and synonym of a dataset's columns: a header sharing none of
    them matches no column of it (the quick test that keeps wide sheets fast)."""
    ds = datasets.get(dataset)
    return frozenset(w for c in ds.columns for n in _names(dataset, c.name)[1] for w in n.split())


@dataclass
class Unpivot:
    """A wide layout turned long: causes (column -> cause, minutes) or account pairs."""

    kind: str  # "causes" | "pairs"
    columns: list[str] = field(default_factory=list)  # cause columns (kind causes)
    pairs: dict[str, dict[str, str]] = field(default_factory=dict)  # account -> {budget, actual}

    def to_dict(self) -> dict:
        return {"kind": self.kind, "columns": self.columns, "pairs": self.pairs}

    @classmethod
    def from_dict(cls, d: dict | None) -> Unpivot | None:
        return (
            None if not d else cls(d["kind"], list(d.get("columns", [])), dict(d.get("pairs", {})))
        )


@dataclass
class Mapping:
    """Canonical column <- source column for one sheet, with how sure we are and why."""

    dataset: str | None
    columns: dict[str, str]  # canonical -> source header
    confidence: float = 0.0
    reasons: list[str] = field(default_factory=list)
    unpivot: Unpivot | None = None
    remembered_from: str | None = None  # the file a remembered layout was first seen in
    held: list[str] = field(default_factory=list)  # why it waits for the analyst; [] = loads
    # canonical timestamp -> the date column its time-of-day column is joined to
    combine: dict[str, str] = field(default_factory=dict)
    # canonical -> one value for every row (the month the analyst gave a file without dates)
    constants: dict[str, object] = field(default_factory=dict)
    # canonical number -> the unit column beside its source ('UOM': minutes, hours, ...)
    units: dict[str, str] = field(default_factory=dict)
    # canonical minutes -> (start, end) columns it is measured between, when no column states it
    span: dict[str, list[str]] = field(default_factory=dict)
    # canonical yes/no -> the due date its resolution is checked against (sla_met)
    due: dict[str, str] = field(default_factory=dict)
    shape: str | None = None  # "months across": unpivoted by months_across, not by columns
    # canonical -> the source columns a recipe's expression reads (their bad cells reject)
    derived: dict[str, list[str]] = field(default_factory=dict)
    recipe: dict | None = None  # the recipe that made the rows: {"name", "version"}
    # canonical -> a value looked up in another sheet: {sheet, column, key, value} (enrich)
    lookups: dict[str, dict] = field(default_factory=dict)
    # held between two datasets: each one's score, side by side (propose)
    candidates: list[dict] = field(default_factory=list)

    @property
    def missing_required(self) -> list[str]:
        if not self.dataset:
            return []
        if self.shape:
            return []
        mapped = set(self.columns) | set(self.constants) | set(self.span) | set(self.due)
        if self.unpivot and self.unpivot.kind == "causes":
            mapped |= {"cause", "minutes"}
        if self.unpivot and self.unpivot.kind == "pairs":
            mapped |= {"account", "budget", "actual"}
        return datasets.get(self.dataset).missing_required(mapped)

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "columns": self.columns,
            "unpivot": self.unpivot.to_dict() if self.unpivot else None,
            **({"combine": self.combine} if self.combine else {}),
            **({"units": self.units} if self.units else {}),
            **({"span": self.span} if self.span else {}),
            **({"due": self.due} if self.due else {}),
            **({"shape": self.shape} if self.shape else {}),
            **({"derived": self.derived} if self.derived else {}),
            **({"recipe": self.recipe} if self.recipe else {}),
        }


def fingerprint(sheet: str | None, headers: list[str]) -> str:
    """A layout's identity: its sheet name and header names, normalised."""
    key = json.dumps([_layout_text(sheet or ""), [_layout_text(h) for h in headers]])
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _match_score(header: str, dataset: str, column: str) -> float:
    """1.0 for an exact name or synonym (words in any order); 0.7-0.85 when all words of a
    synonym appear in a short header (a one-word synonym inside a long header, like 'date'
    in 'PQ First Sent to Client Date', is too weak to count)."""
    h = normalise(header)
    exact, names = _names(dataset, column)
    words = _header_words(header)
    if h in exact or any(set(n.split()) == words for n in names):
        return 1.0
    best = 0.0
    for syn in names:
        sw = set(syn.split())
        if not sw or not sw <= words:
            continue
        if len(sw) >= 2 or len(words) <= 2:
            best = max(best, 0.55 + 0.15 * min(len(sw), 2))
    return best


# Synonyms that lose a tie: a ticket's 'Subject' is a free-text line, so a 'Help Topic' or
# 'Category' column beside it is the topic; alone, the subject still maps.
_WEAK_SYNONYMS = {("topic", "subject")}


def map_columns(
    dataset: str, profiles: list, *, exclude: set[str] = frozenset()
) -> tuple[dict[str, str], float, dict[str, float]]:
    """Greedy best match of canonical columns to source columns: mapping, total score and
    each mapped column's score."""
    ds = datasets.get(dataset)
    vocabulary = _vocabulary(ds.name)
    # Only headers with a word of this dataset's names can match any of its columns.
    named = [
        p
        for p in profiles
        if p.name not in exclude and p.kind != "empty" and _header_words(p.name) & vocabulary
    ]
    candidates = []
    for col in ds.columns:
        for p in named:
            s = _match_score(p.name, ds.name, col.name)
            if (col.name, normalise(p.name)) in _WEAK_SYNONYMS:
                s *= 0.95
            if s and p.kind in COMPATIBLE[col.type]:
                if col.type == datasets.BOOL and p.kind == "text" and s < 1.0:
                    continue
                if (
                    p.kind == "time"
                    and col.type == datasets.NUMBER
                    and not (col.name == "minutes" or col.name.endswith(("_seconds", "_minutes")))
                ):
                    continue  # '0:00:17' is a duration for asa_seconds, never a count
                if col.type == datasets.TEXT and p.kind != "text":
                    if s < 1.0:
                        continue  # 'Machine Failure' minutes are not the 'machine' (line)
                    s *= 0.8  # numbers can be ids, but a text column prefers text
                candidates.append((s, col.name, p.name))
    candidates.sort(key=lambda c: -c[0])
    mapping: dict[str, str] = {}
    scores: dict[str, float] = {}
    used: set[str] = set()
    total = 0.0
    for s, canon, src in candidates:
        if canon in mapping or src in used:
            continue
        mapping[canon] = src
        used.add(src)
        total += s
        scores[canon] = s
    return mapping, total, scores


def detect_pairs(profiles: list) -> Unpivot | None:
    """Budget/actual column pairs per account (Salaries_Budget, Salaries_Actual, ...)."""
    pairs: dict[str, dict[str, str]] = {}
    for p in profiles:
        if p.kind not in ("number", "percent", "empty"):
            continue
        m = _PAIR.match(p.name.strip()) or _PAIR_PREFIX.match(p.name.strip())
        if not m:
            continue
        part = "budget" if m["part"].lower() in ("budget", "bud", "plan") else "actual"
        account = m["account"].strip().replace("_", " ")
        pairs.setdefault(account, {})[part] = p.name
    complete = {a: v for a, v in pairs.items() if "actual" in v}
    if len(complete) >= 2:
        return Unpivot("pairs", pairs=complete)
    return None


def detect_causes(profiles: list, mapped: dict[str, str], context: list[str]) -> Unpivot | None:
    """One numeric column per cause, beside a key (batch/date/line) column: a wide downtime log.

    Only with downtime evidence in the sheet (its name, title, a super-header or a header)
    and only over columns named like causes ('Machine Failure', 'Changeover'): several
    numeric columns alone ('Workers', 'Overtime', 'Idle time') are never causes."""
    used = set(mapped.values())
    numeric = [
        p.name
        for p in profiles
        if p.name not in used
        and p.kind in ("number", "duration", "empty")
        and not normalise(p.name).startswith(("total", "sum"))
    ]
    causes = [n for n in numeric if not evidence.is_measure(n)]
    keyed = any(k in mapped for k in ("batch", "date", "line"))
    filled = [p for p in profiles if p.kind != "empty"]
    said = evidence.signal_words("downtime", [p.name for p in profiles], context)
    # A wide cause layout is mostly cause columns; a wide export with a few numbers is not.
    if (
        said
        and keyed
        and len(causes) >= 3
        and len(causes) >= 0.8 * len(numeric)
        and len(causes) >= 0.5 * len(filled)
    ):
        return Unpivot("causes", columns=causes)
    return None


def join_dates_and_times(ds, columns: dict[str, str], profiles: list) -> dict[str, str]:
    """Timestamps kept whole when an export splits them in a date and a time-of-day column.

    A canonical timestamp mapped to a time of day ('Start Time') takes its day from a date
    column (one named alike, else the nearest to its left); one mapped to a date ('Date')
    takes its time from the time-of-day column right beside it. Returns canonical -> the
    other column; `columns` is changed in place (a time without any date is unmapped)."""
    kinds = {p.name: p.kind for p in profiles}
    order = [p.name for p in profiles]
    used = set(columns.values())
    combine: dict[str, str] = {}
    for canon, src in list(columns.items()):
        if ds.column(canon).type != datasets.TIMESTAMP:
            continue
        if kinds.get(src) == "time":
            dates = [n for n in order if kinds[n] in ("date",)]
            alike = [n for n in dates if set(normalise(n).split()) - {"date", "time"}
                     & set(normalise(src).split())]  # fmt: skip
            left = [n for n in dates if order.index(n) < order.index(src)]
            day = (alike or left[-1:] or dates[:1] or [None])[0]
            if day is None:
                del columns[canon]
            else:
                combine[canon] = day
        elif kinds.get(src) == "date":
            i = order.index(src)
            beside = [n for n in order[i + 1 : i + 2] if kinds[n] == "time" and n not in used]
            if beside:
                columns[canon], combine[canon] = beside[0], src
                used.add(beside[0])
    return combine


_UNIT_HEADER = vocabulary.words("headers", "duration_unit")
_START_END = (("start", "started", "begin", "from", "down"), ("end", "ended", "finish", "to", "up"))


def units_beside(columns: dict[str, str], profiles: list) -> dict[str, str]:
    """Stated durations with their unit in the next column ('Duration', 'UOM'): canonical ->
    the unit column, for the minutes and seconds columns a unit changes."""
    order = [p.name for p in profiles]
    kinds = {p.name: p.kind for p in profiles}
    out = {}
    for canon, src in columns.items():
        if not (canon == "minutes" or canon.endswith(("_minutes", "_seconds"))):
            continue
        i = order.index(src)
        nxt = order[i + 1] if i + 1 < len(order) else None
        # Several columns may all be called 'UOM': the reader numbers repeats 'UOM (2)'.
        if nxt and kinds[nxt] == "text" and normalise(nxt).rstrip(" 0123456789") in _UNIT_HEADER:
            out[canon] = nxt
    return out


_DUE = vocabulary.words("headers", "due")
# Headers that state the opposite of their canonical yes/no ('Overdue' for sla_met).
NEGATED = vocabulary.words("headers", "negated")


def due_date(profiles: list, used: set[str]) -> str | None:
    """A ticket's due date column ('Due Date', 'SLA due'), when the export has one."""
    for p in profiles:
        if p.name not in used and p.kind in ("date", "timestamp") and normalise(p.name) in _DUE:
            return p.name
    return None


def start_end_span(profiles: list) -> list[str] | None:
    """Two timestamp columns named as a start and an end ('Downtime Started', 'Downtime
    Ended'): the span they measure, for a log that states no duration."""
    stamps = [p.name for p in profiles if p.kind == "timestamp"]
    starts = [n for n in stamps if set(normalise(n).split()) & set(_START_END[0])]
    ends = [n for n in stamps if set(normalise(n).split()) & set(_START_END[1])]
    if starts and ends and starts[0] != ends[0]:
        return [starts[0], ends[0]]
    return None


def sheet_context(analysis) -> list[str]:
    """What the sheet says about itself besides its headers: its name and its title block."""
    return [t for t in (analysis.sheet, analysis.title) if t]


# A proposal beats the next dataset only by this much score (0-1); closer, it is held with
# the two side by side.
MARGIN = 0.1
# A sheet none of whose datasets covers the required columns is held for the one it names only
# when that one has this share of its required columns or explains this share of the sheet.
HALF_REQUIRED = 0.5
NO_FIT = "no dataset fits this sheet"
# A dataset the sheet does not name competes only when its headers name this share of it.
UNSAID_EXPLAINS = 0.4


@dataclass
class _Scored:
    """One dataset's fit to the sheet (see `propose`)."""

    mapping: Mapping
    covered: bool  # every required column mapped
    said: bool  # the sheet says it is this dataset (evidence.judge)
    score: float  # columns explained, dataset filled, values of their nature
    explained: float
    filled: float
    fit: float
    sparse: dict[str, float]  # required columns filled on few rows -> share
    groups_met: float = 1.0  # the share of the dataset's required groups that are mapped
    named: float = 0.0  # the share of the sheet's columns mapped by their headers (no spans)
    # a required or id column is named by one of the dataset's signal words ('call_id')
    keyed: bool = False
    misfit_required: bool = False  # a required column went unmapped for its values' nature

    def to_candidate(self) -> dict:
        """What the Data page, the report and the API show of a candidate."""
        return dict(
            dataset=self.mapping.dataset,
            score=round(self.score, 2),
            explained=round(self.explained, 2),
            filled=round(self.filled, 2),
            fit=round(self.fit, 2),
            columns=dict(self.mapping.columns),
            said=self.said,
            covered=self.covered,
        )


def _score_dataset(ds, analysis, table, context, headers, sheet_words) -> _Scored:
    """Map `ds` onto the sheet and score it: the share of the sheet's columns it explains, the
    share of its own columns the sheet fills, and the share of mapped columns whose values are
    of the canonical column's nature (a ratio is never money)."""
    profiles = analysis.columns
    columns, score, scores = map_columns(ds.name, profiles)
    unpivot = None
    reasons = []
    if ds.name == "budget":
        unpivot = detect_pairs(profiles)
        if unpivot:
            exclude = {c for v in unpivot.pairs.values() for c in v.values()}
            columns, score, scores = map_columns(ds.name, profiles, exclude=exclude)
            columns.pop("budget", None)
            columns.pop("actual", None)
            score += 2.0
            reasons.append(f"budget/actual pairs for {len(unpivot.pairs)} accounts")
    if ds.name == "downtime" and "minutes" not in columns:
        unpivot = detect_causes(profiles, columns, context)
        if unpivot:
            score += 1.0
            reasons.append(f"one column per cause ({len(unpivot.columns)} causes)")
    kinds = {p.name: p.kind for p in profiles}
    misfits = evidence.nature_misfits(ds.name, columns, table, kinds)
    for canon, why in misfits.items():
        del columns[canon]
        reasons.append(f"{canon} not mapped: {why}")
    combine = join_dates_and_times(ds, columns, profiles)
    units = units_beside(columns, profiles)
    due = {}
    if ds.name == "contacts" and "sla_met" not in columns and "resolved_at" in columns:
        found = due_date(profiles, set(columns.values()))
        if found:
            due["sla_met"] = found
            reasons.append(f"sla_met: resolved by {found!r}")
    ticket = ds.name == "contacts" and (
        bool(due) or kinds.get(columns.get("resolved", "")) == "text"
    )
    if ticket and "answered" in columns:
        # A ticket's 'Answered' says an agent replied, not that a call was picked up:
        # counted as answered/abandoned it would read an unreplied ticket as a lost call.
        reasons.append(f"{columns.pop('answered')!r} not used: a ticket is not a call")
    span = {}
    if ds.name == "downtime" and "minutes" not in columns and not unpivot:
        found = start_end_span(profiles)
        if found:
            span["minutes"] = found
            reasons.append(f"minutes from {found[0]!r} to {found[1]!r}")
    if ds.name in sheet_words or ds.label.lower().split()[0] in sheet_words:
        score += 0.75
        reasons.append(f"sheet named like {ds.name}")
    m = Mapping(
        ds.name, columns, reasons=reasons, unpivot=unpivot, combine=combine, units=units,
        span=span, due=due,
    )  # fmt: skip
    missing = m.missing_required
    filled_sources = [p for p in profiles if p.kind != "empty"]
    used = set(columns.values()) | set(combine.values()) | set(units.values())
    used |= {c for pair in span.values() for c in pair} | set(due.values())
    if unpivot:
        used |= set(unpivot.columns) | {c for v in unpivot.pairs.values() for c in v.values()}
    explained = len(used & {p.name for p in filled_sources}) / max(1, len(filled_sources))
    coverage = 1.0 if not missing else 0.0
    required = {c for group in ds.required for alt in group for c in alt}
    sure = required & set(columns)
    sureness = sum(scores.get(c, 1.0) for c in sure) / len(sure) if sure else 1.0
    m.confidence = round(
        min(1.0, 0.6 * coverage * sureness + 0.3 * len(columns) / max(1, len(filled_sources))
            + 0.02 * score), 2,
    )  # fmt: skip
    filled = min(1.0, (len(columns) + len(span) + len(due) + (2 if unpivot else 0))
                 / max(1, len(ds.columns)))  # fmt: skip
    fit = 1 - len(misfits) / max(1, len(columns) + len(misfits))
    verdict = evidence.judge(ds.name, headers, context)
    if not missing:
        m.reasons.insert(0, f"{len(columns)} columns matched")
    else:
        m.reasons.insert(0, "missing " + "; ".join(missing))
    if verdict.signals:
        m.reasons.append("the sheet says " + ", ".join(repr(w) for w in verdict.signals[:4]))
    m.held = [*(f"missing {x}" for x in missing), *verdict.missing]
    # A wide export explains few of its columns: what counts is how surely the required
    # ones are named.
    if m.confidence < AUTO_CONFIDENCE and sureness < 0.8 and not missing:
        m.held.append(f"only {m.confidence:.0%} sure of the mapping")
    profiles_by = {p.name: p for p in profiles}
    rows = getattr(analysis, "data_rows", 0)
    thin = evidence.sparse(ds.name, ds.required, columns, table, profiles_by, rows)
    total = coverage * sureness * (0.5 * explained + 0.2 * filled + 0.3 * fit)
    met = 1 - len(missing) / max(1, len(ds.required))
    # 'actual_productivity' is the only 'actual' and holds ratios: a budget needs money.
    misfit_required = any(c in required for c in misfits) and bool(missing)
    if misfit_required:
        m.held.append("its values are not of the dataset's nature: " + "; ".join(misfits.values()))
    named = len(set(columns.values())) / max(1, len(filled_sources))
    keyed = any(
        (c in required or c.endswith("_id")) and evidence.signal_words(ds.name, [src], [])
        for c, src in columns.items()
    )
    return _Scored(m, not missing, verdict.ok, round(total, 3), explained, filled, fit, thin,
                   groups_met=met, named=named, keyed=keyed,
                   misfit_required=misfit_required)  # fmt: skip


def _sparse_sources(s: _Scored) -> set[str]:
    """The source columns of a candidate's sparse required groups."""
    names = {c for group in s.sparse for alt in group.split(" or ") for c in alt.split(" + ")}
    return {s.mapping.columns[c] for c in names if c in s.mapping.columns}


def _sparse_text(s: _Scored) -> str:
    return "; ".join(f"{c} is filled on only {v:.0%} of the rows (the others would be rejected)"
                     for c, v in s.sparse.items())  # fmt: skip


def _side_by_side(a: _Scored, b: _Scored) -> str:
    def one(s: _Scored) -> str:
        return (f"{s.mapping.dataset} (explains {s.explained:.0%} of the columns, fills "
                f"{s.filled:.0%} of the dataset, score {s.score:.2f})")  # fmt: skip

    return f"the sheet fits {one(a)} about as well as {one(b)}"


def propose(analysis, *, dataset: str | None = None, table=None) -> Mapping:
    """The best dataset and column mapping for an analysed sheet (or for `dataset` if given).

    Every dataset is scored against the sheet (`_score_dataset`): how many of the sheet's
    columns it explains, how much of the dataset the sheet fills, and whether the values fit
    each canonical column's nature (`table`: the typed sheet; a ratio is never money). Among
    the datasets whose required columns are covered the best wins, but loads by itself only
    with evidence (evidence.py), enough confidence, and a clear margin over the next
    (MARGIN); otherwise it is held, with the next one beside it (`Mapping.candidates`). A
    dataset whose required column is filled on few rows (a rating on a third of the tickets)
    loses to one where that column is optional. A sheet no dataset covers is held for the
    best only when that one says so and explains enough of the sheet; else dataset None
    ("no dataset fits", kept raw)."""
    context = sheet_context(analysis)
    headers = [p.name for p in analysis.columns]
    sheet_words = normalise(analysis.sheet or analysis.file)
    pool = [datasets.get(dataset)] if dataset else list(datasets.DATASETS.values())
    scored = [_score_dataset(ds, analysis, table, context, headers, sheet_words) for ds in pool]
    if dataset:
        m = scored[0].mapping
        m.held = []  # the analyst's say-so
        return m
    # Covered without the sheet saying so counts only when its headers name much of the sheet
    # (one 'Timestamp' of a 21-question survey covers contacts, and explains nothing; a load
    # series' 'Start date' and 'End date' measure no downtime).
    covered = [s for s in scored if s.covered and (s.said or s.named >= UNSAID_EXPLAINS)]
    # A required column on few rows: that dataset rejects most rows; another that covers the
    # sheet with the column optional (a ticket's rating) is the right one.
    clean = [s for s in covered if not s.sparse]
    lost, alone = [], []
    for s in covered:
        if not s.sparse:
            continue
        sources = _sparse_sources(s)
        if any(sources & set(f.mapping.columns.values()) for f in clean):
            lost.append(s)  # another dataset takes that column as optional: this one loses
        else:
            alone.append(s)
            s.mapping.held.append(_sparse_text(s))
    ranked = sorted(clean + alone, key=lambda s: (s.said, s.score), reverse=True)
    if ranked:
        best = ranked[0]
        if best in alone:
            # The rows it would reject belong to a dataset the sheet names that takes the
            # column as optional (a ticket export with no created date: held as contacts).
            sources = _sparse_sources(best)
            other = [s for s in scored if not s.covered and s.said and not s.misfit_required
                     and sources & set(s.mapping.columns.values())]  # fmt: skip
            if other:
                m = max(other, key=lambda s: s.explained).mapping
                m.reasons.append(f"not {best.mapping.dataset}: {_sparse_text(best)}")
                return m
        runner = next((s for s in ranked[1:] if s.said == best.said), None)
        m = best.mapping
        if runner is not None and best.score - runner.score < MARGIN:
            m.held.append(_side_by_side(best, runner))
            m.candidates = [best.to_candidate(), runner.to_candidate()]
        for s in lost:
            m.reasons.append(f"not {s.mapping.dataset}: {_sparse_text(s)}")
        return m
    # None covers the sheet: the one it names is held for the analyst to map what is missing,
    # when it already has half of its required columns, explains half of the sheet or names
    # its key by the dataset's word ('call_id'; a snapshot's 'customerID' is no order), and
    # none went unmapped for its values' nature (a productivity ratio is no budget amount);
    # else no dataset fits.
    said = [s for s in scored if s.said and s.mapping.columns and not s.misfit_required
            and (max(s.groups_met, s.explained) >= HALF_REQUIRED or s.keyed)]  # fmt: skip
    if said:
        return max(said, key=lambda s: (s.explained, s.mapping.confidence)).mapping
    return Mapping(None, {}, confidence=0.0, reasons=[NO_FIT])


def apply_overrides(mapping: Mapping, overrides: dict[str, str | None], profiles: list) -> Mapping:
    """Apply analyst choices (canonical -> source header, None to unmap), checking names."""
    names = {p.name for p in profiles}
    ds = datasets.get(mapping.dataset) if mapping.dataset else None
    columns = dict(mapping.columns)
    for canon, src in overrides.items():
        if ds is not None and canon not in ds.column_names:
            raise ValueError(
                f"{ds.name} has no column {canon!r}; known: {', '.join(ds.column_names)}"
            )
        if src in (None, ""):
            columns.pop(canon, None)
            continue
        if src not in names:
            raise ValueError(f"no source column {src!r}; the sheet has: {', '.join(sorted(names))}")
        columns = {k: v for k, v in columns.items() if v != src}
        columns[canon] = src
    return Mapping(
        mapping.dataset,
        columns,
        confidence=1.0,
        reasons=[
            *[r for r in mapping.reasons if not r.startswith("missing")],
            "mapping confirmed by the analyst",
        ],  # fmt: skip
        unpivot=mapping.unpivot,
        remembered_from=mapping.remembered_from,
        combine={k: v for k, v in mapping.combine.items() if k in columns and k not in overrides},
        constants=dict(mapping.constants),
        units={k: v for k, v in mapping.units.items() if k in columns and k not in overrides},
        span={k: v for k, v in mapping.span.items() if k not in columns},
        due={k: v for k, v in mapping.due.items() if k not in columns},
    )


def recall(store, fp: str) -> dict | None:
    """The remembered mapping for a layout fingerprint, if this layout was loaded before."""
    rows = queries.run(store, "layout_recall", fingerprint=fp).to_pylist()
    if not rows:
        return None
    r = rows[0]
    return {
        "dataset": r["dataset"],
        "mapping": json.loads(r["mapping"]) if r["mapping"] else {},
        "options": json.loads(r["options"]) if r["options"] else {},
        "example_file": r["example_file"],
    }


def remember(cur, fp: str, mapping: Mapping, *, file: str, load_id: int, options: dict) -> None:
    """Keep this layout's mapping so next month's file with the same layout maps itself."""
    cur.execute(
        """INSERT INTO layouts VALUES ($fp, $ds, $mapping, $options, $file, $id, current_timestamp)
           ON CONFLICT (fingerprint) DO UPDATE SET dataset = excluded.dataset,
             mapping = excluded.mapping, options = excluded.options,
             updated_at = excluded.updated_at""",
        {
            "fp": fp,
            "ds": mapping.dataset,
            "mapping": json.dumps(mapping.to_dict()),
            "options": json.dumps(options),
            "file": file,
            "id": load_id,
        },
    )


def from_remembered(saved: dict, profiles: list) -> Mapping | None:
    """Rebuild a remembered mapping, if every source column it names is still present."""
    m = saved["mapping"]
    names = {p.name for p in profiles}
    cols = m.get("columns", {})
    unpivot = Unpivot.from_dict(m.get("unpivot"))
    combine = dict(m.get("combine") or {})
    units = dict(m.get("units") or {})
    due = dict(m.get("due") or {})
    span = {k: list(v) for k, v in (m.get("span") or {}).items()}
    needed = set(cols.values()) | set(combine.values()) | set(units.values())
    needed |= {c for pair in span.values() for c in pair} | set(due.values())
    if unpivot:
        needed |= set(unpivot.columns) | {c for v in unpivot.pairs.values() for c in v.values()}
    if not needed <= names:
        return None
    if m.get("shape"):
        return Mapping(m.get("dataset"), {}, confidence=1.0, shape=m["shape"],
                       remembered_from=saved["example_file"])  # fmt: skip
    return Mapping(
        m.get("dataset"),
        dict(cols),
        confidence=1.0,
        reasons=[f"same layout as {saved['example_file']}"],
        unpivot=unpivot,
        remembered_from=saved["example_file"],
        combine=combine,
        units=units,
        span=span,
        due=due,
    )
