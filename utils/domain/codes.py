"""Region-code rules: the one home for Kemendagri codes, levels and "is this code inside that region".

Kemendagri codes are dotted strings: ``18`` (province), ``18.04`` (kabupaten/kota), ``18.04.01``
(kecamatan), ``18.04.01.2001`` (village; 4th segment 2xxx desa, 1xxx kelurahan). They are always kept
as strings: as numbers they lose their structure (``1801042001.0``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Lampung's Kemendagri province code.
PROVINCE_CODE = "18"
#: Level names by depth (number of dots): 18 / 18.04 / 18.04.01 / 18.04.01.2001.
LEVELS: tuple[str, ...] = ("provinsi", "kabupaten", "kecamatan", "desa")
#: Levels that have a boundary layer (the province is the union of its kabupaten).
BOUNDARY_LEVELS: tuple[str, ...] = LEVELS[1:]
#: Segment lengths of the undotted code per level: 18 / 1801 / 180104 / 1801042001.
_DIGIT_LENGTHS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}
#: A dotted Kemendagri code of any level (digits only, as the official list writes them).
CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
#: A region code accepted in a link below the province. The kabupaten segment may hold a letter: the
#: national bench set (``bench.national``) presents 514 kabupaten as one province.
LINK_CODE_RE = re.compile(rf"^{PROVINCE_CODE}\.[0-9A-Z]{{2}}(\.\d{{2}}(\.\d{{4}})?)?$")
#: First digit of a village's 4th segment: desa (self-governing) or kelurahan (urban ward).
VILLAGE_TYPE_BY_DIGIT = {"2": "desa", "1": "kelurahan"}


def to_dotted(code: object) -> str:
    """Kemendagri code in dotted form from digits, a float from a spreadsheet, or dotted text.

    ``1801042001``, ``"1801042001"``, ``"1801042001.0"`` and ``1801042001.0`` all give
    ``"18.01.04.2001"``; 2/4/6 digits give province/kabupaten/kecamatan codes.
    """
    if isinstance(code, float):
        if not math.isfinite(code) or code != int(code):
            raise ValueError(f"not a region code: {code!r}")
        code = int(code)
    text = str(code).strip()
    if CODE_RE.match(text) and ("." in text or len(text) == 2):
        return text
    text = re.sub(r"\.0+$", "", text)  # "1801042001.0" from a spreadsheet cell read as text
    if not text.isdigit() or len(text) not in _DIGIT_LENGTHS:
        raise ValueError(f"not a Kemendagri region code: {code!r}")
    parts, pos = [], 0
    for width in _DIGIT_LENGTHS[len(text)]:
        parts.append(text[pos : pos + width])
        pos += width
    return ".".join(parts)


def to_dotted_series(values: pd.Series) -> pd.Series:
    """``to_dotted`` over a Series; missing values stay missing."""
    uniq = pd.unique(values.dropna())
    mapping = {v: to_dotted(v) for v in uniq}
    return values.map(mapping).astype("str").where(values.notna(), None)


def region_level(code: str) -> str:
    """Level name of a dotted code: provinsi, kabupaten, kecamatan or desa."""
    return LEVELS[code.count(".")]


def kab_of(code: str) -> str | None:
    """Kabupaten/kota code of any code below the province (None for the province)."""
    return None if code == PROVINCE_CODE else ".".join(code.split(".")[:2])


def in_region(codes: pd.Series, code: str) -> pd.Series:
    """Mask of codes inside region ``code`` (any level, the region itself included), by dotted prefix."""
    if code == PROVINCE_CODE:
        return pd.Series(True, index=codes.index)
    return (codes == code) | codes.str.startswith(code + ".")


def among(codes: Iterable[str], allowed: Iterable[str]) -> np.ndarray:
    """Which of ``codes`` (a Series, Index or array of code strings) are in ``allowed``: a boolean array, as
    ``codes.isin(allowed)`` gives. pandas 3's Arrow-backed strings make a pyarrow scalar of every allowed value
    in ``isin`` (0.3-0.5 s per call over the national set's 80,000 villages, 10 calls per period snapshot);
    compared as Python objects through pandas' hash table it takes ~20 ms."""
    values = list(allowed) if isinstance(allowed, set | frozenset | dict) else allowed
    return pd.Index(np.asarray(codes, dtype=object), dtype=object).isin(np.asarray(values, dtype=object))
