"""Scratch space for the ingest: one in-memory DuckDB opened once per process, the names of
temporary files, and their clean-up after a load that was killed.

Opening an in-memory database costs 17-35 ms here, and the ingest needed four per file.
Each caller takes a fresh cursor instead: its own connection, so registered Arrow tables and
temp tables stay private to it and threads never share a connection's state.

Temporary files (a CSV's UTF-8 copy, a big sheet's unpacked halves in /dev/shm) are named
`cockpit-<kind>-<pid>-...`: a load that is killed (kill -9, out of memory, power) cannot remove
its own, so every load and every server start first removes those whose process is gone.
"""

from __future__ import annotations

import atexit
import errno
import os
import re
import shutil
import tempfile
import threading
import time

import duckdb

_lock = threading.Lock()
_db: duckdb.DuckDBPyConnection | None = None
SHM = os.environ.get("COCKPIT_SHM_DIR") or "/dev/shm"
_OURS = re.compile(r"^cockpit-(split|ingest|spill)-(\d+)-")
_LEGACY = re.compile(r"^cockpit-(split|ingest)-")  # before names carried the pid
LEGACY_AGE_S = 6 * 3600


def cursor() -> duckdb.DuckDBPyConnection:
    """A new connection to the shared scratch database; close it when done."""
    global _db
    with _lock:
        if _db is None:
            # Spills in the temp dir, not the working directory (an in-memory DuckDB's
            # default is ./.tmp); removed at exit, or by sweep() once the process is gone.
            spill = os.path.join(tempfile.gettempdir(), prefix("spill") + "scratch")
            atexit.register(shutil.rmtree, spill, True)
            _db = duckdb.connect(config={"temp_directory": spill})
        return _db.cursor()


def prefix(kind: str) -> str:
    """The name prefix of this process's temporary files of `kind` ("split", "ingest", or
    "spill": DuckDB's spill folders of the scratch and of in-memory stores)."""
    return f"cockpit-{kind}-{os.getpid()}-"


def scratch_dirs() -> list[str]:
    return list(dict.fromkeys([tempfile.gettempdir(), SHM]))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def sweep() -> list[str]:
    """Remove scratch left by killed loads (their process is gone); return what was removed."""
    removed = []
    now = time.time()
    for folder in scratch_dirs():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            m = _OURS.match(entry.name)
            if m:
                stale = not _alive(int(m.group(2)))
            elif _LEGACY.match(entry.name):
                try:
                    stale = now - entry.stat(follow_symlinks=False).st_mtime > LEGACY_AGE_S
                except OSError:
                    continue
            else:
                continue
            if stale:
                _remove(entry)
                removed.append(entry.path)
    return removed


def _remove(entry: os.DirEntry) -> None:
    try:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
    except OSError:
        pass  # gone already, or not ours to remove


def os_error_message(exc: OSError, what: str) -> str:
    """A plain sentence for a disk problem while `what` (e.g. "writing the temporary copy")."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full while {what}; free some space and load the file again"
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"the folder is read-only or not writable while {what}; check the data "
            "directory's permissions"
        )
    return f"a disk error while {what}: {exc.strerror or exc}"
