"""Programme store on PostgreSQL: a throwaway cluster from Debian's server binaries, never a system service.

The module starts its own cluster (initdb + pg_ctl) in a private temp dir, listening only on a unix socket
there, as the ``postgres`` system user when the tests run as root (PostgreSQL refuses to run as root) and as
the current user otherwise. Each test gets a fresh database; the cluster is stopped and deleted at teardown,
also when a test or the start-up fails. Missing server binaries FAIL the test with the install command.

Where the server supports it (PostgreSQL >= 15) the cluster collates with ICU ``en-US`` like a typical
production cluster, not byte order like SQLite, so ordering assumptions would show up here.
"""

from __future__ import annotations

import datetime as dt
import glob
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from utils.data import demo, paths, store
from utils.data.dataset import DataUnavailable, load_dataset

INSTALL_HINT = "PostgreSQL server binaries not found: sudo apt-get install -y postgresql"
SUPERUSER = "sv"  # the cluster's bootstrap superuser (trust auth, socket in a 0700 dir)
PORT = 5432  # only names the socket file: the cluster listens on no TCP port


def _server_bindir() -> tuple[Path, int]:
    """Newest ``/usr/lib/postgresql/<major>/bin`` holding initdb, pg_ctl and postgres (fails otherwise)."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        bindir = Path(initdb).parent
        major = re.fullmatch(r"\d+", bindir.parent.name)
        if major and all(os.access(bindir / exe, os.X_OK) for exe in ("initdb", "pg_ctl", "postgres")):
            found.append((int(major.group()), bindir))
    if not found:
        pytest.fail(INSTALL_HINT, pytrace=False)
    major, bindir = max(found)
    return bindir, major


def _as_server_user() -> list[str]:
    """Command prefix that runs the server tools as a non-root user (empty when we are not root)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail(
            "running as root needs the 'postgres' system user to start PostgreSQL (it refuses root); "
            "it comes with Debian's package: sudo apt-get install -y postgresql",
            pytrace=False,
        )
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["su", "-s", "/bin/sh", "-c", '"$0" "$@"', "--", "postgres"]  # no runuser: su runs argv through sh


class Cluster:
    """One private PostgreSQL cluster in a temp dir: data in ``data/``, socket and log beside it."""

    def __init__(self, bindir: Path, major: int) -> None:
        self.bindir, self.major = bindir, major
        self.prefix = _as_server_user()
        # Short path on purpose: a unix socket path must stay under ~100 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="sv-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        if self.prefix:
            shutil.chown(self.root, "postgres", "postgres")
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.started = False
        self._db_names = itertools.count(1)

    def _run(self, *args: str | os.PathLike, timeout: float = 60) -> None:
        cmd = [*self.prefix, *map(str, args)]
        proc = subprocess.run(
            cmd, cwd=self.root, capture_output=True, text=True, timeout=timeout, env=_clean_env()
        )
        if proc.returncode != 0:
            pytest.fail(
                f"{Path(str(args[0])).name} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                f"{proc.stdout}\n{proc.stderr}\n{self._log_tail()}",
                pytrace=False,
            )

    def _log_tail(self) -> str:
        try:
            return "server log:\n" + self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no server log)"

    def start(self) -> None:
        locale = ["--locale=C.UTF-8"]
        if self.major >= 15:  # ICU provider exists from 15 on: collate like a real (non-C) cluster
            locale += ["--locale-provider=icu", "--icu-locale=en-US"]
        self._run(
            self.bindir / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
            *locale, "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.root}' -p {PORT} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.started = True  # from here on, teardown stops it even if the start times out half-way
        self._run(
            self.bindir / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start"
        )

    def url(self, database: str) -> str:
        return sa.URL.create(
            "postgresql+psycopg",
            username=SUPERUSER,
            database=database,
            query={"host": str(self.root), "port": str(PORT)},
        ).render_as_string(hide_password=False)

    def create_database(self) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        name = f"smartvillage_{next(self._db_names)}"
        admin = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return self.url(name)

    def destroy(self) -> None:
        """Stop the server (fast, then by its pid) and delete the whole directory."""
        try:
            if self.started and (self.data / "postmaster.pid").exists():
                pg_ctl = [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data)]
                stop = [*pg_ctl, "-m", "fast", "-w", "-t", "30", "stop"]  # fmt: skip
                try:
                    done = subprocess.run(
                        stop, cwd=self.root, capture_output=True, timeout=60, env=_clean_env()
                    )
                    stopped = done.returncode == 0
                except (OSError, subprocess.TimeoutExpired):
                    stopped = False
                if not stopped:
                    self._kill_postmaster()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)  # our own postmaster; its backends exit with it
        except (OSError, ValueError, IndexError):
            pass


def _clean_env() -> dict[str, str]:
    """Environment for the server tools without PG* variables (PGDATA, PGPORT... must not leak in)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bindir, major = _server_bindir()
    pg = Cluster(bindir, major)
    try:
        pg.start()
        yield pg
    finally:
        pg.destroy()


@pytest.fixture
def pg_url(cluster: Cluster) -> str:
    """SQLAlchemy URL of a fresh, empty database on the module's cluster."""
    return cluster.create_database()


@pytest.fixture(scope="module")
def demo_frames() -> dict[str, pd.DataFrame]:
    """The real demo data set over the built regions/IDM files."""
    if not (paths.REGIONS.exists() and paths.IDM.exists()):
        pytest.fail("data build missing: run `make data` (python -m utils build)", pytrace=False)
    return demo.generate(pd.read_parquet(paths.REGIONS), pd.read_parquet(paths.IDM))


@contextmanager
def _engine(url: str) -> Iterator[sa.Engine]:
    engine = store.get_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def pg(pg_url: str) -> Iterator[sa.Engine]:
    with _engine(pg_url) as engine:
        yield engine


def _date_columns(name: str) -> list[str]:
    return [c.name for c in store.TABLES[name].columns if isinstance(c.type, sa.Date)]


def test_demo_set_round_trips_through_postgres(pg, demo_frames):
    assert pg.dialect.name == "postgresql" and pg.dialect.driver == "psycopg"
    store.init_schema(pg)
    store.init_schema(pg)  # idempotent on PostgreSQL too
    assert store.store_is_empty(pg)
    meta = demo.demo_meta(demo.DEFAULT_SEED)
    store.replace_all(pg, demo_frames, meta)
    assert not store.store_is_empty(pg)
    assert store.read_meta(pg) == meta

    for name in store.DATA_TABLES:
        got = store.read_table(pg, name)
        assert len(got) == len(demo_frames[name]), name
        assert list(got.columns) == [c.name for c in store.TABLES[name].columns], name
        for col in _date_columns(name):
            assert str(got[col].dtype).startswith("datetime64"), (name, col)
        # Same rows as generated, whatever order the server returns them in.
        key = [c.name for c in store.TABLES[name].primary_key.columns]
        want = store.normalise_types(demo_frames[name].copy(), store.TABLES[name])
        want = want.reindex(columns=got.columns).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(
            got.sort_values(key).reset_index(drop=True), want, check_dtype=False, obj=name
        )

    # Codes stay text: nothing numeric or truncated ("18.10" must not become 18.1).
    officers = store.read_table(pg, "officers")
    assert "18.04.15.2004" in set(officers["village_code"])
    for name in store.DATA_TABLES:
        for col in store.TABLES[name].columns:
            if col.name in {"village_code", "region_code", "event_id", "officer_id", "meeting_id"}:
                values = store.read_table(pg, name)[col.name]
                assert all(isinstance(v, str) for v in values), (name, col.name)
    targets = store.read_table(pg, "targets")
    assert {"18", "18.10"} <= set(targets["region_code"])
    # Dates come back as dates: DATE columns on the server, midnight timestamps in the frames.
    with pg.connect() as conn:
        reached = conn.execute(sa.select(store.adoption.c.reached_on).limit(1)).scalar_one()
    assert isinstance(reached, dt.date) and not isinstance(reached, dt.datetime)
    adoption = store.read_table(pg, "adoption")
    assert (adoption["reached_on"] == adoption["reached_on"].dt.normalize()).all()
    assert adoption["reached_on"].min() >= pd.Timestamp("2020-01-01")


def test_failed_replace_all_keeps_previous_content_on_postgres(pg, demo_frames):
    meta = demo.demo_meta(demo.DEFAULT_SEED)
    store.replace_all(pg, demo_frames, meta)
    before = {name: store.read_table(pg, name) for name in store.DATA_TABLES}

    # New content that differs everywhere, whose LAST inserted table repeats a primary key: every other
    # table has been emptied and refilled inside the transaction by the time the server refuses it.
    last = [name for name in store.DATA_TABLES if len(demo_frames[name])][-1]  # the last table written
    bad = {
        name: frame.assign(source="replacement") if "source" in frame else frame
        for name, frame in demo_frames.items()
    }
    bad[last] = pd.concat([bad[last], bad[last].iloc[[0]]], ignore_index=True)
    with pytest.raises(IntegrityError):
        store.replace_all(pg, bad, {"is_demo": "0"})

    assert store.read_meta(pg) == meta
    for name in store.DATA_TABLES:
        pd.testing.assert_frame_equal(store.read_table(pg, name), before[name], obj=name)
    assert len(store.read_table(pg, last)) == len(demo_frames[last])


def test_text_longer_than_the_column_fails_before_the_transaction(pg_url, tmp_path):
    """SQLite would store it, PostgreSQL would fail mid-transaction: both now refuse it with a ValueError."""
    too_long = pd.DataFrame(
        {"meeting_id": ["M" * 41], "date": pd.to_datetime(["2024-12-17"]), "title": ["Rakor"]}
    )
    ok = too_long.assign(meeting_id=["M" * 40])
    for url in (pg_url, f"sqlite:///{tmp_path / 'programme.db'}"):
        with _engine(url) as engine:
            store.replace_all(engine, {"meetings": ok}, {})
            with pytest.raises(ValueError, match=r"'meeting_id' holds at most 40 characters"):
                store.replace_all(engine, {"meetings": too_long}, {})
            with pytest.raises(ValueError, match="NUL"):
                store.replace_all(engine, {"meetings": ok.assign(title=["Ra\x00kor"])}, {})
            assert store.read_table(engine, "meetings")["meeting_id"].tolist() == ["M" * 40]


def test_load_dataset_over_postgres_matches_the_sqlite_store(pg, pg_url):
    sqlite_url = paths.database_url()
    try:
        lite = load_dataset(sqlite_url)
    except DataUnavailable as exc:
        pytest.fail(f"default programme store missing: run `make data` first\n{exc}", pytrace=False)
    # Copy the default store as it is (demo or real data) into PostgreSQL through the store API.
    with _engine(sqlite_url) as source:
        frames = {name: store.read_table(source, name) for name in store.DATA_TABLES}
        meta = store.read_meta(source)
    store.replace_all(pg, frames, meta)

    remote = load_dataset(pg_url)
    assert remote.meta == lite.meta
    assert remote.is_demo == lite.is_demo and remote.data_as_of == lite.data_as_of
    ad_pg, ad_lite = remote["adoption"], lite["adoption"]
    assert len(ad_pg) == len(ad_lite) > 0
    assert ad_pg["stage"].value_counts().to_dict() == ad_lite["stage"].value_counts().to_dict()
    assert ad_pg["village_code"].nunique() == ad_lite["village_code"].nunique()
    joined = {
        name: ds["adoption"].loc[ds["adoption"]["stage"] == "bergabung"]
        for name, ds in (("pg", remote), ("lite", lite))
    }
    by_year = {k: v["reached_on"].dt.year.value_counts().sort_index().to_dict() for k, v in joined.items()}
    assert by_year["pg"] == by_year["lite"]
    parts_pg, parts_lite = remote["bimtek_participants"], lite["bimtek_participants"]
    assert len(parts_pg) == len(parts_lite) > 0
    assert (
        parts_pg.groupby("village_code").size().to_dict()
        == parts_lite.groupby("village_code").size().to_dict()
    )
    assert parts_pg["role"].value_counts().to_dict() == parts_lite["role"].value_counts().to_dict()
    # And every programme table is identical, dtypes included.
    for name in lite.tables:
        pd.testing.assert_frame_equal(remote[name], lite[name], obj=name)
