"""The boundary layers the app serves: the build's layers with every applied boundary import over them.

The build's files under geo/ are never written by an import. An import is a layer kept in the programme
store (tables ``boundary_imports`` and ``boundary_features``, see ``utils.data.store``); what the app serves
is composed from the build and the applied imports, in upload order (a later import wins where two cover the
same region):

- villages: the build's village coverage with the imported villages over it, cleaned as a coverage again
  (``geo.clean_coverage``: imported polygons keep their shape, kept neighbours give way where they overlap,
  slivers narrower than 25 m go to a neighbour); display villages simplified as the build does;
- kecamatan and kabupaten: dissolved from those villages (display outlines from the display villages), so
  the three levels still tile after a village import; an imported kecamatan or kabupaten outline takes
  precedence over the dissolved one (the levels below it are not changed by it).

The result is a cache under ``paths.SERVED_GEO_DIR`` (full and display GeoParquet per level, the regions'
geometry attributes, and ``state.json`` with the signature it was made for) plus the map's static GeoJSON.
``ensure_current`` rebuilds both whenever the applied imports or the build changed, on whichever app server
notices first: everything a second server needs is in the store. With no import applied the folder is removed
and the build's own files are served; the static files are then rewritten from the build exactly as the
build wrote them, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Engine, and_, inspect, select

from utils.data import geo, geo_static, paths, store
from utils.domain.codes import BOUNDARY_LEVELS

STATE = "state.json"
REGIONS_GEO = "regions_geo.parquet"
_LOCK = threading.RLock()  # re-entered: ensure_current holds it while it checks the static files


@dataclass(frozen=True)
class AppliedImport:
    """One applied boundary import, as the history and the page header name it."""

    upload_id: int
    level: str
    source_label: str
    file_name: str
    imported_at: dt.datetime
    content_sha256: str


# --------------------------------------------------------------------------------------------------
# The store side


def applied_imports(engine: Engine) -> list[AppliedImport]:
    """The boundary imports in force (``uploads.status`` "applied"), oldest first; [] for a store without
    the tables yet."""
    if not inspect(engine).has_table(store.boundary_imports.name):
        return []
    b, u = store.boundary_imports, store.uploads
    query = (select(b.c.upload_id, b.c.level, b.c.source_label, u.c.file_name, u.c.uploaded_at, b.c.content_sha256)
             .join(u, u.c.upload_id == b.c.upload_id)
             .where(and_(u.c.status == "applied", u.c.kind == "boundary"))
             .order_by(b.c.upload_id))
    with engine.connect() as conn:
        return [AppliedImport(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in conn.execute(query)]


def import_features(engine: Engine, upload_id: int) -> gpd.GeoDataFrame:
    """The stored features of one import: code, feature, method, overlap, geometry (EPSG:4326)."""
    f = store.boundary_features
    with engine.connect() as conn:
        rows = conn.execute(select(f.c.code, f.c.feature, f.c.method, f.c.overlap, f.c.geometry)
                            .where(f.c.upload_id == upload_id).order_by(f.c.code)).all()
    frame = pd.DataFrame(rows, columns=["code", "feature", "method", "overlap", "geometry"])
    geoms = shapely.from_wkb([bytes(g) for g in frame["geometry"]]) if len(frame) else []
    return gpd.GeoDataFrame(frame.drop(columns="geometry").astype({"code": "str"}), geometry=list(geoms), crs=geo.WGS84)


def content_hash(features: gpd.GeoDataFrame) -> str:
    """SHA-256 over the codes and WKB of an import's features (sorted by code)."""
    h = hashlib.sha256()
    for code, wkb in zip(features["code"], shapely.to_wkb(features.geometry.to_numpy()), strict=True):
        h.update(code.encode() + b"\0" + wkb)
    return h.hexdigest()


# --------------------------------------------------------------------------------------------------
# Composing the layers


def _series(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return gpd.GeoSeries(gdf.geometry.to_numpy(), index=pd.Index(gdf["code"].astype(str)), crs=geo.WGS84)


def _with(base: gpd.GeoSeries, new: dict[str, shapely.Geometry]) -> gpd.GeoSeries:
    """``base`` with the ``new`` geometries replacing or added, sorted by code (no cleaning)."""
    added = gpd.GeoSeries(list(new.values()), index=pd.Index(list(new), dtype="object"), crs=geo.WGS84)
    return gpd.GeoSeries(pd.concat([base.drop(added.index, errors="ignore"), added]).sort_index(), crs=geo.WGS84)


def _overlay(base: gpd.GeoSeries, new: dict[str, shapely.Geometry]) -> tuple[gpd.GeoSeries, dict]:
    """``base`` (a clean coverage) with the ``new`` geometries over it, the neighbourhood cleaned again with the
    new ones winning (``geo.clean_locally``: everything farther away stays exactly as built)."""
    merged = _with(base, new)
    changed = merged.index.isin(list(new))
    previous = base[base.index.isin(list(new))].to_numpy()
    cleaned, stats = geo.clean_locally(merged, changed, previous)
    emptied = cleaned.index[stats.pop("emptied")]
    stats["emptied"] = sorted(emptied)
    return cleaned.drop(emptied), stats


def compose(imports: list[tuple[str, gpd.GeoDataFrame]], geo_dir: Path | None = None
            ) -> tuple[dict[tuple[str, bool], gpd.GeoSeries], dict]:
    """The served layers {(level, display): geometries indexed by code} for the build in ``geo_dir`` with
    ``imports`` ([(level, features with code and geometry)], oldest first) over it; and stats per level."""
    geo_dir = Path(geo_dir or paths.GEO_DIR)
    build = {(lvl, d): _series(gpd.read_parquet(geo_dir / paths.boundary_path(lvl, display=d).name))
             for lvl in BOUNDARY_LEVELS for d in (False, True)}
    new: dict[str, dict[str, shapely.Geometry]] = {lvl: {} for lvl in BOUNDARY_LEVELS}
    for level, features in imports:
        new[level].update(zip(features["code"].astype(str), features.geometry.to_numpy(), strict=True))
    layers = dict(build)
    stats: dict[str, dict] = {}
    if new["desa"]:
        desa, stats["desa"] = _overlay(build[("desa", False)], new["desa"])
        shown, _ = geo.display_geometries(desa, geo.DISPLAY_TOLERANCE_M["desa"])
        layers.update({("desa", False): desa, ("desa", True): shown, **geo.upper_levels(desa, shown)})
    for level in ("kecamatan", "kabupaten"):
        if new[level]:
            full, stats[level] = _overlay(layers[(level, False)], new[level])
            shown, _ = geo.display_geometries(full, geo.DISPLAY_TOLERANCE_M[level])
            layers.update({(level, False): full, (level, True): shown})
            if level == "kecamatan":  # the kabupaten follow their kecamatan
                keys = full.index.str.slice(0, geo.PARENT_PREFIX["kabupaten"])
                layers[("kabupaten", False)] = geo.dissolve(full, keys)
                layers[("kabupaten", True)] = geo.dissolve(shown, keys)
    return layers, stats


# --------------------------------------------------------------------------------------------------
# The cache of served files


def _build_stamp(geo_dir: Path) -> list:
    files = [geo_dir / paths.boundary_path(lvl, display=d).name for lvl in BOUNDARY_LEVELS for d in (False, True)]
    files.append(paths.REGIONS)
    return [[f.name, f.stat().st_mtime_ns, f.stat().st_size] if f.exists() else [f.name, 0, 0] for f in files]


def signature(imports: list[AppliedImport], geo_dir: Path | None = None) -> str:
    """What the served files depend on: the build's files and the applied imports' content."""
    geo_dir = Path(geo_dir or paths.GEO_DIR)
    body = {"build": _build_stamp(geo_dir), "imports": [[i.upload_id, i.level, i.content_sha256] for i in imports]}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _state() -> dict:
    try:
        return json.loads((paths.SERVED_GEO_DIR / STATE).read_text())
    except (OSError, ValueError):
        return {}


def active() -> bool:
    """True while imported layers are served (the cache folder holds a complete set)."""
    return bool(_state().get("signature"))


def layer_path(level: str, display: bool = False) -> Path:
    """The GeoParquet file of ``level`` in force: the cache's while imports are applied, else the build's."""
    built = paths.boundary_path(level, display=display)
    return paths.SERVED_GEO_DIR / built.name if active() else built


def display_dir() -> Path:
    """The folder holding the ``<level>_display.parquet`` files in force (source of the static GeoJSON)."""
    return paths.SERVED_GEO_DIR if active() else paths.GEO_DIR


def regions_with_served_geometry(regions: pd.DataFrame) -> pd.DataFrame:
    """``regions`` with representative points, ``has_polygon`` and areas of the served layers (unchanged
    while only the build is served)."""
    path = paths.SERVED_GEO_DIR / REGIONS_GEO
    if not active() or not path.exists():
        return regions
    return geo.with_region_geometry(regions, pd.read_parquet(path).set_index("code"))


def is_current(engine: Engine) -> bool:
    """True when the served files match the store's applied imports and the build (a read only)."""
    imports = applied_imports(engine)
    if not imports:
        return not (paths.SERVED_GEO_DIR / STATE).exists()
    return _state().get("signature") == signature(imports)


def _write(imports: list[AppliedImport], engine: Engine, regions: pd.DataFrame) -> None:
    features = [(i.level, import_features(engine, i.upload_id)) for i in imports]
    layers, stats = compose(features)
    names = regions.set_index("code")["name"]
    out = paths.SERVED_GEO_DIR
    frames = {}
    for (level, display), geoms in layers.items():
        code = pd.Series(geoms.index.astype(str), dtype="str")
        frames[out / paths.boundary_path(level, display=display).name] = gpd.GeoDataFrame(
            {"code": code, "name": code.map(names).astype("str")}, geometry=list(geoms.to_numpy()), crs=geo.WGS84)
    full = [frames[out / paths.boundary_path(lvl).name] for lvl in BOUNDARY_LEVELS]
    frames[out / REGIONS_GEO] = geo.region_geometry(full).reset_index()
    (out / STATE).unlink(missing_ok=True)  # incomplete until the new state is written last
    paths.write_parquet_atomic(frames)
    geo_static.write_all(regions, out, geo_static.static_dir())
    state = {"signature": signature(imports), "imports": [i.upload_id for i in imports],
             "stats": stats}
    tmp = out / f".{STATE}.tmp"
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    tmp.replace(out / STATE)


def _restore_build(regions: pd.DataFrame) -> None:
    (paths.SERVED_GEO_DIR / STATE).unlink(missing_ok=True)
    geo_static.write_all(regions, paths.GEO_DIR, geo_static.static_dir())
    shutil.rmtree(paths.SERVED_GEO_DIR, ignore_errors=True)


def _missing_layer(geo_dir: Path) -> str | None:
    """The first display layer the map's static files are written from that is not in ``geo_dir``, or None."""
    for level in BOUNDARY_LEVELS:
        if not (geo_dir / f"{level}_display.parquet").is_file():
            return f"geo/{level}_display.parquet"
    return None


def missing_map_file(manifest: dict) -> str | None:
    """The first file the map needs that is not there (a display layer, then the static files, whose
    ``manifest`` the caller has read), or None. Only reads: the files are written by the build and by
    ``ensure_current``, never by a page."""
    return _missing_layer(display_dir()) or (None if manifest else f"static/geo/{geo_static.MANIFEST}")


def _static_in_line() -> bool:
    """Rewrite the map's static GeoJSON when missing or older than the display layers in force (static/geo/
    deleted, a data set at another SV_GEO_DIR); True when it wrote. A read-only install keeps what it has (the
    map page then names the missing file)."""
    geo_dir, out = display_dir(), geo_static.static_dir()
    if _missing_layer(geo_dir) or geo_static.static_current(geo_dir, out):
        return False
    with _LOCK:
        if geo_static.static_current(geo_dir, out):
            return False
        try:
            geo_static.write_all(pd.read_parquet(paths.REGIONS), geo_dir, out)
        except OSError:
            return False
    return True


def ensure_current(engine: Engine | None = None) -> bool:
    """Bring the served files (the composed layers and the map's static GeoJSON) in line with the store's
    applied imports and the build; True when it wrote.

    Called where the data set is loaded (once per data version) and at server start (the warm-up), never by a
    page script. Cheap when current (one query, one small file read). Safe to call from several sessions: one
    rebuilds, the others wait and find it current. A store that cannot be read leaves the files as they are.
    """
    own = engine is None
    engine = engine or store.get_engine()
    try:
        try:
            if is_current(engine):
                return _static_in_line()
        except Exception:  # noqa: BLE001 - an unreadable store: keep serving what is there
            return False
        with _LOCK:
            if is_current(engine):
                return _static_in_line()
            imports = applied_imports(engine)
            regions = pd.read_parquet(paths.REGIONS)
            if imports:
                _write(imports, engine, regions)
            else:
                _restore_build(regions)
            return True
    finally:
        if own:
            engine.dispose()


def served_stats() -> dict:
    """What composing the served layers resolved, per level (overlaps, slivers filled, villages emptied)."""
    return _state().get("stats", {})


def as_imported(level: str, engine: Engine, geo_dir: Path | None = None) -> gpd.GeoSeries:
    """The geometry of ``level`` as the applied imports left it, before any fitting to neighbours: the
    build's polygon, or the latest applied import's for the regions an import covers (indexed by code).
    A new import is compared with this: the same geometry again changes nothing."""
    geo_dir = Path(geo_dir or paths.GEO_DIR)
    base = _series(gpd.read_parquet(geo_dir / paths.boundary_path(level).name))
    new: dict[str, shapely.Geometry] = {}
    for imp in applied_imports(engine):
        if imp.level == level:
            f = import_features(engine, imp.upload_id)
            new.update(zip(f["code"], f.geometry.to_numpy(), strict=True))
    return _with(base, new) if new else base
