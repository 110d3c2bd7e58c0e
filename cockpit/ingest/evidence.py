"""Positive evidence that a sheet is what a dataset says, before it loads by itself.

A wrong dataset puts false numbers on the scorecard with nothing to say so, so a sheet goes
into a KPI dataset automatically only when
- the sheet names what the dataset is about: a signal word in its headers, a super-header,
  its title or its sheet name (downtime needs a stoppage, cause, reason or downtime word;
  contacts a call, ticket, contact, agent or answered word; production planned/run time or
  units made; ...) — a lone `Date` plus one number is never enough; and
- its values are plausible for that dataset (minutes lost per row within a day, ratings
  inside their scale, dates in a sensible range), and
- each mapped column's values fit the canonical column's nature (`nature` in the vocabulary):
  a ratio between 0 and 1 (a productivity, a share) is never money nor a count; a required
  column filled on only a few rows would reject most of them (`nature_misfits`, `sparse`).
Anything less certain is held for the analyst's one click (see pipeline), never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from cockpit import vocabulary
from cockpit.ingest.header_words import words

# What a sheet must say, in its headers, title or name, to be each dataset (English words:
# headers are translated word for word first, see header_words): `signals` of each
# queries/vocabulary/<dataset>.toml.
SIGNALS: dict[str, frozenset[str]] = vocabulary.signals()

# A header made of these words is a measure (count, average, share), not a cause name.
MEASURE_WORDS = vocabulary.words("evidence", "measure_words")

# Minutes lost per downtime row stay within a day (downtime.toml, minutes.plausible).
DAY_MINUTES = int(vocabulary.plausible("downtime", "minutes")[1])
EARLIEST = dt.date(1980, 1, 1)
PLAUSIBLE_SHARE = 0.95  # of the filled values; a few odd rows are reported, not decisive
# Ratings and scores on their scale: {canonical column: (low, high)} (`scale` of a column).
SCALES = vocabulary.scales()


@dataclass
class Verdict:
    """Whether a proposal may load by itself, and if not, what is missing."""

    signals: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing


def signal_words(dataset: str, headers: list[str], context: list[str]) -> list[str]:
    """The dataset's signal words found in the headers and in the sheet's name and title."""
    wanted = SIGNALS.get(dataset, frozenset())
    found: list[str] = []
    for text in [*headers, *context]:
        for w in words(text or "").split():
            if w in wanted and w not in found:
                found.append(w)
    return found


def is_measure(header: str) -> bool:
    """'Nombre de trains annulés', 'Avg wait (s)', 'Prct retard' name measures, not causes."""
    ws = set(words(header).split())
    return bool(ws & MEASURE_WORDS) or any(w in ("prct", "nb", "qty", "avg") for w in ws)


def judge(dataset: str, headers: list[str], context: list[str]) -> Verdict:
    """The sheet-level evidence for `dataset` (signal words); values are judged by `plausible`."""
    found = signal_words(dataset, headers, context)
    if found:
        return Verdict(signals=found)
    examples = ", ".join(sorted(SIGNALS.get(dataset, ()))[:6])
    return Verdict(missing=[f"nothing in the sheet says it is {dataset} (no word like {examples})"])


def plausible(dataset: str, rows: pa.Table, *, today: dt.date | None = None) -> list[str]:
    """What is implausible in the canonical rows of `dataset` (empty when all is plausible)."""
    today = today or dt.date.today()
    problems: list[str] = []
    if rows.num_rows == 0:
        return problems
    if dataset == "downtime" and "minutes" in rows.column_names:
        share = _share_within(rows["minutes"], 0, DAY_MINUTES)
        if share is not None and share < PLAUSIBLE_SHARE:
            problems.append(
                f"only {share:.0%} of rows have downtime minutes within a day (0-1,440)"
            )
    for col, (low, high) in SCALES.items():
        if col in rows.column_names:
            share = _share_within(rows[col], low, high)
            if share is not None and share < PLAUSIBLE_SHARE:
                problems.append(f"only {share:.0%} of {col} values are on the {low}-{high} scale")
    latest = dt.date(today.year + (10 if dataset in ("budget", "targets") else 2), 12, 31)
    for name in rows.column_names:
        col = rows[name]
        if name.startswith("_") or not (
            pa.types.is_date(col.type) or pa.types.is_timestamp(col.type)
        ):
            continue
        days = pc.cast(col, pa.date32()) if pa.types.is_timestamp(col.type) else col
        share = _share_within(days, EARLIEST, latest)
        if share is not None and share < PLAUSIBLE_SHARE:
            problems.append(
                f"only {share:.0%} of {name} values fall between {EARLIEST.year} and {latest.year}"
            )
    return problems


def _share_within(col: pa.ChunkedArray, low, high) -> float | None:
    filled = col.length() - col.null_count
    if filled == 0:
        return None
    inside = pc.sum(pc.and_(pc.greater_equal(col, low), pc.less_equal(col, high))).as_py() or 0
    return inside / filled


# A money or count column whose values all lie within +-RATIO_LIMIT, mostly with a fraction,
# holds ratios (0.8 productivity, 0.94 on-time share), not amounts.
RATIO_LIMIT = 1.5
SPARSE = 0.5  # a required column filled on fewer rows than this share rejects most rows


def _numbers(table: pa.Table | None, source: str) -> pa.Array | None:
    if table is None or source not in table.column_names:
        return None
    col = table[source]
    if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
        return None
    return pc.drop_null(col.combine_chunks())


def is_ratio(values: pa.Array) -> bool:
    """Values that are ratios: all within +-1.5 and most with a fraction (0.8, 0.94)."""
    if len(values) == 0:
        return False
    lo, hi = pc.min(values).as_py(), pc.max(values).as_py()
    if lo < -RATIO_LIMIT or hi > RATIO_LIMIT:
        return False
    floats = pc.cast(values, pa.float64())
    fraction = pc.sum(pc.not_equal(floats, pc.floor(floats))).as_py() or 0
    return fraction >= 0.5 * len(values)


def nature_misfits(
    dataset: str, columns: dict[str, str], table: pa.Table | None, kinds: dict[str, str]
) -> dict[str, str]:
    """{canonical: why} for mapped columns whose values are not of the column's nature."""
    out = {}
    for canon, src in columns.items():
        nature = vocabulary.nature(dataset, canon)
        if nature not in ("money", "count"):
            continue
        values = _numbers(table, src)
        ratio = kinds.get(src) == "percent" or (values is not None and is_ratio(values))
        if ratio:
            example = "" if values is None else f" ({values[0].as_py():g}, ...)"
            out[canon] = f"{src!r} holds ratios{example}: ratios are never {nature}" + (
                " amounts" if nature == "money" else "s"
            )
    return out


def fill_share(table: pa.Table | None, source: str, profile=None, rows: int = 0) -> float:
    """The share of the sheet's rows that have a value in `source`."""
    if table is not None and source in table.column_names and table.num_rows:
        col = table[source]
        return 1 - col.null_count / table.num_rows
    if profile is not None and rows:
        return max(0.0, 1 - profile.null_count / rows)
    return 1.0


# A row whose reporting date is blank takes the next date it has, rather than being lost
# (a delivery line with no PO date still has its scheduled and delivered dates); said
# (validate does it; a required column with a fallback is not sparse while these fill it).
DATE_FALLBACKS = {"orders": ("order_date", ("ship_date", "promised_date", "delivered_date"))}


def sparse(
    dataset: str, groups, columns: dict[str, str], table: pa.Table | None, profiles: dict,
    rows: int,
) -> dict[str, float]:  # fmt: skip
    """{required columns: filled share} of each required group (`Dataset.required`) that is
    filled on fewer than half the rows: a row is filled when any mapped alternative of the
    group has all its values ('date or batch': a blank batch with a date is filled); a date
    with fallbacks counts them. Each unfilled row would be rejected."""
    out = {}
    target, others = DATE_FALLBACKS.get(dataset, (None, ()))
    for group in groups:
        alts = [alt for alt in group if all(c in columns for c in alt)]
        if not alts:
            continue
        name = " or ".join(" + ".join(alt) for alt in alts)
        if table is None or not table.num_rows:
            share = max(
                min(fill_share(None, columns[c], profiles.get(columns[c]), rows) for c in alt)
                for alt in alts
            )
        else:
            filled = None
            for alt in alts:
                cols = [c for c in alt]
                if alt == (target,):
                    cols = [c for c in (target, *others) if c in columns]
                sources = [columns[c] for c in cols if columns[c] in table.column_names]
                if not sources:
                    continue
                one = pc.is_valid(table[sources[0]])
                for s in sources[1:]:
                    one = pc.or_(one, pc.is_valid(table[s])) if alt == (target,) else pc.and_(
                        one, pc.is_valid(table[s]))  # fmt: skip
                filled = one if filled is None else pc.or_(filled, one)
            if filled is None:
                continue
            share = (pc.sum(filled).as_py() or 0) / table.num_rows
        if share < SPARSE:
            out[name] = share
    return out
