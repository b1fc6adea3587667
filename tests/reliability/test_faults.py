"""Faults: a process killed in the middle of an upload, a store that cannot be read, canonical files missing
or corrupt. Each fault is really injected (SIGKILL, a corrupt or locked database file, a removed parquet)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from tests.helpers import content
from tests.postgres import clone
from tests.reliability.pages_helper import open_page
from utils.data import paths, store
from utils.i18n import t

STAGE_NAMES = ["Sosialisasi", "Bergabung"]
KILLS = 8
KILLS_PG = 6


def _big_adoption(path, regions: pd.DataFrame):
    """Two stages for every desa of Tanggamus (~600 rows): a write that lasts long enough to be cut."""
    desa = regions[(regions["kab_code"] == "18.06") & (regions["level"] == "desa")
                   & (regions["village_type"] != "kelurahan")]["code"]
    lines = ["kode_desa;tahap;tanggal"]
    lines += [f"{c};Sosialisasi;01/11/2024" for c in desa] + [f"{c};Bergabung;17/12/2024" for c in desa]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _data(engine) -> dict[str, pd.DataFrame]:
    return {k: v for k, v in content(engine).items() if k != "meta"}


def _same(a: dict, b: dict) -> bool:
    return all(a[k].reset_index(drop=True).equals(b[k].reset_index(drop=True)) for k in a)


def _run_worker(url: str, csv, kill_after: float | None) -> tuple[str, float]:
    """Run the upload worker; kill it ``kill_after`` seconds after it starts writing (None: let it finish).
    Returns ("done" | "killed", seconds from the start of the write to the end of the process)."""
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.reliability._upload_worker", url, str(csv)],
                            cwd=paths.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "go", proc.stderr.read()
    go = time.perf_counter()
    if kill_after is None:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        return "done", time.perf_counter() - go
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return ("done" if "done" in out else "killed"), time.perf_counter() - go


@pytest.mark.fault  # a writer killed at timed points: alone, so the kill points fall where they are aimed
def test_killed_upload_leaves_before_or_after_never_partial(tmp_path, regions):
    """SIGKILL at random points of a real upload (SQLite): the reopened store equals the state before the
    upload or after it, table by table together; never a mix."""
    csv = _big_adoption(tmp_path / "adopsi_tanggamus.csv", regions)
    ref = tmp_path / "ref.db"
    shutil.copy(paths.DEFAULT_DB, ref)
    ref_engine = store.get_engine(f"sqlite:///{ref}")
    before = _data(ref_engine)
    _, duration = _run_worker(f"sqlite:///{ref}", csv, None)  # how long the write takes
    after = _data(ref_engine)
    ref_engine.dispose()
    assert not _same(before, after)  # the upload really changes the data
    n_lines = csv.read_text().count("\n") - 1
    # Real data replaces demo per kabupaten (issue 19): Tanggamus's rows are the file's, the others keep theirs.
    adoption = after["adoption"]
    tgm = adoption["village_code"].astype(str).str.startswith("18.06.")
    assert tgm.sum() == n_lines and (adoption.loc[tgm, "source"] == csv.name).all()
    assert len(adoption[~tgm]) and (adoption.loc[~tgm, "source"] == "demo").all()

    rng = random.Random(20241217)
    outcomes = []
    for i in range(KILLS):
        db = tmp_path / f"kill{i}.db"
        shutil.copy(paths.DEFAULT_DB, db)
        status, _ = _run_worker(f"sqlite:///{db}", csv, rng.uniform(0.0, duration))
        engine = store.get_engine(f"sqlite:///{db}")  # "after restart": a fresh connection (hot journal rolled back)
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        now = _data(engine)
        state = "before" if _same(before, now) else "after" if _same(after, now) else "PARTIAL"
        uploads = store.read_uploads(engine)
        if state == "before":  # an upload cut before its commit is never recorded as applied
            assert not (uploads["status"] == "applied").any() or len(uploads) == len(store.read_uploads(
                store.get_engine(f"sqlite:///{paths.DEFAULT_DB}")))
        engine.dispose()
        outcomes.append((status, state))
    assert all(state != "PARTIAL" for _, state in outcomes), outcomes
    assert ("killed", "before") in outcomes  # at least one kill really cut a write short
    print(f"kills: {outcomes}")


@pytest.mark.fault
def test_killed_upload_on_postgresql_leaves_before_or_after(tmp_path, regions, pg_cluster, pg_demo_template):
    """The same on a real PostgreSQL server: the client is killed, the server rolls back what it had begun."""
    csv = _big_adoption(tmp_path / "adopsi_tanggamus.csv", regions)
    ref_url = clone(pg_cluster, pg_demo_template)
    ref = store.get_engine(ref_url)
    before = _data(ref)
    _, duration = _run_worker(ref_url, csv, None)
    after = _data(ref)
    ref.dispose()
    assert not _same(before, after)
    rng = random.Random(17122024)
    outcomes = []
    for _ in range(KILLS_PG):
        url = clone(pg_cluster, pg_demo_template)
        status, _ = _run_worker(url, csv, rng.uniform(0.0, duration))
        engine = store.get_engine(url)
        now = _data(engine)
        engine.dispose()
        outcomes.append((status, "before" if _same(before, now) else "after" if _same(after, now) else "PARTIAL"))
    assert all(state != "PARTIAL" for _, state in outcomes), outcomes
    assert ("killed", "before") in outcomes
    print(f"kills (PostgreSQL): {outcomes}")


def _copy_store(tmp_path, monkeypatch):
    db = tmp_path / "programme.db"
    shutil.copy(paths.DEFAULT_DB, db)
    monkeypatch.setenv("SV_DATABASE_URL", f"sqlite:///{db}")
    return db


def _bump_mtime(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


class _Ringkasan:
    """The overview page, opened through app.py; ``run`` reruns it like a user's next interaction."""

    def __init__(self, lang: str = "id") -> None:
        self.at = open_page("pages/1_Ringkasan.py", {"lang": lang} if lang != "id" else None)

    def run(self) -> AppTest:
        self.at.run()
        return self.at


def _notice(at: AppTest, lang: str = "id") -> bool:
    """The read-only notice is shown (the "Data contoh" banner is a warning too, so look for ours)."""
    return t("rel_store_readonly", lang) in [w.value for w in at.warning]


def _metrics(at: AppTest) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def test_corrupt_store_keeps_the_last_good_data_read_only(tmp_path, monkeypatch):
    db = _copy_store(tmp_path, monkeypatch)
    page = _Ringkasan()
    at = page.at
    assert not _notice(at)
    good = _metrics(at)
    assert len(good) >= 4
    saved = db.read_bytes()
    db.write_bytes(b"this is not a database" * 200)  # the store breaks (and its version changes)
    at = page.run()
    assert not at.exception, [e.message for e in at.exception]
    assert _notice(at)
    assert _metrics(at) == good  # the last good figures, not an error page
    en = _Ringkasan("en").at
    assert _notice(en, "en")
    db.write_bytes(saved)  # repaired: fresh data, no notice
    _bump_mtime(db)
    at = page.run()
    assert not at.exception and not _notice(at)
    assert _metrics(at) == good


def test_locked_store_keeps_the_last_good_data(tmp_path, monkeypatch):
    db = _copy_store(tmp_path, monkeypatch)
    page = _Ringkasan()
    good = _metrics(page.at)
    lock = sqlite3.connect(db, timeout=0)
    lock.execute("PRAGMA journal_mode=DELETE")
    lock.execute("BEGIN EXCLUSIVE")  # another process holds the write lock: readers get "database is locked"
    _bump_mtime(db)
    try:
        at = page.run()
        assert not at.exception, [e.message for e in at.exception]
        assert _notice(at)
        assert _metrics(at) == good
    finally:
        lock.rollback()
        lock.close()
    _bump_mtime(db)
    at = page.run()
    assert not at.exception and not _notice(at)


def test_store_unavailable_on_first_load_says_so(tmp_path, monkeypatch):
    """No last good read yet and no store: the error names the store, no traceback."""
    monkeypatch.setenv("SV_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'none.db'}")
    from utils.ui import shared

    shared._last_good().clear()
    at = open_page("pages/1_Ringkasan.py")
    assert any("programme store" in e.value for e in at.error), [e.value for e in at.error]


PAGES = sorted(f"pages/{p.name}" for p in (paths.ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("fault", ["missing", "corrupt"])
@pytest.mark.parametrize("page", PAGES)
def test_canonical_file_fault_says_how_to_rebuild(page, fault, tmp_path, monkeypatch):
    regions = tmp_path / "regions.parquet"
    if fault == "corrupt":
        regions.write_bytes(paths.REGIONS.read_bytes()[:5000])
    monkeypatch.setattr(paths, "REGIONS", regions)
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "make rebuild" in errors[0] and "regions.parquet" in errors[0], errors
    # the page itself (reached by a link while the file is broken) says the same
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "make rebuild" in errors[0] and "regions.parquet" in errors[0], errors
