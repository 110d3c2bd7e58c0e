"""The Data page's recipe form without Streamlit: a recipe as form fields and back, its live
preview as tables, "save recipe and load" through the load queue, and the saved recipes list.

The form edits one recipe; its TOML text is the one state (the text view and the fields both
read it), so the preview is cached by that text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd

from cockpit import auth, datasets, recipes
from cockpit.ingest.model import PreparedSheet
from cockpit.kpis.catalogue import format_value
from cockpit.kpis.registry import lookup
from cockpit.recipes.model import Recipe, RecipeError, Unpivot, dumps, parse
from cockpit.screens import dataops
from cockpit.store import Store

EXPRESSION = "(expression)"  # the picker's choice that opens the expression box
UNUSED = ""  # the picker's choice for a canonical column left empty


def initial(sheet: PreparedSheet, store: Store | None = None) -> Recipe:
    """The recipe the form opens with: the saved one the sheet was held for or loaded with,
    else what detection proposes, else an empty recipe for the dataset it looks like."""
    if sheet.recipe_toml:
        return parse(sheet.recipe_toml)
    saved = getattr(sheet.mapping, "recipe", None)
    if store is not None and isinstance(saved, dict) and saved.get("name"):
        try:
            return recipes.get(store, saved["name"], saved.get("version"))[0]
        except RecipeError:
            pass
    proposed = recipes.propose(sheet)
    if proposed is not None:
        return proposed
    dataset = sheet.mapping.dataset or next(iter(datasets.DATASETS))
    return Recipe(dataset=dataset, name=Path(sheet.raw.file).stem, sheet=sheet.raw.sheet)


def headers(sheet: PreparedSheet) -> list[str]:
    """The sheet's source column names (what a picker offers)."""
    if sheet.analysis is None:
        return []
    return [c.name for c in sheet.analysis.columns]


def column_choice(recipe: Recipe, canon: str, names: list[str]) -> tuple[str, str]:
    """(picker choice, expression) for a canonical column: a source column's name, UNUSED,
    or EXPRESSION with the expression's text."""
    value = recipe.columns.get(canon)
    if value is None:
        return UNUSED, ""
    if value in names:
        return value, ""
    return EXPRESSION, value


def month_column(recipe: Recipe) -> str | None:
    """The dataset's month column when the recipe gives it no source (a dateless file)."""
    col = datasets.get(recipe.dataset).month_column
    if col is None or col in recipe.columns or recipe.unpivot is not None:
        return None
    return col


def month_text(recipe: Recipe) -> str:
    col = month_column(recipe)
    value = recipe.constants.get(col) if col else None
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return "" if value is None else str(value)


def from_form(
    base: Recipe,
    *,
    dataset: str,
    columns: dict[str, tuple[str, str]],
    name: str | None = None,
    where: str = "",
    month: str = "",
    header_row: int | None = None,
    unpivot: dict | None = None,
) -> Recipe:
    """The recipe the form's fields say. `columns`: canonical column -> (choice, expression)
    as column_choice gives them. Fields of another dataset are dropped when it changes."""
    ds = datasets.get(dataset)
    r = replace(base, dataset=dataset, columns={}, constants={}, lookup={})
    if name is not None:
        r.name = name.strip() or None
    for canon in ds.column_names:
        choice, expr = columns.get(canon, (UNUSED, ""))
        if choice == EXPRESSION and expr.strip():
            r.columns[canon] = expr.strip()
        elif choice not in (UNUSED, EXPRESSION):
            r.columns[canon] = choice
    r.constants = {k: v for k, v in base.constants.items() if k in ds.column_names}
    r.lookup = {k: v for k, v in base.lookup.items() if k in ds.column_names}
    for canon in list(r.constants):
        if canon in r.columns:
            del r.constants[canon]
    r.where = where.strip() or None
    r.header_row = header_row if header_row and header_row > 1 else None
    if r.data_row and r.header_row and r.data_row <= r.header_row:
        r.data_row = None
    if unpivot and unpivot.get("columns"):
        year = unpivot.get("year") or None
        r.unpivot = Unpivot(list(unpivot["columns"]), unpivot.get("value") or "", year)
    elif unpivot is not None:
        r.unpivot = None
    if r.unpivot and r.unpivot.value not in ds.column_names:
        r.unpivot.value = "budget" if "budget" in ds.column_names else ds.column_names[-1]
    col = month_column(r)
    if col is not None:
        if month.strip():
            r.constants[col] = month.strip()
        else:
            r.constants.pop(col, None)
    return r


def check(recipe: Recipe) -> str | None:
    """The recipe's first problem in words (naming the field), None when it reads."""
    try:
        parse(dumps(recipe))
    except RecipeError as exc:
        return str(exc)
    return None


def preview_view(store: Store, data: bytes, name: str, toml: str, rows: int = 20) -> dict:
    """What the recipe makes of the file, for the page: `rows` (the first canonical rows),
    `dropped` (the source rows the filter leaves out, as the file has them), `figures`
    (KPI label and value for its months), `months`, `rejected` and `error` (in words)."""
    try:
        recipe = parse(toml)
    except RecipeError as exc:
        return _empty(str(exc))
    found = recipes.preview(store, data, name, recipe, rows=rows)
    if found.error and found.rows.num_columns == 0:
        return _empty(found.error)
    frame = found.rows.to_pandas()
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    return {
        "rows": frame,
        "dropped": dropped_rows(data, name, recipe, found.dropped),
        "figures": figure_rows(found.figures),
        "months": [f"{m:%Y-%m}" for m in found.months],
        "rejected": len(found.rejects),
        "error": found.error,
    }


def _empty(error: str) -> dict:
    return {"rows": pd.DataFrame(), "dropped": pd.DataFrame(), "figures": [], "months": [],
            "rejected": 0, "error": error}  # fmt: skip


def dropped_rows(data: bytes, name: str, recipe: Recipe, rows: list[int]) -> pd.DataFrame:
    """The file's rows `where` left out (1-based row numbers, as a spreadsheet counts)."""
    if not rows:
        return pd.DataFrame()
    from cockpit.ingest.read import read_file
    from cockpit.recipes.apply import pick_sheet

    raws = read_file(data, name)
    table = pick_sheet(raws, recipe, name).table.to_pylist()
    head = table[(recipe.header_row or 1) - 1] if table else {}
    names = {k: (v or k) for k, v in head.items()}
    out = [{"row": n, **{names[k]: v for k, v in table[n - 1].items()}}
           for n in rows[:50] if 0 < n <= len(table)]  # fmt: skip
    return pd.DataFrame(out)


def figure_rows(figures: dict[str, float]) -> list[dict]:
    """KPI figures as the cards show them (label, value)."""
    out = []
    for kpi_id, value in figures.items():
        try:
            kpi = lookup(kpi_id)
        except KeyError:
            continue
        out.append({"KPI": kpi.label, "Value": format_value(kpi, value)})
    return out


def save_and_load(
    store: Store,
    data: bytes,
    name: str,
    recipe: Recipe,
    user: auth.User | None,
    *,
    replace_months: bool = True,
    on_wait=None,
    poll_s: float = 0.5,
):
    """Save the recipe (the mapping right) and load the file with it through the process's
    load queue (behind any other load); returns the file's load report, which names the
    recipe and its version."""
    auth.require(user, "map")
    if not recipe.name:
        raise RecipeError("give the recipe a name to save it")
    problem = check(recipe)
    if problem:
        raise RecipeError(problem)

    def run() -> dict:
        return {"report": recipes.load(store, data, name, recipe, user=user,
                                       replace=replace_months)}  # fmt: skip

    return dataops.run_queued(f"{name} (recipe {recipe.name!r})", run, on_wait, poll_s)["report"]


def saved_table(store: Store) -> pd.DataFrame:
    """The saved recipes: name, dataset, version, who saved it and when, the layouts it
    matches, the loads made with it and when it was last used."""
    rows = recipes.list_recipes(store)
    return pd.DataFrame(
        [
            {
                "Recipe": r["name"],
                "Dataset": datasets.get(r["dataset"]).label
                if r["dataset"] in datasets.DATASETS
                else r["dataset"],
                "Version": int(r["version"]),
                "Saved by": r["created_by"] or "—",
                "Saved at": r["created_at"],
                "Layouts": int(r["layouts"] or 0),
                "Loads": int(r["loads"] or 0),
                "Last used": r["last_used"],
            }
            for r in rows
        ],
        columns=[
            "Recipe", "Dataset", "Version", "Saved by", "Saved at", "Layouts", "Loads",
            "Last used",
        ],
    )  # fmt: skip


def import_toml(store: Store, text: str, file_name: str, user: auth.User | None) -> str:
    """Save an uploaded recipe (named after its file when it names itself nothing); says
    which name and version it was saved as."""
    auth.require(user, "map")
    recipe = parse(text, source=file_name)
    if not recipe.name:
        recipe.name = Path(file_name).stem
    version = recipes.save(store, recipe, user)
    return f"Saved recipe {recipe.name!r} version {version}."
