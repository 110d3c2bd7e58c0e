"""HTML to PDF with headless Chromium (through Playwright): the brief's own print CSS decides
the page (A4 landscape), so the PDF is the HTML brief as it prints.

Chromium is $COCKPIT_CHROMIUM, else Debian's /usr/bin/chromium (`make chromium`). The page
loads nothing from the network: the brief is self-contained, and requests are refused.
"""

from __future__ import annotations

import os
import threading

DEFAULT_CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
TIMEOUT_MS = 60_000
MAX_TEMP_CHARS = 60
# One Chromium at a time per process: a scheduled send and a CLI request never start two.
_LOCK = threading.Lock()


class PdfUnavailable(RuntimeError):
    """No Chromium to render with (the message says how to get one)."""


def chromium_path() -> str:
    path = os.environ.get("COCKPIT_CHROMIUM") or DEFAULT_CHROMIUM
    if not os.path.exists(path):
        raise PdfUnavailable(
            f"no Chromium at {path}: install it (sudo apt-get install chromium) or set "
            "COCKPIT_CHROMIUM"
        )
    return path


def _short_temp() -> str:
    """A temp dir for Chromium short enough for its singleton socket: it aborts ("Socket path
    too long") when TMPDIR + '/org.chromium.Chromium.XXXXXX/SingletonSocket' passes the 107
    characters a Unix socket path may have (a test's or a service's deep TMPDIR does)."""
    import tempfile

    own = tempfile.gettempdir()
    return own if len(own) <= MAX_TEMP_CHARS or not os.path.isdir("/tmp") else "/tmp"


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page, paged by its @page CSS.

    Rendered on a thread of its own: Playwright's sync API refuses a thread that already runs
    an event loop (or another sync Playwright), as a caller's thread may."""
    import threading

    out: dict = {}

    def render() -> None:
        try:
            out["pdf"] = _render(html)
        except BaseException as exc:  # handed back to the caller's thread
            out["error"] = exc

    worker = threading.Thread(target=render, name="brief-pdf", daemon=True)
    worker.start()
    worker.join()
    if "error" in out:
        raise out["error"]
    return out["pdf"]


def _render(html: str) -> bytes:
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with _LOCK, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=ARGS, headless=True,
                                     env={**os.environ, "TMPDIR": _short_temp()})  # fmt: skip
        try:
            page = browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            # Self-contained: anything it would fetch is refused, never fetched.
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            return page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()
