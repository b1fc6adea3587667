# ruff: noqa: F811 - pytest fixtures from conftest
"""The sign-in throttle slows an attacker without locking the owner out, and its counts live in the store:
they survive a restart and are the same for every app server (SQLite and PostgreSQL).

Pages are driven through Streamlit's AppTest, one AppTest per browser session; "a restart" drops every piece
of process state (Streamlit's resource caches, the engines) before the next session opens.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.helpers import PASSWORDS
from utils.data import auth, paths, store

APP = str(paths.ROOT / "app.py")
WRONG = "Nama pengguna atau kata sandi salah."
THROTTLED = "Terlalu banyak percobaan masuk yang gagal"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The throttle's clock stands still: a backoff never runs out between two script runs of a slow machine."""
    monkeypatch.setattr(auth, "now", lambda: 1_000_000.0)


def _session() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/7_Riwayat.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _login(at: AppTest, user: str, password: str) -> str:
    """Submit the form; returns "in", "wrong" or "throttled"."""
    at.text_input(key="_w_login_user").input(user)
    at.text_input(key="_w_login_pw").input(password)
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    if any(THROTTLED in e for e in errors):
        return "throttled"
    if WRONG in errors:
        return "wrong"
    assert not errors, errors
    assert at.session_state["sv_operator"].username == "admin"
    return "in"


def _restart() -> None:
    """Everything a server process holds is gone (engines, cached resources); the store stays."""
    st.cache_resource.clear()
    st.cache_data.clear()


def _failures(engine, key: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT COALESCE(MAX(failures), 0) FROM login_failures WHERE key = :k"),
                                {"k": key}).scalar())


def test_a_stranger_cannot_lock_the_administrator_out(tmp_store, operators_file):
    attacker = _session()
    outcomes = [_login(attacker, " ADMIN ", f"tebakan-{i}") for i in range(6)]  # other case and spaces
    assert outcomes == ["wrong"] * 3 + ["throttled"] * 3  # the attacker's session is slowed down
    for i in range(10):  # more sessions: the account is now under attack
        assert _login(_session(), "Admin", f"tebakan-x{i}") == "wrong"
    assert _failures(tmp_store, "account:admin") == 13
    # The administrator, in their own browser session, signs in at the first try
    owner = _session()
    assert _login(owner, "admin", PASSWORDS["admin"]) == "in"
    assert any(b.label == "Setujui" for b in owner.button) or owner.get("selectbox")  # the history, not the form
    assert _failures(tmp_store, "account:admin") == 0  # the owner's success clears the account's count


def test_the_throttle_survives_a_restart(tmp_store, operators_file):
    for i in range(10):
        assert _login(_session(), "admin", f"tebakan-{i}") == "wrong"
    _restart()
    assert _failures(tmp_store, "account:admin") == 10  # in the store, read with plain SQL
    # after the restart the account is still under attack: a new session gets one try, not three
    fresh = _session()
    assert _login(fresh, "admin", "tebakan-lagi") == "wrong"
    assert _login(fresh, "admin", "tebakan-lagi-2") == "throttled"
    assert _login(_session(), "admin", PASSWORDS["admin"]) == "in"  # the owner still gets in


def test_two_servers_share_the_counts(tmp_store):
    """Two engines on one store stand for two app servers: a failure counted by one holds on the other."""
    url = tmp_store.url.render_as_string(hide_password=False)
    one, two = store.get_engine(url), store.get_engine(url)
    try:
        for _ in range(3):
            auth.Throttle(one).failure("admin", "tab-1")
        assert auth.Throttle(two).wait("admin", "tab-1") > 0
        assert auth.Throttle(two).wait("admin", "tab-2") == 0
    finally:
        one.dispose()
        two.dispose()


def test_counts_are_atomic_on_postgresql(pg_engine):
    """Four app servers counting failures on one PostgreSQL store at the same moment lose none."""
    url = pg_engine.url.render_as_string(hide_password=False)
    engines = [store.get_engine(url) for _ in range(4)]
    errors: list[BaseException] = []

    def hammer(engine, n: int) -> None:
        try:
            throttle = auth.Throttle(engine)
            for i in range(10):
                throttle.failure("Admin_Provinsi", f"server{n}-tab{i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(e, n)) for n, e in enumerate(engines)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    for e in engines:
        e.dispose()
    assert not errors, errors
    assert _failures(pg_engine, "account:admin_provinsi") == 40
    throttle = auth.Throttle(pg_engine)
    assert throttle.under_attack(" ADMIN_PROVINSI ")
    assert throttle.wait("admin_provinsi", "owner") == 0  # a new client still gets its one try


@pytest.mark.parametrize("who", ["attacker", "owner"])
def test_throttle_wait_is_shown_in_seconds(tmp_store, operators_file, who):
    at = _session()
    for i in range(3):
        assert _login(at, "op_tgm", f"salah-{i}") == "wrong"
    at.text_input(key="_w_login_user").input("op_tgm")
    at.text_input(key="_w_login_pw").input(PASSWORDS["op_tgm"] if who == "owner" else "salah")
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()
    assert [e.value for e in at.error] == [
        "Terlalu banyak percobaan masuk yang gagal dari sesi ini. Coba lagi dalam 2 detik."]
