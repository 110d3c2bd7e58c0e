"""The real exports of ../shared/realdata, each loaded once into its own database.

`loaded(name)` loads a file the way an analyst would from the command line (with only the
one-time choices its README names) and hands back a runner for `cockpit ARGS --db that-db`
(in-process, the real CLI), so a test asserts what `cockpit kpis --json` prints.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from shared_files import needs_realdata

from cockpit import store as store_mod
from cockpit.cli import main

# name -> (path under realdata, one-time choices the README allows)
FILES = {
    "scms": (("SCMS_Delivery_History_Dataset.csv",), []),
    "truck": (("truck_trips_eta", "Master Data.xlsx"), []),
    "itsm": (("itsm_dayfirst_excerpt", "ITSM_data.csv"), []),
    "ventas": (("ventas_presupuesto_es", "Presupuesto.xlsx"), []),
    "acd": (("acd_daily_summary", "Call Center Data.csv"), ["--month", "2024-03"]),
    "survey": (
        ("starbucks_gforms_survey", "Starbucks satisfactory survey.csv"),
        [
            "--map",
            "csat=17. How would you rate the service at Starbucks? "
            "(Promptness, friendliness, etc..)",
        ],
    ),  # fmt: skip
    "sncf": (("sncf_tgv_regularite", "regularite-mensuelle-tgv-aqst.csv"), []),
    "cmms": (("cmms_downtime_events", "Downtime.xlsx"), []),
}


@dataclass
class Loaded:
    """One real file loaded into its own database: the load report and a CLI runner."""

    path: Path
    db: Path
    code: int
    report: dict

    def cli(self, *args: str) -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main([*args, "--db", str(self.db)])
        return code, out.getvalue()

    def kpis(self, *args: str) -> dict[str, dict]:
        """`cockpit kpis ARGS --json` as {kpi id: card}."""
        code, out = self.cli("kpis", *args, "--json")
        assert code == 0, out
        return {k["id"]: k for k in json.loads(out)["kpis"]}

    def sql(self, query: str) -> list[dict]:
        code, out = self.cli("sql", query, "--json")
        assert code == 0, out
        doc = json.loads(out)
        return doc["rows"] if isinstance(doc, dict) else doc

    @property
    def sheets(self) -> list[dict]:
        return [s for f in self.report["files"] for s in f["sheets"]]


_CACHE: dict[str, Loaded] = {}


@pytest.fixture(scope="session")
def realdb(tmp_path_factory):
    """loaded(name) -> Loaded, each real file loaded once per test session."""

    def loaded(name: str) -> Loaded:
        if name not in _CACHE:
            parts, choices = FILES[name]
            path = needs_realdata(*parts)
            db = tmp_path_factory.mktemp(name) / "real.duckdb"
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                code = main(["load", str(path), *choices, "--json", "--db", str(db)])
            _CACHE[name] = Loaded(path, db, code, json.loads(out.getvalue()))
        return _CACHE[name]

    yield loaded
    for key in [k for k in store_mod._STORES if any(str(c.db) == k for c in _CACHE.values())]:
        store_mod._STORES.pop(key).close()
    _CACHE.clear()
