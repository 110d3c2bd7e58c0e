"""Issue 22: with no users configured anyone reaching the server is its admin, so the server
then listens on 127.0.0.1 only, whatever server.address says; cockpit.exposure decides."""

from __future__ import annotations

import pytest

from cockpit import auth, exposure


@pytest.mark.parametrize("wanted", [None, "", "0.0.0.0", "::", "192.168.1.20", "127.0.0.1"])
def test_without_sign_in_the_address_is_loopback(wanted):
    assert exposure.listen_address("off", wanted) == "127.0.0.1"


def test_with_sign_in_the_configured_address_is_used_else_loopback():
    assert exposure.listen_address("password", "0.0.0.0") == "0.0.0.0"
    assert exposure.listen_address("oidc", "10.0.0.5") == "10.0.0.5"
    assert exposure.listen_address("password", None) == "127.0.0.1"


def test_the_notice_says_why_and_how_to_open_up():
    said = exposure.notice("off", "0.0.0.0")
    assert said.startswith("Sign-in is off (no users in .streamlit/secrets.toml)")
    assert "listens on 127.0.0.1 only" in said and "server.address 0.0.0.0 is ignored" in said
    assert "add users to .streamlit/secrets.toml" in said and "then set server.address" in said
    assert "ignored" not in exposure.notice("off", "127.0.0.1")
    assert exposure.notice("password", "0.0.0.0") is None


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("127.0.1.1", True),
     ("0.0.0.0", False), ("::", False), ("", False), (None, False), ("example.com", False)],
)  # fmt: skip
def test_loopback_addresses(address, loopback):
    assert exposure.is_loopback(address) is loopback


def test_the_project_files_decide(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("STREAMLIT_SERVER_ADDRESS", raising=False)
    folder = tmp_path / ".streamlit"
    folder.mkdir()
    (folder / "config.toml").write_text('[server]\naddress = "0.0.0.0"\n')
    assert exposure.auth_mode(tmp_path) == "off"
    assert exposure.main(tmp_path) == 0
    out = capsys.readouterr()
    assert out.out == "127.0.0.1\n" and "server.address 0.0.0.0 is ignored" in out.err
    encoded = auth.hash_password("p" * 8, iterations=1000)
    (folder / "secrets.toml").write_text(
        f'[auth]\nmode = "password"\n[auth.users.ada]\nrole = "admin"\npassword_hash = "{encoded}"\n'
    )
    assert exposure.auth_mode(tmp_path) == "password"
    assert exposure.main(tmp_path) == 0
    out = capsys.readouterr()
    assert (out.out, out.err) == ("0.0.0.0\n", "")
    monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "10.1.2.3")
    assert exposure.wanted_address(tmp_path) == "10.1.2.3"


def test_the_shipped_config_listens_on_this_machine():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert exposure.wanted_address(root) == "127.0.0.1"
