"""No traceback reaches a user: a locked and a corrupt programme store, on every page, in a real browser.

The faults are real: a SQLite file overwritten with garbage, and another process holding ``BEGIN EXCLUSIVE``
(readers and writers get "database is locked"). Each page is reached the way a user does (deep link, or the
sidebar while signed in as the provincial administrator). On every page: no exception element, none of the
words a traceback would show, and either the store message or the read-only notice.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app
from tests.helpers import PASSWORDS, write_operators_file
from utils.data import paths
from utils.i18n import t
from utils.ui.shared import PAGES

pytestmark = pytest.mark.browser


def _aborted_by_navigation(url: str, error: str) -> bool:
    """Opening the next page aborts the previous page's pending requests to the app (page icon, map geometry):
    not an error (a missing file is an HTTP error, reported on its own)."""
    return error == "net::ERR_ABORTED"
STORE_MESSAGE = t("rel_store_unavailable", "id")
READ_ONLY = t("rel_store_readonly", "id")
#: What a traceback or a raw error would put on the page.
LEAKS = ("Traceback", "sqlalchemy", "OperationalError", "DatabaseError", "sqlite3", "database is locked",
         "file is not a database", str(paths.ROOT), ".py\"", "line ")
LABELS = [t(key, "id") for _, key, _ in PAGES if (paths.ROOT / _).exists()]
URLS = {t(key, "id"): "/" + path.split("/")[-1].split("_", 1)[1].removesuffix(".py")
        for path, key, _ in PAGES if (paths.ROOT / path).exists()}
CSV = "kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n18.06.20.2002;Bergabung;17/12/2024\n"


@pytest.fixture
def store_server(server_factory, tmp_path):
    db = tmp_path / "programme.db"
    shutil.copy(paths.DEFAULT_DB, db)
    env = {"SV_DATABASE_URL": f"sqlite:///{db}",
           "SV_OPERATORS_FILE": str(write_operators_file(tmp_path / "operators.toml"))}
    return server_factory(env=env), db


def _assert_clean(page: Page, where: str) -> str:
    """No exception element and no traceback words; returns the page's text."""
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0, where
    text = page.locator("[data-testid='stMain']").inner_text()
    leaks = [w for w in LEAKS if w in text]
    assert not leaks, (where, leaks, text[:500])
    return text


def _sign_in(page: Page) -> None:
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(PASSWORDS["admin"])
    page.get_by_role("button", name="Masuk", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Masuk sebagai").first).to_be_visible(timeout=60_000)


def _via_sidebar(page: Page, label: str) -> None:
    page.locator("[data-testid='stSidebar']").get_by_role("link", name=label, exact=True).click()
    wait_for_app(page, timeout=120_000)


def _uploads(db) -> int:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        n = int(conn.execute(sa.text("SELECT COUNT(*) FROM uploads")).scalar())
    engine.dispose()
    return n


def test_corrupt_store_from_the_start_every_page(store_server, page_factory):
    server, db = store_server
    db.write_bytes(b"this is not a database " * 400)
    page, monitor = page_factory(server)
    monitor.ignore_failures(_aborted_by_navigation)
    for label, url in URLS.items():
        page.goto(server.url(url))
        text = _assert_clean(page, label)
        assert STORE_MESSAGE in text, (label, text[:300])
    screenshot(page, "security-corrupt-store-start")


def test_corrupt_store_after_a_good_load_every_page(store_server, page_factory):
    """The issue's case: Riwayat and Unggah read the store themselves (history, preview) after the pages had
    loaded the data once."""
    server, db = store_server
    page, monitor = page_factory(server)
    monitor.ignore_failures(_aborted_by_navigation)
    page.goto(server.url("/Riwayat"))
    wait_for_app(page)
    _sign_in(page)
    db.write_bytes(b"this is not a database " * 400)
    for label in LABELS:
        _via_sidebar(page, label)
        text = _assert_clean(page, label)
        # read pages keep the last good data, marked read-only; the history needs the store itself
        assert (STORE_MESSAGE if label == t("page_history", "id") else READ_ONLY) in text, (label, text[:300])
    screenshot(page, "security-corrupt-store-after-load")


def test_locked_store_on_every_page_and_on_save(store_server, page_factory, tmp_path):
    server, db = store_server
    page, monitor = page_factory(server)
    monitor.ignore_failures(_aborted_by_navigation)
    page.goto(server.url("/Unggah"))
    wait_for_app(page)
    _sign_in(page)
    csv = tmp_path / "adopsi.csv"
    csv.write_text(CSV, encoding="utf-8")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(csv))
    wait_for_app(page)
    expect(page.get_by_text("Berkas lolos pemeriksaan.")).to_be_visible(timeout=60_000)
    # The run goes on after that line (the change preview and the duplicate check read the store): the lock is
    # taken once the save button is there, i.e. at the moment the operator saves, not in the middle of the check.
    save = page.get_by_role("button", name="Simpan (2 baris)")
    expect(save).to_be_enabled(timeout=60_000)
    wait_for_app(page)
    lock = sqlite3.connect(db, timeout=0)
    lock.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        save.click()
        text = _assert_clean(page, "save")
        assert STORE_MESSAGE in text
        screenshot(page, "security-locked-store-save")
        for label in LABELS:
            _via_sidebar(page, label)
            text = _assert_clean(page, label)
            if label == t("page_history", "id"):  # the history is read from the store on every run
                assert STORE_MESSAGE in text, text[:300]
    finally:
        lock.rollback()
        lock.close()
    assert _uploads(db) == 0  # the failed save left no record
    _via_sidebar(page, t("page_history", "id"))
    _assert_clean(page, "after unlock")
    expect(page.get_by_text(t("hist_empty", "id"))).to_be_visible()
