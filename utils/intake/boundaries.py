"""Import of boundary files (zipped shapefile, GeoJSON, GeoPackage), checked before anything changes.

1. ``read_boundary_upload`` refuses unsafe or incomplete files (path traversal in a zip, no ``.shp``,
   a shapefile without ``.prj``, no CRS, non-polygons, coordinates outside Lampung) and returns the
   features reprojected from the file's own CRS to WGS84.
2. ``plan_boundary_import`` finds the columns (code, name, the file's own kecamatan and kabupaten), tells
   Kemendagri from BPS codes, proposes the level, and matches every feature: **codes first** (a Kemendagri
   code as is; a BPS code translated through the BPS↔Kemendagri crosswalk, kabupaten and kecamatan, the
   village then found by name within its translated kecamatan), **names** without codes (within the file's
   own kecamatan column or the kecamatan holding the feature), then **location** (the current polygon it
   overlaps most). Forest, lake and transmigration pseudo-areas are set aside with their reason; the rest get
   suggestions the admin can accept.
3. ``assess`` measures the damage before it happens for the features that would be applied (accepted
   suggestions and options included): overlap of each with its current polygon, gaps and overlaps where new
   and kept polygons meet, kecamatan that would mix sources, whole kabupaten covered; and whether anything
   changes at all (the same geometry within 1 m, in any format or CRS, changes nothing).
4. ``apply_boundary_import`` records the import in the store (a layer over the build's boundaries; the
   build's files are never written) and regenerates the served files (``utils.data.served``);
   ``undo_boundary_import`` takes it back out, restoring exactly the previous served files.

``python -m utils check-boundaries FILE`` prints the same report (``main``); nothing is stored.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from utils.data import geo, paths, served, store
from utils.data.wilayah import loose_name, normalise_name
from utils.domain.codes import BOUNDARY_LEVELS, PROVINCE_CODE
from utils.i18n import fmt_int, fmt_num, t
from utils.intake.village_index import ApplyResult, Refused, check_upload, sha256_bytes

BOUNDARY_MAX_BYTES = 100 * 1024 * 1024
BOUNDARY_EXTENSIONS = (".zip", ".geojson", ".json", ".gpkg")
PARENT_LEVEL = {"kabupaten": None, "kecamatan": "kabupaten", "desa": "kecamatan"}
#: Generous box around Lampung (lon/lat): data outside it is in another CRS than it claims.
LAMPUNG_BOX = (102.5, -7.0, 107.0, -2.5)
#: Status of a feature in the report. Only "matched" features are applied (and suggestions once accepted).
STATUSES = ("matched", "suggested", "unmatched", "set_aside", "covers_other", "conflict", "ambiguous", "duplicate",
            "no_geometry")
#: How a matched feature was matched ("accepted": a suggestion the admin accepted).
METHODS = ("by_code", "by_code_then_name", "by_name", "by_location", "accepted")
#: Code systems a code column can hold.
CODE_SYSTEMS = ("kemendagri", "bps", "none")
#: A suggestion is offered from this score (0-100) on.
SUGGEST_CUTOFF = 50.0
#: A name matches without confirmation at this similarity (rapidfuzz ratio of the normalised names) when it
#: stands out from the next candidate by NAME_MARGIN; with the location agreeing (overlap >= LOCATION_AGREES)
#: from NAME_WITH_LOCATION on.
NAME_SURE, NAME_MARGIN, NAME_WITH_LOCATION = 88.0, 5.0, 70.0
#: A code match needs the file's name (when it has one) to resemble the official name this much, or the
#: polygon to overlap the current one by LOCATION_AGREES; otherwise it is a conflict.
NAME_AGREES = 75.0
#: Overlap (intersection over union with the current polygon) that counts as the same place.
LOCATION_AGREES = 0.5
#: Location alone matches a feature without a usable name or code from this overlap on.
LOCATION_MATCH = 0.7
#: Below this overlap with its current polygon a matched region is a warning, and left out unless the admin
#: includes it.
LOW_OVERLAP = 0.5
#: A matched polygon that covers this share of another current region's polygon, a region no feature of the
#: file matches, is flagged (a parent from before a split, e.g. BPS 2020 codes), not applied.
COVERS_OTHER = 0.5
#: The same geometry within this distance (metres, Hausdorff) is "no change".
SAME_WITHIN_M = 1.0
#: Level sizes of Lampung, for proposing the level of a file.
LEVEL_SIZES = {"kabupaten": 15, "kecamatan": 229, "desa": 2651}
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_NAME_HEADERS = {
    "desa": ("namadesa", "nmdesa", "desa", "wadmkd", "desakel", "namakel", "kelurahan", "village", "namadesakel",
             "nmdesakel", "desakelurahan"),
    "kecamatan": ("namakec", "nmkec", "kecamatan", "wadmkc", "district", "namakecamatan"),
    "kabupaten": ("namakab", "nmkab", "kabupaten", "kabkota", "wadmkk", "regency", "namakabupaten", "kabupatenkota"),
}
_COMMON_NAME_HEADERS = ("name", "nama", "namobj", "namawilayah", "nm", "namawil")
#: Pseudo-areas: polygons in village layers that are not villages. Matched on the start of the name.
PSEUDO_AREAS = (
    ("forest", re.compile(r"^(kawasan\s+)?(hutan|hl|hp|hpt|tahura|register\s*\d|reg\.?\s*\d|taman\s+nasional|tn\s)"
                          r"|^suaka\s+margasatwa|\bhutan\s+(lindung|produksi|register|kota|mangrove)\b")),
    ("lake", re.compile(r"^(danau|waduk|bendungan|situ|telaga)\b")),
    ("transmigration", re.compile(r"^(upt|sp|unit\s+pemukiman|satuan\s+pemukiman|lokasi\s+transmigrasi)\b"
                                  r"|\btransmigrasi\b")),
)


@dataclass(frozen=True)
class BoundaryFile:
    """Features of an uploaded boundary file, already in WGS84."""

    file_name: str
    sha256: str
    features: gpd.GeoDataFrame
    source_crs: str
    #: The file's bytes, kept with the import in the store (``upload_files``) for audit.
    content: bytes = field(default=b"", repr=False, compare=False)


# --------------------------------------------------------------------------------------------------
# 1. Reading


def _safe_members(zf: zipfile.ZipFile) -> list[str]:
    """Member names of a zip; refuses any that would escape the extraction folder."""
    names = [i.filename for i in zf.infolist() if not i.is_dir()]
    bad = [n for n in names if n.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", n)
           or ".." in PurePosixPath(n.replace("\\", "/")).parts]
    if bad:
        raise Refused("imp_zip_traversal", entries=", ".join(bad[:5]))
    if sum(i.file_size for i in zf.infolist()) > 5 * BOUNDARY_MAX_BYTES:
        raise Refused("imp_zip_too_big")
    return [n for n in names if not n.startswith("__MACOSX/")]


def _read_zip(data: bytes, workdir: Path) -> gpd.GeoDataFrame:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Refused("imp_not_zip") from exc
    with zf:
        names = _safe_members(zf)
        shps = [n for n in names if n.lower().endswith(".shp")]
        if not shps:
            raise Refused("imp_zip_no_shp", entries=", ".join(names[:8]) or "–")
        if len(shps) > 1:
            raise Refused("imp_zip_many_shp", entries=", ".join(shps))
        stem = shps[0][:-4]
        parts = {n[len(stem):].lower(): n for n in names if n[:len(stem)] == stem and n[len(stem):].lower() in _SHAPEFILE_PARTS}
        if ".prj" not in parts:
            raise Refused("imp_zip_no_prj", shp=shps[0])
        missing = [e for e in (".shx", ".dbf") if e not in parts]
        if missing:
            raise Refused("imp_zip_incomplete", shp=shps[0], missing=", ".join(missing))
        for ext, member in parts.items():  # flat, fixed names: nothing from the zip chooses a path
            (workdir / f"layer{ext}").write_bytes(zf.read(member))
    return gpd.read_file(workdir / "layer.shp")


def read_boundary_upload(data: bytes, file_name: str) -> BoundaryFile:
    """Read an uploaded boundary file into WGS84; raises ``Refused`` for anything unusable."""
    ext = check_upload(data, file_name, BOUNDARY_EXTENSIONS, BOUNDARY_MAX_BYTES)
    with tempfile.TemporaryDirectory(prefix="sv-boundary-") as tmp:
        try:
            if ext == ".zip":
                gdf = _read_zip(data, Path(tmp))
            else:
                path = Path(tmp) / f"upload{ext}"
                path.write_bytes(data)
                layers = gpd.list_layers(path) if ext == ".gpkg" else None
                if layers is not None and len(layers) > 1:
                    raise Refused("imp_gpkg_layers", layers=", ".join(layers["name"]))
                gdf = gpd.read_file(path)
        except Refused:
            raise
        except Exception as exc:  # noqa: BLE001 - any GDAL/driver error means an unreadable file
            raise Refused("imp_geo_unreadable", name=file_name, detail=f"{type(exc).__name__}: {exc}"[:300]) from exc
    if gdf.crs is None:
        if ext not in (".geojson", ".json"):
            raise Refused("imp_geo_no_crs", name=file_name)
        gdf = gdf.set_crs(geo.WGS84)  # RFC 7946: GeoJSON without a crs member is WGS84
    source_crs = gdf.crs.to_string()
    if gdf.empty:
        raise Refused("imp_geo_empty", name=file_name)
    kinds = set(gdf.geometry.dropna().geom_type)
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        raise Refused("imp_geo_not_polygons", kinds=", ".join(sorted(kinds)) or "–")
    gdf = gdf.to_crs(geo.WGS84)
    x0, y0, x1, y1 = gdf.total_bounds
    bx0, by0, bx1, by1 = LAMPUNG_BOX
    if not (bx0 <= (x0 + x1) / 2 <= bx1 and by0 <= (y0 + y1) / 2 <= by1):
        raise Refused("imp_geo_outside", crs=source_crs, bounds=f"{x0:.2f}, {y0:.2f}, {x1:.2f}, {y1:.2f}")
    return BoundaryFile(file_name, sha256_bytes(data), gdf.reset_index(drop=True), source_crs, bytes(data))


# --------------------------------------------------------------------------------------------------
# 2. Columns, code systems and the level


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def code_digits(value: object) -> str | None:
    """The digits of a region code in any usual form, None when it is not one.

    ``18.01.04.2001``, ``1801042001``, ``1801042001.0`` (a spreadsheet number), ``id1801042001`` / ``ID_1801``
    (a prefix, as some GIS layers write BPS codes), ``18.01.010.001`` (BPS dotted) all give their digits; the
    result starts with Lampung's ``18`` and has 4, 6, 7 or 10 digits.
    """
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = str(value).strip().lower()
    text = re.sub(r"^[a-z]{1,4}[\s_:\-]*(?=\d)", "", text)  # prefix such as "id", "ID_", "kd-"
    text = re.sub(r"\.0+$", "", text) if re.fullmatch(r"\d+\.0+", text) else text
    if not re.fullmatch(r"\d[\d.\s\-]*\d", text or "x"):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if digits.startswith(PROVINCE_CODE) and len(digits) in (4, 6, 7, 10) else None


#: Level of a code by its number of digits, per code system.
_LEVEL_BY_DIGITS = {"kemendagri": {4: "kabupaten", 6: "kecamatan", 10: "desa"},
                    "bps": {4: "kabupaten", 7: "kecamatan", 10: "desa"}}


def _dotted(digits: str) -> str:
    widths = {4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}[len(digits)]
    parts, pos = [], 0
    for w in widths:
        parts.append(digits[pos:pos + w])
        pos += w
    return ".".join(parts)


@dataclass(frozen=True)
class Crosswalk:
    """BPS 2020 -> Kemendagri codes (kabupaten 4 digits, kecamatan 7 digits), from the build's crosswalk files."""

    kab: dict[str, str]
    kec: dict[str, str]

    @classmethod
    def load(cls) -> Crosswalk:
        frames = [pd.read_parquet(p) if p.exists() else pd.DataFrame(columns=["bps_code", "kemendagri_code"])
                  for p in (paths.CROSSWALK_KAB, paths.CROSSWALK_KEC)]
        return cls(*(dict(zip(f["bps_code"].astype(str), f["kemendagri_code"].astype(str), strict=True)) for f in frames))


def interpret(digits: str | None, system: str, regions_codes: set[str], crosswalk: Crosswalk) -> tuple[str | None, str]:
    """(Kemendagri code, what it is) of a code's digits in ``system``.

    Kemendagri: the code itself when the region list has it ("region"). BPS: kabupaten and kecamatan through
    the crosswalk ("region"); a village only to its kecamatan ("kecamatan": the village is then found by name
    in it; the crosswalk has no village level). (None, "") when the code means nothing in that system.
    """
    if not digits:
        return None, ""
    code: str | None
    if system == "kemendagri":
        if len(digits) == 7:
            return None, ""
        code = _dotted(digits)
        return (code, "region") if code in regions_codes else (None, "")
    if len(digits) == 4:
        code = crosswalk.kab.get(digits)
        return (code, "region") if code else (None, "")
    if len(digits) == 7:
        code = crosswalk.kec.get(digits)
        return (code, "region") if code else (None, "")
    if len(digits) == 10:
        code = crosswalk.kec.get(digits[:7])
        return (code, "kecamatan") if code else (None, "")
    return None, ""


@dataclass(frozen=True)
class Columns:
    """The file's columns as the import reads them, and the code system of the code column."""

    code: str | None = None
    code_system: str = "none"  # kemendagri / bps / none
    name: str | None = None
    kecamatan: str | None = None  # the file's own kecamatan name column (shown beside the match, used as parent)
    kabupaten: str | None = None
    #: Share of the code column's values recognised in ``code_system`` (0 when there is no code column).
    code_share: float = 0.0
    #: Digits of the codes (4, 6, 7 or 10) most values of the code column have.
    code_length: int = 0


def _attrs(features: gpd.GeoDataFrame) -> list[str]:
    return [c for c in features.columns if c != features.geometry.name]


def _text_values(series: pd.Series) -> pd.Series:
    values = series.dropna()
    return values.astype(str) if len(values) else values


def code_system_of(values: pd.Series, regions_codes: set[str], crosswalk: Crosswalk,
                   names: pd.Series | None = None, official: dict[str, str] | None = None) -> tuple[str, float, int]:
    """(system, share recognised, typical digits) of one column's values.

    Both lists are tried: a value counts for Kemendagri when the region list has it, for BPS when the
    crosswalk translates it (a village code: its first seven digits). Where both recognise a column, as
    Lampung's 4-digit kabupaten codes (BPS 1801 is Lampung Barat, Kemendagri 18.01 Lampung Selatan), the
    file's names decide: the system under which more names agree with the official name of the code.
    """
    digits = values.map(code_digits)
    valid = digits.dropna()
    if len(values) == 0 or len(valid) < 0.5 * len(values):
        return "none", 0.0, 0
    length = int(valid.str.len().mode().iloc[0])
    shares, agree = {}, {}
    for system in ("kemendagri", "bps"):
        got = valid.map(lambda d, s=system: interpret(d, s, regions_codes, crosswalk))
        codes = got.map(lambda x: x[0])
        shares[system] = float(codes.notna().sum()) / len(values)
        agree[system] = 0.0
        if names is not None and official:
            from rapidfuzz import fuzz

            full = got.map(lambda x: x[0] if x[1] == "region" else None).dropna()
            pairs = [(normalise_name(names.get(i)), normalise_name(official.get(c, ""))) for i, c in full.items()]
            pairs = [(a, b) for a, b in pairs if a and b]
            if pairs:
                agree[system] = sum(fuzz.ratio(a, b) >= NAME_AGREES for a, b in pairs) / len(pairs)
    best = max(("kemendagri", "bps"), key=lambda s: (shares[s] + agree[s], s == "kemendagri"))
    return (best, shares[best], length) if shares[best] >= 0.5 else ("none", shares[best], length)


def _by_header(attrs: list[str], headers: tuple[str, ...], exclude: set[str]) -> str | None:
    keys = {_header_key(c): c for c in attrs if c not in exclude}
    for header in headers:
        if header in keys:
            return keys[header]
    return None


def _name_share(values: pd.Series, keys: set[str]) -> float:
    texts = _text_values(values)
    if not len(texts) or not texts.str.contains(r"[A-Za-z]").mean() > 0.8:
        return 0.0
    return float(texts.map(normalise_name).isin(keys).mean())


def detect_columns(features: gpd.GeoDataFrame, level: str | None, regions: pd.DataFrame,
                   crosswalk: Crosswalk | None = None, code_col: str | None = None, name_col: str | None = None,
                   auto: bool = True) -> Columns:
    """The columns the file most likely uses. Given ``code_col``/``name_col`` are kept (``auto=False``: a code
    or name column not given stays None); the code system is always detected from the values, the file's own
    kecamatan and kabupaten columns always by their headers.

    Code column: the column whose values are most often codes of either system. Name column: by header
    (level words such as WADMKD/nama_desa first, then generic ones such as NAMOBJ), else the text column
    whose values are most often names of the level. The file's own kecamatan and kabupaten columns by header.
    """
    crosswalk = crosswalk or Crosswalk.load()
    attrs = _attrs(features)
    codes = set(regions["code"])
    if auto and code_col is None:
        best: tuple[float, str | None] = (0.0, None)  # (share, column)
        for col in attrs:
            system, share, _ = code_system_of(features[col], codes, crosswalk)
            if system != "none" and share > best[0]:
                best = (share, col)
        code_col = best[1]
    taken = {code_col} if code_col else set()
    levels = [level] if level else list(BOUNDARY_LEVELS)[::-1]
    if auto and name_col is None:
        for lvl in levels:
            name_col = _by_header(attrs, _NAME_HEADERS[lvl], taken)
            if name_col:
                break
        name_col = name_col or _by_header(attrs, _COMMON_NAME_HEADERS, taken)
        if name_col is None:
            keys = set(regions.loc[regions["level"].isin(levels), "name"].map(normalise_name))
            shares = {c: _name_share(features[c], keys) for c in attrs if c not in taken}
            best_col = max(shares, key=shares.__getitem__, default=None)
            name_col = best_col if best_col is not None and shares[best_col] > 0.3 else None
    taken |= {name_col} if name_col else set()
    kec_col = kab_col = None
    if level in (None, "desa"):
        kec_col = _by_header(attrs, _NAME_HEADERS["kecamatan"], taken)
        taken |= {kec_col} if kec_col else set()
    if level in (None, "desa", "kecamatan"):
        kab_col = _by_header(attrs, _NAME_HEADERS["kabupaten"], taken)
    system, share, length = "none", 0.0, 0
    if code_col is not None:
        official = dict(zip(regions["code"], regions["name"], strict=True))
        names = features[name_col] if name_col else None
        system, share, length = code_system_of(features[code_col], codes, crosswalk, names, official)
    return Columns(code_col, system, name_col, kec_col, kab_col, round(share, 4), length)


@dataclass(frozen=True)
class LevelGuess:
    """The level a file most likely holds, and the evidence (shown when another level is chosen)."""

    level: str
    features: int
    code_length: int
    name_share: dict[str, float]

    def explain(self, chosen: str, lang: str = "id") -> str:
        """Why ``chosen`` looks wrong for this file ("" when it is the proposed level)."""
        if chosen == self.level:
            return ""
        code = t("imp_level_code_length", lang, n=self.code_length) if self.code_length else ""
        return t("imp_level_wrong", lang, chosen=t(f"imp_level_{chosen}", lang).lower(),
                 level=t(f"imp_level_{self.level}", lang).lower(), n=fmt_int(self.features, lang),
                 expected=fmt_int(LEVEL_SIZES[self.level], lang),
                 expected_chosen=fmt_int(LEVEL_SIZES[chosen], lang), code=code,
                 share=fmt_num(100 * self.name_share.get(self.level, 0.0), 0, lang),
                 share_chosen=fmt_num(100 * self.name_share.get(chosen, 0.0), 0, lang))


def detect_level(features: gpd.GeoDataFrame, regions: pd.DataFrame, columns: Columns) -> LevelGuess:
    """The level of a file from its codes (number of digits), else its names and feature count.

    Names: the share of the name column's values found among each level's official names. Count: how close
    the number of features is to the level's size in Lampung (15 / 229 / 2,651), on a log scale.
    """
    n = len(features)
    shares = {}
    for level in BOUNDARY_LEVELS:
        keys = set(regions.loc[regions["level"] == level, "name"].map(normalise_name))
        shares[level] = round(_name_share(features[columns.name], keys), 3) if columns.name else 0.0
    if columns.code_system != "none" and columns.code_length:
        by_digits = _LEVEL_BY_DIGITS[columns.code_system].get(columns.code_length)
        if by_digits:
            return LevelGuess(by_digits, n, columns.code_length, shares)

    def score(level: str) -> float:
        closeness = max(0.0, 1 - abs(np.log10(max(n, 1) / LEVEL_SIZES[level])))
        return shares[level] + closeness

    return LevelGuess(max(BOUNDARY_LEVELS, key=score), n, 0, shares)


def pseudo_area(name: object) -> str | None:
    """"forest", "lake" or "transmigration" when a feature's name says it is not a village, else None."""
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return None
    text = re.sub(r"\s+", " ", str(name).lower()).strip() + " "
    for reason, pattern in PSEUDO_AREAS:
        if pattern.search(text):
            return reason
    return None


# --------------------------------------------------------------------------------------------------
# 3. Matching


@dataclass(frozen=True)
class _Pool:
    """Regions to search a name in (one parent's, or several), as plain lists and lookups."""

    codes: list[str]
    keys: list[str]
    by_key: dict[str, list[str]]  # normalise_name
    by_loose: dict[str, list[str]]  # loose_name
    by_whole: dict[str, list[str]]  # loose_name keeping a leading Kampung/Kota/... ("KampungBaru")

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Pool:
        codes = frame["code"].tolist()
        lookups: list[dict[str, list[str]]] = [{}, {}, {}]
        for c, *keys in zip(codes, frame["key"], frame["loose"], frame["whole"], strict=True):
            for lookup, k in zip(lookups, keys, strict=True):
                lookup.setdefault(k, []).append(c)
        return cls(codes, frame["key"].tolist(), *lookups)

    def __add__(self, other: _Pool) -> _Pool:
        seen = dict.fromkeys(self.codes)
        extra = [i for i, c in enumerate(other.codes) if c not in seen]
        lookups = []
        for mine, theirs in ((self.by_key, other.by_key), (self.by_loose, other.by_loose),
                             (self.by_whole, other.by_whole)):
            merged = {k: list(v) for k, v in mine.items()}
            for k, v in theirs.items():
                merged.setdefault(k, []).extend(c for c in v if c not in seen)
            lookups.append(merged)
        return _Pool(self.codes + [other.codes[i] for i in extra], self.keys + [other.keys[i] for i in extra], *lookups)


_EMPTY_POOL = _Pool([], [], {}, {}, {})


@dataclass(frozen=True)
class _Context:
    """What matching one file against one level needs, computed once."""

    level: str
    cand: pd.DataFrame  # regions of the level: code (index), name, parent, key, loose
    pools: dict[str, _Pool]  # parent code -> its regions
    iou: dict[tuple[int, str], float]  # (feature position, code) -> intersection over union with the current polygon
    by_feature: dict[int, list[tuple[str, float]]]  # feature -> [(code, iou)] best first
    names: dict[str, str]  # code -> official name
    keys: dict[str, tuple[str, str]]  # code -> (key, loose key)

    def pool(self, *parents: str | None) -> _Pool:
        out = _EMPTY_POOL
        for parent in dict.fromkeys(p for p in parents if p):
            out = out + self.pools.get(parent, _EMPTY_POOL) if out.codes else self.pools.get(parent, _EMPTY_POOL)
        return out


def _key_frame(regions: pd.DataFrame, level: str) -> pd.DataFrame:
    cand = regions.loc[regions["level"] == level, ["code", "name", "parent"]].copy()
    cand["key"] = cand["name"].map(normalise_name)
    cand["loose"] = cand["name"].map(loose_name)
    cand["whole"] = cand["name"].map(lambda v: loose_name(v, strip_prefix=False))
    return cand.set_index("code", drop=False)


def overlaps(features: gpd.GeoSeries, current: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every (feature position, current code) pair whose polygons intersect: ``iou`` (intersection over
    union) and ``cover`` (share of the current polygon the feature covers), measured in UTM 48S."""
    f = features.to_crs(geo.UTM48S).to_numpy()
    cur = current.geometry.to_crs(geo.UTM48S).to_numpy()
    codes = current["code"].astype(str).to_numpy()
    ok = ~(shapely.is_missing(f) | shapely.is_empty(f))
    pos = np.flatnonzero(ok)
    tree = shapely.STRtree(cur)
    fi, ci = tree.query(f[pos], predicate="intersects")
    fi = pos[fi]
    inter = shapely.area(shapely.intersection(f[fi], cur[ci]))
    a_f, a_c = shapely.area(f[fi]), shapely.area(cur[ci])
    union = a_f + a_c - inter
    return pd.DataFrame({"feature": fi, "code": codes[ci], "iou": np.where(union > 0, inter / union, 0.0),
                         "cover": np.where(a_c > 0, inter / a_c, 0.0)})


def _name_match(ctx: _Context, i: int, name: object, pool: _Pool) -> tuple[str | None, float, bool]:
    """(code, score, ambiguous) of ``name`` within ``pool``: exact normalised name, then the loose spelling key,
    then a clear fuzzy winner (or a fuzzy one the location confirms). Several regions of the same name are
    told apart by location only."""
    from rapidfuzz import fuzz, process

    key = normalise_name(name)
    if not key or not pool.codes:
        return None, 0.0, False
    for lookup, score, value in ((pool.by_key, 100.0, key), (pool.by_loose, 95.0, loose_name(name)),
                                 (pool.by_whole, 95.0, loose_name(name, strip_prefix=False))):
        same = lookup.get(value, [])
        if len(same) == 1:
            return same[0], score, False
        if len(same) > 1:
            ious = sorted(((ctx.iou.get((i, c), 0.0), c) for c in same), reverse=True)
            if ious[0][0] >= LOCATION_AGREES and ious[0][0] - ious[1][0] >= 0.2:
                return ious[0][1], score, False
            return None, 0.0, True
    hits = process.extract(key, pool.keys, scorer=fuzz.ratio, limit=2)
    if not hits:
        return None, 0.0, False
    best_score, best_code = hits[0][1], pool.codes[hits[0][2]]
    second = hits[1][1] if len(hits) > 1 else 0.0
    if best_score >= NAME_SURE and best_score - second >= NAME_MARGIN:
        return best_code, float(best_score), False
    if best_score >= NAME_WITH_LOCATION and ctx.iou.get((i, best_code), 0.0) >= LOCATION_AGREES:
        return best_code, float(best_score), False
    return None, 0.0, False


def _suggest(ctx: _Context, i: int, name: object, pool: _Pool) -> list[dict]:
    """Up to three suggestions (code, name, score 0-100, overlap): by name within ``pool`` and by location
    (the current polygons the feature overlaps), scored by name similarity plus 20 points per unit of overlap."""
    from rapidfuzz import fuzz

    key, loose = normalise_name(name), loose_name(name)
    near = [c for c, v in ctx.by_feature.get(i, []) if v >= 0.2]
    out: list[dict] = []
    for code in dict.fromkeys([*pool.codes, *near]):
        if code not in ctx.keys:
            continue
        ckey, cloose = ctx.keys[code]
        iou = ctx.iou.get((i, code), 0.0)
        similarity = max(fuzz.ratio(key, ckey), fuzz.ratio(loose, cloose)) if key else 0.0
        score = min(99.0, similarity + 20 * iou) if key else 90 * iou
        if score >= SUGGEST_CUTOFF:
            out.append({"code": code, "name": ctx.names[code], "score": round(float(score), 1), "overlap": round(iou, 3)})
    return sorted(out, key=lambda s: (-s["score"], s["code"]))[:3]


def _parent_codes(features: gpd.GeoSeries, level: str, parent_current: gpd.GeoDataFrame | None
                  ) -> tuple[list[str | None], list[list[str]]]:
    """Per feature: the current parent polygon holding its representative point, and every parent its polygon
    touches (a border region may sit a little inside its neighbour)."""
    n = len(features)
    if PARENT_LEVEL[level] is None:
        return [PROVINCE_CODE] * n, [[PROVINCE_CODE]] * n
    if parent_current is None or parent_current.empty:
        return [None] * n, [[] for _ in range(n)]
    shapes = parent_current[["code", "geometry"]]
    ok = ~(features.isna() | features.is_empty)
    pts = gpd.GeoDataFrame(geometry=features[ok].representative_point(), crs=geo.WGS84)
    main = gpd.sjoin(pts, shapes, predicate="within", how="left").groupby(level=0)["code"].first()
    polys = gpd.GeoDataFrame(geometry=features[ok], crs=geo.WGS84)
    near = gpd.sjoin(polys, shapes, predicate="intersects", how="inner").groupby(level=0)["code"].agg(sorted)
    return ([main.get(k) if isinstance(main.get(k), str) else None for k in range(n)],
            [near.get(k, []) for k in range(n)])


def _file_parents(features: gpd.GeoDataFrame, columns: Columns, regions: pd.DataFrame) -> list[str | None]:
    """Per feature: the kecamatan (desa level) or kabupaten (kecamatan level) its own columns name, when the
    name is unique (within the named kabupaten for a kecamatan)."""
    n = len(features)
    kab: list[str | None] = [None] * n
    if columns.kabupaten:
        lookup: dict[str, list[str]] = {}
        for code, key in zip(*(_key_frame(regions, "kabupaten")[c].tolist() for c in ("code", "key")), strict=True):
            lookup.setdefault(key, []).append(code)
        found = {v: (lookup.get(normalise_name(v), []) + [None])[0] if len(lookup.get(normalise_name(v), [])) == 1
                 else None for v in set(features[columns.kabupaten].dropna())}
        kab = [found.get(v) for v in features[columns.kabupaten]]
    if not columns.kecamatan:
        return kab
    kec = _key_frame(regions, "kecamatan")
    by_key: dict[str, list[tuple[str, str]]] = {}
    for code, key, parent in zip(kec["code"].tolist(), kec["key"].tolist(), kec["parent"].tolist(), strict=True):
        by_key.setdefault(key, []).append((code, parent))
    memo: dict[tuple, str | None] = {}
    out = []
    for value, k in zip(features[columns.kecamatan], kab, strict=True):
        if (value, k) not in memo:
            same = [c for c, p in by_key.get(normalise_name(value), []) if k is None or p == k]
            memo[(value, k)] = same[0] if len(same) == 1 else None
        out.append(memo[(value, k)])
    return out


def match_features(features: gpd.GeoDataFrame, level: str, regions: pd.DataFrame, columns: Columns,
                   current: gpd.GeoDataFrame, parent_current: gpd.GeoDataFrame | None,
                   crosswalk: Crosswalk, geometry: gpd.GeoSeries | None = None,
                   ov: pd.DataFrame | None = None) -> pd.DataFrame:
    """The match report: one row per feature (index = feature position; feature number = position + 1).

    Columns: source_code, source_name, source_kec, source_kab (the file's values), code_system, parent (the
    parent region used), code, name (official), method (``METHODS``), status (``STATUSES``), score (name
    similarity 0-100), overlap (with the current polygon of ``code``), reason (set aside / flagged / conflict),
    suggestions (list of {code, name, score, overlap}).
    """
    geometry = geometry if geometry is not None else features.geometry
    n = len(features)
    cand = _key_frame(regions, level)
    codes_all = set(regions["code"])
    ov = ov if ov is not None else overlaps(geometry, current)
    iou = {(int(f), c): float(v) for f, c, v in zip(ov["feature"], ov["code"], ov["iou"], strict=True)}
    by_feature = {int(f): list(zip(g["code"], g["iou"], strict=True))
                  for f, g in ov.sort_values("iou", ascending=False).groupby("feature")}
    ctx = _Context(level, cand, {p: _Pool.of(g) for p, g in cand.groupby("parent")}, iou, by_feature,
                   dict(zip(cand["code"], cand["name"], strict=True)),
                   {c: (k, lk) for c, k, lk in zip(cand["code"], cand["key"], cand["loose"], strict=True)})
    parent_of = dict(zip(cand["code"], cand["parent"], strict=True))
    current_codes = set(current["code"])
    level_of = {c: lvl for c, lvl in zip(regions["code"], regions["level"], strict=True)}
    empty = (geometry.isna() | geometry.is_empty).to_numpy()
    col = lambda c: features[c].astype("object").where(features[c].notna(), None).tolist() if c else [None] * n  # noqa: E731
    src_code, src_name, src_kec, src_kab = col(columns.code), col(columns.name), col(columns.kecamatan), col(columns.kabupaten)
    located, touching = _parent_codes(geometry, level, parent_current)
    own_parent = _file_parents(features, columns, regions) if PARENT_LEVEL[level] else [None] * n
    rows = []
    for i in range(n):
        row: dict[str, Any] = {"code": None, "method": None, "status": "unmatched", "score": np.nan, "parent": None,
               "reason": None, "suggestions": [], "code_system": None}
        name = src_name[i]
        rows.append(row)
        if empty[i]:
            row["status"] = "no_geometry"
            continue
        digits = code_digits(src_code[i]) if columns.code_system != "none" else None
        code, kind = interpret(digits, columns.code_system, codes_all, crosswalk) if digits else (None, "")
        row["code_system"] = columns.code_system if code else None
        if code and kind == "region" and level_of.get(code) == level:
            from rapidfuzz import fuzz

            okey, oloose = ctx.keys[code]
            key = normalise_name(name)
            similarity = max(fuzz.ratio(key, okey), fuzz.ratio(loose_name(name), oloose)) if key else np.nan
            name_ok = not key or similarity >= NAME_AGREES
            loc_ok = iou.get((i, code), 0.0) >= LOCATION_AGREES or code not in current_codes
            row.update(code=code, parent=parent_of[code], score=similarity)
            if name_ok or loc_ok:
                row.update(method="by_code", status="matched")
            else:
                row.update(status="conflict", reason="code_name")
            continue
        pools: list[str] = []
        if code and kind == "kecamatan" and level == "desa":
            row["parent"] = code
            hit, score, ambiguous = _name_match(ctx, i, name, ctx.pool(code))
            if hit is None and not ambiguous:  # a village moved to a kecamatan formed after 2020: its kabupaten
                kab_pool = ctx.pool(*(p for p in ctx.pools if p.startswith(code[:5] + ".")))
                hit, score, ambiguous = _name_match(ctx, i, name, kab_pool)
                hit = hit if score >= 95 else None
            if hit:
                row.update(code=hit, method="by_code_then_name", status="matched", score=score)
                continue
            pools.append(code)
        elif code and kind == "region" and PARENT_LEVEL[level] and level_of.get(code) == PARENT_LEVEL[level]:
            pools.append(code)  # a parent's code (e.g. a kecamatan code on a village): search in it
        reason = pseudo_area(name)
        if reason:
            row.update(status="set_aside", reason=reason)
            continue
        own, near_parent = own_parent[i], located[i]
        if own:
            pools.append(own)
        if near_parent:
            pools.append(near_parent)
        pools += [p for p in touching[i] if p not in pools]
        if PARENT_LEVEL[level] is None:
            pools = [PROVINCE_CODE]
        ambiguous_any = False
        for parent in dict.fromkeys(pools):
            hit, score, ambiguous = _name_match(ctx, i, name, ctx.pool(parent))
            ambiguous_any |= ambiguous
            if hit:
                row.update(code=hit, method="by_name", status="matched", score=score, parent=parent)
                break
        if row["status"] == "matched":
            continue
        best = by_feature.get(i, [])
        if best and best[0][1] >= LOCATION_MATCH and not ambiguous_any:
            row.update(code=best[0][0], method="by_location", status="matched", parent=parent_of.get(best[0][0]))
            continue
        row["parent"] = row["parent"] or (pools[0] if pools else None)
        pool = ctx.pool(*pools)
        row["suggestions"] = _suggest(ctx, i, name, pool if pool.codes else _Pool.of(cand))
        row["status"] = "ambiguous" if ambiguous_any else "suggested" if row["suggestions"] else "unmatched"
    rep = pd.DataFrame(rows, index=features.index)
    rep.insert(0, "source_code", src_code)
    rep.insert(1, "source_name", src_name)
    rep.insert(2, "source_kec", src_kec)
    rep.insert(3, "source_kab", src_kab)
    rep.insert(rep.columns.get_loc("code") + 1, "name", rep["code"].map(cand["name"]))
    _resolve_duplicates(rep)
    rep["overlap"] = [_overlap_of(iou, current_codes, i, c) for i, c in enumerate(rep["code"])]
    _flag_covers_other(rep, ov)
    return rep


def _overlap_of(iou: dict, current_codes: set[str], i: int, code: object) -> float:
    if not isinstance(code, str) or code not in current_codes:
        return np.nan  # no current polygon: a region that gains one
    return round(iou.get((i, code), 0.0), 4)


def _resolve_duplicates(rep: pd.DataFrame) -> None:
    """Two matched features for one region: parts of one region when both came by its code (applied as
    their union); otherwise the clearly better one (name score) stays matched and the others are duplicates."""
    matched = rep[rep["status"] == "matched"]
    for _, group in matched.groupby("code"):
        if len(group) < 2 or (group["method"] == "by_code").all():
            continue
        ranked = group.sort_values("score", ascending=False)
        scores = ranked["score"].fillna(0).to_numpy()
        keep = ranked.index[:1] if scores[0] > scores[1] else ranked.index[:0]
        rep.loc[group.index.difference(keep), ["status", "reason"]] = ["duplicate", "duplicate"]


def _flag_covers_other(rep: pd.DataFrame, ov: pd.DataFrame) -> None:
    """A matched polygon covering most of another current region that no feature of the file matches: a
    parent from before a split (BPS 2020 codes predate villages split since). Flagged, not applied."""
    matched = rep[rep["status"] == "matched"]
    claimed = set(matched["code"])
    hits = ov[ov["feature"].isin(matched.index) & (ov["cover"] >= COVERS_OTHER)]
    for f, group in hits.groupby("feature"):
        others = sorted(set(group["code"]) - claimed - {rep.at[f, "code"]})
        if others:
            rep.at[f, "status"] = "covers_other"
            rep.at[f, "reason"] = "covers:" + ",".join(others)


# --------------------------------------------------------------------------------------------------
# 4. The plan (what the file holds) and the assessment (what applying it would do)


@dataclass(frozen=True)
class BoundaryPlan:
    """A checked boundary file and its match report, shown before anything is replaced."""

    level: str
    guess: LevelGuess
    source: BoundaryFile
    columns: Columns
    report: pd.DataFrame
    #: Regions of the level with a current polygon that no feature matches (they keep their boundary).
    not_covered: pd.DataFrame
    #: The features' geometry, repaired (WGS84), by feature position.
    geometry: gpd.GeoSeries
    #: The level's served layer when the plan was made (code, geometry), and the feature/region overlaps.
    current: gpd.GeoDataFrame
    overlaps: pd.DataFrame
    #: Codes of the level in the region list (an accepted suggestion must be one of them).
    level_codes: frozenset = frozenset()
    #: A code column was chosen whose values are codes of neither list (said on the page, never silent).
    code_unrecognised: bool = False

    @property
    def code_col(self) -> str | None:
        return self.columns.code

    @property
    def name_col(self) -> str | None:
        return self.columns.name

    def counts(self) -> dict[str, int]:
        """Features per status (every status present, 0 included)."""
        return {s: int((self.report["status"] == s).sum()) for s in STATUSES}

    def matched_by(self) -> dict[str, int]:
        """Matched features per method (``by_code``, ``by_code_then_name``, ``by_name``, ``by_location``)."""
        matched = self.report[self.report["status"] == "matched"]
        return {m: int((matched["method"] == m).sum()) for m in METHODS if m != "accepted"}

    def suggestions(self, min_score: float = 0.0) -> dict[int, str]:
        """{feature position: code} of the best suggestion of every feature offered one with at least
        ``min_score``, skipping codes already matched or suggested more strongly for another feature."""
        taken = set(self.report.loc[self.report["status"] == "matched", "code"])
        best = [(s[0]["score"], f, s[0]["code"]) for f, s in self.report["suggestions"].items()
                if s and self.report.at[f, "status"] in ("suggested", "ambiguous") and s[0]["score"] >= min_score]
        out = {}
        for _, f, code in sorted(best, key=lambda x: (-x[0], x[1])):
            if code not in taken:
                out[int(f)] = code
                taken.add(code)
        return out


def _fixed(features: gpd.GeoDataFrame) -> gpd.GeoSeries:
    geoms = features.geometry.copy()
    missing = geoms.isna().to_numpy()
    values = geoms.to_numpy().copy()
    values[missing] = shapely.Polygon()
    fixed, _ = geo.fix_geometries(gpd.GeoSeries(values, index=features.index, crs=geo.WGS84))
    return fixed


def plan_boundary_import(source: BoundaryFile, level: str | None, regions: pd.DataFrame,
                         code_col: str | None = None, name_col: str | None = None, *, auto: bool = True,
                         engine=None) -> BoundaryPlan:
    """Match ``source`` against ``level`` (None: the detected level). With ``auto`` the columns not given are
    detected; a given code column is read in whichever code system its values are."""
    from utils.data.dataset import load_boundaries

    if level is not None and level not in BOUNDARY_LEVELS:
        raise Refused("imp_bad_level", level=level)
    features = source.features.reset_index(drop=True)
    crosswalk = Crosswalk.load()
    level_given = level
    first = detect_columns(features, level, regions, crosswalk, code_col, name_col, auto)
    guess = detect_level(features, regions, first)
    level = level or guess.level
    # The level was only now known: look again for the name and parent columns of that level.
    columns = first if level == level_given else detect_columns(features, level, regions, crosswalk, first.code,
                                                                name_col, auto)
    if columns.code is None and columns.name is None:
        raise Refused("imp_geo_no_columns", columns=", ".join(_attrs(features)) or "–")
    current = load_boundaries(level, display=False)[["code", "geometry"]]
    parent = PARENT_LEVEL[level]
    parent_current = load_boundaries(parent, display=False)[["code", "geometry"]] if parent else None
    geometry = _fixed(features)
    ov = overlaps(geometry, current)
    report = match_features(features, level, regions, columns, current, parent_current, crosswalk, geometry, ov)
    matched = set(report.loc[report["status"] == "matched", "code"])
    level_rows = regions.loc[(regions["level"] == level) & regions["code"].isin(set(current["code"])),
                             ["code", "name", "parent"]]
    not_covered = level_rows[~level_rows["code"].isin(matched)].reset_index(drop=True)
    return BoundaryPlan(level, guess, source, columns, report, not_covered, geometry, current,
                        ov, frozenset(regions.loc[regions["level"] == level, "code"]),
                        code_unrecognised=bool(code_col) and columns.code_system == "none")


@dataclass(frozen=True)
class Options:
    """Choices made before applying: apply only kabupaten the file covers completely; include regions whose
    new polygon overlaps its current one by less than LOW_OVERLAP (left out by default)."""

    whole_kabupaten: bool = False
    include_low_overlap: bool = False


@dataclass(frozen=True)
class Assessment:
    """What applying a plan would do, measured before anything is written."""

    level: str
    #: The regions that would be applied: code, features (positions), method, overlap, geometry (WGS84).
    apply: gpd.GeoDataFrame
    changed: int
    added: int
    unchanged: int
    low_overlap: list[str]  # matched codes whose new polygon overlaps the current one by < LOW_OVERLAP
    no_overlap: int
    median_overlap: float
    skipped_low_overlap: int
    skipped_partial_kabupaten: int
    partial_regions: int  # regions of the file in kabupaten it covers only partly
    complete_kabupaten: list[str]
    partial_kabupaten: list[str]
    overlap_km2: float  # where new polygons would cover kept ones (and each other)
    kept_affected: int  # kept regions that would lose area to new polygons
    gap_km2: float  # where replaced regions were and neither new nor kept polygons are
    gaps_wide: int  # gap pieces wider than geo.GAP_WIDTH_M (white on the map; narrower ones are filled)
    mixed_parents: list[str]  # parents (kecamatan for villages) that would hold regions of several sources
    flagged: int
    conflicts: int
    options: Options = field(default_factory=Options)

    @property
    def nothing_changes(self) -> bool:
        return self.changed == 0 and self.added == 0

    def warnings(self, plan: BoundaryPlan, lang: str = "id") -> list[dict]:
        """The warnings shown before confirming: {kind, message, and the numbers}."""
        out = []

        def add(kind: str, **kw: object) -> None:
            shown = {k: fmt_num(v, 2 if abs(v) < 10 else 1, lang) if isinstance(v, float)
                     else fmt_int(v, lang) if isinstance(v, int) else v for k, v in kw.items()}
            out.append({"kind": kind, "message": t(f"imp_warn_{kind}", lang, **shown), **kw})

        if plan.guess.level != plan.level:
            out.append({"kind": "level", "message": plan.guess.explain(plan.level, lang), "detected": plan.guess.level})
        if plan.code_unrecognised:
            add("code_unrecognised", column=plan.columns.code)
        if self.low_overlap:
            add("low_overlap_included" if self.options.include_low_overlap else "low_overlap",
                n=len(self.low_overlap), none=self.no_overlap, pct=int(LOW_OVERLAP * 100))
        if self.overlap_km2 >= 0.01:
            add("overlap", km2=round(self.overlap_km2, 2), kept=self.kept_affected)
        if self.gap_km2 >= 0.01:
            add("gap", km2=round(self.gap_km2, 2), wide=self.gaps_wide)
        if self.mixed_parents:
            add("mixed", n=len(self.mixed_parents), parents=", ".join(self.mixed_parents[:5]))
        if self.partial_kabupaten and self.options.whole_kabupaten:
            add("partial_kabupaten_skipped", n=len(self.partial_kabupaten), skipped=self.skipped_partial_kabupaten)
        elif self.partial_kabupaten:
            add("partial_kabupaten", n=len(self.partial_kabupaten), regions=self.partial_regions)
        if self.flagged:
            add("covers_other", n=self.flagged)
        if self.conflicts:
            add("conflict", n=self.conflicts)
        return out


def _hausdorff_m(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    au = gpd.GeoSeries(a, crs=geo.WGS84).to_crs(geo.UTM48S).to_numpy()
    bu = gpd.GeoSeries(b, crs=geo.WGS84).to_crs(geo.UTM48S).to_numpy()
    return shapely.hausdorff_distance(au, bu)


def _sources_of(level: str, engine) -> dict[str, object]:
    """code -> the applied import (upload_id) whose polygon is in force, for codes an import covers."""
    out: dict[str, object] = {}
    for imp in served.applied_imports(engine):
        if imp.level == level:
            out.update(dict.fromkeys(served.import_features(engine, imp.upload_id)["code"], imp.upload_id))
    return out


def assess(plan: BoundaryPlan, accepted: dict[int, str] | None = None, options: Options | None = None,
           engine=None) -> Assessment:
    """Measure what applying ``plan`` (with ``accepted`` suggestions {feature position: code}) would do."""
    options = options or Options()
    own = engine is None
    engine = engine or store.get_engine()
    try:
        return _assess(plan, accepted or {}, options, engine)
    finally:
        if own:
            engine.dispose()


def _assess(plan: BoundaryPlan, accepted: dict[int, str], options: Options, engine) -> Assessment:
    rep = plan.report
    level_codes = plan.level_codes
    chosen = {int(f): c for f, c in rep.loc[rep["status"] == "matched", "code"].items()}
    methods = {int(f): m for f, m in rep.loc[rep["status"] == "matched", "method"].items()}
    taken = set(chosen.values())
    for f, code in sorted(accepted.items()):
        if f in rep.index and f not in chosen and code not in taken and code in level_codes \
                and rep.at[f, "status"] not in ("no_geometry", "set_aside"):
            chosen[f], methods[f] = code, "accepted"
            taken.add(code)
    by_code: dict[str, list[int]] = {}
    for f, code in chosen.items():
        by_code.setdefault(code, []).append(f)
    current = plan.current.set_index("code").geometry
    iou = {(int(f), c): float(v) for f, c, v in zip(plan.overlaps["feature"], plan.overlaps["code"],
                                                     plan.overlaps["iou"], strict=True)}
    rows = []
    for code, feats in sorted(by_code.items()):
        if len(feats) == 1:
            geom = plan.geometry.iloc[feats[0]]
            overlap = round(iou.get((feats[0], code), 0.0), 4) if code in current.index else np.nan
        else:  # parts of one region: their union against the current polygon
            geom = shapely.union_all(plan.geometry.iloc[feats].to_numpy())
            overlap = np.nan
            if code in current.index:
                pair = gpd.GeoSeries([geom, current[code]], crs=geo.WGS84).to_crs(geo.UTM48S).to_numpy()
                inter = shapely.intersection(pair[0], pair[1]).area
                union = pair[0].area + pair[1].area - inter
                overlap = round(inter / union, 4) if union > 0 else 0.0
        rows.append({"code": code, "features": feats, "method": methods[feats[0]], "overlap": overlap, "geometry": geom})
    apply = gpd.GeoDataFrame(rows, columns=["code", "features", "method", "overlap", "geometry"], geometry="geometry",
                             crs=geo.WGS84)
    low = apply["overlap"].notna() & (apply["overlap"] < LOW_OVERLAP)
    low_codes = sorted(apply.loc[low, "code"])
    no_overlap = int((apply["overlap"] == 0).sum())
    median = float(apply["overlap"].median()) if apply["overlap"].notna().any() else float("nan")
    skipped_low = 0
    if not options.include_low_overlap:
        skipped_low = int(low.sum())
        apply = apply[~low]
    kab = apply["code"].str.slice(0, 5)
    have = plan.current["code"].astype(str)
    per_kab: dict[str, set[str]] = {}
    for c in have.tolist():
        per_kab.setdefault(c[:5], set()).add(c)
    applying = set(apply["code"])
    complete: list[str] = []
    partial: list[str] = []
    for k in sorted(set(kab)):
        (complete if per_kab.get(k, set()) <= applying else partial).append(k)
    skipped_partial = 0
    partial_regions = int(kab.isin(partial).sum())
    if options.whole_kabupaten:
        keep = kab.isin(complete)
        skipped_partial = int((~keep).sum())
        apply = apply[keep]
    apply = apply.reset_index(drop=True)
    before = served.as_imported(plan.level, engine)
    known = apply["code"].isin(before.index).to_numpy()
    same = np.zeros(len(apply), dtype=bool)
    if known.any():
        dist = _hausdorff_m(apply.geometry.to_numpy()[known], before.loc[apply.loc[known, "code"]].to_numpy())
        same[np.flatnonzero(known)] = dist <= SAME_WITHIN_M
    changed, added, unchanged = int((known & ~same).sum()), int((~known).sum()), int(same.sum())
    overlap_km2, kept_affected, gap_km2, gaps_wide = _seams(apply, plan.current)
    sources = _sources_of(plan.level, engine)
    mixed = []
    parent_level = PARENT_LEVEL[plan.level]
    if parent_level:
        width = {"kecamatan": 8, "kabupaten": 5}[parent_level]
        new_codes = set(apply["code"])
        members: dict[str, list[str]] = {}
        for c in have.tolist():
            members.setdefault(c[:width], []).append(c)
        for parent in sorted({c[:width] for c in new_codes}):
            kinds = {("new" if c in new_codes else sources.get(c, "build")) for c in members.get(parent, [])}
            if len(kinds) > 1:
                mixed.append(parent)
    return Assessment(plan.level, apply, changed, added, unchanged, low_codes, no_overlap, median, skipped_low,
                      skipped_partial, partial_regions, complete, partial, overlap_km2, kept_affected, gap_km2, gaps_wide, mixed,
                      int((rep["status"] == "covers_other").sum()), int((rep["status"] == "conflict").sum()), options)


def _seams(apply: gpd.GeoDataFrame, current: gpd.GeoDataFrame) -> tuple[float, int, float, int]:
    """Where new polygons would meet kept ones: (overlap km², kept regions losing area, gap km², gap pieces
    wider than geo.GAP_WIDTH_M)."""
    if apply.empty:
        return 0.0, 0, 0.0, 0
    cur = current.set_index("code").geometry.to_crs(geo.UTM48S)
    new = apply.set_index("code").geometry.to_crs(geo.UTM48S)
    kept = cur[~cur.index.isin(new.index)]
    replaced = cur[cur.index.isin(new.index)]
    new_v, kept_v = new.to_numpy(), kept.to_numpy()
    tree = shapely.STRtree(kept_v)
    ni, ki = tree.query(new_v, predicate="intersects")
    lost = shapely.area(shapely.intersection(new_v[ni], kept_v[ki]))
    new_union = shapely.union_all(new_v)
    self_overlap = max(float(shapely.area(new_v).sum()) - new_union.area, 0.0)
    kept_affected = len(set(ki[lost > 100.0]))
    gap_km2, wide = 0.0, 0
    if len(replaced):
        old = shapely.union_all(replaced.to_numpy())
        near = kept_v[tree.query(old, predicate="intersects")]
        gap = shapely.difference(shapely.difference(old, new_union), shapely.union_all(near) if len(near) else shapely.Polygon())
        pieces = np.array([p for p in shapely.get_parts(gap) if p.area > 1.0], dtype=object)
        gap_km2 = float(shapely.area(pieces).sum()) / 1e6 if len(pieces) else 0.0
        if len(pieces):
            width = 2 * shapely.length(shapely.maximum_inscribed_circle(pieces, tolerance=0.5))
            wide = int((width >= geo.GAP_WIDTH_M).sum())
    return round((float(lost.sum()) + self_overlap) / 1e6, 3), kept_affected, round(gap_km2, 3), wide


# --------------------------------------------------------------------------------------------------
# 5. Applying and undoing


def apply_boundary_import(plan: BoundaryPlan, assessment: Assessment, operator, engine, source_label: str = "",
                          accepted: dict[int, str] | None = None) -> ApplyResult:
    """Record the assessed regions as an import layer in the store and regenerate the served files.

    Provincial administrators only. Nothing is written when nothing changes (the same geometry within 1 m):
    status "unchanged". Otherwise one transaction writes the ``uploads`` row (kind "boundary", status
    "applied"), the ``boundary_imports`` row and one ``boundary_features`` row per region; then the served
    layers and the map files are rebuilt from the build and every applied import (``served.ensure_current``).
    The build's files are never written.
    """
    from utils.intake.apply import ApplyError

    if getattr(operator, "role", None) != "admin":
        raise ApplyError("ing_apply_admin_only")
    if assessment.nothing_changes or assessment.apply.empty:
        return ApplyResult("unchanged")
    store.init_schema(engine)
    features = assessment.apply.sort_values("code").reset_index(drop=True)
    label = (source_label or Path(plan.source.file_name).stem).strip()[:300]
    options = {"whole_kabupaten": assessment.options.whole_kabupaten,
               "include_low_overlap": assessment.options.include_low_overlap,
               "accepted": {str(k): v for k, v in sorted((accepted or {}).items())}}
    summary = t("imp_history_message", "id", n=fmt_int(len(features)), changed=fmt_int(assessment.changed),
                added=fmt_int(assessment.added), level=t(f"imp_level_{plan.level}", "id").lower())
    with engine.begin() as conn:
        upload_id = store.insert_upload(conn, kind="boundary", file_name=plan.source.file_name,
                                        sha256=plan.source.sha256, uploader=operator.username, status="applied",
                                        rows_added=assessment.added, rows_changed=assessment.changed,
                                        message=summary, approved_by=operator.username,
                                        content=plan.source.content or None)
        conn.execute(store.boundary_imports.insert().values(
            upload_id=upload_id, level=plan.level, source_label=label, source_crs=plan.source.source_crs[:200],
            code_column=(plan.columns.code or None) and str(plan.columns.code)[:100],
            code_system=plan.columns.code_system, options=json.dumps(options, sort_keys=True),
            content_sha256=served.content_hash(features)))
        conn.execute(store.boundary_features.insert(), [
            {"upload_id": upload_id, "code": code, "feature": int(feats[0]) + 1, "method": method,
             "overlap": None if pd.isna(overlap) else float(overlap), "geometry": wkb}
            for code, feats, method, overlap, wkb in zip(
                features["code"], features["features"], features["method"], features["overlap"],
                shapely.to_wkb(features.geometry.to_numpy()), strict=True)])
    served.ensure_current(engine)
    return ApplyResult("replaced", rows_added=assessment.added, rows_changed=assessment.changed, upload_id=upload_id)


def undo_boundary_import(engine, upload_id: int, operator) -> None:
    """Take an applied boundary import back out (administrators only) and regenerate the served files.

    The import's rows stay in the store (the history shows what it was); its ``uploads.status`` becomes
    "rolled_back". The served layers are then the build's with the remaining applied imports over them, byte
    for byte what they were before this import when it was the latest.
    """
    from sqlalchemy import select, update

    from utils.intake.apply import ApplyError

    if getattr(operator, "role", None) != "admin":
        raise ApplyError("ing_apply_admin_only")
    u = store.uploads
    with engine.begin() as conn:
        up = conn.execute(select(u.c.kind, u.c.status).where(u.c.upload_id == upload_id)).first()
        layer = conn.execute(select(store.boundary_imports.c.upload_id)
                             .where(store.boundary_imports.c.upload_id == upload_id)).first()
        if up is None or up[0] != "boundary" or up[1] != "applied":
            raise ApplyError("ing_rb_not_applied", id=upload_id)
        if layer is None:  # recorded by an older version that overwrote files: nothing in the store to take out
            raise ApplyError("imp_undo_legacy", id=upload_id)
        conn.execute(update(u).where(u.c.upload_id == upload_id).values(
            status="rolled_back", rolled_back_by=operator.username, rolled_back_at=store.utcnow()))
        store.bump_generation(conn)
    served.ensure_current(engine)


# --------------------------------------------------------------------------------------------------
# 6. The report as the page shows it, as JSON, and the command


def reason_text(reason: object, lang: str, names: dict[str, str] | None = None) -> str:
    """The report's reason code in words ("kawasan hutan", "mencakup Pekon X (pemekaran?)", ...)."""
    if not isinstance(reason, str) or not reason:
        return ""
    if reason.startswith("covers:"):
        codes = reason.split(":", 1)[1].split(",")
        return t("imp_reason_covers", lang, regions=", ".join((names or {}).get(c, c) for c in codes))
    return t(f"imp_reason_{reason}", lang)


def suggestion_text(suggestions: list[dict], lang: str) -> str:
    return "; ".join(f"{s['name']} ({s['code']}) {fmt_num(s['score'], 0, lang)}"
                     + (f" · {fmt_num(100 * s['overlap'], 0, lang)}%" if s.get("overlap") else "") for s in suggestions)


PROBLEM_STATUSES = tuple(s for s in STATUSES if s != "matched")


def report_display(report: pd.DataFrame, lang: str, names: dict[str, str] | None = None,
                   problems_only: bool = False, low_overlap: bool = True) -> pd.DataFrame:
    """The match report with translated headers and labels, for a table on the page; ``names`` (code ->
    display name) shows parents by name. ``problems_only``: features not matched, and matched ones whose
    overlap with the current polygon is below LOW_OVERLAP (when ``low_overlap``)."""
    rep = report
    if problems_only:
        weak = rep["status"].eq("matched") & rep["overlap"].lt(LOW_OVERLAP) if low_overlap else False
        rep = rep[rep["status"].ne("matched") | weak]
    labels = {s: t(f"imp_status_{s}", lang) for s in STATUSES}
    methods = {m: t(f"imp_method_{m}", lang) for m in METHODS}
    absent = [c for c in ("source_code", "source_kec", "source_kab") if report[c].isna().all()]
    text = lambda s: s.astype("object").map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))  # noqa: E731
    return pd.DataFrame({
        t("imp_col_feature", lang): rep.index + 1,
        t("imp_col_source_code", lang): text(rep["source_code"]),
        t("imp_col_source_name", lang): text(rep["source_name"]),
        t("imp_col_source_kec", lang): text(rep["source_kec"]),
        t("imp_col_source_kab", lang): text(rep["source_kab"]),
        t("imp_col_status_geo", lang): rep["status"].map(labels),
        t("imp_col_code", lang): rep["code"].fillna(""),
        t("imp_col_name", lang): rep["name"].fillna(""),
        t("imp_col_parent", lang): rep["parent"].map(lambda c: (names or {}).get(c, c) if isinstance(c, str) else ""),
        t("imp_col_method", lang): rep["method"].map(methods).fillna(""),
        t("imp_col_overlap", lang): (rep["overlap"] * 100).round(0),
        t("imp_col_reason", lang): rep["reason"].map(lambda r: reason_text(r, lang, names)),
        t("imp_col_suggestions", lang): rep["suggestions"].map(lambda s: suggestion_text(s, lang)),
    }).drop(columns=[t(f"imp_col_{c}", lang) for c in absent])  # columns the file does not have


def check_report(plan: BoundaryPlan, assessment: Assessment, rows: bool = False, lang: str = "id") -> dict:
    """The report as plain data (``check-boundaries --json``)."""
    rep = plan.report

    def name_of(f: int) -> object:
        v = rep.at[f, "source_name"]
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)

    not_matched = rep[~rep["status"].isin(["matched", "set_aside"])]
    out = {
        "file": plan.source.file_name,
        "features": len(rep),
        "level": plan.level,
        "level_detected": plan.guess.level,
        "code_column": plan.columns.code,
        "code_system": plan.columns.code_system,
        "name_column": plan.columns.name,
        "kecamatan_column": plan.columns.kecamatan,
        "kabupaten_column": plan.columns.kabupaten,
        "matched": plan.matched_by(),
        "suggested": int(not_matched["suggestions"].map(bool).sum()),
        "unmatched": [{"feature": int(f) + 1, "name": name_of(f), "status": rep.at[f, "status"],
                       "reason": reason_text(rep.at[f, "reason"], lang) or None,
                       "suggestions": rep.at[f, "suggestions"]} for f in not_matched.index],
        "set_aside": [{"feature": int(f) + 1, "name": name_of(f), "reason": rep.at[f, "reason"]}
                      for f in rep.index[rep["status"] == "set_aside"]],
        "warnings": assessment.warnings(plan, lang),
        "changes": {"changed": assessment.changed, "added": assessment.added, "unchanged": assessment.unchanged,
                    "nothing_changes": assessment.nothing_changes},
        "overlap_median": None if np.isnan(assessment.median_overlap) else round(assessment.median_overlap, 4),
        "seams": {"overlap_km2": assessment.overlap_km2, "kept_affected": assessment.kept_affected,
                  "gap_km2": assessment.gap_km2, "gaps_wide": assessment.gaps_wide},
    }
    if rows:
        applied = set(assessment.apply["code"])
        matched = rep[rep["status"] == "matched"]
        out["rows"] = [{"feature": int(f) + 1, "code": rep.at[f, "code"], "method": rep.at[f, "method"],
                        "overlap": None if pd.isna(rep.at[f, "overlap"]) else float(rep.at[f, "overlap"]),
                        "applied": rep.at[f, "code"] in applied} for f in matched.index]
    return out


def _json_default(value: object) -> object:
    if isinstance(value, np.integer | np.floating):
        return value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return str(value)


def main(argv: list[str] | None = None) -> int:
    """``python -m utils check-boundaries FILE``: the import's check report for a boundary file; nothing is
    stored."""
    ap = argparse.ArgumentParser(prog="python -m utils check-boundaries",
                                 description="Laporan pemeriksaan berkas batas wilayah (tidak ada yang disimpan) / "
                                             "check report of a boundary file (nothing is stored).")
    ap.add_argument("file", type=Path, help=".zip (shapefile), .geojson/.json or .gpkg")
    ap.add_argument("--level", choices=BOUNDARY_LEVELS, default=None,
                    help="tingkat wilayah / region level (default: detected from the file)")
    ap.add_argument("--json", action="store_true", help="the report as JSON")
    ap.add_argument("--rows", action="store_true", help="with --json: every matched feature (code, method, overlap)")
    ap.add_argument("--lang", choices=("id", "en"), default="id")
    args = ap.parse_args(argv)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(t("imp_cli_unreadable", args.lang, file=str(args.file), detail=exc.strerror or str(exc)), file=sys.stderr)
        return 2
    try:
        src = read_boundary_upload(data, args.file.name)
        regions = served.regions_with_served_geometry(pd.read_parquet(paths.REGIONS))
        plan = plan_boundary_import(src, args.level, regions)
    except Refused as exc:
        message = f"{t('imp_refused_check', args.lang)} {exc.text(args.lang)}"
        print(json.dumps({"error": message}, ensure_ascii=False) if args.json else message,
              file=sys.stdout if args.json else sys.stderr)
        return 1
    report = check_report(plan, assess(plan), rows=args.rows, lang=args.lang)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1, default=_json_default))
        return 0
    lang = args.lang
    print(t("imp_cli_summary", lang, file=report["file"], n=fmt_int(report["features"], lang),
            level=t(f"imp_level_{report['level']}", lang), system=report["code_system"],
            column=report["code_column"] or "–"))
    print("  " + ", ".join(f"{t(f'imp_method_{m}', lang)} {fmt_int(v, lang)}" for m, v in report["matched"].items()))
    print("  " + t("imp_cli_rest", lang, suggested=fmt_int(report["suggested"], lang),
                   unmatched=fmt_int(len(report["unmatched"]), lang), set_aside=fmt_int(len(report["set_aside"]), lang)))
    for w in report["warnings"]:
        print("  ! " + w["message"])
    return 0
