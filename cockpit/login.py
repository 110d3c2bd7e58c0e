"""Password sign-in with a brake: failures are audited, a name that keeps failing is slowed
down and then locked for a while. The password check itself lives in cockpit.auth.

The counters are kept in the database (`login_failures`, private: the SQL explorer never
reads it), keyed by the lowercased name, so a restart of the server does not lift a lock and
guessing an unknown name is braked exactly like a known one. Times are wall-clock seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from cockpit import auth, queries
from cockpit.store import Store, audit

SLOW_AFTER = 3  # failures before each further attempt is delayed
LOCK_AFTER = 10  # failures in a row that lock the name
LOCK_SECONDS = 15 * 60
MAX_DELAY_S = 8.0


class LoginLocked(Exception):
    """Too many failed sign-ins for this name; the message says for how long."""


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0


@dataclass
class LoginBrake:
    """Failure counters per name, kept in `store`'s login_failures table when a store is
    given (else in this object only); `clock` and `sleep` are injectable for tests."""

    clock: object = time.time
    sleep: object = time.sleep
    _by_name: dict[str, _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _get(self, name: str, store: Store | None) -> _Failures | None:
        key = _key(name)
        if store is not None:
            rows = queries.run(store, "login_failures", user_name=key).to_pylist()
            if rows:
                r = rows[0]
                self._by_name[key] = _Failures(r["failures"], r["last_at"], r["locked_until"])
            else:
                self._by_name.pop(key, None)
        return self._by_name.get(key)

    def delay_for(self, name: str, store: Store | None = None) -> float:
        """Seconds an attempt for `name` waits before its password is checked."""
        f = self._get(name, store)
        if f is None or f.count < SLOW_AFTER:
            return 0.0
        return min(MAX_DELAY_S, 0.5 * 2 ** (f.count - SLOW_AFTER))

    def check_locked(self, name: str, store: Store | None = None) -> None:
        f = self._get(name, store)
        now = self.clock()
        if f is not None and f.locked_until > now:
            minutes = max(1, round((f.locked_until - now) / 60))
            raise LoginLocked(
                f"Too many failed sign-ins for this name: try again in about {minutes} min "
                "(or ask an admin)."
            )

    def failed(self, name: str, store: Store | None = None) -> int:
        with self._lock:
            f = self._get(name, store) or _Failures()
            self._by_name[_key(name)] = f
            if f.locked_until and f.locked_until <= self.clock():
                f.count, f.locked_until = 0, 0.0  # the lock ran out: start counting again
            f.count += 1
            f.last = self.clock()
            if f.count >= LOCK_AFTER:
                f.locked_until = self.clock() + LOCK_SECONDS
            if store is not None:
                with store.transaction() as cur:
                    cur.execute(
                        _WRITE_SQL,
                        {"name": _key(name), "failures": f.count, "last_at": f.last,
                         "locked_until": f.locked_until},
                    )  # fmt: skip
            return f.count

    def succeeded(self, name: str, store: Store | None = None) -> None:
        with self._lock:
            self._by_name.pop(_key(name), None)
            if store is not None:
                with store.transaction() as cur:
                    cur.execute(_FORGET_SQL, {"name": _key(name)})


_WRITE_SQL = """INSERT INTO login_failures VALUES ($name, $failures, $last_at, $locked_until)
    ON CONFLICT (name) DO UPDATE SET failures = excluded.failures,
        last_at = excluded.last_at, locked_until = excluded.locked_until"""
_FORGET_SQL = "DELETE FROM login_failures WHERE name = $name"


def _key(name: str) -> str:
    return (name or "").strip().lower()


BRAKE = LoginBrake()


def sign_in(
    store: Store, config: auth.AuthConfig, name: str, password: str, *, brake: LoginBrake = BRAKE
) -> auth.User | None:
    """The user for a correct name and password, else None; raises LoginLocked while the name
    is locked. Every outcome is audited (never the password)."""
    try:
        brake.check_locked(name, store)
    except LoginLocked:
        _audit(store, name, "login_locked", {})
        raise
    delay = brake.delay_for(name, store)
    if delay:
        brake.sleep(delay)
    user = auth.authenticate(config, name, password)
    if user is None:
        count = brake.failed(name, store)
        _audit(store, name, "login_failed", {"failures": count})
        if count >= LOCK_AFTER:
            _audit(store, name, "login_locked", {"minutes": LOCK_SECONDS // 60})
        return None
    brake.succeeded(name, store)
    _audit(store, user.name, "login", {"role": user.role})
    return user


def _audit(store: Store, name: str, action: str, detail: dict) -> None:
    with store.transaction() as cur:
        audit(cur, (name or "").strip()[:80] or "(empty)", action, detail)
