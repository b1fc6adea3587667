# ruff: noqa: F401, F403, F811 - the SQLite test module is re-collected here with PostgreSQL fixtures
"""tests/unit/test_store.py, every test, on PostgreSQL (``engine`` is the PostgreSQL store here)."""

import pytest

from tests.unit.test_store import *


@pytest.fixture
def engine(pg_engine):
    return pg_engine


def test_this_module_runs_on_postgresql(engine):
    """Guard: the re-collected tests really use the PostgreSQL store."""
    assert engine.dialect.name == "postgresql"
