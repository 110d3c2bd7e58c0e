"""The command line: load/loads/undo/sql/demo, their --json shapes and exit codes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from workbooks import text, xlsx

from cockpit import ledger
from cockpit import store as store_mod
from cockpit.cli import main

ORDER_HEADER = ["Order ID", "Order Date", "Site", "Qty", "Revenue"]
SHEET_KEYS = {"file", "sheet", "kind", "dataset", "status", "rows_loaded", "rows_rejected",
              "rejects", "reject_reasons", "load_id", "months", "confidence", "mapping",
              "messages", "proposed", "hold_reasons", "suggestion", "recipe",
              "superseded"}  # fmt: skip
LOADS_KEYS = ["load_id", "seq", "file", "sheet", "dataset", "months", "rows", "rejected",
              "status", "loaded_at", "user", "currency"]  # fmt: skip


def orders(prefix: str, month: int, n: int = 6, *, bad_qty: bool = False) -> list[list]:
    rows = [ORDER_HEADER] + [
        [f"{prefix}{i}", dt.date(2025, month, 1 + i), "Leeds", i + 1, 10.0 * (i + 1)]
        for i in range(n)
    ]
    if bad_qty:
        rows.append([f"{prefix}X", dt.date(2025, month, 20), "Lyon", "12x", 1.0])
    return rows


@pytest.fixture
def cli(tmp_path, capsys):
    """Run `python -m cockpit ARGS --db tmp` in-process: (exit code, stdout, stderr)."""
    db = tmp_path / "cli.duckdb"

    def run(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--db", str(db)])
        out = capsys.readouterr()
        return code, out.out, out.err

    run.db = db
    yield run
    for key in [k for k in store_mod._STORES if str(tmp_path) in k]:
        store_mod._STORES.pop(key).close()


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def test_load_json_reports_every_file_and_sheet(cli, tmp_path):
    book = xlsx({"Orders": orders("A", 1, bad_qty=True), "Notes": [["Exported by ERP"]]})
    code, out, _ = cli("load", write(tmp_path, "jan.xlsx", book), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["ok"] is True
    (f,) = doc["files"]
    assert (f["file"], f["status"], f["messages"]) == ("jan.xlsx", "loaded", [])
    orders_sheet, notes = f["sheets"]
    assert set(orders_sheet) >= SHEET_KEYS
    assert (orders_sheet["dataset"], orders_sheet["status"]) == ("orders", "loaded")
    assert (orders_sheet["rows_loaded"], orders_sheet["rows_rejected"]) == (6, 1)
    assert orders_sheet["reject_reasons"] == {"not a number": 1}
    assert orders_sheet["rejects"][0]["row"] == 8 and orders_sheet["months"] == ["2025-01"]
    assert isinstance(orders_sheet["load_id"], int)
    assert (notes["status"], notes["dataset"]) == ("raw-only", None)
    assert notes["load_id"] == orders_sheet["load_id"] + 1


def test_load_exits_non_zero_when_a_file_is_rejected(cli, tmp_path):
    good = write(tmp_path, "good.csv", text(orders("G", 2)))
    bad = write(tmp_path, "bad.xlsx", b"PK\x03\x04 truncated")
    code, out, _ = cli("load", good, bad, "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["ok"] is False
    assert [f["status"] for f in doc["files"]] == ["loaded", "rejected"]
    assert doc["files"][1]["messages"][0].startswith("bad.xlsx: ")
    assert doc["files"][1]["sheets"] == []
    code, out, _ = cli("load", bad)  # the text report says it too
    assert code == 1 and "bad.xlsx: rejected" in out and "! bad.xlsx:" in out


def test_load_of_a_missing_path_is_rejected(cli, tmp_path):
    code, out, _ = cli("load", str(tmp_path / "nope.csv"), "--json")
    assert code == 1
    assert "nope.csv: cannot read the file" in json.loads(out)["files"][0]["messages"][0]


def test_load_twice_is_a_duplicate_and_exits_zero(cli, tmp_path):
    path = write(tmp_path, "jan.csv", text(orders("A", 1)))
    assert cli("load", path)[0] == 0
    code, out, _ = cli("load", path, "--json")
    assert code == 0
    f = json.loads(out)["files"][0]
    assert f["status"] == "duplicate" and "nothing loaded" in f["messages"][0]


def _live_ids(db) -> list[str]:
    store = store_mod.get_store(str(db))
    return [r["order_id"] for r in store.rows("select order_id from orders_live order by 1")]


def test_load_of_a_file_whose_rows_were_replaced_loads_it_again(cli, tmp_path):
    a = write(tmp_path, "jan.csv", text(orders("A", 1)))
    b = write(tmp_path, "jan-fixed.csv", text(orders("B", 1, 4)))
    assert cli("load", a)[0] == 0 and cli("load", b)[0] == 0  # B replaces A's January
    code, out, _ = cli("load", a, "--json")
    assert code == 0
    (f,) = json.loads(out)["files"]
    assert (f["status"], f["sheets"][0]["rows_loaded"]) == ("loaded", 6)
    assert f["sheets"][0]["messages"][-1] == "replaced earlier rows in 1 month(s)"
    assert _live_ids(cli.db) == [f"A{i}" for i in range(6)]


def test_load_of_a_month_and_its_re_export_together_replaces(cli, tmp_path):
    v1 = write(tmp_path, "jan.csv", text(orders("A", 1)))
    v2 = write(tmp_path, "jan-v2.csv", text(orders("B", 1, 4)))
    code, out, _ = cli("load", v1, v2, "--json")
    assert code == 0
    assert [f["status"] for f in json.loads(out)["files"]] == ["loaded", "loaded"]
    assert _live_ids(cli.db) == [f"B{i}" for i in range(4)]


def test_load_of_the_whole_workbook_after_one_sheet_loads_the_other_sheets(cli, tmp_path):
    returns = [["Order ID", "Return Date", "Reason", "Qty", "Refund"],
               ["A1", dt.date(2025, 1, 20), "Damaged", 1, 20.0]]  # fmt: skip
    book = write(tmp_path, "jan.xlsx", xlsx({"Orders": orders("A", 1), "Returns": returns}))
    assert cli("load", book, "--sheet", "Orders")[0] == 0
    code, out, _ = cli("load", book, "--json")
    assert code == 0
    (f,) = json.loads(out)["files"]
    assert f["status"] == "loaded"
    assert [(s["sheet"], s["status"]) for s in f["sheets"]] == [
        ("Orders", "duplicate"),
        ("Returns", "loaded"),
    ]
    assert len(_live_ids(cli.db)) == 6


def test_load_with_dataset_and_map_options(cli, tmp_path):
    rows = [["Ref", "Booked", "Takings"], ["R1", "2025-03-02", 5], ["R2", "2025-03-03", 7]]
    path = write(tmp_path, "odd.csv", text(rows))
    code, out, _ = cli(
        "load", path, "--dataset", "orders", "--map", "order_id=Ref",
        "--map", 'order_date="Booked"', "--map", "revenue=Takings", "--json",
    )  # fmt: skip
    assert code == 0
    sheet = json.loads(out)["files"][0]["sheets"][0]
    assert sheet["mapping"] == {"order_id": "Ref", "order_date": "Booked", "revenue": "Takings"}
    assert cli("sql", "select sum(revenue) as r from orders_live", "--json")[1:] == (
        '[\n  {\n    "r": 12.0\n  }\n]\n',
        "",
    )
    with pytest.raises(SystemExit, match="--map expects"):
        cli("load", path, "--map", "no-equals-sign")


def test_loads_json_lists_the_ledger(cli, tmp_path):
    cli("load", write(tmp_path, "jan.csv", text(orders("A", 1))))
    cli("load", write(tmp_path, "feb.csv", text(orders("B", 2, 3))))
    code, out, _ = cli("loads", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [list(r) for r in rows] == [LOADS_KEYS, LOADS_KEYS]
    assert [(r["file"], r["rows"], r["months"], r["status"]) for r in rows] == [
        ("feb.csv", 3, ["2025-02"], "loaded"),
        ("jan.csv", 6, ["2025-01"], "loaded"),
    ]
    dt.datetime.fromisoformat(rows[0]["loaded_at"])  # ISO text
    expected = ledger.list_loads(store_mod.get_store(cli.db))
    assert [r["load_id"] for r in rows] == [r["load_id"] for r in expected]


def test_undo_removes_a_load_from_now_on(cli, tmp_path):
    cli("load", write(tmp_path, "jan.csv", text(orders("A", 1))))
    assert cli("sql", "select count(*) as n from orders_live", "--json")[1] == (
        '[\n  {\n    "n": 6\n  }\n]\n'
    )
    code, out, _ = cli("undo", "1")
    assert (code, out) == (0, "load 1 undone (version 2)\n")
    assert json.loads(cli("sql", "select count(*) as n from orders_live", "--json")[1]) == [
        {"n": 0}
    ]
    assert json.loads(cli("loads", "--json")[1])[0]["status"] == "undone"
    assert cli("undo", "1")[0:3:2] == (1, "error: load 1 was already undone\n")
    assert cli("undo", "42")[0:3:2] == (1, "error: there is no load 42\n")


def test_sql_refuses_writes_with_exit_code_2(cli):
    code, out, err = cli("sql", "delete from loads", "--json")
    assert code == 2 and out == "" and err.startswith("error: ")
    code, out, _ = cli("sql", "select 1 + 1 as two, 'x' as s", "--json")
    assert code == 0 and json.loads(out) == [{"two": 2, "s": "x"}]


@pytest.mark.slow
def test_demo_seeds_every_dataset_once(cli):
    code, out, _ = cli("demo")
    assert code == 0 and ": loaded" in out
    counts = json.loads(
        cli(
            "sql",
            "select (select count(*) from orders_live) as o, (select count(*) from production_live)"
            " as p, (select count(*) from budget_live) as b, (select count(*) from contacts_live)"
            " as c, (select count(*) from surveys_live) as s, (select count(*) from targets_live)"
            " as t, (select count(*) from loads where not is_demo) as real_loads",
            "--json",
        )[1]
    )[0]
    assert counts.pop("real_loads") == 0
    assert all(v > 0 for v in counts.values()), counts
    assert cli("demo", "--if-empty")[1] == "database already has data; demo not seeded\n"


def test_user_unlock_lifts_a_sign_in_lock_and_is_audited(cli):
    from cockpit import auth, login

    store = store_mod.get_store(cli.db)
    brake = login.LoginBrake(sleep=lambda s: None)
    for _ in range(login.LOCK_AFTER):
        login.sign_in(store, auth.AuthConfig("password"), "Mallory", "guess", brake=brake)
    assert [r["name"] for r in login.locked_names(store)] == ["mallory"]
    code, out, err = cli("user", "Mallory", "--unlock")
    assert (code, out, err) == (0, "unlocked Mallory\n", "")
    assert login.locked_names(store) == []
    assert store.scalar("select \"user\" from audit where action = 'login_unlocked'") == "local-cli"
    code, out, _ = cli("user", "Mallory", "--unlock")
    assert (code, out) == (0, "Mallory had no failed sign-ins to forget\n")


CALLS_CSV = (
    "vru_line,call_id,date,vru_entry,q_time,outcome\n"
    "AA0101,1001,990101,0:00:31,0,HANG\n"
    "AA0101,1002,990101,0:34:12,5,AGENT\n"
    "AA0101,1003,990101,6:55:20,12,PHANTOM\n"
)
CALLS_TOML = """name = "Bank call log"
dataset = "contacts"
where = ''' "outcome" <> 'PHANTOM' '''

[types]
"date" = "date:%y%m%d"
"vru_entry" = "duration"

[columns]
contact_date = ''' "date" + "vru_entry" '''
contact_id = "call_id"
answered = ''' "outcome" = 'AGENT' '''
wait_seconds = "q_time"
"""


def test_load_with_a_recipe_file_then_by_name_and_the_recipes_commands(cli, tmp_path):
    from cockpit import recipes

    data = write(tmp_path, "calls.csv", CALLS_CSV)
    recipe = write(tmp_path, "bank.toml", CALLS_TOML)
    code, out, err = cli("load", data, "--recipe", recipe)
    assert code == 0, err
    assert "2 rows loaded" in out and "loaded with recipe 'Bank call log' version 1" in out
    code, out, _ = cli("recipes", "list")
    assert code == 0 and "Bank call log" in out and "contacts" in out
    code, out, _ = cli("recipes", "show", "Bank call log")
    assert recipes.parse(out) == recipes.parse(CALLS_TOML)
    exported = str(tmp_path / "out.toml")
    assert cli("recipes", "export", "Bank call log", exported)[0] == 0
    edited = (tmp_path / "out.toml").read_text().replace("q_time", "vru_line")
    (tmp_path / "out.toml").write_text(edited.replace('"vru_line"', '"q_time"', 1))
    code, out, _ = cli("recipes", "import", exported)
    assert code == 0 and "version 1" in out  # unchanged after the round trip
    code, out, _ = cli("load", write(tmp_path, "calls2.csv", CALLS_CSV + "X,1,990102,1:00:00,3,AGENT\n"),
                       "--recipe", "Bank call log")  # fmt: skip
    assert code == 0 and "3 rows loaded" in out
    code, out, _ = cli("recipes", "delete", "Bank call log")
    assert code == 0
    code, out, err = cli("load", data, "--recipe", "Bank call log")
    assert code == 1 and "no saved recipe 'Bank call log'" in err


def test_explain_prints_a_recipe_that_loads_the_file(cli, tmp_path):
    from cockpit import recipes

    book = write(tmp_path, "jan.xlsx", xlsx({"Orders": orders("A", 1)}))
    code, out, _ = cli("load", book, "--explain")
    assert code == 0 and out.startswith("# jan.xlsx, sheet 'Orders': ready")
    recipe = recipes.parse(out)
    assert (recipe.dataset, recipe.sheet) == ("orders", "Orders")
    assert recipe.columns["order_id"] == "Order ID" and recipe.columns["revenue"] == "Revenue"
    assert cli("loads", "--json")[1].strip() == "[]"  # nothing loaded
    path = write(tmp_path, "orders.toml", out)
    code, out, _ = cli("load", book, "--recipe", path)
    assert code == 0 and "6 rows loaded" in out


def test_a_held_sheet_reports_its_recipe_to_edit(cli, tmp_path):
    from cockpit import recipes

    # Minutes beyond a day: it looks like downtime, but detection will not say so alone.
    rows = [["Date", "Line", "Stop reason", "Downtime minutes"]]
    rows += [[f"2024-01-{1 + i:02d}", "L1", "Jam", 5000 + i] for i in range(10)]
    path = write(tmp_path, "stops.csv", text(rows))
    code, out, _ = cli("load", path, "--json")
    sheet = json.loads(out)["files"][0]["sheets"][0]
    assert sheet["status"] == "held"
    assert "--explain > recipe.toml" in " ".join(sheet["messages"])
    recipe = recipes.parse(sheet["recipe"])
    assert recipe.dataset == "downtime" and recipe.columns["minutes"] == "Downtime minutes"
    # The analyst confirms it as it is: it loads.
    code, out, _ = cli("load", path, "--recipe", write(tmp_path, "stops.toml", sheet["recipe"]))
    assert code == 0 and "10 rows loaded" in out


def test_explain_of_a_saved_recipes_layout_prints_that_recipe(cli, tmp_path):
    from cockpit import recipes

    data = write(tmp_path, "calls.csv", CALLS_CSV)
    assert cli("load", data, "--recipe", write(tmp_path, "bank.toml", CALLS_TOML))[0] == 0
    code, out, _ = cli("load", write(tmp_path, "calls2.csv", CALLS_CSV + "X,9,990105,1:00:00,3,AGENT\n"), "--explain")  # fmt: skip
    assert code == 0
    assert out.startswith("# calls2.csv: the layout of a saved recipe ('Bank call log' version 1)")
    assert recipes.parse(out) == recipes.parse(CALLS_TOML)


def test_loads_text_gives_each_load_its_month_span(cli, tmp_path):
    # A file of 177 months printed all of them on its line, so every line of the table was
    # some 1,400 characters wide.
    rows = [ORDER_HEADER] + [
        [f"Q{m}", dt.date(2024 + (m - 1) // 12, (m - 1) % 12 + 1, 5), "Leeds", 1, 10.0]
        for m in range(1, 15)
    ]
    cli("load", write(tmp_path, "long.csv", text(rows)))
    cli("load", write(tmp_path, "feb.csv", text(orders("B", 2, 3))))
    code, out, _ = cli("loads")
    assert code == 0
    lines = out.splitlines()
    assert "2024-01 – 2025-02 (14)" in lines[2] and "long.csv" in lines[2]
    assert "feb.csv" in lines[1] and "2025-02" in lines[1]
    assert max(len(line) for line in lines) < 160
