"""The package's shape: no import circles among cockpit's modules (imports that run, not
type-only ones), the ingest's stages imported one way only, and Streamlit imported only where
the pages live."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cockpit"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str], *, type_only: bool = False) -> set[str]:
    """cockpit modules `path` imports when it runs (top level and in functions alike;
    `if TYPE_CHECKING:` blocks left out unless `type_only`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if not type_only and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in found if m in modules and m != _module(path)}


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {m: _imports(p, modules) for m, p in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            # a package's __init__ importing its own modules is not a circle
            if n.startswith(m + "."):
                continue
            if state.get(n) == 1:
                return stack[stack.index(n) :] + [n]
            if n not in state and (found := walk(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := walk(m)):
            return found
    return None


def test_no_import_circle_among_cockpit_modules():
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()) or [])


def test_the_circle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _back_edges(graph: dict[str, set[str]], order: dict[str, tuple[int, str]]) -> list[str]:
    """Imports of a module listed at or after the importer (`order`: module -> its place in
    the list and its stage)."""
    return [
        f"{m} ({order[m][1]}) imports {n} ({order[n][1]}), listed after it"
        for m in sorted(graph)
        for n in sorted(graph[m])
        if m in order and n in order and order[n][0] >= order[m][0]
    ]


def _ingest_order() -> dict[str, tuple[int, str]]:
    from cockpit.ingest import STAGES

    listed = [(m, stage) for stage, mods in STAGES for m in mods]
    return {f"cockpit.ingest.{m}": (i, stage) for i, (m, stage) in enumerate(listed)}


def test_every_ingest_module_is_listed_once_in_its_stages():
    from cockpit.ingest import STAGES

    listed = [m for _, mods in STAGES for m in mods]
    assert len(listed) == len(set(listed)), listed
    assert [s for s, _ in STAGES] == ["read", "detect", "map", "validate", "store", "load"]
    files = {_module(p) for p in (PACKAGE / "ingest").glob("*.py")} - {"cockpit.ingest"}
    assert set(_ingest_order()) == files


def test_the_ingest_reads_one_way():
    # read -> detect -> map -> validate -> store -> load: each module imports only modules
    # listed before it in STAGES, type-only imports included (no circle even for the types).
    files = {_module(p): p for p in (PACKAGE / "ingest").glob("*.py")}
    graph = {m: _imports(p, set(files), type_only=True) for m, p in files.items()}
    assert sum(map(len, graph.values())) > 50  # the imports are seen
    assert _back_edges(graph, _ingest_order()) == []


def test_the_order_check_finds_a_back_edge():
    order = {"a": (0, "read"), "b": (1, "map"), "c": (2, "map")}
    graph = {"a": {"b"}, "b": {"a"}, "c": {"b"}}
    assert _back_edges(graph, order) == ["a (read) imports b (map), listed after it"]


def test_streamlit_only_in_the_ui_package():
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "import streamlit" not in text and "from streamlit" not in text, path


def _table_calls(source: str) -> list[tuple[int, str, set[str]]]:
    import ast

    calls = []
    for node in ast.walk(ast.parse(source)):
        func = getattr(node, "func", None)
        is_table = isinstance(func, ast.Attribute) and func.attr in ("dataframe", "data_editor")
        if isinstance(node, ast.Call) and is_table and getattr(func.value, "id", "") == "st":
            calls.append((node.lineno, func.attr, {k.arg for k in node.keywords}))
    return calls


def test_every_table_on_a_page_says_how_a_missing_value_shows():
    # Streamlit's grid draws a missing cell as a grey "None" unless told otherwise; a COO
    # reads "None" as a value. Computed tables show "—", editors an empty cell.
    files = [*(PACKAGE / "ui").glob("*.py"), *(PACKAGE.parent / "pages").glob("*.py")]
    seen = 0
    for path in files:
        for line, name, keywords in _table_calls(path.read_text(encoding="utf-8")):
            seen += 1
            assert "placeholder" in keywords, f"{path.name}:{line} st.{name} without placeholder"
    assert seen >= 10


def test_the_table_check_sees_a_table_without_placeholder():
    assert _table_calls("import streamlit as st\nst.dataframe(df, width='stretch')\n") == [
        (2, "dataframe", {"width"})
    ]
