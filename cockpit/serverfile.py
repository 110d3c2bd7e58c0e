"""The running app server of a database, found through a small file beside it.

The server writes `<database>.server.json` when it starts ({"url", "pid", "local_token"},
mode 0600) and removes it when it stops. A command-line user who can read that file could
open the database itself, so the local token gives them what opening the file would: the
local admin. A file left by a killed server is ignored (its pid is gone, or it does not
answer) and replaced by the next server.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path


def server_path(db: Path | str) -> Path:
    return Path(str(db) + ".server.json")


def write(db, url: str) -> dict:
    info = {"url": url, "pid": os.getpid(), "local_token": "local_" + secrets.token_urlsafe(32)}
    path = server_path(db)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(info, f)
    os.replace(tmp, path)
    return info


def read(db) -> dict | None:
    """The server file's contents if its process is alive, else None."""
    try:
        info = json.loads(server_path(db).read_text())
    except (OSError, ValueError):
        return None
    pid = info.get("pid")
    if not isinstance(pid, int) or not _alive(pid):
        return None
    return info


def remove(db, info: dict | None = None) -> None:
    """Remove the server file (only our own, when `info` is given)."""
    path = server_path(db)
    try:
        if info is not None:
            current = json.loads(path.read_text())
            if current.get("local_token") != info.get("local_token"):
                return
        path.unlink()
    except (OSError, ValueError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
