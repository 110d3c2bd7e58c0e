"""Import recipes: the one declarative description of how one layout becomes one dataset.

Like Power Query's applied steps, a layout's first import is confirmed once as a recipe and
saved; the saved recipe runs on every later file of that layout. The API the Data page and
the command line use:

- `parse(text)` / `Recipe.to_toml()`: the TOML contract (model);
- `propose(prepared_sheet)`: what detection would do, as a recipe to edit (propose);
- `preview(store, data, name, recipe, rows=20)`: canonical rows, rows `where` left out, and
  the KPI figures of its months, nothing written;
- `save(store, recipe, user)`, `get`, `list_recipes`, `delete` (saved);
- `load(store, data, name, recipe, ...)`: apply, validate and commit as any load.
"""

from __future__ import annotations

from cockpit.recipes.guard import ExpressionRefused
from cockpit.recipes.load import load, prepare, preview
from cockpit.recipes.model import Recipe, RecipeError, Unpivot, dumps, parse
from cockpit.recipes.propose import propose
from cockpit.recipes.saved import delete, get, history, list_recipes, rename, save, versions

__all__ = [
    "ExpressionRefused",
    "Recipe",
    "RecipeError",
    "Unpivot",
    "delete",
    "dumps",
    "get",
    "history",
    "list_recipes",
    "load",
    "parse",
    "prepare",
    "preview",
    "propose",
    "rename",
    "save",
    "versions",
]
