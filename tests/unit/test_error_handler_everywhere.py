"""Every page body, fragment, dialog and widget callback runs through our error handler
(cockpit/ui/errors.py), so that no failure shows Streamlit's exception box (issue 23)."""

from __future__ import annotations

import ast
from pathlib import Path

from cockpit import navigation

ROOT = Path(__file__).resolve().parents[2]
UI = [*sorted((ROOT / "cockpit" / "ui").glob("*.py")),
      *(ROOT / p.file for p in navigation.PAGES)]  # fmt: skip


def _decorators(fn: ast.FunctionDef) -> list[str]:
    return [ast.unparse(d) for d in fn.decorator_list]


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def test_every_widget_callback_is_wrapped():
    for path in UI:
        functions = _functions(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg in ("on_click", "on_change", "on_submit") and isinstance(
                    kw.value, ast.Name
                ):
                    fn = functions[kw.value.id]
                    assert any(d.startswith("errors.callback(") for d in _decorators(fn)), (
                        f"{path.name}: callback {fn.name} is not wrapped in errors.callback"
                    )


def test_every_fragment_and_dialog_runs_its_body_in_a_guard():
    for path in UI:
        for fn in _functions(path).values():
            if not any(d.startswith(("st.fragment", "st.dialog")) for d in _decorators(fn)):
                continue
            body = [s for s in fn.body if not isinstance(s, ast.Expr)]  # docstrings aside
            assert len(body) == 1 and isinstance(body[0], ast.With), f"{path.name}: {fn.name}"
            assert ast.unparse(body[0].items[0].context_expr).startswith("errors.guard("), (
                f"{path.name}: {fn.name} does not run its body in errors.guard"
            )


def test_every_page_draws_its_body_through_the_handler():
    for page in navigation.PAGES:
        source = (ROOT / page.file).read_text()
        assert "view_section(" in source or "with page_body(ctx):" in source, page.file
