"""Fixtures of the reliability tests (the store copy and test operators are tests/conftest.py's).

Hypothesis keeps its caches in the system temp dir, not in the checkout.
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from tests.reliability.fuzz_common import RUN, written_state

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "sv-hypothesis")


@pytest.fixture(scope="module")
def unchanged():
    """The fuzz tests' module: the store and data/imports byte-identical after it; prints the cases run."""
    before = written_state()
    yield
    assert written_state() == before
    print(f"\nfuzz cases run: {RUN}")
