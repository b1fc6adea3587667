"""Moved: the fixtures are in tests/conftest.py (found by pytest, no import), the helpers in tests/helpers.py.

Kept for one round only, so that tests written before the move still run; new tests import nothing from here.
Delete this file once no test imports it (``grep -rn conftest_data tests``).
"""

import warnings

from tests.conftest import operators_file, regions, tmp_store  # noqa: F401 - old import path
from tests.helpers import (  # noqa: F401 - old import path
    ACCOUNTS,
    ADMIN,
    OP_TGM,
    PASSWORDS,
    assert_same,
    content,
    raw_count,
    write_operators_file,
)

warnings.warn(
    "tests.unit.conftest_data moved: fixtures are in tests/conftest.py (no import), helpers in tests.helpers",
    DeprecationWarning,
    stacklevel=2,
)
