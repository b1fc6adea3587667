"""User text made inert wherever it is written out: one rule per output format, one home for all of them.

Text that comes from users or the outside (uploaded cells and headers, file names, event titles and notes,
officer names, URL parameters, imported workbooks) is shown as typed, never interpreted:

- ``markdown(text)``: inside Streamlit Markdown (``st.markdown``, ``st.info``/``warning``/``error``,
  ``st.caption``, widget labels, ``st.table`` cells): every ASCII punctuation character is backslash-escaped
  (CommonMark shows it as itself), so no link, image, emphasis, heading, list, HTML tag, LaTeX or colour
  directive can form; an invisible word joiner after ``:`` and ``@`` and inside ``www.`` stops GFM's
  autolinks (found in the text after escapes are resolved); line breaks become spaces.
- ``html(text)``: inside HTML, plotly hover/label text and ``st.html``: ``& < > " '`` as entities (quotes
  numeric, which plotly turns back into quotes).
- ``cell(value)``: a spreadsheet or CSV cell: a text a spreadsheet would run as a formula (it starts with
  ``= + - @``, a tab or a carriage return) gets a leading apostrophe (OWASP "CSV injection"); numbers
  stored as numbers are not text and pass unchanged.
- ``csv_bytes(frame)``: the one CSV writer of the app (UTF-8 with BOM for Excel, every text cell and header
  through ``cell``). Nothing else in the app calls ``DataFrame.to_csv`` (a test checks it).

The map's tooltip is built in the browser and escapes the same five HTML characters (``esc`` in
utils/views/maps/component/choropleth.js).
"""

from __future__ import annotations

import html as _html
import re
import string

import pandas as pd

#: Characters that make a spreadsheet treat a text cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
_AUTOLINK = re.compile(r"[:@]|www\.", re.IGNORECASE)
_JOIN = "\u2060"  # WORD JOINER: invisible, no width


def markdown(text: object) -> str:
    """``text`` shown literally by Streamlit's Markdown."""
    flat = " ".join(str(text).splitlines()) if text is not None else ""
    # GFM autolinks are found in the text after escapes are resolved ("http\\://x" still becomes a link):
    # an invisible WORD JOINER after ":" and "@" and inside "www." breaks every autolink pattern (and emoji
    # shortcodes) without changing what is shown.
    flat = _AUTOLINK.sub(lambda m: m[0] + _JOIN if m[0] in ":@" else m[0][:3] + _JOIN + ".", flat)
    return _MD_SPECIAL.sub(r"\\\1", flat)


def html(text: object) -> str:
    """``text`` shown literally inside HTML (and plotly's hover and label text). Quotes as numeric entities:
    plotly converts ``&lt; &gt; &amp;`` and numeric entities back for display, but shows ``&quot;`` as is."""
    escaped = _html.escape("" if text is None else str(text), quote=False)
    return escaped.replace('"', "&#34;").replace("'", "&#39;")


def cell(value: object) -> object:
    """A text a spreadsheet would run as a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column header through ``cell``."""
    out = df.copy()
    out.columns = [cell(c) for c in out.columns]
    for i, dtype in enumerate(out.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            out.isetitem(i, out.iloc[:, i].map(cell))
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as CSV for download: UTF-8 with BOM (Excel opens it right), formula-like text neutralised, rows
    ended by CRLF (RFC 4180) so a cell holding a line break or a bare CR is quoted: a CR left unquoted would
    start a new row in Excel, and the text after it ("=cmd...") would be a cell of its own."""
    return frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
