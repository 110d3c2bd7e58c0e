"""The guard for a recipe's expressions: scalar SQL over the source columns, nothing else.

Like cockpit.sqlguard, DuckDB's own parser reads the text (`json_serialize_sql` of
`SELECT (expr)`), and the syntax tree is walked before anything runs. Here the rules are cut
down to scalars and written as an allowlist: the statement must be one SELECT of one
expression with no FROM, WHERE or other clause; every node must be of an allowed expression
class (column, constant, operator, comparison, AND/OR, CASE, CAST, BETWEEN, IN, IS NULL);
every function must be on the list of plain scalar functions below. So subqueries, table
functions, aggregates, windows, lambdas, parameters, file and settings functions
(read_csv, getenv, current_setting, ...) and statements are refused, and so are names
that are not columns of the sheet.
"""

from __future__ import annotations

import json

import duckdb

from cockpit.ingest import scratch
from cockpit.sqltree import expression_nodes

MAX_EXPRESSION_CHARS = 4_000

ALLOWED_CLASSES = frozenset(
    {"COLUMN_REF", "CONSTANT", "FUNCTION", "OPERATOR", "COMPARISON", "CONJUNCTION", "CASE",
     "CAST", "BETWEEN", "TYPE"}
)  # fmt: skip
ALLOWED_OPERATOR_TYPES = frozenset(
    {"OPERATOR_NOT", "OPERATOR_IS_NULL", "OPERATOR_IS_NOT_NULL", "COMPARE_IN",
     "COMPARE_NOT_IN", "OPERATOR_COALESCE", "OPERATOR_NULLIF"}
)  # fmt: skip
# Plain scalar functions: arithmetic, text, dates and times, conditionals. Nothing that
# reads files, settings or state, builds values of unbounded size, or aggregates.
ALLOWED_FUNCTIONS = frozenset(
    [
        "+",
        "-",
        "*",
        "/",
        "//",
        "%",
        "^",
        "**",
        "~~",
        "!~~",
        "~~*",
        "!~~*",
        "||",
        "abs",
        "ceil",
        "ceiling",
        "floor",
        "round",
        "trunc",
        "sign",
        "sqrt",
        "ln",
        "log",
        "log10",
        "log2",
        "exp",
        "pow",
        "power",
        "greatest",
        "least",
        "mod",
        "even",
        "coalesce",
        "nullif",
        "ifnull",
        "if",
        "isnan",
        "isinf",
        "isfinite",
        "lower",
        "upper",
        "lcase",
        "ucase",
        "trim",
        "ltrim",
        "rtrim",
        "length",
        "strlen",
        "substr",
        "substring",
        "left",
        "right",
        "concat",
        "concat_ws",
        "replace",
        "contains",
        "starts_with",
        "ends_with",
        "prefix",
        "suffix",
        "strpos",
        "instr",
        "position",
        "regexp_matches",
        "regexp_replace",
        "regexp_extract",
        "regexp_full_match",
        "split_part",
        "reverse",
        "like_escape",
        "ilike_escape",
        "lpad_safe",
        "strip_accents",
        "ascii",
        "chr",
        "strptime",
        "try_strptime",
        "strftime",
        "date_part",
        "datepart",
        "date_trunc",
        "datetrunc",
        "date_diff",
        "datediff",
        "date_sub",
        "datesub",
        "date_add",
        "make_date",
        "make_time",
        "make_timestamp",
        "epoch",
        "epoch_ms",
        "epoch_us",
        "to_seconds",
        "to_minutes",
        "to_hours",
        "to_days",
        "to_milliseconds",
        "to_microseconds",
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "dayofweek",
        "dayofmonth",
        "dayofyear",
        "week",
        "weekofyear",
        "quarter",
        "isodow",
        "last_day",
        "monthname",
        "dayname",
        "extract",
        "age",
        "to_timestamp",
        "time_bucket",
    ]
)


class ExpressionRefused(ValueError):
    """An expression the guard refused; the message names the field and the reason."""


def check(expr: str, field: str, columns: list[str] | set[str] | None = None) -> set[str]:
    """Refuse `expr` unless it is one scalar expression over `columns` (None: any column);
    return the source columns it reads."""
    if not isinstance(expr, str) or not expr.strip():
        raise ExpressionRefused(f"{field}: the expression is empty")
    if len(expr) > MAX_EXPRESSION_CHARS:
        raise ExpressionRefused(f"{field}: longer than {MAX_EXPRESSION_CHARS:,} characters")
    sql = f"SELECT (\n{expr}\n)"
    cur = scratch.cursor()
    try:
        try:
            statements = cur.extract_statements(sql)
        except duckdb.Error as exc:
            raise ExpressionRefused(f"{field}: cannot be read as SQL: {_first(exc)}") from None
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise ExpressionRefused(f"{field}: must be one expression, not a statement")
        raw = cur.execute("select json_serialize_sql($q)", {"q": sql}).fetchone()[0]
    finally:
        cur.close()
    tree = json.loads(raw)
    if tree.get("error"):
        raise ExpressionRefused(f"{field}: cannot be checked: {tree.get('error_message')}")
    node = tree["statements"][0]["node"]
    _only_an_expression(node, field)
    found: set[str] = set()
    _walk(node["select_list"][0], field, found)
    if columns is not None:
        missing = sorted(found - set(columns))
        if missing:
            shown = ", ".join(repr(c) for c in sorted(columns))
            raise ExpressionRefused(
                f"{field}: no source column {', '.join(repr(m) for m in missing)}; the sheet "
                f'has: {shown} (write names in double quotes: "Total")'
            )
    return found


def _only_an_expression(node: dict, field: str) -> None:
    clauses = ("where_clause", "having", "qualify", "sample")
    if (
        node.get("type") != "SELECT_NODE"
        or len(node.get("select_list") or []) != 1
        or (node.get("from_table") or {}).get("type") != "EMPTY"
        or any(node.get(c) for c in clauses)
        or node.get("group_expressions")
        or node.get("modifiers")
        or (node.get("cte_map") or {}).get("map")
    ):
        raise ExpressionRefused(
            f"{field}: must be one expression over the sheet's columns (no FROM, WHERE, "
            "ORDER BY, LIMIT or a second column)"
        )


def _walk(tree, field: str, found: set[str]) -> None:
    for node in expression_nodes(tree):
        _check(node, field, found)


def _check(node: dict, field: str, found: set[str]) -> None:
    klass = node["class"]
    if klass not in ALLOWED_CLASSES:
        raise ExpressionRefused(f"{field}: {_what(klass)} is not allowed in a recipe")
    if klass == "OPERATOR" and node.get("type") not in ALLOWED_OPERATOR_TYPES:
        raise ExpressionRefused(f"{field}: the operator {node.get('type')} is not allowed")
    if klass == "COLUMN_REF":
        names = node.get("column_names") or []
        if len(names) != 1:
            raise ExpressionRefused(f"{field}: {'.'.join(names)!r} is not a column of the sheet")
        found.add(names[0])
    if klass == "FUNCTION":
        name = (node.get("function_name") or "").lower()
        if node.get("catalog") or node.get("schema"):
            raise ExpressionRefused(f"{field}: qualified function names are not allowed")
        if name not in ALLOWED_FUNCTIONS:
            raise ExpressionRefused(
                f"{field}: the function {name}() is not allowed in a recipe (plain scalar "
                "functions only: text, numbers, dates, coalesce, nullif, CASE)"
            )
        if (
            node.get("filter")
            or node.get("distinct")
            or (node.get("order_bys") or {}).get("orders")
        ):
            raise ExpressionRefused(f"{field}: {name}() with FILTER/DISTINCT/ORDER BY")


def _what(klass: str) -> str:
    return {
        "SUBQUERY": "a subquery",
        "WINDOW": "a window function",
        "STAR": "*",
        "PARAMETER": "a $parameter",
        "LAMBDA": "a lambda",
        "COLUMNS": "COLUMNS(...)",
        "FUNCTION_REF": "a function reference",
    }.get(klass, f"an expression of kind {klass}")


def _first(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]
