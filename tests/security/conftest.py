# ruff: noqa: F401 - fixtures shared with the data-integration, PostgreSQL and browser tests
"""Fixtures of the adversarial tests: a throwaway store copy, test operators, the PostgreSQL cluster, and the
browser tests' Streamlit servers and guarded chromium pages (network blocked: a request that leaves
localhost fails the test)."""

from tests.browser.conftest import browser, page_factory, playwright, server_factory
from tests.unit.conftest_data import operators_file, regions, tmp_store
from tests.unit.pg.conftest import pg_cluster, pg_demo_template, pg_engine, pg_tmp_store
