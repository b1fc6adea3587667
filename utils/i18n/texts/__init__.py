"""UI string tables per feature: each module here defines ``STRINGS: dict[key, (Bahasa Indonesia, English)]``.

``utils.i18n`` merges them with its core table at import; a key defined twice is an error, so features
cannot silently overwrite each other's wording.
"""

from __future__ import annotations

import importlib
import pkgutil


def collect() -> dict[str, tuple[str, str]]:
    """Every feature module's STRINGS, merged; raises ValueError on a key defined twice."""
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        table = importlib.import_module(f"{__name__}.{info.name}").STRINGS
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"UI string keys defined twice ({info.name}): {sorted(twice)}")
        merged.update(table)
    return merged
