"""Operators' credentials: scrypt hashes, accounts from configuration, login throttling, upload rights."""

from __future__ import annotations

import pytest

from utils.data import auth

CONFIG = {
    "admin": {"name": "Admin Provinsi", "role": "admin", "email": "Admin@Lampungprov.go.id"},
    "op_tgm": {"name": "Operator Tanggamus", "role": "operator", "kab_code": "18.06"},
    "op_none": {"name": "Operator tanpa kabupaten", "role": "operator"},
    "viewer": {"name": "Viewer", "role": "superuser"},
}


@pytest.fixture(scope="module")
def accounts():
    cfg = {u: {**e, "password_hash": auth.hash_password(f"pw-{u}")} for u, e in CONFIG.items()}
    return auth.accounts_from_config(cfg)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hash_verifies_only_the_same_password_and_is_salted():
    h1, h2 = auth.hash_password("Lampung#2024"), auth.hash_password("Lampung#2024")
    assert h1 != h2 and h1.startswith("scrypt$")
    assert "Lampung#2024" not in h1
    assert auth.verify_password("Lampung#2024", h1) and auth.verify_password("Lampung#2024", h2)
    assert not auth.verify_password("lampung#2024", h1)
    for broken in ("", "plain-text-password", "scrypt$1$2$3", "bcrypt$x$y$z$a$b", "scrypt$16384$8$1$!!$??"):
        assert not auth.verify_password("Lampung#2024", broken)


def test_accounts_refuse_unknown_roles_and_operators_without_kabupaten(accounts):
    assert set(accounts) == {"admin", "op_tgm"}
    assert accounts["op_tgm"].operator == auth.Operator("op_tgm", "Operator Tanggamus", "operator", "18.06")
    assert accounts["admin"].operator.kab_code is None


def test_authenticate_and_throttle_after_five_failures(accounts):
    clock = Clock()
    limiter = auth.RateLimiter(max_failures=5, window=300, clock=clock)
    assert auth.authenticate(accounts, "op_tgm", "pw-op_tgm", limiter).kab_code == "18.06"
    for _ in range(5):
        assert auth.authenticate(accounts, "op_tgm", "salah", limiter) is None
    with pytest.raises(auth.LoginThrottled) as exc:  # even the right password waits now
        auth.authenticate(accounts, "op_tgm", "pw-op_tgm", limiter)
    assert 299 <= exc.value.seconds <= 300
    assert auth.authenticate(accounts, "admin", "pw-admin", limiter) is not None  # other users unaffected
    clock.now += 301
    assert auth.authenticate(accounts, "op_tgm", "pw-op_tgm", limiter) is not None


def test_unknown_usernames_are_throttled_too(accounts):
    limiter = auth.RateLimiter(max_failures=3, window=60, clock=Clock())
    for _ in range(3):
        assert auth.authenticate(accounts, "tebak", "x", limiter) is None
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(accounts, "tebak", "x", limiter)


def test_oidc_email_maps_to_an_account(accounts):
    assert auth.operator_for_email(accounts, "admin@lampungprov.go.id").username == "admin"
    assert auth.operator_for_email(accounts, "someone@else.id") is None
    assert auth.operator_for_email(accounts, "") is None


def test_upload_rights():
    admin = auth.Operator("a", "A", "admin", None)
    op = auth.Operator("o", "O", "operator", "18.06")
    assert auth.may_upload_for(admin, None) and auth.may_upload_for(admin, "18.01")
    assert auth.may_upload_for(op, "18.06")
    assert not auth.may_upload_for(op, "18.01") and not auth.may_upload_for(op, None)


def test_accounts_file_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "ops.toml"
    path.write_text(f'[sv_operators.op_tgm]\nname = "Op"\nrole = "operator"\nkab_code = "18.06"\n'
                    f'password_hash = "{auth.hash_password("x")}"\n', encoding="utf-8")
    monkeypatch.setenv("SV_OPERATORS_FILE", str(path))
    assert list(auth.accounts_from_file()) == ["op_tgm"]
    monkeypatch.setenv("SV_OPERATORS_FILE", str(tmp_path / "missing.toml"))
    assert auth.accounts_from_file() == {}
