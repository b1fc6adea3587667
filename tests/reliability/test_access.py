"""Access: every write path refuses without operator login, whatever the URL or the way the page is reached;
kabupaten operators cannot reach the administrator's writes; passwords are stored hashed; XSRF protection and an upload limit are configured. The login throttle is tested in
tests/security/test_login_throttle.py."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest

from tests.helpers import ACCOUNTS, OP_TGM, PASSWORDS, assert_same, content
from tests.reliability.fuzz_common import written_state
from tests.reliability.pages_helper import open_page
from utils.data import auth, paths
from utils.i18n import t
from utils.intake import apply

OPERATOR_PAGES = ["pages/6_Unggah.py", "pages/7_Riwayat.py", "pages/8_Impor.py"]
#: Labels of every widget that writes (upload, confirm, approve, reject, roll back, demo switch, imports).
WRITE_LABELS = {t(k, lang, **kw) for lang in ("id", "en") for k, kw in (
    ("hist_approve", {}), ("hist_reject", {}), ("hist_rollback", {}), ("hist_demo_switch", {}), ("imp_confirm", {}),
)}
#: URL parameters a crafted link might carry: a region, language, and things that look like commands.
CRAFTED = [{}, {"kab": "18.06", "lang": "en"}, {"desa": "18.06.20.2006"},
           {"action": "approve", "upload_id": "1", "demo": "1", "view_demo": "1", "role": "admin", "user": "admin",
            "sv_operator": "admin", "kind": "adoption"}]


def _write_widgets(at) -> list[str]:
    """Every usable widget that could write: uploaders, buttons with write labels, toggles, checkboxes."""
    found = [f"file_uploader:{w.label}" for w in at.get("file_uploader")]
    found += [f"button:{b.label}" for b in at.button if b.label in WRITE_LABELS or b.label.startswith(
        t("ing_confirm", "id", n="").split(" ")[0]) and not b.disabled]
    found += [f"toggle:{w.label}" for w in at.toggle]
    return found


@pytest.mark.parametrize("query", CRAFTED, ids=["plain", "region-en", "desa", "crafted"])
@pytest.mark.parametrize("page", OPERATOR_PAGES)
def test_operator_pages_refuse_without_login(page, query, tmp_store, operators_file):
    before, files = content(tmp_store), written_state()
    at = open_page(page, query)
    lang = query.get("lang", "id")
    assert t("auth_needed", lang) in [i.value for i in at.info]  # the login form instead of the page
    assert not _write_widgets(at), _write_widgets(at)
    at.run()  # a second run (e.g. after a reconnect) does not open anything either
    assert not _write_widgets(at)
    assert_same(before, content(tmp_store))
    assert written_state() == files  # the demo store and data/imports untouched too


@pytest.mark.parametrize("page", OPERATOR_PAGES)
def test_navigating_from_a_leadership_page_does_not_log_in(page, tmp_store, operators_file):
    at = open_page("pages/1_Ringkasan.py", {"kab": "18.06"})
    at.switch_page(page)
    at.run()
    assert not at.exception
    assert t("auth_needed", "id") in [i.value for i in at.info]
    assert not _write_widgets(at)


def _login(at, user: str) -> None:
    at.text_input(key="_w_login_user").input(user)
    at.text_input(key="_w_login_pw").input(PASSWORDS[user])
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()


def test_kabupaten_operator_cannot_reach_administrator_writes(tmp_store, operators_file):
    before = content(tmp_store)
    at = open_page("pages/8_Impor.py")
    _login(at, "op_tgm")
    assert t("auth_role_refused", "id", name=ACCOUNTS["op_tgm"]["name"]) in [e.value for e in at.error]
    assert not at.get("file_uploader")
    at.switch_page("pages/7_Riwayat.py")
    at.run()
    assert not at.exception
    assert t("hist_admin_only", "id") in [c.value for c in at.caption]
    assert not _write_widgets(at)
    assert_same(before, content(tmp_store))


def test_logged_in_administrator_does_get_the_write_widgets(tmp_store, operators_file):
    """Guard for the tests above: the widgets they look for are there once an administrator logs in."""
    at = open_page("pages/7_Riwayat.py")
    _login(at, "admin")
    assert [w.label for w in at.toggle] == [t("hist_demo_switch", "id")]
    at.switch_page("pages/8_Impor.py")
    at.run()
    assert at.get("file_uploader")  # the IDM workbook uploader (the boundary one follows its choices)


@pytest.mark.parametrize("call", ["approve", "reject", "rollback", "demo"])
def test_write_functions_refuse_a_kabupaten_operator(call, tmp_store):
    before = content(tmp_store)
    with pytest.raises(apply.ApplyError) as exc:
        if call == "demo":
            apply.set_demo_view(tmp_store, True, OP_TGM)
        else:
            getattr(apply, call)(tmp_store, 1, OP_TGM)
    assert exc.value.key == "ing_apply_admin_only"  # refused for the role, before looking at the upload
    assert_same(before, content(tmp_store))


def test_passwords_never_reach_the_store_or_the_examples(tmp_store, operators_file):
    """Log in as the administrator and write (the demo switch): the store and every example/config file hold
    no password in clear, the accounts file only scrypt hashes."""
    at = open_page("pages/7_Riwayat.py")
    _login(at, "admin")
    at.toggle[0].set_value(not at.toggle[0].value)
    at.run()
    assert not at.exception
    tmp_store.dispose()
    db = tmp_store.url.database
    raw = Path(db).read_bytes()
    assert b"admin" in raw  # the write is recorded with the username ...
    for pw in PASSWORDS.values():
        assert pw.encode() not in raw  # ... never with a password
    hashes = [line for line in operators_file.read_text().splitlines() if line.startswith("password_hash")]
    assert len(hashes) == 3 and all(h.split('"')[1].startswith("scrypt$") for h in hashes)
    example = tomllib.loads((paths.ROOT / ".streamlit" / "secrets.toml.example").read_text())
    for account in example["sv_operators"].values():
        assert "password" not in account and account["password_hash"].startswith("scrypt$")


def test_streamlit_config_has_xsrf_protection_and_an_upload_limit():
    config = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert config["enableXsrfProtection"] is True
    assert config.get("enableCORS", True) is True  # CORS off would make Streamlit turn XSRF protection off
    from utils.intake import boundaries, reader, village_index

    app_limits_mb = [reader.MAX_UPLOAD_BYTES / 2**20, village_index.IDM_MAX_BYTES / 2**20,
                     boundaries.BOUNDARY_MAX_BYTES / 2**20]
    # set, above every limit of the app (so the app's own message is the one shown), and bounded
    assert max(app_limits_mb) < config["maxUploadSize"] <= 200


def test_hash_is_salted_and_verifies():
    a, b = auth.hash_password("sama"), auth.hash_password("sama")
    assert a != b and a.startswith("scrypt$") and "sama" not in a
    assert auth.verify_password("sama", a) and not auth.verify_password("beda", a)
    assert hashlib.sha256(b"sama").hexdigest() not in a
