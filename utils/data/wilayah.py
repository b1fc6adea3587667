"""The region list (wilayah): codes and names from the Kemendagri dump, hierarchy, name matching and search,
and the BPS to Kemendagri crosswalk. The code rules themselves live in ``utils.domain.codes``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from utils.domain.codes import LEVELS, PROVINCE_CODE, VILLAGE_TYPE_BY_DIGIT, to_dotted_series

# --------------------------------------------------------------------------------------------
# MySQL dump parsing
# --------------------------------------------------------------------------------------------

# One SQL literal: a quoted string (doubled '' or backslash escapes inside), NULL, or a number.
# Possessive quantifiers (Python 3.11) keep the 100 kB path strings from backtracking.
_STR = r"'(?:[^'\\]++|''|\\.)*+'"
_FIELD = rf"(?:{_STR}|NULL|-?[0-9.eE+-]+)"
_FIELD_RE = re.compile(rf"\s*({_FIELD})\s*(?:,|$)", re.S)
_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "b": "\b"}


def _tuple_re(code_prefix: str | None) -> re.Pattern[str]:
    # A row tuple whose first field is a quoted code; optionally only codes under ``code_prefix``.
    head = rf"(?='{re.escape(code_prefix)}[.'])" if code_prefix else r"(?=')"
    return re.compile(rf"\(\s*{head}({_FIELD}(?:\s*,\s*{_FIELD})*+)\s*\)", re.S)


def _unquote(token: str) -> str | None:
    if token == "NULL":
        return None
    if not token.startswith("'"):
        return token
    body = token[1:-1]
    if "\\" in body:
        body = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.S)
    return body.replace("''", "'")


def iter_sql_rows(text: str, code_prefix: str | None = PROVINCE_CODE) -> Iterator[tuple[str | None, ...]]:
    """Yield the value tuples of ``INSERT ... VALUES (...), (...)`` statements as strings.

    Only tuples whose first value is a quoted code equal to or under ``code_prefix`` are returned
    (all tuples when it is None). Numbers come back as their literal text; NULL as None.
    """
    for match in _tuple_re(code_prefix).finditer(text):
        body = match.group(1)
        yield tuple(_unquote(f) for f in _FIELD_RE.findall(body))


def read_sql_table(path: Path, columns: list[str], code_prefix: str | None = PROVINCE_CODE) -> pd.DataFrame:
    """Rows of a dump file as a string frame with ``columns`` (rows of other widths are an error)."""
    text = Path(path).read_text(encoding="utf-8")
    rows = list(iter_sql_rows(text, code_prefix))
    bad = [r for r in rows if len(r) != len(columns)]
    if bad:
        raise ValueError(f"{path}: {len(bad)} rows do not have the columns {columns}, e.g. {bad[0][:3]}")
    return pd.DataFrame(rows, columns=columns, dtype="str")


# --------------------------------------------------------------------------------------------
# Regions table
# --------------------------------------------------------------------------------------------


def load_wilayah(path: Path, province: str = PROVINCE_CODE) -> pd.DataFrame:
    """Codes and names of one province from ``wilayah.sql``: columns ``code``, ``name``."""
    df = read_sql_table(path, ["code", "name"], province)
    return df.sort_values("code", ignore_index=True)


def load_luas(path: Path, province: str = PROVINCE_CODE) -> pd.DataFrame:
    """BIG 2024 areas (km²) from ``wilayah_luas.sql``: ``code``, ``area_km2``."""
    df = read_sql_table(path, ["code", "name", "luas"], province)
    return pd.DataFrame({"code": df["code"], "area_km2": pd.to_numeric(df["luas"]).astype("float64")})


def load_penduduk(path: Path, province: str = PROVINCE_CODE) -> pd.DataFrame:
    """Dukcapil Dec 2024 population from ``wilayah_penduduk.sql``: ``code``, ``population``."""
    df = read_sql_table(path, ["code", "name", "male", "female", "total"], province)
    return pd.DataFrame({"code": df["code"], "population": pd.to_numeric(df["total"]).astype("Int64")})


def load_local_words(path: Path) -> dict[str, str]:
    """Kabupaten code -> local word for desa (pekon, kampung, tiyuh, desa), from the config CSV."""
    df = pd.read_csv(path, dtype="str", keep_default_na=False)
    return dict(zip(df["kab_code"].str.strip(), df["istilah"].str.strip().str.lower(), strict=True))


def _kab_display(name: pd.Series) -> pd.Series:
    return name.str.replace(r"^Kabupaten\s+", "Kab. ", regex=True)


def build_regions(wilayah: pd.DataFrame, local_words: dict[str, str]) -> pd.DataFrame:
    """Hierarchy columns for every region of the province (geometry and statistics come later).

    Columns: code, name, level, parent, kab_code, kec_code, village_type, local_word, display_name.
    A kabupaten's own ``kab_code`` is its code, likewise ``kec_code`` for a kecamatan.
    """
    df = wilayah[["code", "name"]].copy()
    code = df["code"]
    depth = code.str.count(r"\.")
    df["level"] = depth.map(dict(enumerate(LEVELS))).astype("str")
    df["parent"] = code.str.rsplit(".", n=1).str[0].where(depth > 0, None).astype("str")
    df["kab_code"] = code.str[:5].where(depth >= 1, None)
    df["kec_code"] = code.str[:8].where(depth >= 2, None)
    is_village = depth == 3
    df["village_type"] = code.str[9].map(VILLAGE_TYPE_BY_DIGIT).where(is_village, None).astype("str")
    word = df["kab_code"].map(local_words)
    df["local_word"] = word.where(df["village_type"] == "desa", None)
    df.loc[df["village_type"] == "kelurahan", "local_word"] = "kelurahan"
    df["local_word"] = df["local_word"].astype("str")
    unknown = df.loc[is_village & df["local_word"].isna(), "kab_code"].unique()
    if len(unknown):
        raise ValueError(f"istilah_desa.csv has no local word for kabupaten {sorted(unknown)}")

    name = df["name"]
    display = pd.Series(name, dtype="str")
    display[depth == 0] = "Provinsi " + name[depth == 0]
    display[depth == 1] = _kab_display(name[depth == 1])
    display[depth == 2] = "Kec. " + name[depth == 2]
    display[is_village] = df.loc[is_village, "local_word"].str.capitalize() + " " + name[is_village]
    df["display_name"] = display
    return df.sort_values("code", ignore_index=True)


# --------------------------------------------------------------------------------------------
# BPS <-> Kemendagri crosswalk
# --------------------------------------------------------------------------------------------


def load_crosswalk(path: Path, province: str = PROVINCE_CODE) -> pd.DataFrame:
    """zakiego's BPS/Kemendagri relation CSV (kabkota or kecamatan), rows of one province only.

    Codes are kept as given in the CSV; the Kemendagri code is converted to dotted form. BPS and
    Kemendagri number Lampung's kabupaten differently (BPS 1801 is Kemendagri 18.04), so never join
    one to the other by digits.
    """
    df = pd.read_csv(path, dtype="str", keep_default_na=False)
    df = df[df["kode_bps"].str.startswith(province)]
    out = pd.DataFrame(
        {
            "bps_code": df["kode_bps"].str.strip(),
            "bps_name": df["nama_bps"].str.strip(),
            "kemendagri_code": to_dotted_series(df["kode_dagri"].str.strip()),
            "kemendagri_name": df["nama_dagri"].str.strip(),
        }
    )
    return out.sort_values("bps_code", ignore_index=True)


# --------------------------------------------------------------------------------------------
# Names and search
# --------------------------------------------------------------------------------------------

_PREFIX_RE = re.compile(
    r"^(?:(?:provinsi|kabupaten|kab|kota|kecamatan|kec|pekon|desa|kampung|tiyuh|kelurahan|kel)\b\.?\s*)+"
)


def normalise_name(s: object) -> str:
    """Key for matching spelling variants: lowercase, no accents, no admin prefix, letters/digits only.

    "Pekon Ringin Jaya" and "Ringinjaya" both give "ringinjaya"; "Kec. Gedung Surian" gives
    "gedungsurian".
    """
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return ""
    text = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower().strip()
    text = _PREFIX_RE.sub("", text)
    return re.sub(r"[^a-z0-9]", "", text)


#: Abbreviations spelt out before names are compared loosely (whole words only).
_ABBREVIATIONS = {"tj": "tanjung", "tjg": "tanjung", "tg": "tanjung", "sri": "sri", "seri": "sri", "negri": "negeri",
                  "kp": "", "ds": "", "kel": "", "sp": "sp"}
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}


def loose_name(s: object, strip_prefix: bool = True) -> str:
    """A looser key than ``normalise_name`` for spelling variants of one place name.

    Old spelling (oe -> u, dj -> j, tj -> c), common abbreviations (Tj./Tg. -> Tanjung), Roman numerals as
    digits, and the vowel and letter variants local spellings swap (Sidomulyo/Sidomulya, Way/Wai, doubled
    letters) folded together: "Tj. Rejo II" and "Tanjungreja 2" give the same key. Meant for comparing names
    within one kecamatan or kabupaten, where such collisions do not happen between different villages.
    ``strip_prefix=False`` keeps a leading "Kampung"/"Kota"/... that is part of the name ("KampungBaru" written
    as one word is "Kampung Baru", not "Baru").
    """
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return ""
    text = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower().strip()
    text = _PREFIX_RE.sub("", text) if strip_prefix else text
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    words = [_ROMAN.get(w, _ABBREVIATIONS.get(w, w)) if len(words) > 1 else w for w in words]
    key = "".join(words)
    for old, new in (("oe", "u"), ("dj", "j"), ("tj", "c"), ("ch", "kh"), ("o", "a"), ("y", "i"), ("e", "i")):
        key = key.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", key)


def _words(s: str) -> str:
    """Lowercase words without prefixes or punctuation, for token matching."""
    text = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    text = _PREFIX_RE.sub("", text.strip())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def village_labels(regions: pd.DataFrame) -> pd.DataFrame:
    """Villages with their kecamatan and kabupaten names and an unambiguous ``label``.

    label: "Pekon Trimulyo — Kec. Gedung Surian, Kab. Lampung Barat".
    """
    names = regions.set_index("code")["name"]
    displays = regions.set_index("code")["display_name"]
    v = regions.loc[regions["level"] == "desa"].copy()
    v["kec_name"] = v["kec_code"].map(names)
    v["kab_name"] = v["kab_code"].map(names)
    v["label"] = (
        v["display_name"] + " — Kec. " + v["kec_name"] + ", " + v["kab_code"].map(displays)
    )
    return v


def search_index(regions: pd.DataFrame) -> pd.DataFrame:
    """Villages with labels and the normalised keys ``search_villages`` matches against.

    Built once per data set (the app caches it): normalising 2,651 names per keystroke is the slow part.
    """
    v = village_labels(regions)
    v["name_key"] = v["name"].map(normalise_name)
    v["kec_key"] = v["kec_name"].map(normalise_name)
    # Context string: the name, kecamatan and kabupaten both spaced and joined, so a query typed
    # either way ("gedung surian" / "gedungsurian") matches all its tokens.
    v["context"] = (
        v["name"].map(_words) + " " + v["name_key"] + " "
        + v["kec_name"].map(_words) + " " + v["kec_key"] + " "
        + v["kab_name"].map(_words) + " " + v["kab_name"].map(normalise_name)
    )
    return v


def search_villages(regions: pd.DataFrame, query: str, limit: int = 10, cutoff: float = 60.0) -> pd.DataFrame:
    """Villages matching ``query``, tolerant of spelling variants; best first.

    ``regions``: the regions table, or a prepared ``search_index`` of it (faster when reused).
    Exact matches of the normalised name come first (all six Trimulyo for "trimulyo", in code
    order), then fuzzy matches on the name, or on name plus kecamatan and kabupaten, so
    "Trimulyo Gedung Surian" puts the Trimulyo of Kec. Gedung Surian on top.
    Returns code, name, display_name, village_type, kec_code, kec_name, kab_code, kab_name, label, score.
    """
    from rapidfuzz import fuzz, process

    cols = ["code", "name", "display_name", "village_type", "kec_code", "kec_name",
            "kab_code", "kab_name", "label", "score"]
    v = regions if "name_key" in regions.columns else search_index(regions)
    key = normalise_name(query)
    if not key or v.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols}).astype({"score": "float64"})
    by_name = process.cdist([key], v["name_key"].tolist(), scorer=fuzz.ratio)[0]
    by_context = process.cdist([_words(query)], v["context"].tolist(), scorer=fuzz.token_set_ratio)[0]
    # A query that is a kecamatan name spelt differently ("Klumbayan") finds that kecamatan's villages.
    by_kec = process.cdist([key], v["kec_key"].tolist(), scorer=fuzz.ratio)[0]
    # Context-only hits rank a little below equally good name hits.
    score = np.maximum.reduce([by_name, 0.9 * by_context, 0.85 * by_kec])
    v = v.assign(score=score.astype("float64"), _exact=(v["name_key"] == key).to_numpy())
    v = v[v["_exact"] | (v["score"] >= cutoff)]
    v = v.sort_values(["_exact", "score", "code"], ascending=[False, False, True])
    return v.head(limit)[cols].reset_index(drop=True)
