"""The regions table written by the data build, checked against counts taken straight from the raw SQL."""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from utils.data import paths

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("SV_SOURCES_MIRROR") or ROOT.parent / "shared" / "sources")
WILAYAH_DB = MIRROR / "github/cahyadsn/wilayah/b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7/db"
CODE_RE = r"^18(\.\d\d(\.\d\d(\.\d{4})?)?)?$"
MISSING_POLYGONS = {
    "18.09.02.2020", "18.09.02.2021", "18.09.05.2032", "18.09.11.2011", "18.12.01.2020", "18.12.01.2021",
    "18.12.03.2010", "18.12.03.2011", "18.12.03.2012", "18.12.03.2013", "18.12.06.2010",
}


def _raw_rows(name: str) -> list[list[str]]:
    """Lampung tuples of a wilayah dump by plain regex (independent of utils.data.wilayah)."""
    if not (WILAYAH_DB / name).is_file():
        pytest.fail("source mirror not available: set SV_SOURCES_MIRROR to the mirror folder (make does when ../shared/sources exists)")
    text = (WILAYAH_DB / name).read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"\(('18(?:\.[0-9.]+)?'(?:,(?:'(?:[^']|'')*'|[-0-9.]+))+)\)", text):
        fields = re.findall(r"'((?:[^']|'')*)'|([-0-9.]+)", m.group(1))
        out.append([(a or b).replace("''", "'") for a, b in fields])
    return out


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    from utils.data.build import ensure_built

    ensure_built()
    return pd.read_parquet(paths.REGIONS)


@pytest.fixture(scope="module")
def raw_wilayah() -> dict[str, str]:
    return {code: name for code, name in _raw_rows("wilayah.sql")}


def test_schema(regions: pd.DataFrame) -> None:
    assert list(regions.columns) == [
        "code", "name", "level", "parent", "kab_code", "kec_code", "village_type", "local_word",
        "display_name", "rep_lon", "rep_lat", "has_polygon", "area_km2", "population",
    ]
    for col in ["code", "name", "level", "parent", "kab_code", "kec_code", "village_type", "local_word",
                "display_name"]:
        assert pd.api.types.is_string_dtype(regions[col]), col
        assert not pd.api.types.is_numeric_dtype(regions[col]), col
    assert regions["has_polygon"].dtype == bool
    assert str(regions["population"].dtype) == "Int64"
    assert regions["rep_lon"].dtype == "float64" and regions["area_km2"].dtype == "float64"
    assert regions["code"].is_monotonic_increasing and regions["code"].is_unique
    assert regions["code"].str.fullmatch(CODE_RE).all()


def test_counts_match_raw_sql(regions: pd.DataFrame, raw_wilayah: dict[str, str]) -> None:
    depth = pd.Series([c.count(".") for c in raw_wilayah]).value_counts().to_dict()
    assert depth == {0: 1, 1: 15, 2: 229, 3: 2651}
    counts = regions["level"].value_counts().to_dict()
    assert counts == {"provinsi": depth[0], "kabupaten": depth[1], "kecamatan": depth[2], "desa": depth[3]}
    assert len(regions) == 2896
    villages = [c for c in raw_wilayah if c.count(".") == 3]
    n_desa = sum(c.split(".")[3].startswith("2") for c in villages)
    n_kel = sum(c.split(".")[3].startswith("1") for c in villages)
    assert (n_desa, n_kel) == (2446, 205)
    vt = regions["village_type"].value_counts().to_dict()
    assert vt == {"desa": n_desa, "kelurahan": n_kel}


def test_codes_and_names_as_in_kemendagri(regions: pd.DataFrame, raw_wilayah: dict[str, str]) -> None:
    assert dict(zip(regions["code"], regions["name"], strict=True)) == raw_wilayah


def test_roll_up_consistency(regions: pd.DataFrame) -> None:
    codes = set(regions["code"])
    non_root = regions[regions["level"] != "provinsi"]
    assert non_root["parent"].isin(codes).all()
    assert (non_root["parent"] == non_root["code"].str.rsplit(".", n=1).str[0]).all()
    villages = regions[regions["level"] == "desa"]
    assert (villages["kab_code"] == villages["code"].str[:5]).all()
    assert (villages["kec_code"] == villages["code"].str[:8]).all()
    assert villages["kab_code"].isin(codes).all() and villages["kec_code"].isin(codes).all()
    assert regions.loc[regions["level"] == "provinsi", "parent"].isna().all()


def test_local_words_and_display_names(regions: pd.DataFrame) -> None:
    with open(paths.LOCAL_WORDS, newline="", encoding="utf-8") as fh:
        words = {row["kab_code"]: row["istilah"] for row in csv.DictReader(fh)}
    v = regions[regions["level"] == "desa"]
    desa = v[v["village_type"] == "desa"]
    assert (desa["local_word"] == desa["kab_code"].map(words)).all()
    assert (v.loc[v["village_type"] == "kelurahan", "local_word"] == "kelurahan").all()
    assert regions.loc[regions["level"] != "desa", ["village_type", "local_word"]].isna().all().all()
    shown = dict(zip(regions["name"] + "|" + regions["level"], regions["display_name"], strict=False))
    assert shown["Lampung|provinsi"] == "Provinsi Lampung"
    assert shown["Kabupaten Tanggamus|kabupaten"] == "Kab. Tanggamus"
    assert shown["Kota Metro|kabupaten"] == "Kota Metro"
    assert shown["Gisting|kecamatan"] == "Kec. Gisting"
    assert shown["Gisting Atas|desa"] == "Pekon Gisting Atas"
    assert shown["Pasar Liwa|desa"] == "Kelurahan Pasar Liwa"


def test_population_and_big_area(regions: pd.DataFrame) -> None:
    luas = {r[0]: float(r[2]) for r in _raw_rows("wilayah_luas.sql")}
    pop = {r[0]: int(r[4]) for r in _raw_rows("wilayah_penduduk.sql")}
    upper = regions[regions["level"].isin(["provinsi", "kabupaten"])].set_index("code")
    assert len(upper) == 16
    for code, row in upper.iterrows():
        assert row["area_km2"] == pytest.approx(luas[code]), code
        assert int(row["population"]) == pop[code], code
    assert regions.loc[~regions["level"].isin(["provinsi", "kabupaten"]), "population"].isna().all()


def test_polygon_attributes(regions: pd.DataFrame) -> None:
    v = regions[regions["level"] == "desa"]
    assert set(v.loc[~v["has_polygon"], "code"]) == MISSING_POLYGONS
    assert int(v["has_polygon"].sum()) == 2640
    with_poly = regions[regions["has_polygon"]]
    assert with_poly[["rep_lon", "rep_lat"]].notna().all().all()
    assert regions.loc[~regions["has_polygon"], ["rep_lon", "rep_lat"]].isna().all().all()
    # Lampung lies roughly within 103.5..106.5 E, 3.5..6.5 S.
    assert with_poly["rep_lon"].between(103.5, 106.5).all() and with_poly["rep_lat"].between(-6.5, -3.5).all()
    assert (regions.loc[regions["level"] == "kecamatan", "has_polygon"]).all()
    assert (v.loc[v["has_polygon"], "area_km2"] > 0).all()


def test_village_area_sum_matches_big(regions: pd.DataFrame) -> None:
    big = {r[0]: float(r[2]) for r in _raw_rows("wilayah_luas.sql")}["18"]
    assert math.isclose(big, 33570.758, rel_tol=1e-6)
    total = regions.loc[regions["level"] == "desa", "area_km2"].sum()
    assert total == pytest.approx(big, rel=0.02)
    kec_total = regions.loc[regions["level"] == "kecamatan", "area_km2"].sum()
    assert kec_total == pytest.approx(big, rel=0.02)
