"""SQL files in queries/: load them, read their $named parameters, run them bound.

Parameters are read out of the SQL text itself (as datasette does), so a query's inputs need
no separate declaration; every value is bound, never formatted into the text.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pyarrow as pa

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_TOKEN = re.compile(
    r"'(?:[^']|'')*'"  # a string literal
    r"|\"(?:[^\"]|\"\")*\""  # a quoted identifier
    r"|--[^\n]*|/\*.*?\*/"  # a comment
    r"|(?<![\w$])\$(?P<param>[A-Za-z_][A-Za-z0-9_]*)",
    re.S,
)


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def ident(name: str) -> str:
    """A column or table name checked and quoted for SQL text (values are always bound;
    only names that must vary, like a dataset's columns, are written into the text)."""
    if not isinstance(name, str) or not _IDENT.fullmatch(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


@functools.cache
def sql_text(name: str) -> str:
    """The text of queries/<name>.sql."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


def parameters(sql: str) -> list[str]:
    """The $named parameters a SQL text uses, in order of first use (comments and strings ignored).

    One pass over the text: whichever of a string, a comment or a parameter starts first wins,
    so `select '--' as x, $p` finds $p and `-- it's` does not open a string."""
    seen: dict[str, None] = {}
    for m in _TOKEN.finditer(sql):
        if m.group("param"):
            seen.setdefault(m.group("param"), None)
    return list(seen)


def header(name: str) -> str:
    """The leading comment block of a query file (purpose, grain, parameters)."""
    lines = []
    for line in sql_text(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def available() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def run(store, name: str, **params) -> pa.Table:
    """Run queries/<name>.sql on a fresh cursor of `store` and return Arrow.

    Extra keyword arguments the query does not use are ignored; a missing one is an error.
    """
    sql, bound = _bind(name, params)
    return store.arrow(sql, bound)


def run_in(cur, name: str, **params) -> pa.Table:
    """Run queries/<name>.sql on `cur`, a cursor inside an open transaction (a load's
    decisions read the ledger as that transaction sees it), and return Arrow."""
    sql, bound = _bind(name, params)
    return cur.sql(sql, params=bound or None).to_arrow_table()


def _bind(name: str, params: dict) -> tuple[str, dict]:
    sql = sql_text(name)
    wanted = parameters(sql)
    missing = [p for p in wanted if p not in params]
    if missing:
        raise TypeError(f"query {name!r} needs parameter(s): {', '.join(missing)}")
    return sql, {p: params[p] for p in wanted}


def execute(cur, query: str, /, **params):
    """Run queries/<query>.sql bound on `cur`, the caller's cursor (inside its transaction),
    and return the cursor for fetching."""
    sql, bound = _bind(query, params)
    return cur.execute(sql, bound)
