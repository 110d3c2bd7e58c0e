"""Roles, permissions, password hashing and the secrets.toml auth configuration."""

from __future__ import annotations

import base64
import hashlib
import inspect
import tomllib

import pytest

from cockpit import auth
from cockpit.auth import (
    LOCAL_ADMIN,
    PERMISSIONS,
    ROLES,
    PermissionDenied,
    User,
    auth_config,
    authenticate,
    can,
    hash_password,
    require,
    verify_password,
)

FAST = 1_000  # iterations in tests; the default is checked separately

# -- roles --------------------------------------------------------------------------------


def test_roles_are_ordered_viewer_analyst_admin():
    assert auth.ROLES == ("viewer", "analyst", "admin")
    viewer, analyst, admin = (User(r, r) for r in auth.ROLES)
    allowed = {u.role: {a for a in PERMISSIONS if can(u, a)} for u in (viewer, analyst, admin)}
    assert allowed["viewer"] == {"read", "save_own"}
    assert allowed["analyst"] == {
        "read", "save_own", "save_shared", "upload", "download_original", "map", "undo_own",
        "sql", "custom_metric", "alert_rules", "actions", "meetings",
    }  # fmt: skip
    assert allowed["admin"] == set(PERMISSIONS)
    assert allowed["viewer"] < allowed["analyst"] < allowed["admin"]


def test_local_admin_can_do_everything_and_nobody_signed_in_nothing():
    assert all(can(LOCAL_ADMIN, a) for a in PERMISSIONS)
    assert not any(can(None, a) for a in PERMISSIONS)
    assert not can(User("x", "superuser"), "read")


def test_require_names_the_role_needed_and_the_role_held():
    with pytest.raises(PermissionDenied) as info:
        require(User("vic", "viewer"), "upload")
    assert str(info.value) == "Uploading files needs the analyst role; you are a viewer."
    with pytest.raises(PermissionDenied, match="needs the admin role; you are an analyst"):
        require(User("ann", "analyst"), "targets")
    with pytest.raises(PermissionDenied, match="sign in"):
        require(None, "read")
    require(User("ann", "analyst"), "sql")  # allowed: no exception


def test_roles_take_the_right_article():
    assert [auth.a_role(r) for r in ROLES] == ["a viewer", "an analyst", "an admin"]


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown action"):
        can(LOCAL_ADMIN, "launch_rockets")


# -- passwords -----------------------------------------------------------------------------


def test_hash_round_trip_and_wrong_password():
    encoded = hash_password("s3cret pass", iterations=FAST)
    assert verify_password("s3cret pass", encoded)
    assert not verify_password("s3cret pasS", encoded)
    assert not verify_password("", encoded)


def test_hash_format_matches_an_independent_pbkdf2():
    salt = b"0123456789abcdef"
    encoded = hash_password("pw", salt=salt, iterations=FAST)
    expected = hashlib.pbkdf2_hmac("sha256", b"pw", salt, FAST)
    assert encoded == (
        f"pbkdf2_sha256${FAST}${base64.b64encode(salt).decode()}"
        f"${base64.b64encode(expected).decode()}"
    )


def test_default_iterations():
    assert inspect.signature(hash_password).parameters["iterations"].default == 240_000


def test_same_password_gets_different_salted_hashes():
    first, second = (hash_password("same", iterations=FAST) for _ in range(2))
    assert first != second
    assert first.split("$")[2] != second.split("$")[2]
    assert verify_password("same", first) and verify_password("same", second)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h: h[:-4] + ("AAA=" if not h.endswith("AAA=") else "BBB="),  # digest changed
        lambda h: h.replace(f"${FAST}$", f"${FAST + 1}$"),  # iterations changed
        lambda h: h.replace("pbkdf2_sha256", "md5"),  # algorithm changed
        lambda h: h.replace(f"${FAST}$", "$99999999999$"),  # absurd work factor
        lambda h: h.rsplit("$", 1)[0],  # field missing
        lambda h: h + "$extra",  # field added
        lambda h: h.replace(h.split("$")[2], "!!not base64!!"),  # salt garbled
        lambda h: "",
    ],
)
def test_tampered_hash_never_verifies(tamper):
    encoded = hash_password("pw", iterations=FAST)
    assert not verify_password("pw", tamper(encoded))


def test_empty_password_is_refused():
    with pytest.raises(ValueError):
        hash_password("")


# -- configuration ---------------------------------------------------------------------------


def test_no_secrets_means_auth_off():
    assert auth_config({}).mode == "off"
    assert auth_config({"other": {"x": 1}}).mode == "off"
    assert authenticate(auth_config({}), "local", "anything") is None


def test_password_mode_parses_users_and_authenticates():
    alice_hash = hash_password("wonderland", iterations=FAST)
    secrets = {
        "auth": {
            "mode": "password",
            "users": {
                "alice": {"role": "analyst", "password_hash": alice_hash},
                "bob": {"role": "admin", "password_hash": hash_password("b", iterations=FAST)},
            },
        }
    }
    config = auth_config(secrets)
    assert config.mode == "password"
    assert config.users["alice"] == ("analyst", alice_hash)
    assert authenticate(config, "alice", "wonderland") == User("alice", "analyst")
    assert authenticate(config, " Alice ", "wonderland") == User("alice", "analyst")
    assert authenticate(config, "alice", "b") is None
    assert authenticate(config, "carol", "wonderland") is None


def test_users_without_mode_mean_password_mode():
    secrets = {"auth": {"users": {"a": {"role": "viewer", "password_hash": "x"}}}}
    assert auth_config(secrets).mode == "password"


def test_bad_role_in_secrets_is_reported():
    secrets = {"auth": {"mode": "password", "users": {"a": {"role": "boss", "password_hash": "x"}}}}
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        auth_config(secrets)


def test_oidc_unnamed_provider_with_roles():
    # The [auth] settings st.login reads, plus this app's [auth.roles].
    secrets = {
        "auth": {
            "redirect_uri": "http://localhost:8501/oauth2callback",
            "cookie_secret": "xyz",
            "client_id": "cid",
            "client_secret": "csecret",
            "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
            "roles": {"Coo@Example.com": "admin", "ana@example.com": "analyst"},
        }
    }
    config = auth_config(secrets)
    assert (config.mode, config.provider) == ("oidc", None)
    assert auth.oidc_user(config, "coo@example.com").role == "admin"
    assert auth.oidc_user(config, "ana@example.com", "Ana").role == "analyst"
    assert auth.oidc_user(config, "someone@example.com") == User("someone@example.com", "viewer")


def test_oidc_named_provider():
    secrets = {
        "auth": {
            "redirect_uri": "http://localhost:8501/oauth2callback",
            "cookie_secret": "xyz",
            "microsoft": {
                "client_id": "cid",
                "client_secret": "cs",
                "server_metadata_url": "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
            },
        }
    }
    config = auth_config(secrets)
    assert (config.mode, config.provider, config.roles) == ("oidc", "microsoft", {})
    assert authenticate(config, "anyone", "pw") is None  # passwords do not apply in oidc


def test_explicit_mode_off_wins_and_oidc_without_provider_is_an_error():
    assert auth_config({"auth": {"mode": "off", "client_id": "cid"}}).mode == "off"
    with pytest.raises(ValueError, match="no provider"):
        auth_config({"auth": {"mode": "oidc"}})
    with pytest.raises(ValueError, match="mode must be"):
        auth_config({"auth": {"mode": "ldap"}})


def test_secrets_snippet_parses_as_toml_and_logs_in(monkeypatch):
    monkeypatch.setattr(auth, "hash_password", lambda pw: hash_password(pw, iterations=FAST))
    snippet = auth.secrets_snippet("bob@example.com", "analyst", "hunter2")
    parsed = tomllib.loads('[auth]\nmode = "password"\n' + snippet)
    config = auth_config(parsed)
    assert authenticate(config, "bob@example.com", "hunter2") == User("bob@example.com", "analyst")
    assert "[auth.users.alice]" in auth.secrets_snippet("alice", "viewer", "pw")
    with pytest.raises(ValueError):
        auth.secrets_snippet("alice", "root", "pw")


def test_who_may_names_the_roles_in_words():
    from cockpit.auth import a_role, who_may

    assert who_may("read") == "everyone signed in"
    assert who_may("sql") == "analysts and admins"
    assert who_may("settings") == "admins"
    assert [a_role(r) for r in ("viewer", "analyst", "admin")] == [
        "a viewer",
        "an analyst",
        "an admin",
    ]


def test_a_session_user_has_the_role_secrets_give_now():
    from cockpit.auth import AuthConfig, User, user_named

    config = AuthConfig("password", users={"Ann": ("admin", "x")})
    assert user_named(config, "ann") == User("Ann", "admin")
    assert user_named(config, "bob") is None
    assert user_named(config, None) is None
    assert user_named(AuthConfig("off"), "ann") is None
