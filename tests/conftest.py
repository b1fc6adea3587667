"""Fixtures every test layer shares, found by pytest without any import.

- The real build: ``dataset``, ``store_frames``, ``regions``, ``real_rows`` (the published IDM workbook).
- Throwaway stores: ``tmp_store`` (a copy of the demo store made the app's store), ``empty_store`` (the schema,
  no rows), ``operators_file`` (test operators announced through ``SV_OPERATORS_FILE``).
- PostgreSQL: ``pg_cluster`` (one throwaway cluster per session and xdist worker, tests/postgres.py),
  ``pg_demo_template``, ``pg_tmp_store``/``pg_engine`` (the two store fixtures on PostgreSQL only),
  ``pg_url``/``pg`` (a fresh database, no schema), ``demo_frames`` (the generated demo set).

A module marked ``pytestmark = pytest.mark.both_backends`` runs each of its tests that uses ``tmp_store`` or
``empty_store`` twice: on SQLite (``[sqlite]``) and on PostgreSQL (``[postgresql]``). Plain helpers (test
operators, "the store is unchanged") are in tests/helpers.py; upstream-like files in tests/files.py.

Markers for the slow layers are given here by folder (``browser``, ``load``); see pyproject's list.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from tests.helpers import write_operators_file
from tests.postgres import Cluster, clone, server_bindir
from utils.data import paths, store

#: The browser fixtures (servers, chromium, guarded pages) for every folder that drives a browser
#: (tests/browser, tests/security): one plugin, so one Playwright driver per session.
pytest_plugins = ("tests.browser.fixtures",)

#: No background warm-up in the test processes and the servers they start (they inherit this environment):
#: nearly every test changes the data version, and each change would start a new warm-up beside the test.
#: tests/unit/test_warmup.py runs it on purpose; the bench measures a server with it.
os.environ["SV_WARMUP"] = "0"

_TESTS = Path(__file__).resolve().parent
#: Every test under these folders carries the marker of the same name (``-m "not browser"`` skips them).
_FOLDER_MARKERS = ("browser", "load", "deploy")
BACKENDS = ("sqlite", "postgresql")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Folder markers (``-m "not browser"`` etc.). Under pytest-xdist the Makefile distributes whole files
    (``--dist loadfile``): a test file runs on one worker, so its module fixtures are made once.

    Not ``--dist loadgroup`` with ``xdist_group`` markers, as before: pytest-xdist 3.8.0 marks the group by setting
    ``item._nodeid``, which pytest 9 no longer reads (the node id is ``item._id``); every test was then its own
    group and module fixtures were made on both workers (the warm-up's 4.5 min twice, the decks' 65 s twice)."""
    for item in items:
        path = Path(str(item.path)).resolve()
        parts = path.relative_to(_TESTS).parts
        if parts and parts[0] in _FOLDER_MARKERS:
            item.add_marker(getattr(pytest.mark, parts[0]))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``both_backends``: the store fixtures of the test run on SQLite and on PostgreSQL."""
    if metafunc.definition.get_closest_marker("both_backends") and "store_backend" in metafunc.fixturenames:
        metafunc.parametrize("store_backend", BACKENDS, indirect=True)


# --------------------------------------------------------------------------- the real build


@pytest.fixture(scope="session")
def dataset():
    """The app's dataset over the real build and the demo store (fails clearly when not built)."""
    from utils.data.dataset import DataUnavailable, load_dataset

    try:
        return load_dataset()
    except DataUnavailable as exc:
        pytest.fail(f"canonical data missing: run `make data` first\n{exc}")


@pytest.fixture(scope="session")
def store_frames():
    """Programme tables read straight from the store with plain SQL (independent of utils.metrics.indicators)."""
    engine = sa.create_engine(paths.database_url())
    with engine.connect() as conn:
        frames = {
            name: pd.read_sql(sa.text(f"SELECT * FROM {name}"), conn)
            for name in ("adoption", "services", "bimtek_events", "bimtek_participants", "officers", "targets",
                         "meta")
        }
    engine.dispose()
    for frame in frames.values():
        for col in frame.columns:
            if col.endswith(("_on", "_date")):
                frame[col] = pd.to_datetime(frame[col])
    return frames


@pytest.fixture(scope="session")
def regions() -> pd.DataFrame:
    """The built region list (data/regions.parquet)."""
    return pd.read_parquet(paths.REGIONS)


@pytest.fixture(scope="session")
def real_rows() -> list[tuple]:
    """The real IDM 2024 workbook's rows, read once with openpyxl (independently of utils.data.idm)."""
    import openpyxl

    from tests.files import MIRROR
    from utils.data import sources

    path = sources.fetch(sources.BY_KEY["idm_2024"], mirror=MIRROR)
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return rows


@pytest.fixture(scope="session")
def demo_frames() -> dict[str, pd.DataFrame]:
    """The generated demo data set over the built regions/IDM files."""
    from utils.data import demo

    if not (paths.REGIONS.exists() and paths.IDM.exists()):
        pytest.fail("data build missing: run `make data` (python -m utils build)", pytrace=False)
    return demo.generate(pd.read_parquet(paths.REGIONS), pd.read_parquet(paths.IDM))


# --------------------------------------------------------------------------- throwaway stores


@pytest.fixture
def store_backend(request: pytest.FixtureRequest) -> str:
    """"sqlite" unless the module is marked ``both_backends`` (then each test runs once per back end)."""
    return getattr(request, "param", "sqlite")


def _checked(engine: sa.Engine, backend: str) -> sa.Engine:
    """Guard: a store fixture really is on the back end its test id names."""
    assert engine.dialect.name == backend, (engine.dialect.name, backend)
    return engine


@pytest.fixture
def tmp_store(store_backend, request, tmp_path, monkeypatch) -> Iterator[sa.Engine]:
    """A copy of the demo store, made the app's store through SV_DATABASE_URL; yields its engine."""
    if store_backend == "postgresql":
        yield _checked(request.getfixturevalue("pg_tmp_store"), store_backend)
        return
    db = tmp_path / "programme.db"
    shutil.copy(paths.DEFAULT_DB, db)
    url = f"sqlite:///{db}"
    monkeypatch.setenv("SV_DATABASE_URL", url)
    engine = store.get_engine(url)
    store.init_schema(engine)
    yield _checked(engine, store_backend)
    engine.dispose()


@pytest.fixture
def empty_store(store_backend, request, tmp_path) -> Iterator[sa.Engine]:
    """A new store: the schema, no rows (not made the app's store)."""
    if store_backend == "postgresql":
        yield _checked(request.getfixturevalue("pg_engine"), store_backend)
        return
    engine = store.get_engine(f"sqlite:///{tmp_path / 'sub' / 'programme.db'}")
    store.init_schema(engine)
    yield _checked(engine, store_backend)
    engine.dispose()


@pytest.fixture
def served_env(tmp_path, monkeypatch, tmp_store):
    """Boundary imports in a throwaway world: the store (``tmp_store``), the served-layer cache and the map's
    static files under tmp, the static files first written from the build exactly as the build writes them.
    Yields the store engine."""
    from utils.data import geo_static

    monkeypatch.setattr(paths, "SERVED_GEO_DIR", tmp_path / "served_geo")
    monkeypatch.setattr(geo_static, "STATIC_GEO_DIR", tmp_path / "static_geo")
    geo_static.write_all(pd.read_parquet(paths.REGIONS), paths.GEO_DIR, tmp_path / "static_geo")
    yield tmp_store


@pytest.fixture
def operators_file(tmp_path, monkeypatch) -> Path:
    """The test operators (tests/helpers.py ACCOUNTS/PASSWORDS) in a TOML file announced via SV_OPERATORS_FILE."""
    path = write_operators_file(tmp_path / "operators.toml")
    monkeypatch.setenv("SV_OPERATORS_FILE", str(path))
    return path


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway cluster for the session (per xdist worker), stopped and deleted at the end."""
    bindir, major = server_bindir()
    cluster = Cluster(bindir, major)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster: Cluster) -> str:
    """Name of a database holding a copy of the demo store (data/programme.db), cloned by ``tmp_store``."""
    url = clone(pg_cluster, None)
    source = store.get_engine(f"sqlite:///{paths.DEFAULT_DB}")
    target = store.get_engine(url)
    try:
        frames = {name: store.read_table(source, name) for name in store.DATA_TABLES}
        store.replace_all(target, frames, store.read_meta(source))
    finally:
        source.dispose()
        target.dispose()
    return sa.make_url(url).database


@pytest.fixture
def pg_tmp_store(pg_cluster: Cluster, pg_demo_template: str, monkeypatch) -> Iterator[sa.Engine]:
    """A copy of the demo store on PostgreSQL, made the app's store through SV_DATABASE_URL (``tmp_store``'s
    PostgreSQL side)."""
    url = clone(pg_cluster, pg_demo_template)
    monkeypatch.setenv("SV_DATABASE_URL", url)
    engine = store.get_engine(url)
    store.init_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(pg_cluster: Cluster) -> Iterator[sa.Engine]:
    """An empty store (the schema, no rows) on PostgreSQL (``empty_store``'s PostgreSQL side)."""
    engine = store.get_engine(clone(pg_cluster, None))
    store.init_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """SQLAlchemy URL of a fresh, empty database (no schema) on the session's cluster."""
    return clone(pg_cluster, None)


@pytest.fixture
def pg(pg_url: str) -> Iterator[sa.Engine]:
    """An engine on ``pg_url``."""
    engine = store.get_engine(pg_url)
    yield engine
    engine.dispose()
