"""The syntax-tree walk the metric and recipe checks share: every expression node, once."""

import json

import duckdb

from cockpit.sqltree import expression_nodes


def _tree(expression: str) -> dict:
    con = duckdb.connect()
    raw = con.execute("select json_serialize_sql($q)", {"q": f"select {expression}"}).fetchone()
    return json.loads(raw[0])["statements"][0]["node"]["select_list"][0]


def test_every_expression_node_once_parents_first():
    nodes = list(expression_nodes(_tree("coalesce(a, b + 1)")))
    # coalesce(a, b + 1): the operator, a, then b + 1 before its own b and 1.
    assert [n["type"] for n in nodes] == [
        "OPERATOR_COALESCE", "COLUMN_REF", "FUNCTION", "COLUMN_REF", "VALUE_CONSTANT",
    ]  # fmt: skip
    columns = sorted(n["column_names"][0] for n in nodes if n["class"] == "COLUMN_REF")
    assert columns == ["a", "b"]
    assert [n["class"] for n in nodes].count("CONSTANT") == 1


def test_a_subquery_inside_is_reached():
    classes = {n["class"] for n in expression_nodes(_tree("a + (select max(x) from t)"))}
    assert "SUBQUERY" in classes
