"""Load a file with a recipe: read, apply, validate, commit (one transaction), or preview."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from cockpit import auth, datasets, ledger
from cockpit.ingest.commit import commit_file
from cockpit.ingest.errors import IngestError
from cockpit.ingest.model import FileReport, PreparedFile
from cockpit.ingest.read import read_file
from cockpit.ingest.validate import validate_sheet
from cockpit.recipes.apply import pick_sheet, prepared_sheet
from cockpit.recipes.model import Recipe, RecipeError
from cockpit.recipes.saved import save
from cockpit.store import Store, sha256


def prepare(
    store: Store, data: bytes, name: str, recipe: Recipe, version: int | None = None
) -> PreparedFile:
    """The file prepared by the recipe (validated, nothing written); a problem with the
    file or the recipe is the prepared file's error, naming the field."""
    prepared = PreparedFile(name=name, data=data, sha256=sha256(data))
    try:
        raws = read_file(data, name)
        raw = pick_sheet(raws, recipe, name)
        cur = store.cursor()
        try:
            sheet = prepared_sheet(cur, raw, recipe, version, raws)
        finally:
            cur.close()
        validate_sheet(store, sheet)
    except (IngestError, RecipeError) as exc:
        label = f"recipe {recipe.name!r}" if recipe.name else "the recipe"
        prepared.error = f"{name}: {label}: {exc}" if isinstance(exc, RecipeError) else str(exc)
        return prepared
    prepared.sheets.append(sheet)
    if sheet.rows.num_rows == 0:
        prepared.error = f"{name}: the recipe leaves no rows to load"
    return prepared


def load(
    store: Store,
    data: bytes,
    name: str,
    recipe: Recipe,
    *,
    version: int | None = None,
    user: str | auth.User | None = None,
    replace: bool = True,
) -> FileReport:
    """Apply `recipe` to the file and store it as any load is stored. A recipe given without
    its saved `version` is saved first (a new version when it changed), once it applies: every
    load names the recipe version it was made with."""
    if isinstance(user, auth.User):
        auth.require(user, "upload")
    if not recipe.name:
        # A recipe is a feed, found by its name: one given without is named after its file,
        # sheet and dataset, so two nameless recipes over one file stay two feeds.
        recipe = copy.copy(recipe)
        where = f" {recipe.sheet}" if recipe.sheet else ""
        recipe.name = f"{Path(name).stem}{where} ({recipe.dataset})"
    prepared = prepare(store, data, name, recipe, version)
    if version is None and not prepared.error and prepared.sheets and recipe.name:
        sheet = prepared.sheets[0]
        headers = [c.name for c in sheet.analysis.columns]
        version = save(store, recipe, user, fingerprints=[sheet.fingerprint], headers=headers)
        sheet.mapping.recipe = {"name": recipe.name, "version": version}
        sheet.messages[0] += f" version {version}"
    return commit_file(store, prepared, replace=replace, user=user)


@dataclass
class Preview:
    rows: pa.Table  # the first canonical rows
    dropped: list[int]  # source rows the recipe's where left out
    figures: dict[str, float]  # KPI id -> value over the months the rows cover
    rejects: list[dict]
    months: list
    error: str | None = None

    def __iter__(self):
        """rows, dropped, figures = recipes.preview(...)"""
        return iter((self.rows, self.dropped, self.figures))


def preview(store: Store, data: bytes, name: str, recipe: Recipe, rows: int = 20) -> Preview:
    """What the recipe makes of the file, nothing written: the first `rows` canonical rows,
    the rows `where` drops, and the KPI figures of its months on these rows alone."""
    prepared = prepare(store, data, name, recipe)
    if prepared.error and not prepared.sheets:
        return Preview(pa.table({}), [], {}, [], [], prepared.error)
    sheet = prepared.sheets[0]
    return Preview(
        rows=sheet.rows.slice(0, rows),
        dropped=list(sheet.dropped),
        figures=figures(recipe.dataset, sheet.rows, sheet.months),
        rejects=list(sheet.rejects),
        months=list(sheet.months),
        error=prepared.error,
    )


def figures(dataset: str, rows: pa.Table, months: list) -> dict[str, float]:
    """The KPI values these rows alone give over `months` (a scratch in-memory store)."""
    from cockpit import kpis
    from cockpit.kpis.periods import period_between

    if not months or rows.num_rows == 0:
        return {}
    scratch = Store.open(":memory:")
    try:
        cols = [c for c in rows.column_names if c in datasets.get(dataset).column_names]
        ledger.load_table(scratch, dataset, rows.select([*cols, "_row"]))
        period = period_between(f"{min(months):%Y-%m}", f"{max(months):%Y-%m}")
        cards = kpis.scorecard(scratch, period=period, compare="target")
        return {c.id: c.value for c in cards if c.value is not None}
    finally:
        scratch.close()
