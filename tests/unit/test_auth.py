"""Operators' credentials: scrypt hashes, accounts from configuration, login throttling (counted in a SQLite
store here; tests/security covers restarts and PostgreSQL), upload rights."""

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


@pytest.fixture
def throttle_engine(tmp_path):
    from utils.data import store

    engine = store.get_engine(f"sqlite:///{tmp_path / 'throttle.db'}")
    store.init_schema(engine)
    yield engine
    engine.dispose()


def test_authenticate_and_back_off_per_client(accounts, throttle_engine):
    clock = Clock()
    throttle = auth.Throttle(throttle_engine, clock=clock)
    assert auth.authenticate(accounts, "op_tgm", "pw-op_tgm", throttle, "tab-1").kab_code == "18.06"
    for _ in range(3):  # three free tries
        assert auth.authenticate(accounts, "op_tgm", "salah", throttle, "tab-1") is None
    with pytest.raises(auth.LoginThrottled) as exc:  # then this client waits, even with the right password
        auth.authenticate(accounts, "op_tgm", "pw-op_tgm", throttle, "tab-1")
    assert exc.value.seconds == pytest.approx(2.0)
    clock.now += 2
    assert auth.authenticate(accounts, "op_tgm", "salah", throttle, "tab-1") is None
    with pytest.raises(auth.LoginThrottled) as exc:  # the wait doubles with each failure
        auth.authenticate(accounts, "op_tgm", "pw-op_tgm", throttle, "tab-1")
    assert exc.value.seconds == pytest.approx(4.0)
    # Another client (the owner's own browser) is not slowed by these failures
    assert auth.authenticate(accounts, "op_tgm", "pw-op_tgm", throttle, "tab-2").username == "op_tgm"
    clock.now += 4
    assert auth.authenticate(accounts, "op_tgm", "pw-op_tgm", throttle, "tab-1").username == "op_tgm"
    assert throttle.wait("op_tgm", "tab-1") == 0  # a success clears this client's count


def test_backoff_is_capped_and_forgotten_after_the_window(accounts, throttle_engine):
    clock = Clock()
    throttle = auth.Throttle(throttle_engine, clock=clock, cap=60, window=900)
    for _ in range(20):
        throttle.failure("admin", "tab-1")
    assert throttle.wait("admin", "tab-1") == pytest.approx(60)  # never more than the cap
    clock.now += 901
    assert throttle.wait("admin", "tab-1") == 0


def test_usernames_are_normalised():
    assert auth.normalise_username(" Admin_Provinsi ") == "admin_provinsi"
    assert auth.normalise_username("ADMIN\u3000 provinsi") == "admin provinsi"  # ideographic space, NFKC
    assert auth.normalise_username("\uff41dmin") == "admin"  # fullwidth letter


def test_username_variants_log_in_and_share_one_count(accounts, throttle_engine):
    clock = Clock()
    throttle = auth.Throttle(throttle_engine, clock=clock)
    assert auth.authenticate(accounts, " OP_TGM ", "pw-op_tgm", throttle, "tab-1").username == "op_tgm"
    for name in ("op_tgm", " Op_Tgm", "OP_TGM  "):
        assert auth.authenticate(accounts, name, "salah", throttle, "tab-1") is None
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(accounts, "op_tgm", "pw-op_tgm", throttle, "tab-1")


def test_guessing_usernames_from_one_client_is_throttled(accounts, throttle_engine):
    throttle = auth.Throttle(throttle_engine, clock=Clock())
    for i in range(10):
        assert auth.authenticate(accounts, f"tebak{i}", "x", throttle, "tab-1") is None
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate(accounts, "admin", "pw-admin", throttle, "tab-1")
    assert auth.authenticate(accounts, "admin", "pw-admin", throttle, "tab-2").username == "admin"


def test_an_account_under_attack_gives_each_new_client_one_try(accounts, throttle_engine):
    clock = Clock()
    throttle = auth.Throttle(throttle_engine, clock=clock)
    for i in range(10):  # ten sessions, one failure each: the account is under attack
        assert auth.authenticate(accounts, "admin", "tebakan", throttle, f"attacker-{i}") is None
    assert auth.authenticate(accounts, "admin", "tebakan", throttle, "attacker-new") is None
    with pytest.raises(auth.LoginThrottled):  # a new session now gets one try, not three
        auth.authenticate(accounts, "admin", "tebakan", throttle, "attacker-new")
    # the owner's first try from their own session still counts
    assert auth.authenticate(accounts, "admin", "pw-admin", throttle, "owner").username == "admin"


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
