"""Browser tier: Debian's chromium (through pytest-playwright) against a real `streamlit run`.

Servers: `demo_server` (session, demo data, read-only use) and `fresh_server` (a factory for
tests that change data: each call starts a server on its own database, empty or a copy of the
seeded demo). The demo is seeded once into a template database that every demo server copies.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from shared_files import MISSING_TOOL

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60
# A page run on a busy 2-core CI machine can take several seconds; waits are for events, and
# this is only the ceiling before a wait is called a failure.
RUN_TIMEOUT_MS = 60_000
expect.set_options(timeout=RUN_TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    """Skip the whole tier, saying why, when Debian's chromium is not installed."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{MISSING_TOOL}: {CHROMIUM} not found: browser tests need Debian's chromium "
        "(make chromium, or apt-get install chromium)"
    )
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's chromium; never a browser downloaded by `playwright install`."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A tall viewport so one screenshot shows most of a page."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1600}}


@dataclass
class Server:
    """A running `streamlit run server.py` (pages and API) on its own database."""

    url: str
    db: Path
    process: subprocess.Popen
    log: Path

    def page_url(self, path: str = "/", query: str = "") -> str:
        return self.url + path + (f"?{query}" if query else "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path, workdir: Path, extra_args: tuple[str, ...] = ()) -> Server:
    port = _free_port()
    log = workdir / f"streamlit-{port}.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", "server.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *extra_args,
    ]  # fmt: skip
    env = {**os.environ, "COCKPIT_DB": str(db)}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return Server(url=url, db=db, process=proc, log=log)
        except OSError:
            time.sleep(0.2)
    _stop(proc)
    raise RuntimeError(f"streamlit did not start on {url}:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class DemoTemplate:
    """A closed database with the demo exports loaded, and its latest load sequence."""

    path: Path
    latest_seq: int


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> DemoTemplate:
    """Seed the demo data once (through the normal ingest path) into a template database."""
    from cockpit.demo import seed_demo
    from cockpit.store import Store

    path = tmp_path_factory.mktemp("demo-template") / "demo.duckdb"
    store = Store.open(path)
    try:
        seed_demo(store)
        latest = store.latest_seq()
    finally:
        store.close()
    return DemoTemplate(path=path, latest_seq=latest)


@pytest.fixture(scope="session")
def fresh_server(request, tmp_path_factory):
    """Factory: start a server on a new database, `demo=True` for a copy of the demo data."""
    started: list[Server] = []

    def start(*, demo: bool) -> Server:
        workdir = tmp_path_factory.mktemp("server")
        db = workdir / "cockpit.duckdb"
        if demo:
            # Asked for here, so a run with only empty-database tests never seeds the demo.
            shutil.copyfile(request.getfixturevalue("demo_template").path, db)
        server = _start(db, workdir)
        started.append(server)
        return server

    yield start
    for server in started:
        _stop(server.process)


@pytest.fixture(scope="session")
def demo_server(fresh_server) -> Server:
    """A server on the demo data that tests only read (never load or undo through it)."""
    return fresh_server(demo=True)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where tests save screenshots (under pytest's tmp dir)."""
    return tmp_path_factory.mktemp("screenshots")


class Ui:
    """The page of one test, with the waits and look-ups the tests share."""

    def __init__(self, page: Page, shots: Path):
        self.page = page
        self.shots = shots

    def idle(self) -> None:
        """Wait until the app is connected, its script has stopped and nothing is loading."""
        app = self.page.get_by_test_id("stApp")
        expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
        expect(app).to_have_attribute("data-test-script-state", "notRunning")
        expect(self.page.get_by_test_id("stSkeleton")).to_have_count(0)
        # Our HTML blocks are drawn by a script component, once its module has loaded.
        self.page.wait_for_function(
            "[...document.querySelectorAll('[class*=\"st-key-html_block_\"]')]"
            ".every((e) => e.querySelector('.html-block'))"
        )

    def open(self, url: str) -> None:
        """Go to `url` and wait for the page's first run to finish."""
        self.page.goto(url)
        self.idle()

    def nav(self, label: str) -> None:
        """Follow the sidebar link `label`, staying in the same browser session."""
        sidebar = self.page.get_by_test_id("stSidebar")
        sidebar.get_by_role("link").filter(has_text=_exact_end(label)).click()
        expect(self.page.get_by_role("heading", level=1).first).to_contain_text(label)
        self.idle()

    def metric(self, label: str, within: Locator | None = None) -> str:
        """The value of the one KPI card or st.metric labelled exactly `label` (hidden
        labels count)."""
        scope = within or self.page
        card = scope.locator(f'.kpi[data-label="{label}"] .kpi-value')
        if card.count():
            expect(card).to_have_count(1)
            return card.inner_text().strip()
        label_el = self.page.get_by_test_id("stMetricLabel").filter(has_text=_exact(label))
        metric = scope.get_by_test_id("stMetric").filter(has=label_el)
        expect(metric).to_have_count(1)
        return metric.get_by_test_id("stMetricValue").inner_text().strip()

    def alerts(self) -> list[str]:
        """The texts of every st.info / success / warning / error box on the page."""
        return self.page.get_by_test_id("stAlert").all_inner_texts()

    def shot(self, name: str) -> Path:
        """Save a screenshot as <screenshots>/<name>.png and return its path."""
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def ui(page: Page, screenshots: Path) -> Ui:
    """pytest-playwright's fresh page for this test, wrapped in the shared helpers."""
    page.set_default_timeout(RUN_TIMEOUT_MS)
    return Ui(page, screenshots)


def _exact(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def _exact_end(text: str) -> re.Pattern:
    # A link's text starts with its icon's ligature name ("terminalSQL explorer").
    return re.compile(rf"{re.escape(text)}\s*$")


PASSWORD = "correct horse battery"  # ann's, an analyst on `password_server`


@pytest.fixture(scope="module")
def password_server(demo_template, tmp_path_factory):
    """The demo on a server that asks for a password (users from a secrets file)."""
    from cockpit import auth

    workdir = tmp_path_factory.mktemp("password-server")
    db = workdir / "cockpit.duckdb"
    shutil.copyfile(demo_template.path, db)
    secrets = workdir / "secrets.toml"
    secrets.write_text(
        '[auth]\nmode = "password"\n\n[auth.users.ann]\nrole = "analyst"\n'
        f'password_hash = "{auth.hash_password(PASSWORD)}"\n'
    )
    server = _start(db, workdir, ("--secrets.files", str(secrets)))
    yield server
    _stop(server.process)
