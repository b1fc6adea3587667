"""What every page's AppTest needs: open a page as a fresh session (with URL parameters, or logged in on the
upload page), read a metric and the charts the page sent."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.helpers import PASSWORDS
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


def charts(at: AppTest) -> list[dict]:
    """The plotly figures the page sent (spec and config), as the browser receives them."""
    return [{"spec": json.loads(c.proto.spec), "config": json.loads(c.proto.config)} for c in at.get("plotly_chart")]


def values(v):
    """Plotly sends numeric arrays as typed base64 (``bdata``); plain lists pass through."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def open_upload_page(page: str = "pages/6_Unggah.py") -> AppTest:
    """A fresh session that opens the app first, then ``page`` (the upload page by default)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def login(at: AppTest, user: str, password: str | None = None) -> AppTest:
    """Log in on the page's form as a test operator (tests/helpers.py PASSWORDS unless ``password``)."""
    at.text_input(key="_w_login_user").input(user)
    at.text_input(key="_w_login_pw").input(password if password is not None else PASSWORDS[user])
    next(b for b in at.button if b.label == "Masuk").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    """Put ``data`` named ``name`` in the page's file uploader and rerun."""
    at.get("file_uploader")[0].set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
