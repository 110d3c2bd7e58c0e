"""Recipes kept in the database: versioned (an edit is a new version; loads name the
version they were made with, so undo and as-of stay exact), found by name or by layout."""

from __future__ import annotations

from cockpit import auth, queries
from cockpit.recipes.model import Recipe, RecipeError, parse
from cockpit.store import Store, audit

# The recipes table's writes, each in its own transaction (reads are queries/recipe_*.sql).
_INSERT = """INSERT INTO recipes (name, version, toml, dataset, fingerprints, headers,
                                  created_by, created_at)
             VALUES ($recipe, $version, $toml, $dataset, $fingerprints, $headers, $user,
                     current_timestamp)"""
_LAYOUTS = """UPDATE recipes SET fingerprints = $fingerprints,
                                 headers = coalesce($headers, headers)
              WHERE name = $recipe AND version = $version"""
_RETIRE = """UPDATE recipes SET deleted_at = current_timestamp
             WHERE name = $recipe AND deleted_at IS NULL"""
# A rename relabels every version and the loads made with them: a recipe is a feed, and the
# loads it replaces are found by its name (ledger.supersede).
_RENAME = "UPDATE recipes SET name = $new WHERE name = $recipe"
_RETEXT = "UPDATE recipes SET toml = $toml WHERE name = $recipe AND version = $version"
_RENAME_LOADS = "UPDATE loads SET recipe = $new WHERE recipe = $recipe"


def _name_of(user) -> str | None:
    return user.name if isinstance(user, auth.User) else user


def save(
    store: Store,
    recipe: Recipe,
    user=None,
    *,
    fingerprints: list[str] | None = None,
    headers: list[str] | None = None,
) -> int:
    """Keep `recipe` under its name; returns its version (the same one when nothing changed).

    `user`: an auth.User (needs the mapping right) or a trusted command-line name.
    `fingerprints` and `headers`: the layout it was confirmed on (next month's file of the
    same layout uses it by itself; a nearly matching one is held with the difference).
    """
    if isinstance(user, auth.User):
        auth.require(user, "map")
    if not recipe.name:
        raise RecipeError('the recipe needs a name (name = "...") to be saved')
    toml = recipe.to_toml()
    latest = _latest(store, recipe.name, include_deleted=True)
    prints = sorted(set(fingerprints or []) | set((latest or {}).get("fingerprints") or []))
    if latest and latest["toml"] == toml and latest["deleted_at"] is None:
        if set(prints) != set(latest["fingerprints"] or []) or headers:
            with store.transaction() as cur:
                cur.execute(_LAYOUTS, {"recipe": recipe.name, "version": latest["version"],
                                      "fingerprints": prints, "headers": headers})  # fmt: skip
        return latest["version"]
    version = (latest["version"] if latest else 0) + 1
    with store.transaction() as cur:
        cur.execute(_INSERT, {
            "recipe": recipe.name, "version": version, "toml": toml, "dataset": recipe.dataset,
            "fingerprints": prints, "headers": headers or (latest or {}).get("headers"),
            "user": _name_of(user) or "local",
        })  # fmt: skip
        audit(cur, _name_of(user), "recipe", {"name": recipe.name, "version": version})
    return version


def versions(store: Store, name: str) -> list[dict]:
    return queries.run(store, "recipe_versions", recipe=name).to_pylist()


def _latest(store: Store, name: str, *, include_deleted: bool = False) -> dict | None:
    found = versions(store, name)
    if not found or (found[0]["deleted_at"] is not None and not include_deleted):
        return None
    return found[0]


def get(store: Store, name: str, version: int | None = None) -> tuple[Recipe, int]:
    """A saved recipe (its latest version unless one is named) and its version."""
    found = versions(store, name)
    if version is not None:
        found = [v for v in found if v["version"] == version]
    elif found and found[0]["deleted_at"] is not None:
        found = []
    if not found:
        known = ", ".join(r["name"] for r in list_recipes(store)) or "none yet"
        what = f"{name!r} version {version}" if version else repr(name)
        raise RecipeError(f"there is no saved recipe {what} (saved: {known})")
    return parse(found[0]["toml"], source=f"recipe {name!r}"), found[0]["version"]


def list_recipes(store: Store) -> list[dict]:
    return queries.run(store, "recipe_list").to_pylist()


def latest_all(store: Store) -> list[dict]:
    return queries.run(store, "recipe_all_latest").to_pylist()


def delete(store: Store, name: str, user: auth.User | None) -> None:
    """Retire a recipe (admin only); loads made with it keep naming its versions."""
    auth.require(user if isinstance(user, auth.User) else None, "delete_any")
    if _latest(store, name) is None:
        raise RecipeError(f"there is no saved recipe {name!r}")
    with store.transaction() as cur:
        cur.execute(_RETIRE, {"recipe": name})
        audit(cur, _name_of(user), "recipe delete", {"name": name})


def history(store: Store, name: str) -> list[dict]:
    """Every version of a recipe, newest first, each with who saved it, when, and what it
    changed against the version before (a unified diff of the TOML; the first: none)."""
    import difflib

    found = versions(store, name)
    out = []
    for newer, older in zip(found, [*found[1:], None], strict=True):
        diff = ""
        if older is not None:
            diff = "".join(
                difflib.unified_diff(
                    older["toml"].splitlines(keepends=True),
                    newer["toml"].splitlines(keepends=True),
                    fromfile=f"version {older['version']}",
                    tofile=f"version {newer['version']}",
                )
            )
        out.append({**newer, "diff": diff})
    return out


def rename(store: Store, name: str, new: str, user: auth.User | None) -> None:
    """Call a recipe by another name (analysts and admins); its versions and the loads made
    with it follow, so next month's file and undo find it under the new name."""
    auth.require(user if isinstance(user, auth.User) else None, "map")
    new = (new or "").strip()
    if not new:
        raise RecipeError("give the recipe a name")
    if _latest(store, name) is None:
        raise RecipeError(f"there is no saved recipe {name!r}")
    if new != name and versions(store, new):
        raise RecipeError(f"a recipe named {new!r} exists already; choose another name")
    kept = versions(store, name)
    with store.transaction() as cur:
        for row in kept:  # each version's text names the recipe too
            recipe = parse(row["toml"], source=f"recipe {name!r}")
            recipe.name = new
            cur.execute(
                _RETEXT, {"toml": recipe.to_toml(), "recipe": name, "version": row["version"]}
            )
        cur.execute(_RENAME, {"recipe": name, "new": new})
        cur.execute(_RENAME_LOADS, {"recipe": name, "new": new})
        audit(cur, _name_of(user), "recipe rename", {"name": name, "new": new})
