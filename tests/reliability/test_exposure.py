"""Issue 22, for real: the app server started with no users configured listens on 127.0.0.1
only and says so in its log; asked to listen on every interface it refuses to serve."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from reliability.test_server import REPO, AppServer, _free_port

PROC_TCP = Path("/proc/net/tcp")


def _listening(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net/tcp{,6} writes them) listening on `port`."""
    found = set()
    for table in (PROC_TCP, Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def _start(workdir: Path, *extra: str) -> tuple[subprocess.Popen, int, Path]:
    server = AppServer(workdir)  # its environment: own database, scratch and no token
    env = {**server.env, "HOME": str(workdir / "home")}  # no ~/.streamlit/secrets.toml
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    port = _free_port()
    log = workdir / f"server-{port}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *extra]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=out)
    return proc, port, log


@pytest.mark.skipif(not PROC_TCP.exists(), reason="reads the listening sockets from /proc")
def test_with_no_users_the_server_listens_on_loopback_only_and_says_how_to_open(tmp_path):
    assert not (REPO / ".streamlit" / "secrets.toml").exists()
    proc, port, log = _start(tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not _listening(port) and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, and nothing else
        while "Sign-in is off" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        text = log.read_text()
        assert "it listens on 127.0.0.1 only" in text and "then set server.address" in text
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_with_no_users_the_server_refuses_to_serve_on_every_interface(tmp_path):
    proc, _port, log = _start(tmp_path, "--server.address", "0.0.0.0")
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log.read_text()
    assert proc.returncode != 0, text
    assert "Not serving on 0.0.0.0: sign-in is off" in text, text
    assert "add users to .streamlit/secrets.toml" in text
