"""The store test suite on a real PostgreSQL server: one throwaway cluster for the whole session.

The cluster is tests/unit/test_store_postgres.py's (initdb + pg_ctl in a private temp dir, unix socket only,
deleted at teardown). A template database holds the demo store (copied table by table from data/programme.db);
every test gets a fresh database cloned from it (``CREATE DATABASE ... TEMPLATE``: a fraction of a second).

The modules in this folder re-collect the SQLite test modules (``from tests.unit.test_store import *``) and
redefine their store fixtures (``engine``, ``tmp_store``) with the PostgreSQL ones below, so the very same test
functions run against both back ends.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.unit.test_store_postgres import Cluster, _server_bindir
from utils.data import paths, store

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bindir, major = _server_bindir()
    cluster = Cluster(bindir, major)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


def _admin(cluster: Cluster) -> sa.Engine:
    return sa.create_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster: Cluster) -> str:
    """Name of a database holding a copy of the demo store (data/programme.db), used as a template."""
    url = pg_cluster.create_database()
    source = store.get_engine(f"sqlite:///{paths.DEFAULT_DB}")
    target = store.get_engine(url)
    try:
        frames = {name: store.read_table(source, name) for name in store.DATA_TABLES}
        store.replace_all(target, frames, store.read_meta(source))
    finally:
        source.dispose()
        target.dispose()
    return sa.make_url(url).database


def clone(cluster: Cluster, template: str | None) -> str:
    """A fresh database (empty, or a copy of ``template``); returns its SQLAlchemy URL."""
    name = f"sv_test_{next(_names)}"
    admin = _admin(cluster)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    finally:
        admin.dispose()
    return cluster.url(name)


@pytest.fixture
def pg_engine(pg_cluster) -> Iterator[sa.Engine]:
    """An empty store on PostgreSQL (the schema created), like test_store's ``engine`` on SQLite."""
    engine = store.get_engine(clone(pg_cluster, None))
    store.init_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_tmp_store(pg_cluster, pg_demo_template, monkeypatch) -> Iterator[sa.Engine]:
    """A copy of the demo store on PostgreSQL, made the app's store through SV_DATABASE_URL (like tmp_store)."""
    url = clone(pg_cluster, pg_demo_template)
    monkeypatch.setenv("SV_DATABASE_URL", url)
    engine = store.get_engine(url)
    store.init_schema(engine)
    yield engine
    engine.dispose()
