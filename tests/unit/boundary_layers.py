"""Boundary layers a GIS unit might send, written here from the build's own village geometry (never by the
code under test): BPS 2020 codes with and without a prefix, only names in other spellings, pseudo-areas
(forest, lake, transmigration units), another CRS, one kabupaten, polygons shifted by a few kilometres.

Each builder returns the layer and what the test knows about it (the true Kemendagri code of every feature),
so expectations are computed from the file itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import shapely.affinity

from utils.data import paths

UTM48S = "EPSG:32748"
#: Pseudo-areas added to a layer: (name, kind the import must give as reason, kabupaten it sits in).
PSEUDO = [("Kawasan Hutan Register 45", "forest", "18.11"), ("HUTAN LINDUNG BUKIT REREK", "forest", "18.03"),
          ("Danau Ranau", "lake", "18.04"), ("UPT SP 3 Rawa Pitu", "transmigration", "18.05"),
          ("SP-2 Mesuji Timur", "transmigration", "18.11")]


def built_villages() -> gpd.GeoDataFrame:
    """The build's village layer (code, name, geometry) with kecamatan and kabupaten names."""
    regions = pd.read_parquet(paths.REGIONS).set_index("code")
    desa = gpd.read_parquet(paths.boundary_path("desa"))
    desa["kec_name"] = desa["code"].str.slice(0, 8).map(regions["name"])
    desa["kab_name"] = desa["code"].str.slice(0, 5).map(regions["name"])
    return desa


def bps_codes(desa: gpd.GeoDataFrame) -> pd.Series:
    """A BPS-style 10-digit code per village: its kecamatan's BPS 2020 code (reverse crosswalk) and a 3-digit
    number. A kecamatan formed after 2020 (not in the crosswalk) gets the code of its kabupaten's first one,
    as a 2020 layer would have it under the kecamatan it split from."""
    xw = pd.read_parquet(paths.CROSSWALK_KEC)
    to_bps = dict(zip(xw["kemendagri_code"], xw["bps_code"], strict=True))
    kec = desa["code"].str.slice(0, 8)
    first_of_kab = {k[:5]: b for k, b in sorted(to_bps.items(), reverse=True)}
    bps_kec = kec.map(lambda k: to_bps.get(k) or first_of_kab[k[:5]])
    number = desa.groupby(kec).cumcount() + 1
    return bps_kec + number.map(lambda n: f"{n:03d}")


def spelt_otherwise(name: str, i: int) -> str:
    """Another publisher's spelling of a village name, one of several variants by ``i``."""
    variants = [
        lambda s: s.upper(),
        lambda s: s.replace(" ", ""),
        lambda s: re.sub(r"[Mm]ulyo\b", "Mulya", s),
        lambda s: re.sub(r"\bTanjung\b", "Tj.", s),
        lambda s: re.sub(r"[Jj]aya\b", "Djaja", s),
        lambda s: s.replace("u", "oe"),
        lambda s: re.sub(r"\bWay\b", "Wai", s),
        lambda s: s,
    ]
    return variants[i % len(variants)](name)


def square_at(desa: gpd.GeoDataFrame, code: str, half: float = 0.004) -> shapely.Polygon:
    point = desa.set_index("code").at[code, "geometry"].representative_point()
    return shapely.box(point.x - half, point.y - half, point.x + half, point.y + half)


def pseudo_features(desa: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Small squares named like pseudo-areas, each inside a village of its kabupaten."""
    rows = []
    for name, _, kab in PSEUDO:
        code = desa.loc[desa["code"].str.startswith(kab + "."), "code"].iloc[3]
        rows.append({"name": name, "geometry": square_at(desa, code, 0.003)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def republished(geoms: gpd.GeoSeries, metres: float = 30.0) -> gpd.GeoSeries:
    """The same polygons as another publisher generalised them: simplified by ``metres`` as one coverage
    (neighbours in the file keep their shared edges; the seams with villages the file lacks do not match)."""
    return geoms.to_crs(UTM48S).simplify_coverage(metres).to_crs("EPSG:4326")


def bps_layer(prefix: str = "id", split: bool = True, kabs: tuple[str, ...] = ()) -> tuple[gpd.GeoDataFrame, dict]:
    """Every village with a BPS code (``prefix`` + 10 digits), a name in another spelling, the file's own
    kecamatan and kabupaten names, polygons digitised otherwise; plus pseudo-areas; and, with ``split``, one
    village missing and its neighbour's polygon covering it (a parent from before a split).

    Returns (layer, truth) with truth: ``code`` (true Kemendagri code per feature, None for pseudo-areas),
    ``pseudo`` (feature positions -> reason), ``split`` (parent code, covered code).
    """
    desa = built_villages()
    desa["bps"] = bps_codes(desa)
    if kabs:
        desa = desa[desa["code"].str.slice(0, 5).isin(kabs)]
    split_pair = None
    if split:
        kec = desa[desa["code"].str.startswith("18.06.20.")].reset_index(drop=True)  # Gisting
        a, b = kec["code"].iloc[0], None
        geom_a = kec["geometry"].iloc[0]
        for code, geom in zip(kec["code"].iloc[1:], kec["geometry"].iloc[1:], strict=True):
            if geom_a.touches(geom) or geom_a.intersects(geom):
                b = code
                break
        union = shapely.union_all([geom_a, desa.set_index("code").at[b, "geometry"]])
        desa.loc[desa["code"] == a, "geometry"] = union
        desa = desa[desa["code"] != b]
        split_pair = (a, b)
    geoms = republished(desa.geometry)
    layer = gpd.GeoDataFrame({
        "KODE_BPS": [f"{prefix}{c}" for c in desa["bps"]],
        "NAMOBJ": [spelt_otherwise(n, i) for i, n in enumerate(desa["name"])],
        "WADMKC": desa["kec_name"].str.upper().to_numpy(),
        "WADMKK": desa["kab_name"].str.upper().to_numpy(),
    }, geometry=list(geoms.to_numpy()), crs="EPSG:4326")
    pseudo = pseudo_features(built_villages()) if not kabs else pseudo_features(built_villages()).iloc[0:0]
    extra = gpd.GeoDataFrame({"KODE_BPS": [None] * len(pseudo), "NAMOBJ": pseudo["name"],
                              "WADMKC": [None] * len(pseudo), "WADMKK": [None] * len(pseudo)},
                             geometry=pseudo.geometry.to_numpy(), crs="EPSG:4326")
    out = gpd.GeoDataFrame(pd.concat([layer, extra], ignore_index=True), crs="EPSG:4326")
    truth = {"code": [*desa["code"], *[None] * len(pseudo)],
             "pseudo": {len(layer) + i: kind for i, (_, kind, _) in enumerate(PSEUDO[:len(pseudo)])},
             "split": split_pair}
    return out, truth


def names_layer(kab: str | None = None, swapped_every: int = 0, nameless_every: int = 0
                ) -> tuple[gpd.GeoDataFrame, dict]:
    """Villages by name only (no code, no kecamatan column), in other spellings, digitised otherwise.

    Every ``swapped_every``-th village with a name of two or more words has its words in another order and a
    polygon of only its central part (scaled to 0.6: neither name nor location places it alone, so it is
    offered as a suggestion); every ``nameless_every``-th has no name (only its location places it).
    """
    desa = built_villages()
    if kab:
        desa = desa[desa["code"].str.startswith(kab + ".")]
    geoms = republished(desa.geometry).to_numpy().copy()
    names, swapped, nameless = [], [], []
    for i, (code, name) in enumerate(zip(desa["code"], desa["name"], strict=True)):
        words = name.split()
        if nameless_every and i % nameless_every == nameless_every - 1:
            names.append(None)
            nameless.append(code)
        elif swapped_every and i % swapped_every == 0 and len(words) > 1:
            names.append(" ".join(words[1:] + words[:1]))
            geoms[i] = shapely.affinity.scale(geoms[i], 0.6, 0.6, origin="centroid")
            swapped.append(code)
        else:
            names.append(spelt_otherwise(name, i))
    layer = gpd.GeoDataFrame({"nama": names}, geometry=list(geoms), crs="EPSG:4326")
    return layer, {"code": desa["code"].tolist(), "swapped": swapped, "nameless": nameless}


def kemendagri_layer(kab: str | None = None, shift_km: float = 0.0, shifted_every: int = 0,
                     dotted: bool = True) -> tuple[gpd.GeoDataFrame, dict]:
    """Villages with Kemendagri codes (dotted or digits), optionally one kabupaten only, optionally every
    ``shifted_every``-th polygon moved ``shift_km`` east (a layer with misplaced polygons)."""
    desa = built_villages()
    if kab:
        desa = desa[desa["code"].str.startswith(kab + ".")].reset_index(drop=True)
    geoms = republished(desa.geometry).to_crs(UTM48S)
    shifted = []
    if shift_km and shifted_every:
        values = geoms.to_numpy().copy()
        for i in range(0, len(values), shifted_every):
            values[i] = shapely.affinity.translate(values[i], xoff=shift_km * 1000)
            shifted.append(desa["code"].iloc[i])
        geoms = gpd.GeoSeries(values, crs=UTM48S)
    codes = desa["code"] if dotted else desa["code"].str.replace(".", "", regex=False)
    layer = gpd.GeoDataFrame({"KDEPUM": codes.to_numpy(), "WADMKD": desa["name"].to_numpy()},
                             geometry=list(geoms.to_crs("EPSG:4326").to_numpy()), crs="EPSG:4326")
    return layer, {"code": desa["code"].tolist(), "shifted": shifted}


def zipped_shapefile(gdf: gpd.GeoDataFrame, folder: Path, crs: str | None = None, name: str = "batas") -> bytes:
    """The layer as a zipped ESRI shapefile (optionally reprojected first), as a GIS unit sends it."""
    folder.mkdir(parents=True, exist_ok=True)
    out = gdf.to_crs(crs) if crs else gdf
    out.to_file(folder / f"{name}.shp", engine="pyogrio")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(folder.glob(f"{name}.*")):
            zf.write(part, f"{name}/{part.name}")
    return buf.getvalue()


def geojson(gdf: gpd.GeoDataFrame, folder: Path | None = None, crs: str | None = None) -> bytes:
    """The layer as GeoJSON: WGS84 without a crs member (RFC 7946), or in ``crs`` with a crs member (GDAL
    writes one for any other CRS; needs a ``folder`` to write into)."""
    if crs is None:
        return gdf.to_json(drop_id=True).encode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "batas.geojson"
    gdf.to_crs(crs).to_file(path, driver="GeoJSON", engine="pyogrio")
    return path.read_bytes()


def same_within(a: shapely.Geometry, b: shapely.Geometry, metres: float) -> bool:
    """True when two WGS84 polygons are within ``metres`` of each other everywhere (Hausdorff, in UTM)."""
    pair = gpd.GeoSeries([a, b], crs="EPSG:4326").to_crs(UTM48S).to_numpy()
    return float(shapely.hausdorff_distance(pair[0], pair[1])) <= metres


def iou(a: shapely.Geometry, b: shapely.Geometry) -> float:
    pair = gpd.GeoSeries([a, b], crs="EPSG:4326").to_crs(UTM48S).to_numpy()
    inter = shapely.intersection(pair[0], pair[1]).area
    return float(inter / (pair[0].area + pair[1].area - inter))

