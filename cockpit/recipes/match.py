"""Next month's file: a sheet whose layout matches a saved recipe loads with it by itself;
one that nearly matches (a column renamed, added or gone) is held with the difference and
the commands to update the recipe, never applied in part."""

from __future__ import annotations

from cockpit.ingest.model import PreparedSheet
from cockpit.ingest.read import RawSheet
from cockpit.recipes.apply import prepared_sheet
from cockpit.recipes.model import RecipeError, parse
from cockpit.recipes.saved import latest_all
from cockpit.store import Store

MAX_DIFFERENCE = 3  # columns renamed, added or gone, for a layout to count as nearly the same


def use_saved_recipes(store: Store, cur, sheets: list[PreparedSheet], raws: list[RawSheet]) -> None:
    """Replace each sheet that matches a saved recipe by the recipe's rows; hold the ones
    that nearly match. Sheets no recipe was saved for are left as detection made them."""
    saved = latest_all(store)
    if not saved:
        return
    for i, sheet in enumerate(sheets):
        if sheet.analysis is None or sheet.analysis.kind not in ("data", "lookup"):
            continue
        found = _match(saved, sheet)
        if found is None:
            continue
        row, exact = found
        recipe = parse(row["toml"], source=f"recipe {row['name']!r}")
        if exact:
            try:
                sheets[i] = prepared_sheet(cur, sheet.raw, recipe, row["version"], raws)
                sheets[i].messages.append(
                    f"same layout as recipe {row['name']!r}: loaded with it by itself"
                )
                continue
            except RecipeError as exc:
                _hold(sheet, row, f"the recipe no longer applies ({exc})")
                continue
        headers = [c.name for c in sheet.analysis.columns]
        _hold(sheet, row, difference(row.get("headers") or [], headers))


def _match(saved: list[dict], sheet: PreparedSheet) -> tuple[dict, bool] | None:
    for row in saved:
        if sheet.fingerprint in (row.get("fingerprints") or []):
            return row, True
    headers = {c.name for c in sheet.analysis.columns}
    best = None
    for row in saved:
        known = set(row.get("headers") or [])
        if not known:
            continue
        recipe_sheet = parse(row["toml"]).sheet
        if recipe_sheet is not None and recipe_sheet != sheet.raw.sheet:
            continue
        changed = len(known ^ headers)
        near = 0 < changed <= MAX_DIFFERENCE and len(known & headers) >= len(known) / 2
        if near and (best is None or changed < best[0]):
            best = (changed, row)
    return (best[1], False) if best else None


def difference(saved: list[str], now: list[str]) -> str:
    """'column 'q_time' is gone; new column 'QTime'' (renamed, probably)."""
    gone = [h for h in saved if h not in now]
    new = [h for h in now if h not in saved]
    parts = []
    if gone:
        parts.append("gone: " + ", ".join(repr(h) for h in gone))
    if new:
        parts.append("new: " + ", ".join(repr(h) for h in new))
    if len(gone) == len(new) == 1:
        parts.append(f"renamed {gone[0]!r} -> {new[0]!r}?")
    return "; ".join(parts) or "the layout changed"


def _hold(sheet: PreparedSheet, row: dict, why: str) -> None:
    name, version = row["name"], row["version"]
    sheet.status = "held"
    sheet.rows = None
    sheet.mapping.dataset = row["dataset"]
    sheet.mapping.recipe = {"name": name, "version": version, "drift": True}
    sheet.mapping.held = [
        f"its layout nearly matches recipe {name!r} version {version} ({why}); nothing of "
        f"the recipe was applied. To update it: cockpit recipes export {_q(name)} recipe.toml, "
        "change the column names in it, then cockpit load FILE --recipe recipe.toml"
    ]
    sheet.recipe_toml = row["toml"]


def _q(text: str) -> str:
    return text if text.replace("_", "").replace("-", "").isalnum() else '"' + text + '"'
