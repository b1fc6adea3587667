"""Open a page the way a user does: through app.py (a deep link's query parameters), then the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from utils.data import paths

APP = str(paths.ROOT / "app.py")


def open_page(page: str, query: dict[str, str] | None = None, *, check: bool = True) -> AppTest:
    """``page`` like "pages/4_Pelatihan.py"; ``query`` = the URL's parameters (kab, kec, desa, lang ...)."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if not at.error:  # app.py stops with its own message when the data cannot be loaded
        at.switch_page(page)
        at.run()
    if check:
        assert not at.exception, [e.message for e in at.exception]
    return at
