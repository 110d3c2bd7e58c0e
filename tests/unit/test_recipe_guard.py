"""The recipe expression guard: scalar SQL over the sheet's columns, nothing else."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.recipes.guard import ExpressionRefused, check

COLUMNS = {"a", "b", "Total", "outcome"}


@pytest.mark.parametrize(
    "expr, reason",
    [
        ("read_csv('/etc/passwd')", "read_csv"),
        ("read_text('/etc/passwd')", "read_text"),
        ("getenv('HOME')", "getenv"),
        ("current_setting('threads')", "current_setting"),
        ("(select 1)", "subquery"),
        ('"a" in (select 1)', "subquery"),
        ("exists (select 1)", "subquery"),
        ("(select count(*) from read_parquet('x.parquet'))", "subquery"),
        ('sum("a")', "sum"),
        ("count(*)", "count"),
        ("row_number() over ()", "window"),
        ("1); attach 'x.db' as x; select (1", "statement"),
        ("1); drop table loads; select (1", "statement"),
        ("1) from 'x.csv' --", "SQL"),
        ("query('select 1')", "query"),
        ("nextval('load_ids')", "nextval"),
        ("$p", "parameter"),
        ("list_transform([1], x -> x)", "list_transform"),
        ('main.lower("a")', "qualified"),
        ('"nope" + 1', "no source column 'nope'"),
        ("x.a", "not a column"),
        ("", "empty"),
    ],
)
def test_refused(expr, reason):
    with pytest.raises(ExpressionRefused, match=reason) as exc:
        check(expr, "columns.x", COLUMNS)
    assert str(exc.value).startswith("columns.x")


@pytest.mark.parametrize(
    "expr, reads",
    [
        ('"a" + "b"', {"a", "b"}),
        ("\"outcome\" = 'AGENT'", {"outcome"}),
        ('epoch("Total") / 60', {"Total"}),
        ('nullif(nullif("a", 0), 6)', {"a"}),
        ('CASE WHEN "a" > 1 THEN \'x\' ELSE lower("outcome") END', {"a", "outcome"}),
        ('cast("a" as double) between 1 and 5', {"a"}),
        ("\"outcome\" in ('A', 'B') and \"b\" is not null", {"outcome", "b"}),
    ],
)
def test_allowed(expr, reads):
    assert check(expr, "columns.x", COLUMNS) == reads


_ATOMS = st.sampled_from(['"a"', '"b"', "1", "0", "2.5", "'x'", "null", "true", '"outcome"'])
_FUNCS = st.sampled_from(
    ["abs", "lower", "upper", "coalesce", "nullif", "round", "length", "sum", "max",
     "read_csv", "getenv", "current_setting", "range", "unnest", "list_value", "trim"]
)  # fmt: skip
_OPS = st.sampled_from(["+", "-", "*", "/", "=", "<>", "and", "or", "||", "<"])


def _expr(depth: int = 3):
    if depth == 0:
        return _ATOMS
    sub = _expr(depth - 1)
    return st.one_of(
        _ATOMS,
        st.tuples(sub, _OPS, sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(_FUNCS, sub).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(_FUNCS, sub, sub).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        sub.map(lambda s: f"(select {s})"),
        sub.map(lambda s: f"CASE WHEN {s} THEN 1 END"),
    )


_TABLE = pa.table({"a": [1.0, 2.0, None], "b": [0.0, 3.0, 4.0], "outcome": ["A", None, "H"]})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expr())
def test_generated_expressions_are_refused_or_evaluate_as_scalars(expr):
    """Whatever the guard lets through is one value per row over the sheet, never a table,
    an aggregate or a file read: it evaluates to exactly as many rows as the sheet has
    (or fails as SQL, e.g. a type mismatch, which a recipe reports by its field)."""
    try:
        check(expr, "columns.x", {"a", "b", "outcome"})
    except ExpressionRefused:
        return
    con = duckdb.connect()
    con.register("t", _TABLE)
    try:
        got = con.sql(f"select ({expr}) as v from t").to_arrow_table()
    except duckdb.Error:
        return
    finally:
        con.close()
    assert got.num_rows == _TABLE.num_rows
    lowered = expr.lower()
    for word in ("select ", "read_csv", "getenv", "current_setting", "sum(", "max(", "unnest"):
        assert word not in lowered
