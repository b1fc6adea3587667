"""Codes, SQL dump parsing, name matching, village search and the BPS crosswalk."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest

from utils.data import paths, wilayah
from utils.domain.codes import among, to_dotted, to_dotted_series

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("SV_SOURCES_MIRROR") or ROOT.parent / "shared" / "sources")
XWALK = MIRROR / (
    "github/zakiego/Kode-Wilayah-Administrasi-Indonesia-Relasi-BPS-Kemendagri/"
    "8d5e83e7ffdb17e114ae2eeeb2cbfc1859f1813b/csv"
)


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    from utils.data.build import ensure_built

    ensure_built()
    return pd.read_parquet(paths.REGIONS)


@pytest.mark.parametrize(
    "raw,expected",
    [
        (1801042001, "18.01.04.2001"),
        ("1801042001", "18.01.04.2001"),
        ("1801042001.0", "18.01.04.2001"),
        (1801042001.0, "18.01.04.2001"),
        (" 1801042001 ", "18.01.04.2001"),
        ("18.01.04.2001", "18.01.04.2001"),
        (180104, "18.01.04"),
        ("180104.0", "18.01.04"),
        (1801, "18.01"),
        ("18.72", "18.72"),
        (18, "18"),
    ],
)
def test_to_dotted(raw: object, expected: str) -> None:
    assert to_dotted(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", 1801042, "18010420011", 1801042001.5, float("nan"), "1801040"])
def test_to_dotted_rejects(raw: object) -> None:
    with pytest.raises(ValueError):
        to_dotted(raw)


def test_to_dotted_series_keeps_missing() -> None:
    s = pd.Series([1801042001.0, None, "1872"], dtype=object)
    out = to_dotted_series(s)
    assert out.iloc[0] == "18.01.04.2001" and pd.isna(out.iloc[1]) and out.iloc[2] == "18.72"


@pytest.mark.parametrize("allowed", [
    ["18.06.20.2006", "18.71.01.1001", "99"], {"18.06.20.2006", "18.71.01.1001"}, (), pd.Index(["18.71.01.1001"]),
    pd.Series(["18.06.20.2006", "18.06.20"], dtype="str")])
@pytest.mark.parametrize("dtype", ["str", "object"])
def test_among_is_set_membership_for_every_container(allowed, dtype) -> None:
    # The village list of the province as the store types it (Arrow strings) or as plain objects, a missing
    # code among them: a code is in when the allowed values hold it, by Python set membership.
    codes = pd.read_parquet(paths.REGIONS, columns=["code"])["code"].tolist() + [None]
    series = pd.Series(codes, dtype=dtype)
    allowed_set = set(allowed)
    expected = [c in allowed_set for c in codes]
    assert series.isin(list(allowed)).tolist() == expected  # what it replaces
    for shape in (series, pd.Index(series), series.to_numpy()):
        got = among(shape, allowed)
        assert got.dtype == bool and got.tolist() == expected
    assert sum(expected) == len(allowed_set & set(codes)) and sum(expected) < len(codes)


def test_sql_tuples_with_escaped_quotes_parens_and_numbers() -> None:
    sql = (
        "INSERT INTO wilayah (kode, nama) VALUES\n"
        "('11.01.02.2018','Pasi Kuala Ba''u'),\n"
        "('18.01','Kabupaten Lampung Selatan'),\n"
        "('18.01.04.2001','Hajimena (Baru), Ba\\'u'),\n"
        "('18.01.04.2002','Sidosari',-5.1,105.25,NULL);\n"
    )
    rows = list(wilayah.iter_sql_rows(sql))
    assert rows == [
        ("18.01", "Kabupaten Lampung Selatan"),
        ("18.01.04.2001", "Hajimena (Baru), Ba'u"),
        ("18.01.04.2002", "Sidosari", "-5.1", "105.25", None),
    ]
    everything = list(wilayah.iter_sql_rows(sql, code_prefix=None))
    assert everything[0] == ("11.01.02.2018", "Pasi Kuala Ba'u")


@pytest.mark.parametrize(
    "a,b",
    [
        ("Ringinjaya", "Ringin Jaya"),
        ("Gedungsurian", "Kec. Gedung Surian"),
        ("Pekon Gisting Atas", "gisting-atas"),
        ("Kabupaten Lampung Barat", "LAMPUNG BARAT"),
        ("Kota Bandar Lampung", "Bandar Lampung"),
        ("Tiyuh Marga Asri", "Marga Asri"),
        ("Kampung Sri Mulyo", "Desa Srimulyo"),
        ("Kelurahan Pasar Liwa", "Pasar Liwa"),
    ],
)
def test_normalise_name_matches_variants(a: str, b: str) -> None:
    assert wilayah.normalise_name(a) == wilayah.normalise_name(b)


def test_normalise_name_basics() -> None:
    assert wilayah.normalise_name("Kec. Gedung Surian") == "gedungsurian"
    assert wilayah.normalise_name(None) == ""
    assert wilayah.normalise_name("Desaku") == "desaku"  # a prefix only counts as a whole word


@pytest.mark.parametrize("query", ["Ringin Jaya", "Ringinjaya", "ringin-jaya", "Pekon Ringinjaya"])
def test_search_spelling_variants(regions: pd.DataFrame, query: str) -> None:
    hits = wilayah.search_villages(regions, query)
    top = hits.iloc[0]
    assert top["code"] == "18.04.23.2004"
    assert top["kec_name"] == "Bandar Negeri Suoh"
    assert top["label"] == "Pekon Ringin Jaya — Kec. Bandar Negeri Suoh, Kab. Lampung Barat"


def test_search_trimulyo_villages_are_distinguishable(regions: pd.DataFrame) -> None:
    hits = wilayah.search_villages(regions, "Trimulyo", limit=6)
    assert len(hits) == 6
    assert hits["label"].is_unique and hits["code"].is_unique
    assert (hits["name"].str.startswith("Trimulyo")).all()
    gs = hits[hits["kec_name"] == "Gedung Surian"]
    assert gs["code"].tolist() == ["18.04.15.2004"]
    assert gs["label"].iloc[0] == "Pekon Trimulyo — Kec. Gedung Surian, Kab. Lampung Barat"
    # Exact name matches come before near names.
    exact = hits["name"] == "Trimulyo"
    assert exact.iloc[: int(exact.sum())].all()


@pytest.mark.parametrize("query", ["Trimulyo gedungsurian", "trimulyo, Gedung Surian", "Pekon Trimulyo Gedung Surian"])
def test_search_with_kecamatan_context(regions: pd.DataFrame, query: str) -> None:
    assert wilayah.search_villages(regions, query).iloc[0]["code"] == "18.04.15.2004"


def test_search_kecamatan_spelling_variant(regions: pd.DataFrame) -> None:
    hits = wilayah.search_villages(regions, "Klumbayan", limit=5)
    assert len(hits) and (hits["kec_name"].str.startswith("Kelumbayan")).all()


def test_search_empty_and_limit(regions: pd.DataFrame) -> None:
    assert wilayah.search_villages(regions, "  ").empty
    assert len(wilayah.search_villages(regions, "Sidomulyo", limit=3)) == 3
    assert wilayah.search_villages(regions, "qqqqxxxx").empty


def test_crosswalk_kabupaten(regions: pd.DataFrame) -> None:
    xw = pd.read_parquet(paths.CROSSWALK_KAB)
    assert list(xw.columns) == ["bps_code", "bps_name", "kemendagri_code", "kemendagri_name"]
    assert all(pd.api.types.is_string_dtype(xw[c]) for c in xw.columns)
    m = xw.set_index("bps_code")["kemendagri_code"]
    assert m["1801"] == "18.04" and m["1803"] == "18.01"
    names = regions.set_index("code")["name"]
    assert names[m["1801"]] == "Kabupaten Lampung Barat"
    assert names[m["1803"]] == "Kabupaten Lampung Selatan"
    # Independent: the raw CSV's Lampung rows, and how few agree by digits.
    with open(XWALK / "kabkota.csv", newline="", encoding="utf-8") as fh:
        raw = {r["kode_bps"]: r["kode_dagri"] for r in csv.DictReader(fh) if r["kode_bps"].startswith("18")}
    assert len(xw) == len(raw) == 15
    assert {k: v.replace(".", "") for k, v in m.items()} == raw
    assert sum(k == v for k, v in raw.items()) == 7
    assert set(m) and set(m.values) <= set(names.index)


def test_crosswalk_kecamatan(regions: pd.DataFrame) -> None:
    xw = pd.read_parquet(paths.CROSSWALK_KEC)
    with open(XWALK / "kecamatan.csv", newline="", encoding="utf-8") as fh:
        raw = {r["kode_bps"]: r["kode_dagri"] for r in csv.DictReader(fh) if r["kode_bps"].startswith("18")}
    assert len(xw) == len(raw)
    assert xw["kemendagri_code"].str.fullmatch(r"^18\.\d\d\.\d\d$").all()
    assert dict(zip(xw["bps_code"], xw["kemendagri_code"].str.replace(".", ""), strict=True)) == raw
    # Balik Bukit: BPS kabupaten 1801 is Kemendagri 18.04 Lampung Barat.
    assert xw.set_index("bps_code").loc["1801040", "kemendagri_code"] == "18.04.04"
