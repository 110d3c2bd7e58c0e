"""Password sign-in with a brake: failures are audited, a name that keeps failing is slowed
down and then locked for a while. The password check itself lives in cockpit.auth.

The counters are per process (the app server is the one process that signs people in), keyed
by the lowercased name, so guessing an unknown name is braked exactly like a known one.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from cockpit import auth
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
    """Failure counters per name; `clock` and `sleep` are injectable for tests."""

    clock: object = time.monotonic
    sleep: object = time.sleep
    _by_name: dict[str, _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def delay_for(self, name: str) -> float:
        """Seconds an attempt for `name` waits before its password is checked."""
        f = self._by_name.get(_key(name))
        if f is None or f.count < SLOW_AFTER:
            return 0.0
        return min(MAX_DELAY_S, 0.5 * 2 ** (f.count - SLOW_AFTER))

    def check_locked(self, name: str) -> None:
        f = self._by_name.get(_key(name))
        now = self.clock()
        if f is not None and f.locked_until > now:
            minutes = max(1, round((f.locked_until - now) / 60))
            raise LoginLocked(
                f"Too many failed sign-ins for this name: try again in about {minutes} min "
                "(or ask an admin)."
            )

    def failed(self, name: str) -> int:
        with self._lock:
            f = self._by_name.setdefault(_key(name), _Failures())
            if f.locked_until and f.locked_until <= self.clock():
                f.count, f.locked_until = 0, 0.0  # the lock ran out: start counting again
            f.count += 1
            f.last = self.clock()
            if f.count >= LOCK_AFTER:
                f.locked_until = self.clock() + LOCK_SECONDS
            return f.count

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._by_name.pop(_key(name), None)


def _key(name: str) -> str:
    return (name or "").strip().lower()


BRAKE = LoginBrake()


def sign_in(
    store: Store, config: auth.AuthConfig, name: str, password: str, *, brake: LoginBrake = BRAKE
) -> auth.User | None:
    """The user for a correct name and password, else None; raises LoginLocked while the name
    is locked. Every outcome is audited (never the password)."""
    try:
        brake.check_locked(name)
    except LoginLocked:
        _audit(store, name, "login_locked", {})
        raise
    delay = brake.delay_for(name)
    if delay:
        brake.sleep(delay)
    user = auth.authenticate(config, name, password)
    if user is None:
        count = brake.failed(name)
        _audit(store, name, "login_failed", {"failures": count})
        if count >= LOCK_AFTER:
            _audit(store, name, "login_locked", {"minutes": LOCK_SECONDS // 60})
        return None
    brake.succeeded(name)
    _audit(store, user.name, "login", {"role": user.role})
    return user


def _audit(store: Store, name: str, action: str, detail: dict) -> None:
    with store.transaction() as cur:
        audit(cur, (name or "").strip()[:80] or "(empty)", action, detail)
