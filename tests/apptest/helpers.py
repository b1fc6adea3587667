"""What every page's AppTest needs: open a page as a fresh session with URL parameters, read a metric."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from utils.data import paths

APP = str(paths.ROOT / "app.py")
#: AppTest's default 3 s is far too short for a cold data load (and the evaluation's quarter-end
#: snapshots) on 2 shared cores.
TIMEOUT = 120


def open_page(page: str, **params: str) -> AppTest:
    """Run ``page`` as a fresh session whose URL carries ``params`` (app.py reads them into the filter)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """A Markdown element's text as the browser shows it: user values in it are escaped (utils.i18n.inert:
    backslashes before punctuation, an invisible word joiner after ":" and "@")."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def metric(at: AppTest, label: str) -> str:
    """The value of the st.metric labelled ``label``."""
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]
