"""The command line's way to the running app server: find it, call its API.

`cockpit load/kpis/loads/sql/undo` use the server of their database when one runs (found in
`<database>.server.json`, or named by --server URL / $COCKPIT_SERVER) and open the file
themselves only when none does, so they never collide with the app over the file's lock.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from cockpit import serverfile
from cockpit.store import default_db_path


class ClientError(Exception):
    """The server refused or failed a call; the message is the server's (or the network's)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Client:
    def __init__(self, url: str, token: str | None, timeout: float = 600.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, method: str, path: str, params=None, body: bytes | None = None, doc=None):
        query = "?" + urllib.parse.urlencode(params or [], doseq=True) if params else ""
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if doc is not None:
            body = json.dumps(doc).encode()
            headers["Content-Type"] = "application/json"
        elif body is not None:
            headers["Content-Type"] = "application/octet-stream"
        req = urllib.request.Request(self.url + path + query, data=body, method=method,
                                     headers=headers)  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error") or exc.reason
            except ValueError:
                message = exc.reason
            raise ClientError(str(message), exc.code) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ClientError(f"cannot reach the app server at {self.url}: {reason}") from None

    def alive(self) -> bool:
        try:
            return self.call("GET", "/api/health").get("status") == "ok"
        except ClientError:
            return False


def db_path(args) -> Path:
    db = getattr(args, "db", None)
    return Path(db).resolve() if db else default_db_path().resolve()


def for_args(args) -> Client | None:
    """The client of the running server for these arguments, or None to open the file."""
    url = getattr(args, "server", None) or os.environ.get("COCKPIT_SERVER")
    token = getattr(args, "token", None) or os.environ.get("COCKPIT_TOKEN")
    if url:
        return Client(url, token)  # asked for: a failure to reach it is an error, not a fallback
    info = serverfile.read(db_path(args))
    if info is None:
        return None
    client = Client(info["url"], token or info.get("local_token"))
    return client if client.alive() else None
