# ruff: noqa: F401, F403, F811 - the SQLite test module is re-collected here with PostgreSQL fixtures
"""tests/unit/test_report_store.py, every test, on PostgreSQL (``tmp_store`` is a PostgreSQL demo store):
composite keys, booleans and the report's rollback on the other back end."""

import pytest

from tests.unit.test_report_store import *


@pytest.fixture
def tmp_store(pg_tmp_store):
    return pg_tmp_store


def test_this_module_runs_on_postgresql(tmp_store):
    """Guard: the re-collected tests really use the PostgreSQL store."""
    assert tmp_store.dialect.name == "postgresql"
