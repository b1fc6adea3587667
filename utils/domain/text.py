"""Comparing texts people type into spreadsheet headers and cells: one key function for every reader."""

from __future__ import annotations

import re
import unicodedata


def header_key(text: object) -> str:
    """Header text as a comparison key: lowercase ASCII letters and digits only ("Kode Desa " -> "kodedesa")."""
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", s)
