"""HTML to PDF with headless Chromium: the text comes through, nothing is fetched, and a deep
TMPDIR (a test's, a service's) does not kill Chromium ("Socket path too long")."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cockpit.export import pdf

needs_chromium = pytest.mark.skipif(
    not Path(pdf.DEFAULT_CHROMIUM).exists() or not shutil.which("pdftotext"),
    reason="needs Debian's chromium and pdftotext (make chromium)",
)


@needs_chromium
def test_a_page_prints_with_its_text_under_a_deep_temp_dir(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 40) / ("e" * 40)
    deep.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(deep))
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    assert len(str(deep)) > pdf.MAX_TEMP_CHARS
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    html = (
        "<!DOCTYPE html><html><head><style>@page { size: A4 landscape; }</style></head>"
        "<body><h1>Operations scorecard</h1><p>On-time delivery 92.6%</p>"
        f'<img src="http://127.0.0.1:{server.server_port}/tracker.png"></body></html>'
    )
    try:
        data = pdf.html_to_pdf(html)
    finally:
        server.shutdown()
    assert requests == []  # the page may fetch nothing
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data)) == 1
    (tmp_path / "out.pdf").write_bytes(data)
    text = subprocess.run(["pdftotext", str(tmp_path / "out.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    assert text.split() == ["Operations", "scorecard", "On-time", "delivery", "92.6%"]


def test_no_chromium_says_how_to_get_one(monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(pdf.PdfUnavailable, match="apt-get install chromium"):
        pdf.html_to_pdf("<p>x</p>")


@needs_chromium
def test_a_thread_already_running_playwright_still_gets_its_pdf(tmp_path):
    """The full suite's browser tests keep a sync Playwright open on the worker's thread; a
    server's thread may run an event loop: the PDF is rendered on a thread of its own."""
    import asyncio

    page = "<html><body><h1>Ops brief inside a loop</h1></body></html>"
    try:  # a worker whose browser tests hold Playwright already runs a loop on this thread
        asyncio.get_running_loop()
        data = pdf.html_to_pdf(page)
    except RuntimeError:  # otherwise: call it from inside a running loop, as a server would

        async def inside() -> bytes:
            return pdf.html_to_pdf(page)

        data = asyncio.run(inside())
    out = tmp_path / "b.pdf"
    out.write_bytes(data)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Ops brief inside a loop" in text
