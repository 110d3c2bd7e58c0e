"""Roles, permissions and password checks, enforced in the core (no Streamlit here).

Roles are ordered viewer < analyst < admin; an action needs a minimum role. Auth has three
modes, read from the parsed `.streamlit/secrets.toml`:

- off: no `[auth]` section; a single local user with every right (LOCAL_ADMIN).
- password: `[auth] mode = "password"` and one `[auth.users.NAME]` table per user with
  `role` and `password_hash` (PBKDF2-SHA256, made by `python -m cockpit user NAME`).
- oidc: the `[auth]` settings Streamlit's `st.login` reads (`client_id`,
  `server_metadata_url`, directly or in a named provider table such as `[auth.google]`);
  roles come from `[auth.roles]` (email = "role"), anyone else is a viewer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets as _secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

ROLES = ("viewer", "analyst", "admin")
DEFAULT_OIDC_ROLE = "viewer"


@dataclass(frozen=True)
class User:
    name: str
    role: str


LOCAL_ADMIN = User("local", "admin")  # auth off: single local user


class PermissionDenied(Exception):
    """The user's role is below what the action needs; the message is for the user."""


PERMISSIONS = {
    "read": "viewer",
    "save_own": "viewer",
    "save_shared": "analyst",
    "upload": "analyst",
    "download_original": "analyst",
    "map": "analyst",
    "undo_own": "analyst",
    "sql": "analyst",
    "custom_metric": "analyst",
    "alert_rules": "analyst",
    "actions": "analyst",
    "meetings": "analyst",
    "targets": "admin",
    "settings": "admin",
    "undo_any": "admin",
    "delete_any": "admin",
    "seed_demo": "admin",
    "users": "admin",
}

ACTION_LABELS = {
    "read": "Viewing data",
    "save_own": "Saving your own views and scenarios",
    "save_shared": "Saving shared views and scenarios",
    "upload": "Uploading files",
    "download_original": "Downloading original files",
    "map": "Mapping columns",
    "undo_own": "Undoing your loads",
    "sql": "The SQL explorer",
    "custom_metric": "Defining custom metrics",
    "alert_rules": "Editing KPI owners and alert rules",
    "actions": "Raising and editing actions",
    "meetings": "Starting a meeting",
    "targets": "Setting targets",
    "settings": "Changing settings",
    "undo_any": "Undoing other people's loads",
    "delete_any": "Deleting loads",
    "seed_demo": "Seeding the demo data through the API",
    "users": "Managing users",
    "tokens": "Issuing API tokens",
}

# What the SQL explorer (and `cockpit sql`, and the API) may read, per table. Data is readable
# by whoever may run SQL (analyst+): the live views, the versioned dataset tables, the raw
# tables and the ledger. Private tables are never readable there, by any role: the audit is
# shown to admins in Settings, saved items through their owners' pages.
EXPLORER_PRIVATE_TABLES = frozenset(
    {
        "audit",
        "settings",
        "users",
        "tokens",
        "layouts",
        "rejects",
        "schema_migrations",
        "login_failures",
        "saved_items",
        "recipes",  # import recipes: read through `cockpit recipes` and GET /api/recipes
    }  # fmt: skip
)


def explorer_may_read(table: str) -> bool:
    """Whether the SQL explorer may read `table` (a name in the database's main schema)."""
    return table.lower() not in EXPLORER_PRIVATE_TABLES


def require_save(user: User | None, *, shared: bool, owner: str | None) -> None:
    """Saving a view, scenario or query: a viewer saves only their own (private) items;
    shared items, or overwriting someone else's shared item, need the analyst role; someone
    else's private item is theirs alone (admins may replace anything)."""
    require(user, "save_shared" if shared else "save_own")
    if owner is None or user is None or owner == user.name or can(user, "users"):
        return
    if shared and can(user, "save_shared"):
        return
    raise PermissionDenied(f"That name belongs to {owner}; choose another name.")


def require_action_done(user: User | None, owner: str) -> None:
    """Marking an action done (or open again): its owner may, whatever their role; analysts
    and admins may for anyone."""
    if user is not None and user.role in ROLES and user.name.casefold() == owner.casefold():
        return
    if can(user, "actions"):
        return
    require(user, "read")  # not signed in: that message
    raise PermissionDenied(
        f"Only {owner}, whose action it is, or an analyst may mark it done; you are "
        f"{a_role(user.role)}."
    )


def role_rank(role: str) -> int:
    """Position of `role` in viewer < analyst < admin; unknown roles are an error."""
    try:
        return ROLES.index(role)
    except ValueError:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}") from None


def _needed(action: str) -> str:
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None


def can(user: User | None, action: str) -> bool:
    """Whether `user` (None: not signed in) may do `action`."""
    needed = _needed(action)
    if user is None or user.role not in ROLES:
        return False
    return role_rank(user.role) >= role_rank(needed)


def require(user: User | None, action: str) -> None:
    """Raise PermissionDenied with a readable reason unless `user` may do `action`."""
    if can(user, action):
        return
    label = ACTION_LABELS.get(action, action)
    needed = _needed(action)
    if user is None:
        raise PermissionDenied(f"{label} needs the {needed} role; please sign in first.")
    raise PermissionDenied(f"{label} needs the {needed} role; you are {a_role(user.role)}.")


def a_role(role: str) -> str:
    """The role with its article: "a viewer", "an analyst", "an admin"."""
    return f"{'an' if role[:1].lower() in 'aeiou' else 'a'} {role}"


def who_may(action: str) -> str:
    """The roles that may do `action`, in words: "analysts and admins"."""
    roles = ROLES[role_rank(_needed(action)) :]
    if len(roles) == len(ROLES):
        return "everyone signed in"
    return " and ".join(f"{r}s" for r in roles)


# -- passwords ------------------------------------------------------------------------------

_ALGORITHM = "pbkdf2_sha256"
_MAX_ITERATIONS = 10_000_000  # a tampered hash must not make a login spin for minutes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = 240_000) -> str:
    """Hash a password as "pbkdf2_sha256$iterations$salt_b64$hash_b64" (fresh random salt)."""
    if not password:
        raise ValueError("the password must not be empty")
    if not 0 < iterations <= _MAX_ITERATIONS:
        raise ValueError(f"iterations must be between 1 and {_MAX_ITERATIONS:,}")
    salt = _secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{_ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether `password` matches `encoded`; a malformed hash never matches."""
    try:
        algorithm, iterations_text, salt_b64, digest_b64 = encoded.split("$")
        iterations = int(iterations_text)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(digest_b64, validate=True)
    except (AttributeError, ValueError):
        return False
    if algorithm != _ALGORITHM or not 0 < iterations <= _MAX_ITERATIONS or not expected:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(digest, expected)


DEFAULT_ITERATIONS = 240_000


# Checked when the name is unknown, so a wrong name costs as long as a wrong password: the
# same algorithm at the users' own cost (made once per cost, lazily).
_DUMMY_HASHES: dict[int, str] = {}


def _iterations(encoded: str) -> int:
    try:
        n = int(encoded.split("$")[1])
    except (IndexError, ValueError):
        return DEFAULT_ITERATIONS
    return n if 0 < n <= _MAX_ITERATIONS else DEFAULT_ITERATIONS


def _dummy_hash(iterations: int = DEFAULT_ITERATIONS) -> str:
    if iterations not in _DUMMY_HASHES:
        _DUMMY_HASHES[iterations] = hash_password("not a real password", iterations=iterations)
    return _DUMMY_HASHES[iterations]


# -- configuration --------------------------------------------------------------------------


@dataclass
class AuthConfig:
    mode: str  # "off" | "password" | "oidc"
    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (role, hash)
    roles: dict[str, str] = field(default_factory=dict)  # oidc: lowercased email -> role
    provider: str | None = None  # oidc: st.login(provider); None for the unnamed one
    default_role: str = DEFAULT_OIDC_ROLE


_OIDC_KEYS = ("client_id", "server_metadata_url")
_RESERVED = {"users", "roles"}


def auth_config(secrets: Mapping) -> AuthConfig:
    """Read the auth mode, users and roles from the parsed secrets.toml mapping."""
    section = secrets.get("auth") if secrets else None
    if not isinstance(section, Mapping):
        return AuthConfig("off")
    mode = str(section.get("mode", "")).strip().lower()
    provider_found, provider = _oidc_provider(section)
    if not mode:
        if provider_found:
            mode = "oidc"
        elif section.get("users"):
            mode = "password"
        else:
            mode = "off"
    if mode not in {"off", "password", "oidc"}:
        raise ValueError(f'[auth] mode must be "off", "password" or "oidc", not {mode!r}')
    if mode == "password":
        return AuthConfig("password", users=_users(section.get("users") or {}))
    if mode == "oidc":
        if not provider_found:
            raise ValueError(
                "[auth] mode is oidc but no provider is configured: st.login needs "
                "client_id and server_metadata_url under [auth] or [auth.PROVIDER]"
            )
        return AuthConfig("oidc", roles=_roles(section.get("roles") or {}), provider=provider)
    return AuthConfig("off")


def _oidc_provider(section: Mapping) -> tuple[bool, str | None]:
    """Whether st.login is configured, and the provider name to pass it (None: unnamed)."""
    if any(section.get(k) for k in _OIDC_KEYS):
        return True, None
    for name, value in section.items():
        is_table = name not in _RESERVED and isinstance(value, Mapping)
        if is_table and any(value.get(k) for k in _OIDC_KEYS):
            return True, str(name)
    return False, None


def _users(table: Mapping) -> dict[str, tuple[str, str]]:
    users = {}
    for name, entry in table.items():
        if not isinstance(entry, Mapping) or "password_hash" not in entry:
            raise ValueError(f"[auth.users.{name}] needs role and password_hash")
        role = str(entry.get("role", "viewer"))
        role_rank(role)
        users[str(name)] = (role, str(entry["password_hash"]))
    return users


def _roles(table: Mapping) -> dict[str, str]:
    roles = {}
    for email, role in table.items():
        role_rank(str(role))
        roles[str(email).strip().lower()] = str(role)
    return roles


def authenticate(config: AuthConfig, name: str, password: str) -> User | None:
    """The user for a correct name and password in password mode, else None."""
    if config.mode != "password":
        return None
    wanted = (name or "").strip().lower()
    match = next((n for n in config.users if n.lower() == wanted), None)
    if match is None:
        costs = [_iterations(encoded) for _, encoded in config.users.values()]
        verify_password(password or "", _dummy_hash(max(costs, default=DEFAULT_ITERATIONS)))
        return None
    role, encoded = config.users[match]
    return User(match, role) if verify_password(password or "", encoded) else None


def user_named(config: AuthConfig, name: str | None) -> User | None:
    """The password user `name` as configured now (so a changed role applies at once, and a
    removed user is nobody), or None."""
    if config.mode != "password" or not name:
        return None
    wanted = name.strip().lower()
    match = next((n for n in config.users if n.lower() == wanted), None)
    return None if match is None else User(match, config.users[match][0])


def oidc_user(config: AuthConfig, email: str, name: str | None = None) -> User:
    """The user for an identity st.login vouched for: role from [auth.roles], else default."""
    key = (email or "").strip().lower()
    return User(name or email, config.roles.get(key, config.default_role))


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def secrets_snippet(name: str, role: str, password: str) -> str:
    """The TOML lines to paste into .streamlit/secrets.toml to add one password user."""
    name = (name or "").strip()
    if not name:
        raise ValueError("the user name must not be empty")
    role_rank(role)
    key = name if _BARE_KEY.match(name) else json.dumps(name)
    return (
        '# needs, once in the file:  [auth]  mode = "password"\n'
        f"[auth.users.{key}]\n"
        f"role = {json.dumps(role)}\n"
        f"password_hash = {json.dumps(hash_password(password))}\n"
    )
