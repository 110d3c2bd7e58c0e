"""Where the app server listens. Without sign-in configured everyone who reaches the server is
the local admin, so it then listens on this machine only (127.0.0.1), whatever
server.address says; with sign-in configured it listens on server.address (default
127.0.0.1, set in .streamlit/config.toml).

`python -m cockpit.exposure` prints the address to listen on (`make run` passes it to
Streamlit) and, when sign-in is off, says on stderr how to open the cockpit to others.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import tomllib
from pathlib import Path

from cockpit import auth

LOOPBACK = "127.0.0.1"

HOW_TO_OPEN = (
    "To open it to others: add users to .streamlit/secrets.toml (`python -m cockpit user NAME "
    '--role admin` prints the lines), then set server.address in .streamlit/config.toml (e.g. "0.0.0.0").'
)


def is_loopback(address: str | None) -> bool:
    """Whether `address` is this machine only (an empty address means every interface)."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to a public interface


def listen_address(auth_mode: str, wanted: str | None) -> str:
    """The address to listen on: loopback while sign-in is off, else `wanted` (the
    configured server.address) or loopback when none is set."""
    if auth_mode == "off" or not wanted:
        return LOOPBACK
    return wanted


def notice(auth_mode: str, wanted: str | None) -> str | None:
    """What to say on start: why the cockpit listens on this machine only, and how to open
    it up; None when sign-in is on."""
    if auth_mode != "off":
        return None
    ignored = f" (server.address {wanted} is ignored)" if wanted and not is_loopback(wanted) else ""
    return (
        "Sign-in is off (no users in .streamlit/secrets.toml), so anyone who reaches the cockpit "
        f"is its admin: it listens on {LOOPBACK} only, for this machine{ignored}. " + HOW_TO_OPEN
    )


def secrets_files(root: Path) -> list[Path]:
    """Where Streamlit reads secrets: the user's ~/.streamlit, then the project's (which wins)."""
    return [Path.home() / ".streamlit" / "secrets.toml", root / ".streamlit" / "secrets.toml"]


def auth_mode(root: Path) -> str:
    """The sign-in mode the project's secrets configure ("off" when unreadable or wrong: the
    server then stays on this machine, and the app itself says what is wrong)."""
    merged: dict = {}
    for path in secrets_files(root):
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError):
            continue
    try:
        return auth.auth_config(merged).mode
    except ValueError:
        return "off"


def wanted_address(root: Path) -> str | None:
    """server.address as configured: $STREAMLIT_SERVER_ADDRESS, else .streamlit/config.toml."""
    if os.environ.get("STREAMLIT_SERVER_ADDRESS"):
        return os.environ["STREAMLIT_SERVER_ADDRESS"]
    try:
        config = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return (config.get("server") or {}).get("address") or None


def main(root: Path | None = None) -> int:
    root = root or Path.cwd()
    mode, wanted = auth_mode(root), wanted_address(root)
    said = notice(mode, wanted)
    if said:
        print(said, file=sys.stderr)
    print(listen_address(mode, wanted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
