"""SQL lives in queries/*.sql; Python holds only the SQL the README lists as staying there
(DDL built from dataset definitions, migrations, the ledger's in-transaction statements, SQL
generated from a file's own columns, an analyst's compiled metric). A statement written in a
string anywhere else fails here: put it in queries/ and run it with cockpit.queries.run."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_SQL = re.compile(
    r"^\s*("
    r"select\s.+\s(from|as)\s"
    r"|insert\s+(or\s+replace\s+)?into\s"
    r"|update\s+\w+\s+set\s"
    r"|delete\s+from\s"
    r"|create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(table|view|macro|sequence|index)\b"
    r"|drop\s+(table|view|macro|sequence)\b"
    r"|alter\s+table\s"
    r"|with\s.+?\bselect\s"
    r"|attach\s"
    r"|set\s+\w+\s*="
    r")",
    re.I | re.S,
)

# Each file allowed to hold SQL, and why (the README's "What stays in Python" says the same).
ALLOWED = {
    "cockpit/store.py": "schema DDL, migrations, as-of macros per dataset, connection settings, "
    "the settings/audit/version one-liners",
    "cockpit/datasets.py": "CREATE TABLE built from the dataset definitions",
    "cockpit/ledger.py": "the ledger's writes and the reads inside the same load/undo transaction",
    "cockpit/ingest/commit.py": "writes inside a load's transaction",
    "cockpit/ingest/mapping.py": "the layout upsert inside a load's transaction",
    "cockpit/ingest/clean_columns.py": "SQL generated from a file's own columns (scratch tables)",
    "cockpit/ingest/detect_header.py": "SQL generated from a file's own columns (scratch tables)",
    "cockpit/ingest/detect_types.py": "SQL generated from a file's own columns (scratch tables)",
    "cockpit/ingest/typed.py": "SQL generated from a file's own columns (scratch tables)",
    "cockpit/ingest/validate.py": "SQL generated from a dataset's key columns (scratch tables)",
    "cockpit/ingest/raw_staging.py": "a raw table per load, named for the load",
    "cockpit/kpis/custom_metrics.py": "an analyst's validated expression compiled into its query",
    "cockpit/ui/sql_page.py": "the example query shown in the SQL explorer's editor",
    "cockpit/login.py": "the sign-in brake's counter writes, in their own transaction",
    "cockpit/sqlguard.py": "the guard's catalogue look-ups, size-capping macros and parse, "
    "on the guarded connection",
    "cockpit/sqlsandbox.py": "the SQL explorer's catalogue: views of the readable tables and "
    "the store's macros, built from the catalogue",
    "cockpit/ingest/read.py": "reading an uploaded CSV with the options sniffed from it",
    "cockpit/recipes/saved.py": "the recipes table's writes, in their own transaction",
    "cockpit/recipes/apply.py": "SQL generated from a file's own columns and a recipe's "
    "guarded expressions (scratch tables)",
}


def sql_strings(source: str) -> list[str]:
    """String literals and f-strings of `source` that are SQL statements."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        text = re.sub(r"^(\s*--[^\n]*\n)+", "", text)  # a leading comment is still SQL
        if _SQL.match(text):
            found.append(" ".join(text.split())[:80])
    return found


def _holding_sql() -> dict[str, list[str]]:
    return {
        path.relative_to(ROOT).as_posix(): hits
        for path in sorted((ROOT / "cockpit").rglob("*.py"))
        if (hits := sql_strings(path.read_text(encoding="utf-8")))
    }


def test_sql_in_python_only_where_the_readme_says():
    holding = _holding_sql()
    unexpected = {p: h for p, h in holding.items() if p not in ALLOWED}
    assert unexpected == {}, "move these statements to queries/*.sql"


def test_the_allow_list_has_no_stale_entries():
    holding = _holding_sql()
    assert sorted(p for p in ALLOWED if p not in holding) == []


def test_the_readme_names_every_allowed_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What stays in Python", 1)[1].split("\n## ", 1)[0]
    for path in ALLOWED:
        assert Path(path).name in section, path


def test_the_finder_tells_sql_from_prose():
    assert sql_strings('q = "SELECT a FROM t WHERE b = $b"')
    assert sql_strings("q = f'insert into {t} values ($x)'")
    assert sql_strings('q = """with x as (select 1) select * from x"""')
    assert sql_strings('q = "UPDATE loads SET a = 1"')
    assert sql_strings('q = """-- per month\nselect m as month from t"""')
    assert sql_strings("q = f'with {ctes} select {cols} from converted'")
    assert not sql_strings('help = "load every sheet as this dataset"')
    assert not sql_strings('label = "Select a file to load"')
    assert not sql_strings('msg = "Set up the page"')
