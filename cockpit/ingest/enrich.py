"""Across the sheets of one workbook: lookup sheets enrich the rows that name their codes,
a transactions list beside a budget becomes its actuals, downtime by batch takes the batch's
date (from the production sheet or production already loaded)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from cockpit import datasets, queries
from cockpit.ingest import mapping as mapping_mod
from cockpit.ingest import months_across
from cockpit.ingest.mapping import Mapping
from cockpit.ingest.model import PreparedSheet
from cockpit.ingest.prepare import cast
from cockpit.store import LATEST, Store


def enrich_across_sheets(store: Store, sheets: list[PreparedSheet]) -> None:
    """Lookup sheets enrich the rows naming them; downtime by batch takes the batch's date;
    a transactions list beside a budget is that budget's actuals."""
    _actuals_beside_budget(sheets)
    # A recipe's rows are what the recipe says (its own [lookup] tables), nothing added.
    ready = [
        s for s in sheets if s.status == "ready" and s.rows is not None and not s.mapping.recipe
    ]
    for lookup in sheets:
        if lookup.status == "ready" or lookup.typed is None or lookup.typed.num_columns < 3:
            continue
        if lookup.analysis is None or lookup.analysis.kind not in ("lookup", "data"):
            continue
        used = [t.name for t in ready if _apply_lookup(lookup, t)]
        if used and lookup.status in ("held", "raw-only"):
            # It was a lookup all along: its values are in the sheets it enriches.
            lookup.status = "raw-only"
            lookup.mapping = Mapping(None, {}, reasons=[f"a lookup for sheet {used[0]!r}"])
    for target in ready:
        if target.mapping.dataset == "downtime":
            _dates_from_batches(store, target, ready)


def _actuals_beside_budget(sheets: list[PreparedSheet]) -> None:
    """A transactions list (date, category, amount) in a workbook with a budget: summed per
    month and category as the budget's actuals, categories matched to its accounts."""
    budgets = [
        s for s in sheets
        if s.status == "ready" and s.mapping.dataset == "budget" and s.rows is not None
        and "account" in s.rows.column_names
    ]  # fmt: skip
    if not budgets:
        return
    budget = budgets[0]
    accounts = sorted(set(pc.unique(budget.rows.column("account")).drop_null().to_pylist()))
    units = pc.unique(budget.rows.column("unit")).drop_null().to_pylist()
    unit = units[0] if len(units) == 1 else budget.name
    for s in sheets:
        if s.status not in ("held", "raw-only") or s.typed is None or s.analysis is None:
            continue
        found = months_across.actuals_from_transactions(s.typed, s.analysis.columns, accounts)
        if found is None:
            continue
        rows, reasons = found
        rows = rows.append_column("unit", pa.array([unit] * rows.num_rows, pa.string()))
        if "_row" not in rows.column_names:
            rows = rows.append_column("_row", pa.array(range(1, rows.num_rows + 1), pa.int64()))
        s.rows, s.status = rows, "ready"
        s.mapping = Mapping(
            "budget", {}, confidence=1.0, shape="transactions",
            reasons=[f"the actuals of the budget in sheet {budget.name!r}", *reasons],
        )  # fmt: skip
        s.messages += s.mapping.reasons


def _apply_lookup(lookup: PreparedSheet, target: PreparedSheet) -> bool:
    """Add columns the target lacks from a small code -> value sheet whose codes it names;
    True when it added or named anything."""
    before = len(target.messages)
    ds = datasets.get(target.mapping.dataset)
    key_name = lookup.typed.column_names[0]
    keys = cast(lookup.typed.column(key_name), datasets.TEXT)
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()  # index_in takes a plain array as its value set
    key_list = keys.to_pylist()
    if not key_list or len(set(key_list)) != len(key_list):
        return False
    for col in target.rows.column_names:
        if col.startswith("_") or ds.column(col).type != datasets.TEXT:
            continue
        values = pc.unique(target.rows.column(col).combine_chunks()).drop_null().to_pylist()
        if not values or sum(v in set(key_list) for v in values) < 0.8 * len(values):
            continue
        idx = pc.index_in(target.rows.column(col), value_set=keys)  # before codes become names
        for src in lookup.typed.column_names[1:]:
            if src == "_row":
                continue
            canon = _best_column(ds, src)
            # The key column itself holds codes ('store id' mapped as site): the lookup's
            # name for the same thing ('Ciudad') replaces them, so filters read as people do.
            named = canon == col
            if canon is None or (
                not named
                and canon in target.rows.column_names
                and target.rows.column(canon).null_count == 0
            ):
                continue
            looked = cast(lookup.typed.column(src), ds.column(canon).type)
            filled = pc.take(looked, idx)
            target.mapping.lookups[canon] = {
                "sheet": lookup.raw.sheet,
                "column": target.mapping.columns.get(col, col),
                "key": key_name,
                "value": src,
            }
            if named:
                i = target.rows.column_names.index(canon)
                target.rows = target.rows.set_column(
                    i, canon, pc.coalesce(filled, target.rows.column(canon))
                )
                target.messages.append(
                    f"{canon}: codes replaced by {src!r} from sheet {lookup.name!r}"
                )
                continue
            if canon in target.rows.column_names:
                i = target.rows.column_names.index(canon)
                filled = pc.coalesce(target.rows.column(canon), filled)
                target.rows = target.rows.set_column(i, canon, filled)
            else:
                target.rows = target.rows.append_column(canon, filled)
            target.messages.append(f"{canon} taken from sheet {lookup.name!r} by {col}")
    return len(target.messages) > before


def _best_column(ds: datasets.Dataset, header: str) -> str | None:
    best, score = None, 0.0
    for c in ds.columns:
        s = mapping_mod._match_score(header, ds.name, c.name)
        if s > score:
            best, score = c.name, s
    return best if score >= 0.85 else None


def _dates_from_batches(store: Store, target: PreparedSheet, ready: list[PreparedSheet]) -> None:
    rows = target.rows
    if "batch" not in rows.column_names:
        return
    if "date" in rows.column_names and rows.column("date").null_count == 0:
        return
    keys: list = []
    dates: list = []
    extra: dict[str, list] = {"site": [], "line": []}
    for s in ready:
        if s.mapping.dataset == "production" and {"batch", "date"} <= set(s.rows.column_names):
            keys += s.rows.column("batch").to_pylist()
            dates += s.rows.column("date").to_pylist()
            for k in extra:
                extra[k] += (
                    s.rows.column(k).to_pylist()
                    if k in s.rows.column_names
                    else [None] * s.rows.num_rows
                )
    source = "the production sheet"
    if not keys:
        wanted = pc.unique(rows.column("batch").combine_chunks()).drop_null().to_pylist()
        found = queries.run(store, "production_batches", as_of=LATEST, batches=wanted).to_pylist()
        keys = [r["batch"] for r in found]
        dates = [r["date"] for r in found]
        extra = {k: [r[k] for r in found] for k in extra}
        source = "production already loaded"
    if not keys:
        return
    key_arr = pa.array(keys, pa.string())
    idx = pc.index_in(rows.column("batch"), value_set=key_arr)
    for col, values, typ in [
        ("date", dates, pa.date32()),
        ("site", extra["site"], pa.string()),
        ("line", extra["line"], pa.string()),
    ]:
        filled = pc.take(pa.array(values, typ), idx)
        if col in rows.column_names:
            i = rows.column_names.index(col)
            rows = rows.set_column(i, col, pc.coalesce(rows.column(col), filled))
        else:
            rows = rows.append_column(col, filled)
    target.rows = rows
    target.messages.append(f"dates taken from {source} by batch")
