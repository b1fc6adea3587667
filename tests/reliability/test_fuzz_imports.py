"""Fuzzing the IDM workbook import and the boundary import with random and mutated files.

Seeds are real: the published IDM 2024 workbook cut to its title block, header and 15 desa (relabelled 2025,
as tests/unit/test_import_idm.py does), and a GeoJSON and a zipped shapefile of five Gedung Surian villages
(tests/unit/test_import_boundaries.py). Mutations: truncation, byte flips, zip entries dropped, garbled,
renamed, added (path traversal too), random cells and random headers, random JSON. Every case: either a plan
or ``Refused`` with a non-empty message from the string tables in both languages; no other exception;
nothing written under data/imports (the plans get a temporary imports folder) and the store unchanged.
"""

from __future__ import annotations

import io
import json
import random
import re

import geopandas as gpd
import openpyxl
import pandas as pd
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.files import MIRROR, doctored, names_only_geojson, shapefile_parts, square, zipped
from tests.reliability.fuzz_common import (
    FUZZ,
    RUN,
    byte_mutation,
    known_message,
    make_zip,
    zip_entries,
    zip_mutation,
)
from utils.data import paths, sources
from utils.intake import boundaries as ib
from utils.intake import village_index as ii

REGIONS = pd.read_parquet(paths.REGIONS)


def _real_rows() -> list[tuple]:
    path = sources.fetch(sources.BY_KEY["idm_2024"], mirror=MIRROR)
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return rows


REAL_ROWS = _real_rows()
IDM_SEED, _ = doctored(REAL_ROWS, 2025, 15)
GEOJSON_SEED = names_only_geojson(REGIONS)


def _shapefile_seed(tmp) -> bytes:
    codes = ["18.04.15.2001", "18.04.15.2002", "18.04.15.2003"]
    gdf = gpd.GeoDataFrame({"KDEPUM": codes, "NAMOBJ": ["Gedung Surian", "Pura Mekar", "Cipta Waras"]},
                           geometry=[square(REGIONS, c) for c in codes], crs="EPSG:4326").to_crs("EPSG:32748")
    return zipped(shapefile_parts(gdf, tmp))


def _check_refusal(exc: ii.Refused) -> None:
    assert known_message(exc.key), exc.key
    for lang in ("id", "en"):
        assert exc.text(lang).strip()


@st.composite
def idm_cells(draw) -> bytes:
    """The seed's rows with random cells and random header names, written as a new workbook."""
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(IDM_SEED)).worksheets[0].iter_rows(values_only=True)]
    h = next(i for i, r in enumerate(rows) if r and r[0] == "KODE PROV")
    for _ in range(draw(st.integers(1, 10))):
        i = draw(st.sampled_from([h, h, h + 1, h + 2, h + 5, len(rows) - 1]))
        j = draw(st.integers(0, len(rows[i]) - 1))
        rows[i][j] = draw(st.one_of(st.none(), st.text(max_size=20), st.integers(-5, 10**10),
                                    st.floats(allow_nan=True, allow_infinity=True),
                                    st.sampled_from(["MANDIRI", "BERKEMBANG", "18.06.20.2006", "31.71.01.1001",
                                                     "2024", "2025", "KODE DESA"])))
    wb = openpyxl.Workbook()
    for r in rows:
        try:
            wb.active.append(r)
        except Exception:  # noqa: BLE001 - a control character openpyxl refuses: Excel cannot make that file
            wb.active.append([None] * len(r))
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps created/modified with the clock; a later layer draws offsets within these bytes, so
    # the bytes must not depend on when the test runs (hypothesis replays a case and needs the same sizes).
    entries = [(name, re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-12-17T00:00:00Z", content)
                if name == "docProps/core.xml" else content) for name, content in zip_entries(buf.getvalue())]
    return make_zip(entries)


@st.composite
def idm_file(draw) -> tuple[str, bytes]:
    layer = draw(st.sampled_from(["cells", "zip", "bytes", "random", "cells+bytes"]))
    if layer == "random":
        return draw(st.sampled_from(["idm.xlsx", "idm.xls", "idm.csv"])), draw(st.binary(max_size=4096))
    data = draw(idm_cells()) if "cells" in layer else IDM_SEED
    if layer == "zip":
        data = draw(zip_mutation(data))
    if "bytes" in layer:
        data = draw(byte_mutation(data))
    return "IDM_2025.xlsx", data


CATALOGUE = pd.read_parquet(paths.INDEKS_DESA_ITEMS)


def test_idm_seed_is_a_valid_import():
    plan = ii.plan_upload(IDM_SEED, "IDM_2025.xlsx", REGIONS, CATALOGUE, 2024)
    assert isinstance(plan, ii.IdmPlan) and plan.year == 2025 and len(plan.desa) == 15


@settings(FUZZ, max_examples=150)
@given(case=idm_file())
def test_idm_import_never_crashes_and_explains_every_refusal(case, unchanged, tmp_path_factory):
    name, data = case
    RUN["idm"] = RUN.get("idm", 0) + 1
    imports = tmp_path_factory.mktemp("imports")
    try:  # the page's entry point: an IDM workbook, else the Indeks Desa reader
        plan = ii.plan_upload(data, name, REGIONS, CATALOGUE, 2024)
    except ii.Refused as exc:
        RUN["idm_refused"] = RUN.get("idm_refused", 0) + 1
        _check_refusal(exc)
    else:
        if isinstance(plan, ii.IdmPlan):
            assert plan.year != 2024 and not plan.desa.empty
        else:  # read as an Indeks Desa file: every problem is an explained error or finding
            assert all(e.message("id") and e.message("en") for e in plan.read.errors + plan.read.findings)
    assert not any(imports.iterdir())  # planning writes nothing


def _index_seed() -> bytes:
    from tests import indeks_desa_files as ixf

    codes = REGIONS[(REGIONS["kab_code"] == "18.06") & (REGIONS["village_type"] == "desa")][["code", "name"]].head(5)
    return ixf.write_workbook(ixf.make_desa(list(codes.itertuples(index=False, name=None)), seed=41))


INDEX_SEED = _index_seed()


@st.composite
def index_cells(draw) -> bytes:
    """An Indeks Desa seed workbook (written from the mirrored structure) with random cells and headers."""
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(INDEX_SEED)).worksheets[0].iter_rows(values_only=True)]
    h = next(i for i, r in enumerate(rows) if r and r[0] == "Provinsi")
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.sampled_from([0, h, h, h + 1, h + 2, len(rows) - 1]))
        j = draw(st.integers(0, len(rows[h]) - 1))
        while len(rows[i]) <= j:
            rows[i].append(None)
        rows[i][j] = draw(st.one_of(st.none(), st.text(max_size=20), st.integers(-5, 10**10),
                                    st.floats(allow_nan=True, allow_infinity=True),
                                    st.sampled_from(["Mandiri", "maju", "STATUS ID 26", "Nilai ID", "Skor Sosial",
                                                     "3,5", "18.06.20.2006", "3171011001", "INDEKS DESA 2024",
                                                     "Kode Wilayah Administrasi Desa", "Desa"])))
    wb = openpyxl.Workbook()
    for r in rows:
        try:
            wb.active.append(r)
        except Exception:  # noqa: BLE001 - a control character openpyxl refuses
            wb.active.append([None] * len(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_index_seed_is_a_valid_import():
    plan = ii.plan_upload(INDEX_SEED, "ID_2025.xlsx", REGIONS, CATALOGUE, 2024)
    assert isinstance(plan, ii.IndexPlan) and plan.accepted and len(plan.read.desa) == 5


@settings(FUZZ, max_examples=120)
@given(data=index_cells())
def test_indeks_desa_import_never_crashes_and_explains_every_problem(data, unchanged):
    RUN["indeks_desa"] = RUN.get("indeks_desa", 0) + 1
    try:
        plan = ii.plan_upload(data, "ID_2025.xlsx", REGIONS, CATALOGUE, 2024)
    except ii.Refused as exc:
        RUN["indeks_desa_refused"] = RUN.get("indeks_desa_refused", 0) + 1
        _check_refusal(exc)
    else:
        if isinstance(plan, ii.IndexPlan):
            for issue in plan.read.errors + plan.read.findings:
                assert issue.message("id").strip() and issue.message("en").strip()
            if plan.accepted:
                assert plan.read.year >= 2025 and len(plan.read.desa) > 0
                assert plan.read.items["score"].between(1, 5).all()


@st.composite
def geojson_mutation(draw) -> bytes:
    """Structural mutations of the seed GeoJSON: properties, geometry types, coordinates, crs member."""
    fc = json.loads(GEOJSON_SEED)
    how = draw(st.sampled_from(["props", "geom", "coords", "crs", "empty", "keys"]))
    feats = fc["features"]
    f = feats[draw(st.integers(0, len(feats) - 1))]
    if how == "props":
        f["properties"] = {draw(st.text(max_size=10)): draw(st.one_of(st.none(), st.text(max_size=20), st.integers()))}
    elif how == "geom":
        f["geometry"] = draw(st.sampled_from([None, {"type": "Point", "coordinates": [104.5, -5.2]},
                                              {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                                              {"type": "Polygon", "coordinates": []}, {"type": "Nonsense"}]))
    elif how == "coords":
        dx = draw(st.floats(-200, 200))
        f["geometry"] = shapely.geometry.mapping(shapely.affinity.translate(shapely.geometry.shape(f["geometry"]), dx))
    elif how == "crs":
        fc["crs"] = {"type": "name", "properties": {"name": draw(st.sampled_from(
            ["EPSG:32748", "EPSG:3857", "urn:ogc:def:crs:EPSG::99999", "nonsense"]))}}
    elif how == "empty":
        fc["features"] = []
    else:
        fc = {draw(st.text(max_size=8)): fc["features"]}
    return json.dumps(fc).encode()


@st.composite
def boundary_file(draw, shp_seed: bytes) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["geojson", "geojson-bytes", "zip", "zip-bytes", "random"]))
    if kind == "random":
        return draw(st.sampled_from(["b.zip", "b.geojson", "b.json", "b.gpkg", "b.shp"])), draw(st.binary(max_size=2048))
    if kind.startswith("geojson"):
        data = draw(geojson_mutation())
        return "batas.geojson", draw(byte_mutation(data)) if kind.endswith("bytes") else data
    data = draw(zip_mutation(shp_seed))
    return "batas.zip", draw(byte_mutation(data)) if kind.endswith("bytes") else data


SHP_SEED: dict[str, bytes] = {}


def test_boundary_seeds_are_valid_imports(tmp_path):
    SHP_SEED["zip"] = _shapefile_seed(tmp_path)
    for name, data in (("batas.geojson", GEOJSON_SEED), ("batas.zip", SHP_SEED["zip"])):
        plan = ib.plan_boundary_import(ib.read_boundary_upload(data, name), "desa", REGIONS)
        assert plan.counts()["matched"] >= 3


@settings(FUZZ, max_examples=200)
@given(data=st.data())
def test_boundary_import_never_crashes_and_explains_every_refusal(data, unchanged, tmp_path_factory):
    if "zip" not in SHP_SEED:
        SHP_SEED["zip"] = _shapefile_seed(tmp_path_factory.mktemp("shp"))
    name, content = data.draw(boundary_file(SHP_SEED["zip"]))
    RUN["boundary"] = RUN.get("boundary", 0) + 1
    imports = tmp_path_factory.mktemp("imports")
    try:
        src = ib.read_boundary_upload(content, name)
        plan = ib.plan_boundary_import(src, random.Random(len(content)).choice(["desa", "kecamatan"]), REGIONS)
    except ib.Refused as exc:
        RUN["boundary_refused"] = RUN.get("boundary_refused", 0) + 1
        _check_refusal(exc)
    else:
        assert set(plan.counts()) >= {"matched"}
    assert not any(imports.iterdir())
