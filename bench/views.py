"""Benchmark: Overview views the warm-up did not compute, at company scale, in Chromium,
against `cockpit kpis` for the same view in the same run.

    python bench/views.py --db /tmp/perf-5m.duckdb      # a database built before
    python bench/views.py --lines 5e6                   # build one (about a minute at 5M)
    python bench/views.py --db X --rounds 2             # median of 2 fresh servers

The database is synthetic (cockpit.demo.synth, as bench/kpis.py builds it: other datasets in
proportion to the order lines). The cockpit is started as `make run` starts it (server.py) on
a copy, and is "started" once GET /api/health says warm (its default view computed). Then,
on that one warm server, each view below is opened in a fresh browser session; for each:
- body: from navigation until the body under the view bar shows something (the cards'
  skeletons, or the cards);
- cards: until every KPI card's value is on screen;
- complete: until the Overview's final block is drawn ("what moved" included) and the
  server says the script run finished;
and `cockpit kpis` for the same view, a fresh process on another copy of the database (the
whole process: start-up, imports, the scorecard, printing).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import ARGS, CHROMIUM, COUNT_FINISHED_RUNS, N_METRICS, PAINTED, Server  # noqa: E402

# (label, URL query, `cockpit kpis` arguments)
VIEWS = (
    ("default (latest month, vs previous)", "", []),
    ("trailing 12 months, Lyon, vs last year", "period=t12m&compare=yoy&f_site=Lyon",
     ["--period-kind", "t12m", "--compare", "yoy", "--filter", "site=Lyon"]),
    ("trailing 12 months, Leeds, vs last year", "period=t12m&compare=yoy&f_site=Leeds",
     ["--period-kind", "t12m", "--compare", "yoy", "--filter", "site=Leeds"]),
    ("year to date, vs previous", "period=ytd", ["--period-kind", "ytd"]),
    ("quarter to date, vs target", "period=quarter&compare=target",
     ["--period-kind", "quarter", "--compare", "target"]),
)  # fmt: skip
BODY = "!!document.querySelector('.kpi-skeleton, .kpi-value')"
CARDS = f"document.querySelectorAll('.kpi-value').length >= {N_METRICS}"
FINAL = "[class*='st-key-html_block_overview'] .html-block"
COMPLETE = (
    f"window.__finished >= 1 && !document.querySelector('.kpi-pending')"
    f' && document.querySelectorAll("{FINAL} .kpi-value").length >= {N_METRICS}'
)


class WarmServer(Server):
    """bench/pages.py's server, given longer to warm up a large database."""

    def _wait(self) -> None:
        deadline = time.monotonic() + 600
        while True:
            try:
                return super()._wait()
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise


async def open_view(browser, url: str) -> dict:
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    await context.add_init_script(COUNT_FINISHED_RUNS)
    page = await context.new_page()
    out = {}
    t0 = time.perf_counter()
    await page.goto(url)
    for name, condition in (("body", BODY), ("cards", CARDS), ("complete", COMPLETE)):
        await page.wait_for_function(condition, timeout=600_000, polling="raf")
        await page.evaluate(PAINTED)
        out[name] = time.perf_counter() - t0
    await context.close()
    return out


def cli_time(db: Path, args: list[str]) -> float:
    cmd = [sys.executable, "-m", "cockpit", "kpis", "--db", str(db), *args]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0


def build(db: Path, lines: int) -> None:
    from kpis import build as build_db

    print(f"building {lines:,} order lines into {db} …", flush=True)
    build_db(str(db), lines)


async def main(db: Path, rounds: int) -> None:
    from playwright.async_api import async_playwright

    results: dict[str, list[dict]] = {label: [] for label, _, _ in VIEWS}
    with tempfile.TemporaryDirectory(prefix="bench-views-") as tmp:
        folder = Path(tmp)
        (folder / "src").mkdir()
        served = folder / "src" / "cockpit.duckdb"
        shutil.copy(db, served)
        cli_db = folder / "cli.duckdb"
        shutil.copy(db, cli_db)
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(rounds):
                t0 = time.perf_counter()
                server = WarmServer(ROOT / "server.py", served, folder)
                warm = time.perf_counter() - t0
                try:
                    for label, query, args in VIEWS:
                        kpis_s = cli_time(cli_db, args)
                        page = await open_view(browser, server.url + ("?" + query if query else ""))
                        results[label].append({**page, "kpis": kpis_s, "warm": warm})
                        print(f"  {label}: " + ", ".join(f"{k} {v:.1f} s" for k, v in
                              results[label][-1].items()), flush=True)  # fmt: skip
                finally:
                    server.stop()
            await browser.close()
    print(f"{rounds} round(s), medians in seconds; load average now {os.getloadavg()[0]:.1f}")
    print(f"server warm-up (start until warm): {statistics.median(r['warm'] for r in results[VIEWS[0][0]]):.1f} s")  # fmt: skip
    print(f"{'view':42}{'body':>7}{'cards':>7}{'complete':>10}{'cockpit kpis':>14}")
    for label, rows in results.items():
        med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        print(f"{label:42}{med['body']:7.1f}{med['cards']:7.1f}{med['complete']:10.1f}"
              f"{med['kpis']:14.1f}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database built before (kept)")
    parser.add_argument("--lines", type=float, default=5e6, help="order lines to build with")
    parser.add_argument("--rounds", type=int, default=1)
    a = parser.parse_args()
    if a.db is None:
        with tempfile.TemporaryDirectory(prefix="bench-views-db-") as built:
            a.db = Path(built) / "bench.duckdb"
            build(a.db, int(a.lines))
            asyncio.run(main(a.db, a.rounds))
    else:
        asyncio.run(main(a.db, a.rounds))
