"""Benchmark: the Overview in Chromium against a bare one-line Streamlit page, same run.

    python bench/pages.py              # 3 rounds
    python bench/pages.py --rounds 1   # a quick run

Two servers are started on free ports: the cockpit as `make run` starts it (server.py) on a
copy of the demo database, and a bare page (`st.selectbox(...)`: one line, one widget). For
each, in Debian's chromium:
- cold: a fresh server, the first session opens the page; timed from navigation until the
  server's "script finished" message has arrived, the page shows what it should (every
  KPI card's value, or the bare page's widget) and the browser has painted it.
  A server is "started" once it answers its health check; for the cockpit that is once its
  start-up warm-up is done (GET /api/health says "warm": pages imported, default view
  computed; about 2 s after start), as a COO finds it after the server was started;
- view change: in that session a sidebar choice changes (compare with, or the bare
  selectbox) and is timed until that rerun's "script finished" message has arrived, the
  page shows the change (the cards compare with the target) and it is painted;
- 8 at once: a fresh server, 8 browser sessions open the same link together; the mean
  time of the 8 over the time of one alone is the slowdown.
Prints medians and the ratios cockpit / bare (targets <= 1.3x cold and view change; the
cockpit's 8-session slowdown <= 1.2x the bare page's own).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
BARE = 'import streamlit as st\nst.selectbox("Compare with", ["Previous period", "Target"])\n'
N_METRICS = 20  # the Overview is drawn when at least this many KPI cards' values are
SESSIONS = 8

# A script run is over when the server says so: its "script finished" message. The page's
# own run-state marker is not enough (React may skip drawing a quick run's "running"), and
# the status widget shows only after a delay. This counts the messages as they arrive (a
# ForwardMsg is protobuf; script_finished is field 6, a varint: 0 = a run finished, 3 = a
# fragment's run finished).
COUNT_FINISHED_RUNS = """(() => {
  window.__finished = 0;
  const finished = (buffer) => {
    const b = new Uint8Array(buffer);
    let i = 0;
    const varint = () => {
      let x = 0, scale = 1, c;
      do { c = b[i++]; x += (c & 0x7f) * scale; scale *= 128; } while (c & 0x80 && i < b.length);
      return x;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v === 0 || v === 3; }
      else if (wire === 2) { const length = varint(); i += length; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer && finished(event.data)) window.__finished += 1;
      });
    }
  };
})();"""
# Drawn: the run asked for has finished and the page shows what it should. For the cockpit
# after the change to "Target", that is the cards' new comparison.
DRAWN = {
    "cockpit": f"document.querySelectorAll('.kpi-value').length >= {N_METRICS}",
    "bare": "!!document.querySelector('[data-testid=\"stSelectbox\"]')",
}
CHANGED = {
    "cockpit": "[...document.querySelectorAll('.kpi-vs')].some(e => e.textContent === 'vs target')",
    "bare": "true",
}
PAINTED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_db(folder: Path) -> Path:
    from cockpit.demo import seed_demo
    from cockpit.store import Store

    db = folder / "demo" / "cockpit.duckdb"
    db.parent.mkdir(parents=True)
    store = Store.open(db)
    seed_demo(store)
    store.close()
    return db


class Server:
    """`streamlit run` of a script on a free port (a copy of the database for the cockpit)."""

    def __init__(self, script: Path, db: Path | None, folder: Path):
        self.cockpit = db is not None
        self.port = free_port()
        env = {"PATH": "/usr/bin:/bin"}
        if db is not None:
            copy = folder / f"db-{self.port}"
            shutil.copytree(db.parent, copy)
            env["COCKPIT_DB"] = str(copy / db.name)
        cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port",
               str(self.port), "--server.headless", "true", "--browser.gatherUsageStats",
               "false", "--server.fileWatcherType", "none"]  # fmt: skip
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        self._wait()

    def _wait(self) -> None:
        import json
        import urllib.request

        # The cockpit is ready once its start-up warm-up is done (GET /api/health "warm").
        health = self.url + ("api/health" if self.cockpit else "_stcore/health")
        for _ in range(600):
            try:
                with urllib.request.urlopen(health, timeout=1) as reply:
                    if not self.cockpit or json.loads(reply.read()).get("warm"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


async def open_page(browser, url: str, kind: str, change: bool = False) -> tuple[float, float]:
    """(seconds until drawn, seconds for a view change or nan) in a fresh session."""
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    await context.add_init_script(COUNT_FINISHED_RUNS)
    page = await context.new_page()
    t0 = time.perf_counter()
    await page.goto(url)
    await _drawn(page, f"window.__finished >= 1 && {DRAWN[kind]}")
    drawn = time.perf_counter() - t0
    changed = float("nan")
    if change:
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Compare with")
        await box.click()
        runs = await page.evaluate("window.__finished")
        t0 = time.perf_counter()
        await page.get_by_role("option", name="Target").click()
        await _drawn(page, f"window.__finished > {runs} && {DRAWN[kind]} && {CHANGED[kind]}")
        changed = time.perf_counter() - t0
    await context.close()
    return drawn, changed


async def _drawn(page, condition: str) -> None:
    """Wait until `condition` holds, then until the browser has painted it."""
    await page.wait_for_function(condition, timeout=120_000, polling="raf")
    await page.evaluate(PAINTED)


async def one_round(browser, kind: str, script: Path, db: Path | None, folder: Path) -> dict:
    server = Server(script, db, folder)
    try:
        cold, change = await open_page(browser, server.url, kind, change=True)
    finally:
        server.stop()
    server = Server(script, db, folder)
    try:
        alone = (await open_page(browser, server.url, kind))[0]
        together = await asyncio.gather(
            *(open_page(browser, server.url, kind) for _ in range(SESSIONS))
        )
    finally:
        server.stop()
    mean8 = statistics.mean(t for t, _ in together)
    return {"cold": cold, "change": change, "alone": alone, "eight": mean8}


async def main(rounds: int) -> None:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        folder = Path(tmp)
        db = demo_db(folder)
        bare = folder / "bare.py"
        bare.write_text(BARE)
        results: dict[str, list[dict]] = {"cockpit": [], "bare": []}
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(rounds):  # interleaved, so both see the same machine load
                results["bare"].append(await one_round(browser, "bare", bare, None, folder))
                results["cockpit"].append(
                    await one_round(browser, "cockpit", ROOT / "server.py", db, folder)
                )
            await browser.close()
    med = {k: {m: statistics.median(r[m] for r in v) for m in v[0]} for k, v in results.items()}
    c, b = med["cockpit"], med["bare"]
    print(f"{rounds} round(s), medians in seconds (Chromium, 1440 px, demo data)")
    print(f"{'':24}{'cockpit':>10}{'bare':>10}{'ratio':>8}  target")
    print(
        f"{'Overview cold':24}{c['cold']:10.2f}{b['cold']:10.2f}{c['cold'] / b['cold']:8.2f}x  <= 1.3x"
    )
    print(f"{'after a view change':24}{c['change']:10.2f}{b['change']:10.2f}"
          f"{c['change'] / b['change']:8.2f}x  <= 1.3x")  # fmt: skip
    slow_c, slow_b = c["eight"] / c["alone"], b["eight"] / b["alone"]
    print(f"{'8 sessions at once':24}{c['eight']:10.2f}{b['eight']:10.2f}")
    print(f"{'  slowdown vs one alone':24}{slow_c:10.2f}{slow_b:10.2f}{slow_c / slow_b:8.2f}x  <= 1.2x")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args().rounds))
