"""Password sign-in with a brake: failures are audited, a name that keeps failing is slowed
down and then locked for a while. The password check itself lives in cockpit.auth.

The counters are kept in the database (`login_failures`, private: the SQL explorer never
reads it), keyed by the lowercased name, so a restart of the server does not lift a lock and
guessing an unknown name is braked exactly like a known one. Times are wall-clock seconds.
Each attempt is counted, in one transaction with the lock check, before its password is
checked, so parallel attempts cannot all pass the check before any failure is written. An
admin lifts a lock with `unlock` (Settings, `cockpit user NAME --unlock`, the API).
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
    given (else in this object only); `clock` and `sleep` are injectable for tests.

    An attempt is counted before its password is checked (`begin`), in one step with the lock
    check, so attempts made at the same moment each take a number: at most LOCK_AFTER
    passwords are checked before the name locks. A right password clears the count."""

    clock: object = time.time
    sleep: object = time.sleep
    _by_name: dict[str, _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _get(self, name: str, store: Store | None) -> _Failures | None:
        key = _key(name)
        if store is not None:
            rows = queries.run(store, "login_failures", user_name=key).to_pylist()
            self._remember(key, rows[0] if rows else None)
        return self._by_name.get(key)

    def _remember(self, key: str, row: dict | None) -> None:
        if row is None:
            self._by_name.pop(key, None)
        else:
            self._by_name[key] = _Failures(row["failures"], row["last_at"], row["locked_until"])

    def delay_for(self, name: str, store: Store | None = None) -> float:
        """Seconds the next attempt for `name` waits before its password is checked."""
        f = self._get(name, store)
        return _delay(0 if f is None else f.count)

    def _refuse_if_locked(self, f: _Failures | None, now: float) -> None:
        if f is not None and f.locked_until > now:
            minutes = max(1, round((f.locked_until - now) / 60))
            raise LoginLocked(
                f"Too many failed sign-ins for this name: try again in about {minutes} min "
                "(or ask an admin to unlock it)."
            )

    def begin(self, name: str, store: Store | None = None) -> tuple[int, float]:
        """Count one attempt for `name`, atomically with the lock check: LoginLocked while
        the name is locked, else (this attempt's number, seconds it waits first). The
        attempt that reaches LOCK_AFTER locks the name for the ones after it."""
        key = _key(name)
        with self._lock:
            if store is None:
                return self._count(key, self._by_name.get(key), None)
            with store.transaction() as cur:
                got = queries.execute(cur, "login_failures", user_name=key).fetchone()
                cols = ("failures", "last_at", "locked_until")
                row = dict(zip(cols, got, strict=True)) if got else None
                self._remember(key, row)
                return self._count(key, self._by_name.get(key), cur)

    def _count(self, key: str, f: _Failures | None, cur) -> tuple[int, float]:
        now = self.clock()
        self._refuse_if_locked(f, now)
        f = f or _Failures()
        if f.locked_until and f.locked_until <= now:
            f.count, f.locked_until = 0, 0.0  # the lock ran out: start counting again
        delay = _delay(f.count)
        f.count += 1
        f.last = now
        if f.count >= LOCK_AFTER:
            f.locked_until = now + LOCK_SECONDS
        self._by_name[key] = f
        if cur is not None:
            cur.execute(
                _WRITE_SQL,
                {"name": key, "failures": f.count, "last_at": f.last,
                 "locked_until": f.locked_until},
            )  # fmt: skip
        return f.count, delay

    def succeeded(self, name: str, store: Store | None = None) -> None:
        with self._lock:
            self._by_name.pop(_key(name), None)
            if store is not None:
                with store.transaction() as cur:
                    cur.execute(_FORGET_SQL, {"name": _key(name)})


def _delay(failures: int) -> float:
    """The wait before an attempt that follows `failures` failures in a row."""
    if failures < SLOW_AFTER:
        return 0.0
    return min(MAX_DELAY_S, 0.5 * 2 ** (failures - SLOW_AFTER))


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
        count, delay = brake.begin(name, store)
    except LoginLocked:
        _audit(store, name, "login_locked", {})
        raise
    if delay:
        brake.sleep(delay)
    user = auth.authenticate(config, name, password)
    if user is None:
        _audit(store, name, "login_failed", {"failures": count})
        if count >= LOCK_AFTER:
            _audit(store, name, "login_locked", {"minutes": LOCK_SECONDS // 60})
        return None
    brake.succeeded(name, store)
    _audit(store, user.name, "login", {"role": user.role})
    return user


def locked_names(store: Store, *, clock=time.time) -> list[dict]:
    """The names locked right now: name, failures, locked_until (seconds)."""
    return queries.run(store, "login_locked", now=clock()).to_pylist()


def unlock(store: Store, name: str, *, user: auth.User, brake: LoginBrake = BRAKE) -> bool:
    """Lift the brake on `name` (admins): its failures are forgotten; audited. False when
    the name had no failures to forget."""
    auth.require(user, "users")
    key = _key(name)
    with brake._lock:
        brake._by_name.pop(key, None)
        with store.transaction() as cur:
            had = cur.execute(_FORGET_SQL + " RETURNING name", {"name": key}).fetchall()
            if had:
                audit(cur, user.name, "login_unlocked", {"name": key})
    return bool(had)


def _audit(store: Store, name: str, action: str, detail: dict) -> None:
    with store.transaction() as cur:
        audit(cur, (name or "").strip()[:80] or "(empty)", action, detail)
