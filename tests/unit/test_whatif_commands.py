"""`python -m cockpit whatif` and `goalseek` on a small database."""

import datetime as dt
import json

import pytest

from cockpit import ledger
from cockpit.cli import main
from cockpit.store import get_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("whatif") / "cockpit.duckdb"
    rows = [
        {"order_id": f"O{m}-{k}", "order_date": dt.date(2025, m, 10), "site": site,
         "quantity": 10.0, "revenue": 100.0, "cost": 60.0}
        for m in (1, 2, 3) for k in range(4) for site in ("Leeds", "Lyon")
    ]  # fmt: skip
    ledger.load_table(get_store(path), "orders", rows)
    return str(path)


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_whatif_json_document(db, capsys):
    code, doc = run_json(capsys, "whatif", "--db", db, "--driver", "volume=+15%",
                         "--driver", "price=-2%", "--json")  # fmt: skip
    assert code == 0
    assert doc["drivers"]["volume"] == 15 and doc["drivers"]["agents"] == 0
    assert doc["baseline_months"] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    out = {o["id"]: o for o in doc["outputs"]}
    assert set(out["revenue"]) == {"id", "label", "unit", "baseline", "scenario", "change"}
    # 8 lines of 100 a month; cost is all variable with three months of history
    assert out["revenue"]["baseline"] == pytest.approx(800)
    assert out["revenue"]["scenario"] == pytest.approx(800 * 1.15 * 0.98)
    assert out["gross_margin_pct"]["baseline"] == pytest.approx(40)
    assert out["gross_margin_pct"]["scenario"] == pytest.approx(100 * (1 - 0.6 / 0.98))
    assert out["asa_seconds"]["baseline"] is None
    fit = doc["fits"][0]
    assert fit["relation"].startswith("order cost") and fit["used"] is False
    assert fit["months"] == 3


def test_whatif_filter_and_text_output(db, capsys):
    code, doc = run_json(capsys, "whatif", "--db", db, "--filter", "site=Leeds", "--json")
    assert {o["id"]: o for o in doc["outputs"]}["revenue"]["baseline"] == pytest.approx(400)
    assert main(["whatif", "--db", db, "--baseline-months", "1"]) == 0
    text = capsys.readouterr().out
    assert "baseline months: 2025-03" in text and "Revenue per month" in text


def test_goalseek_json(db, capsys):
    code, doc = run_json(capsys, "goalseek", "--db", db, "--output", "gross_margin_pct",
                         "--target", "50", "--driver", "price", "--json")  # fmt: skip
    assert code == 0
    # (100 p - 60) / (100 p) = 0.5  ->  p = 1.2
    assert doc["value"] == pytest.approx(20, abs=1e-6)
    assert doc["achieved"] == pytest.approx(50, abs=1e-6)
    assert doc["reachable"] is True
    assert {"output", "target", "driver", "value", "achieved", "reachable"} <= set(doc)


def test_goalseek_unreachable_exits_one(db, capsys):
    code, doc = run_json(capsys, "goalseek", "--db", db, "--output", "gross_margin_pct",
                         "--target", "95", "--driver", "price", "--set", "volume=+10%",
                         "--json")  # fmt: skip
    assert code == 1 and doc["reachable"] is False


def test_bad_arguments_exit_two(db, capsys):
    assert main(["whatif", "--db", db, "--driver", "speed=+5%"]) == 2
    assert main(["whatif", "--db", db, "--filter", "colour=red"]) == 2
    assert main(["goalseek", "--db", db, "--output", "nope", "--target", "1",
                 "--driver", "price"]) == 2  # fmt: skip
    assert "unknown" in capsys.readouterr().err
