"""DuckDB's syntax tree (json_serialize_sql) walked once for the expression checks of
custom metrics and import recipes: each check only says what it allows of a node."""

from __future__ import annotations

from collections.abc import Iterator


def expression_nodes(tree) -> Iterator[dict]:
    """Every node of `tree` that has a `class` (an expression: column, function, operator,
    subquery...), parents before their children."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if node.get("class") is not None:
                yield node
            stack.extend(reversed([v for v in node.values() if isinstance(v, dict | list)]))
