"""The README documents the public surfaces: every CLI command, URL parameter and KPI id."""

from pathlib import Path

import pytest

from cockpit import cli, links
from cockpit.kpis import CATALOGUE

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_every_cli_command_is_documented(command):
    assert f"python -m cockpit {command}" in README


@pytest.mark.parametrize("name", links.param_names())
def test_every_url_parameter_is_documented(name):
    prefix, _, rest = name.partition("_")
    if prefix in ("f", "d") and rest:
        kind = {"f": "Dimensions for `f_`:", "d": "Drivers for `d_`:"}[prefix]
        listed = README.split(kind, 1)[1].split(".", 1)[0]
        assert rest in [w.strip() for w in listed.replace("\n", " ").split(",")], name
    else:
        assert f"`{name}`" in README, f"URL parameter {name!r} is missing from README's Links table"


def _kpi_id_list() -> list[str]:
    """The ids as the README's KPIs section lists them ("Ids: orders, units, …")."""
    section = README.split("## KPIs", 1)[1].split("\n## ", 1)[0]
    listed = section.split("Ids:", 1)[1].split(".", 1)[0]
    return [w.strip() for w in listed.replace("\n", " ").split(",")]


def test_the_kpi_id_list_is_exactly_the_catalogue():
    # Each id as an item of the list, not a substring of prose ("orders" in "orders and…").
    assert sorted(_kpi_id_list()) == sorted(CATALOGUE)


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```")[1]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()[1:]] == [
        "make run",
        "make test",
    ]


def _layout_map() -> set[str]:
    """The modules the README's layout map names, as paths under cockpit/."""
    block = README.split("## Layout", 1)[1].split("```", 2)[1]
    lines = block.split("cockpit/ ", 1)[1].split("\ndata/demo/", 1)[0].splitlines()
    named, package = set(), ""
    for line in lines:
        words = line.split()
        if not words:
            continue
        if line.startswith("  ") and not line.startswith("   ") and words[0].endswith("/"):
            package, words = words[0], words[1:]
        elif line.startswith("  ") and not line.startswith("   "):
            package = ""
        for w in words:
            if w.endswith(".py"):
                named.add(package + w)
    return named


def test_the_layout_map_names_every_module_and_only_modules():
    root = Path(__file__).resolve().parents[2] / "cockpit"
    modules = {
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    }
    named = _layout_map()
    assert not modules - named, f"missing from the README's map: {sorted(modules - named)}"
    assert not named - modules, f"in the map but not modules: {sorted(named - modules)}"
