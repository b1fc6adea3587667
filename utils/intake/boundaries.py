"""Import of boundary files (zipped shapefile, GeoJSON, GeoPackage) for one level, in three steps.

1. ``read_boundary_upload`` refuses unsafe or incomplete files (path traversal in a zip, no ``.shp``,
   a shapefile without ``.prj``, no CRS, non-polygons, coordinates outside Lampung) and returns the
   features reprojected from the file's own CRS to WGS84.
2. ``plan_boundary_import`` matches every feature to a region of the level: by Kemendagri code when
   the file has one (checked against the name, so BPS codes read as Kemendagri codes are caught), else
   by normalised name (``wilayah.normalise_name``) within the parent region, which is found
   spatially from the current parent boundaries. Unmatched features get rapidfuzz suggestions.
3. ``apply_boundary_import`` (after the operator confirmed the report) replaces the geometry of the
   matched regions, keeps the current one elsewhere, and writes ``imports/boundaries/<level>.parquet``
   and its display variant (simplified as the build does) atomically.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from utils.data import geo, paths
from utils.data.wilayah import normalise_name
from utils.domain.codes import BOUNDARY_LEVELS, PROVINCE_CODE, to_dotted
from utils.i18n import t
from utils.intake.village_index import ApplyResult, Refused, check_upload, sha256_bytes, write_parquet_atomic

BOUNDARY_MAX_BYTES = 100 * 1024 * 1024
BOUNDARY_EXTENSIONS = (".zip", ".geojson", ".json", ".gpkg")
PARENT_LEVEL = {"kabupaten": None, "kecamatan": "kabupaten", "desa": "kecamatan"}
#: Generous box around Lampung (lon/lat): data outside it is in another CRS than it claims.
LAMPUNG_BOX = (102.5, -7.0, 107.0, -2.5)
#: Status of a feature in the match report; only "matched" features are applied.
STATUSES = ("matched", "conflict", "ambiguous", "duplicate", "unmatched", "no_geometry")
SUGGEST_CUTOFF = 60.0
#: A code match also needs the file's name (when it has one) to resemble the official name this much.
NAME_AGREES = 75.0
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_NAME_HEADERS = {
    "desa": ("namadesa", "nmdesa", "desa", "wadmkd", "desakel", "namakel", "kelurahan", "village"),
    "kecamatan": ("namakec", "nmkec", "kecamatan", "wadmkc", "district"),
    "kabupaten": ("namakab", "nmkab", "kabupaten", "kabkota", "wadmkk", "regency"),
}
_COMMON_NAME_HEADERS = ("name", "nama", "namobj", "namawilayah", "nm")


@dataclass(frozen=True)
class BoundaryFile:
    """Features of an uploaded boundary file, already in WGS84."""

    file_name: str
    sha256: str
    features: gpd.GeoDataFrame
    source_crs: str


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
    return BoundaryFile(file_name, sha256_bytes(data), gdf.reset_index(drop=True), source_crs)


# --------------------------------------------------------------------------------------------------
# 2. Matching


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _as_code(value: object, depth: int) -> str | None:
    """Dotted code of the wanted depth (dots: kabupaten 1, kecamatan 2, desa 3), else None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    try:
        code = to_dotted(value)
    except ValueError:
        return None
    return code if code.count(".") == depth else None


def detect_columns(features: pd.DataFrame, level: str) -> tuple[str | None, str | None]:
    """(code column, name column) the file most likely uses for ``level``; None where there is none.

    The code column is the one whose values are mostly codes of the level; the name column is found
    by its header (level words such as WADMKD/nama_desa first, then generic ones such as NAMOBJ).
    """
    depth = BOUNDARY_LEVELS.index(level) + 1
    attrs = [c for c in features.columns if c != features.geometry.name]
    code_col, best = None, 0.5
    for col in attrs:
        values = features[col].dropna()
        share = values.map(lambda v: _as_code(v, depth) is not None).mean() if len(values) else 0.0
        if share > best:
            code_col, best = col, share
    keys = {_header_key(c): c for c in attrs if c != code_col}
    for header in (*_NAME_HEADERS[level], *_COMMON_NAME_HEADERS):
        if header in keys:
            return code_col, keys[header]
    texts = [c for c in attrs if c != code_col and features[c].dtype.kind in "OUT"
             and features[c].dropna().astype(str).str.contains(r"[A-Za-z]").mean() > 0.8]
    return code_col, texts[0] if texts else None


def _parents(features: gpd.GeoDataFrame, level: str,
             parent_shapes: gpd.GeoDataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Per feature: its parent region (the current parent polygon holding its representative point)
    and every parent its polygon touches (the levels do not tile exactly, so a border village may
    sit a little inside its neighbour)."""
    idx = features.index
    if PARENT_LEVEL[level] is None:
        return pd.Series(PROVINCE_CODE, index=idx, dtype="object"), pd.Series([[PROVINCE_CODE]] * len(idx), index=idx)
    if parent_shapes is None or parent_shapes.empty:
        return pd.Series(None, index=idx, dtype="object"), pd.Series([[]] * len(idx), index=idx)
    shapes = parent_shapes[["code", "geometry"]].to_crs(geo.WGS84)
    pts = gpd.GeoDataFrame(geometry=features.geometry.representative_point(), crs=geo.WGS84)
    main = gpd.sjoin(pts, shapes, predicate="within", how="left").groupby(level=0)["code"].first()
    polys = gpd.GeoDataFrame(geometry=features.geometry, crs=geo.WGS84)
    near = gpd.sjoin(polys, shapes, predicate="intersects", how="inner").groupby(level=0)["code"].agg(sorted)
    return main.reindex(idx).astype("object"), near.reindex(idx).map(lambda v: v if isinstance(v, list) else [])


def _suggest(key: str, candidates: pd.DataFrame) -> str:
    from rapidfuzz import fuzz, process

    if not key or candidates.empty:
        return ""
    hits = process.extract(key, candidates["key"].tolist(), scorer=fuzz.ratio, limit=3, score_cutoff=SUGGEST_CUTOFF)
    return "; ".join(f"{candidates['name'].iloc[i]} ({candidates['code'].iloc[i]}) {score:.0f}"
                     for _, score, i in hits)


def match_features(features: gpd.GeoDataFrame, level: str, regions: pd.DataFrame,
                   parent_shapes: gpd.GeoDataFrame | None, code_col: str | None,
                   name_col: str | None) -> pd.DataFrame:
    """The match report: one row per feature (index = feature number).

    Columns: source_code, source_name, parent (spatial), code, name (official), method ("kode" /
    "nama"), status (see ``STATUSES``), suggestions.
    """
    from rapidfuzz import fuzz

    depth = BOUNDARY_LEVELS.index(level) + 1
    cand = regions.loc[regions["level"] == level, ["code", "name", "parent"]].copy()
    cand["key"] = cand["name"].map(normalise_name)
    official_key = dict(zip(cand["code"], cand["key"], strict=True))
    # (parent, key) -> code where the name is unique within the parent; key -> code where unique overall.
    per_parent = cand.groupby(["parent", "key"])["code"].agg(list).to_dict()
    overall = cand.groupby("key")["code"].agg(list).to_dict()
    n = len(features)
    source_code = features[code_col].astype("object").tolist() if code_col else [None] * n
    source_name = features[name_col].astype("object").tolist() if name_col else [None] * n
    main, near = _parents(features, level, parent_shapes)
    parents, touching = main.tolist(), near.tolist()
    codes, methods, statuses = [None] * n, [None] * n, ["unmatched"] * n
    for i in range(n):
        key = normalise_name(source_name[i])
        code = _as_code(source_code[i], depth) if code_col else None
        if code in official_key:
            agrees = not key or fuzz.ratio(key, official_key[code]) >= NAME_AGREES
            codes[i], methods[i], statuses[i] = code, "kode", "matched" if agrees else "conflict"
        elif key:
            same = per_parent.get((parents[i], key), []) if parents[i] is not None else overall.get(key, [])
            if not same:  # not in its own parent: a unique name in a parent the polygon touches
                same = [c for p in touching[i] if p != parents[i] for c in per_parent.get((p, key), [])]
            if len(same) == 1:
                codes[i], methods[i], statuses[i] = same[0], "nama", "matched"
            elif len(same) > 1:
                statuses[i] = "ambiguous"
    rep = pd.DataFrame({"source_code": source_code, "source_name": source_name, "parent": parents, "code": codes,
                        "method": methods, "status": statuses}, index=features.index)
    empty = (features.geometry.isna() | features.geometry.is_empty).to_numpy()
    rep.loc[empty, "status"] = "no_geometry"
    dup = rep["status"].eq("matched") & rep["code"].duplicated(keep=False)
    rep.loc[dup, "status"] = "duplicate"
    rep.insert(4, "name", rep["code"].map(cand.set_index("code")["name"]))
    rep["suggestions"] = ""
    for pos in np.flatnonzero(rep["status"].ne("matched").to_numpy()):
        within = cand[cand["parent"].isin(touching[pos] or [parents[pos]])]
        rep.iat[pos, rep.columns.get_loc("suggestions")] = _suggest(
            normalise_name(source_name[pos]), within if not within.empty else cand)
    return rep


@dataclass(frozen=True)
class BoundaryPlan:
    """A checked boundary file and its match report, shown before anything is replaced."""

    level: str
    source: BoundaryFile
    code_col: str | None
    name_col: str | None
    report: pd.DataFrame
    #: Regions of the level that the file does not cover (they keep their current boundary).
    not_covered: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Features per status (every status present, 0 included)."""
        return {s: int((self.report["status"] == s).sum()) for s in STATUSES}


def plan_boundary_import(source: BoundaryFile, level: str, regions: pd.DataFrame,
                         code_col: str | None = None, name_col: str | None = None, *,
                         auto: bool = True, imports_dir: Path | None = None,
                         geo_dir: Path | None = None) -> BoundaryPlan:
    """Match ``source`` against ``level``; with ``auto`` the columns not given are detected."""
    if level not in BOUNDARY_LEVELS:
        raise Refused("imp_bad_level", level=level)
    if auto:
        found_code, found_name = detect_columns(source.features, level)
        code_col, name_col = code_col or found_code, name_col or found_name
    if code_col is None and name_col is None:
        raise Refused("imp_geo_no_columns", columns=", ".join(c for c in source.features.columns if c != "geometry"))
    parent = PARENT_LEVEL[level]
    parent_shapes = current_boundaries(parent, imports_dir=imports_dir, geo_dir=geo_dir) if parent else None
    report = match_features(source.features, level, regions, parent_shapes, code_col, name_col)
    level_rows = regions.loc[regions["level"] == level, ["code", "name", "parent"]]
    not_covered = level_rows[~level_rows["code"].isin(report.loc[report["status"] == "matched", "code"])]
    return BoundaryPlan(level, source, code_col, name_col, report, not_covered.reset_index(drop=True))


# --------------------------------------------------------------------------------------------------
# 3. Applying


def boundary_files(level: str, imports_dir: Path | None = None) -> tuple[Path, Path]:
    """(full, display) GeoParquet paths of an imported level."""
    d = (Path(imports_dir) if imports_dir is not None else paths.IMPORTS_DIR) / "boundaries"
    return d / f"{level}.parquet", d / f"{level}_display.parquet"


def current_boundaries(level: str, display: bool = False, *, imports_dir: Path | None = None,
                       geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The level's boundaries in force: the imported file when there is one, else the build's."""
    imported = boundary_files(level, imports_dir)[1 if display else 0]
    if imported.exists():
        return gpd.read_parquet(imported)
    built = paths.boundary_path(level, display=display)
    return gpd.read_parquet(Path(geo_dir) / built.name if geo_dir is not None else built)


def _static_writer() -> Callable | None:
    """Refresh of the map's static GeoJSON (``utils.data.geo_static``) when this build has it."""
    try:
        from utils.data import geo_static
    except ImportError:
        return None
    # The output folder is read at call time (not bound as a default) so tests can point it elsewhere.
    return lambda level, gdf, regions: geo_static.write_static_geojson(level, gdf, geo_static.STATIC_GEO_DIR,
                                                                       regions=regions)


def apply_boundary_import(plan: BoundaryPlan, regions: pd.DataFrame, *, imports_dir: Path | None = None,
                          geo_dir: Path | None = None, static_writer: Callable | None | bool = True) -> ApplyResult:
    """Replace the matched regions' boundaries; returns "unchanged" (nothing written) when the result
    equals the boundaries in force, e.g. when the same file is imported twice.

    ``static_writer``: True refreshes the map's static files through ``utils.data.geo_static``; a callable
    ``(level, display_gdf, regions)`` is used as is; False/None skips it.
    """
    current = current_boundaries(plan.level, imports_dir=imports_dir, geo_dir=geo_dir)
    ok = plan.report["status"] == "matched"
    fixed, _ = geo.fix_geometries(plan.source.features.geometry[ok.to_numpy()])
    new = pd.Series(fixed.to_numpy(), index=plan.report.loc[ok, "code"].to_numpy())
    merged = current.set_index("code").geometry.copy()
    existing = new.index.intersection(merged.index)
    changed = int((~shapely.equals_exact(merged.loc[existing].to_numpy(), new.loc[existing].to_numpy(), 0)).sum())
    added = len(new.index.difference(merged.index))
    if changed == 0 and added == 0:
        return ApplyResult("unchanged")
    merged = pd.concat([merged.drop(existing), new]).sort_index()
    names = regions.set_index("code")["name"]
    full = gpd.GeoDataFrame({"code": merged.index.astype("str"), "name": merged.index.map(names).astype("str")},
                            geometry=list(merged.to_numpy()), crs=geo.WGS84)
    disp, _ = geo.display_geometries(full.geometry, geo.DISPLAY_TOLERANCE_M[plan.level])
    display = gpd.GeoDataFrame(full[["code", "name"]], geometry=disp, crs=geo.WGS84)
    full_path, display_path = boundary_files(plan.level, imports_dir)
    write_parquet_atomic({full_path: full, display_path: display})
    writer = _static_writer() if static_writer is True else (static_writer or None)
    if writer is not None:
        writer(plan.level, display, regions)
    return ApplyResult("replaced", rows_added=added, rows_changed=changed)


def report_display(report: pd.DataFrame, lang: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The match report with translated headers and labels, for a table on the page; ``names`` (code ->
    display name) shows the parent by name."""
    labels = {s: t(f"imp_status_{s}", lang) for s in STATUSES}
    methods = {m: t(f"imp_method_{m}", lang) for m in ("kode", "nama")}
    return pd.DataFrame({
        t("imp_col_feature", lang): report.index + 1,
        t("imp_col_source_code", lang): report["source_code"].astype("str").where(report["source_code"].notna(), ""),
        t("imp_col_source_name", lang): report["source_name"].astype("str").where(report["source_name"].notna(), ""),
        t("imp_col_parent", lang): report["parent"].map(lambda c: (names or {}).get(c, c) if isinstance(c, str) else ""),
        t("imp_col_status_geo", lang): report["status"].map(labels),
        t("imp_col_code", lang): report["code"].fillna(""),
        t("imp_col_name", lang): report["name"].fillna(""),
        t("imp_col_method", lang): report["method"].map(methods).fillna(""),
        t("imp_col_suggestions", lang): report["suggestions"],
    })
