"""The index imports into the store on PostgreSQL: per-kabupaten files merged into a year, undo, errors refused,
the pages' follow-ups and transition over the stored rows (tests/unit/test_indeks_desa.py), and an IDM year
replaced and undone (tests/unit/test_import_idm.py), re-collected here with ``tmp_store`` a PostgreSQL demo
store (the shared cluster of tests/conftest.py)."""

import pytest

from tests.unit.test_import_idm import (  # noqa: F401 - re-collected
    test_a_corrected_file_replaces_only_when_asked_and_undo_brings_the_first_back,
)
from tests.unit.test_indeks_desa import (  # noqa: F401 - fixtures and tests re-collected
    catalogue,
    imported,
    test_a_file_with_errors_cannot_be_applied,
    test_dinas_pmd_follow_ups_of_a_kabupaten_match_an_independent_reading,
    test_transition_matrix_sums_to_the_desa_scored_in_both,
    test_two_kabupaten_in_two_files_merge_into_the_year_and_undo_restores,
)


@pytest.fixture
def tmp_store(pg_tmp_store):
    return pg_tmp_store


@pytest.fixture
def engine(pg_tmp_store):
    return pg_tmp_store


def test_this_module_runs_on_postgresql(tmp_store):
    """Guard: the re-collected tests really use the PostgreSQL store."""
    assert tmp_store.dialect.name == "postgresql"
