"""The layer contract: imports point down only (ui -> views -> metrics -> intake -> data -> i18n -> domain)
and only the ui glue imports streamlit. Checked by import-linter with the contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The console script installed with import-linter (requirements-dev.txt), beside this interpreter.
LINT = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]


def lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_the_tree_keeps_the_layer_contract():
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("utils/domain/bad.py", "from utils.ui import shared\n", "Layers"),
    ("utils/metrics/bad.py", "from utils.views import charts\n", "Layers"),
    ("utils/views/bad.py", "import streamlit as st\n", "Only the ui glue imports streamlit"),
])
def test_a_violation_breaks_the_contract(tmp_path, module, line, contract):
    """A copy of the tree with one upward import (or streamlit outside ui) fails the check, naming it."""
    shutil.copytree(ROOT / "utils", tmp_path / "utils", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(line)
    done = lint(tmp_path)
    assert done.returncode != 0
    assert f"{contract}" in done.stdout and "BROKEN" in done.stdout
    assert module[:-3].replace("/", ".") in done.stdout
