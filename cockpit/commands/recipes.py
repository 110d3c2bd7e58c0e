"""`cockpit recipes list|show|export|import|delete`: the saved import recipes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cockpit import auth
from cockpit.commands import open_store, print_json, print_table


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="the saved recipes (latest versions)").add_argument(
        "--json", action="store_true", help="print JSON"
    )
    show = sub.add_parser("show", help="print a recipe as TOML (the latest version)")
    show.add_argument("name")
    show.add_argument("--version", type=int, help="an earlier version")
    export = sub.add_parser("export", help="write a recipe's TOML to a file")
    export.add_argument("name")
    export.add_argument("path")
    export.add_argument("--version", type=int, help="an earlier version")
    imp = sub.add_parser("import", help="save a recipe file (a new version if it changed)")
    imp.add_argument("path")
    imp.add_argument("--name", help="the recipe's name (default: its name field, else the file's)")
    delete = sub.add_parser("delete", help="retire a recipe (admin; loads keep naming it)")
    delete.add_argument("name")
    for action in sub.choices.values():  # `recipes list --db X` as well as `recipes --db X list`
        action.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def run(args) -> int:
    from cockpit import recipes

    store = open_store(args)
    try:
        if args.action == "list":
            rows = recipes.list_recipes(store)
            if args.json:
                print_json(rows)
            else:
                print_table(rows, ["name", "version", "dataset", "loads", "created_by"])
        elif args.action in ("show", "export"):
            recipe, version = recipes.get(store, args.name, args.version)
            text = f"# {args.name}, version {version}\n" + recipe.to_toml()
            if args.action == "show":
                sys.stdout.write(text)
            else:
                Path(args.path).write_text(recipe.to_toml(), encoding="utf-8")
                print(f"recipe {args.name!r} version {version} written to {args.path}")
        elif args.action == "import":
            recipe = read_recipe(args.path, name=args.name)
            version = recipes.save(store, recipe, "local")
            print(f"recipe {recipe.name!r} saved as version {version}")
        elif args.action == "delete":
            recipes.delete(store, args.name, auth.LOCAL_ADMIN)  # the command line is the owner
            print(f"recipe {args.name!r} deleted (loads made with it still name it)")
    except (recipes.RecipeError, auth.PermissionDenied, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def read_recipe(path: str, *, name: str | None = None):
    """A recipe file, named by `name`, else its name field, else the file's stem."""
    from cockpit import recipes

    text = Path(path).read_text(encoding="utf-8")
    recipe = recipes.parse(text, source=path)
    recipe.name = name or recipe.name or Path(path).stem
    return recipe
