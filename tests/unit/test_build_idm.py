"""IDM outputs of the build, checked against openpyxl counts on the workbook itself, plus layout handling."""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from utils.data import idm, paths

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("SV_SOURCES_MIRROR") or ROOT.parent / "shared" / "sources")
WORKBOOK = MIRROR / (
    "github/geraldolst/tubesdatnal-k01_3/cab263e2a80118fcb7b4f5aa14ca4ee5b0edcde7/"
    "data/raw/rekomendasi_provinsi/REKOMENDASI_IDM_PROVINSI_18_2024.xlsx"
)
HEADER = [
    "KODE PROV", "NAMA PROVINSI", "KODE KAB", "NAMA KABUPATEN", "KODE KEC", "NAMA KECAMATAN", "KODE DESA",
    "NAMA DESA", "IKS 2024", "IKE 2024", "IKL 2024", "NILAI IDM 2024", "STATUS IDM 2024", "TARGET IDM 2025",
    "KETERANGAN", "KEGIATAN YANG DAPAT DILAKUKAN", "NILAI", "PUSAT", "PROVINSI", "KABUPATEN", "DESA",
    "SWASTA", "MASYARAKAT",
]


@pytest.fixture(scope="module")
def sheet() -> dict:
    """Independent counts straight from the workbook with openpyxl."""
    if not WORKBOOK.is_file():
        pytest.fail("source mirror not available: set SV_SOURCES_MIRROR to the mirror folder (make does when ../shared/sources exists)")
    wb = openpyxl.load_workbook(WORKBOOK, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    h = next(i for i, r in enumerate(rows) if r[0] == "KODE PROV")
    col = {name: i for i, name in enumerate(rows[h])}
    body = rows[h + 1 :]
    desa = [r for r in body if r[col["KODE DESA"]] is not None]
    rec = [r for r in body if any(r[col[c]] is not None for c in ("KETERANGAN", "KEGIATAN YANG DAPAT DILAKUKAN", "NILAI"))]
    texts = collections.Counter(re.sub(r"\s+", " ", r[col["KETERANGAN"]]) for r in rec if r[col["KETERANGAN"]])
    return {
        "desa": len(desa),
        "codes": {str(r[col["KODE DESA"]]) for r in desa},
        "status": collections.Counter(r[col["STATUS IDM 2024"]] for r in desa),
        "status_by_code": {str(r[col["KODE DESA"]]): str(r[col["STATUS IDM 2024"]]).title() for r in desa},
        "nilai_by_code": {str(r[col["KODE DESA"]]): float(r[col["NILAI IDM 2024"]]) for r in desa},
        "rec": len(rec),
        "rec_with_keterangan": sum(r[col["KETERANGAN"]] is not None for r in rec),
        "texts": texts,
    }


SATUDATA = MIRROR / ("github/kristonova/Visualisasi-Indeks-Desa-Membangun--IDM--2024/"
                     "c2aa4b0bd0839635390132b3b3bed52e57a4eb0f/data/idm/prov/18.json")


@pytest.fixture(scope="module")
def satudata() -> dict[str, tuple]:
    """The Satu Data edition read with json alone: undotted code -> (nilai, status word, flag)."""
    words = {1: "Mandiri", 2: "Maju", 3: "Berkembang", 4: "Tertinggal", 5: "Sangat Tertinggal"}
    doc = json.loads(SATUDATA.read_text(encoding="utf-8"))
    return {kec["k"] + row[0]: (row[2], words[row[6]], row[7]) for kec in doc["kec"] for row in kec["ds"]}


@pytest.fixture(scope="module")
def built() -> tuple[pd.DataFrame, pd.DataFrame]:
    from utils.data.build import ensure_built

    ensure_built()
    return pd.read_parquet(paths.IDM), pd.read_parquet(paths.IDM_RECOMMENDATIONS)


def test_schema(built: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    d, r = built
    assert list(d.columns) == ["code", "year", "iks", "ike", "ikl", "nilai", "status", "target_status", "signal",
                               "internet_kantor", "n_recommendations", "edition", "carried_2023",
                               "satudata_nilai", "satudata_status"]
    assert list(r.columns) == ["code", "year", "seq", "indicator", "activity", "score_gain", "pusat", "provinsi",
                               "kabupaten", "desa", "swasta", "masyarakat"]
    for frame in (d, r):
        assert pd.api.types.is_string_dtype(frame["code"])
        assert frame["code"].str.fullmatch(r"^18\.\d\d\.\d\d\.\d{4}$").all()
        assert (frame["year"] == 2024).all()
    assert d["internet_kantor"].dtype == "boolean" and d["carried_2023"].dtype == "boolean"
    assert d["n_recommendations"].dtype == "Int64" and r["seq"].dtype == "int64"
    assert set(d["signal"].dropna()) <= {"kuat", "lemah", "tidak ada"}
    assert set(d["edition"]) == {"rekomendasi", "satudata"}


def test_desa_and_status_counts(sheet: dict, built: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    d, _ = built
    w = d[d["edition"] == "rekomendasi"]
    assert len(w) == sheet["desa"] == 2307
    assert set(w["code"].str.replace(".", "", regex=False)) == sheet["codes"]
    expected = {k.title(): v for k, v in sheet["status"].items()}
    assert expected == {"Maju": 1087, "Berkembang": 868, "Mandiri": 347, "Tertinggal": 4, "Sangat Tertinggal": 1}
    assert w["status"].value_counts().to_dict() == expected
    assert set(w["target_status"]) <= {"Mandiri", "Maju", "Berkembang", "Tertinggal", "Sangat Tertinggal"}


def test_signal_and_internet(sheet: dict, built: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    d, _ = built
    t = sheet["texts"]
    weak = t["Sinyal telepon seluler di Desa Lemah"]
    none = t["Sinyal telepon seluler di Desa Tidak Ada atau 0"]  # double space in the source, collapsed here
    assert (weak, none) == (521, 15)
    assert d["signal"].value_counts().to_dict() == {"kuat": 2307 - weak - none, "lemah": weak, "tidak ada": none}
    kantor = t["Tidak terdapat atau belum ada Fasilitas Internet di Kantor Desa"]
    warga = t["Tidak Terdapat Akses internet warga di Desa"]
    assert (kantor, warga) == (307, 307)
    assert int(d["internet_kantor"].eq(False).sum()) == kantor
    # Residents' internet repeats the office's for every desa: one fact, kept once.
    assert "internet_warga" not in d
    # Desa filled from Satu Data have no recommendation rows: signal and internet unknown, never "kuat".
    filled = d[d["edition"] == "satudata"]
    assert filled["signal"].isna().all() and filled["internet_kantor"].isna().all()
    assert filled["n_recommendations"].isna().all()


def test_every_recommendation_row_kept(sheet: dict, built: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    d, r = built
    assert len(r) == sheet["rec"]
    assert int(r["indicator"].notna().sum()) == sheet["rec_with_keterangan"]
    assert int(d["n_recommendations"].sum()) == len(r)
    assert set(r["code"]) <= set(d.loc[d["edition"] == "rekomendasi", "code"])
    assert (r.groupby("code")["seq"].agg(lambda s: list(s) == list(range(1, len(s) + 1)))).all()
    assert set(r["code"]) <= set(d["code"])


def test_idm_codes_are_desa_in_regions(built: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    d, _ = built
    regions = pd.read_parquet(paths.REGIONS).set_index("code")
    assert d["code"].isin(regions.index).all()
    assert (regions.loc[d["code"], "village_type"] == "desa").all()


def test_idm_2024_covers_every_desa_with_the_edition_rules(sheet: dict, satudata: dict, dataset,
                                                          built: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    d, _ = built
    d = d.assign(plain=d["code"].str.replace(".", "", regex=False)).set_index("plain")
    regions = pd.read_parquet(paths.REGIONS)
    desa = set(regions.loc[regions["code"].str.count(r"\.").eq(3) & regions["code"].str[9].eq("2"), "code"])
    assert len(d) == len(desa) == len(satudata) == 2446 and set(d["code"]) == desa

    in_workbook = set(sheet["codes"])
    filled = set(satudata) - in_workbook
    assert len(filled) == 139
    assert collections.Counter(c[:4] for c in filled) == {"1802": 119, "1806": 20}
    # The workbook's value where it has the desa, Satu Data's for the rest.
    for code in in_workbook:
        row = d.loc[code]
        assert row["edition"] == "rekomendasi" and row["status"] == sheet["status_by_code"][code]
        assert row["nilai"] == pytest.approx(sheet["nilai_by_code"][code])
    for code in filled:
        nilai, status, _ = satudata[code]
        row = d.loc[code]
        assert (row["edition"], row["status"]) == ("satudata", status) and row["nilai"] == pytest.approx(nilai)
    # Every desa Satu Data flags 2 (values carried from the 2023 update) is marked, whichever edition shows it.
    carried = {c for c, (_, _, flag) in satudata.items() if flag == 2}
    assert set(d.index[d["carried_2023"].astype(bool)]) == carried
    assert collections.Counter(c[:4] for c in carried) == {"1808": 50, "1806": 44, "1810": 38, "1813": 20,
                                                           "1811": 14, "1809": 5}
    # Statuses that differ between the editions: listed on Kualitas Data, one finding per desa.
    differ = {c for c in in_workbook if sheet["status_by_code"][c] != satudata[c][1]}
    assert len(differ) == 39

    from utils.metrics import quality
    from utils.views.quality_display import describe
    findings = describe(quality.find_issues(dataset.tables, regions,
                                            dt.date(2026, 6, 30), idm=pd.read_parquet(paths.IDM)), "id")
    listed = findings[findings["rule"] == "idm_edition_status"]
    assert set(listed["village_code"].str.replace(".", "", regex=False)) == differ
    one = listed.iloc[0]
    code = one["village_code"].replace(".", "")
    assert sheet["status_by_code"][code] in one["detail"] and satudata[code][1] in one["detail"]
    assert "Satu Data" in one["detail"] and "Kemendesa" in one["detail"]


# ---- layout handling on small made-up workbooks -------------------------------------------


def _workbook(tmp_path: Path, header: list[str], title_rows: int = 2) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"JUDUL {i}"] if i == 0 else [])
    ws.append(header)
    desa = [18, "LAMPUNG", 1801, "LAMPUNG SELATAN", 180104, "NATAR", 1801042001.0, "HAJIMENA",
            0.9, 0.8, 0.7, 0.8, "SANGAT TERTINGGAL", "TERTINGGAL"]
    ws.append(desa + ["Sinyal telepon seluler di Desa  Tidak Ada atau 0", "Bangun BTS", 0.01] + [None] * 6)
    ws.append([None] * 14 + ["Tidak Terdapat Akses internet warga di Desa", "Akses", 0.02, "KOMINFO"] + [None] * 5)
    ws.append([None] * 16 + [0.03] + [None] * 6)
    ws.append(["18", "LAMPUNG", "1801", "X", "180104", "NATAR", "1801042002", "SIDOSARI",
               0.5, 0.5, 0.5, 0.5, "MAJU", "MANDIRI", "Jarak tempuh", None, 0.001] + [None] * 6)
    path = tmp_path / "idm.xlsx"
    wb.save(path)
    return path


def test_small_workbook_parsed_by_content(tmp_path: Path) -> None:
    d, r = idm.parse_idm_workbook(_workbook(tmp_path, HEADER, title_rows=4))
    assert d["code"].tolist() == ["18.01.04.2001", "18.01.04.2002"]
    first = d.iloc[0]
    assert first["status"] == "Sangat Tertinggal" and first["target_status"] == "Tertinggal"
    assert first["signal"] == "tidak ada"
    assert bool(first["internet_kantor"]) and not bool(first["internet_warga"])  # the parser reads both
    assert first["n_recommendations"] == 3
    assert d.iloc[1]["signal"] == "kuat" and d.iloc[1]["n_recommendations"] == 1
    assert r["seq"].tolist() == [1, 2, 3, 1]
    assert r.loc[1, "pusat"] == "KOMINFO"
    assert pd.isna(r.loc[2, "indicator"]) and r.loc[2, "score_gain"] == pytest.approx(0.03)


def test_unknown_layout_is_refused_naming_expected_columns(tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "STATUS IDM 2024"]
    with pytest.raises(ValueError, match="STATUS IDM 2024") as err:
        idm.parse_idm_workbook(_workbook(tmp_path, header))
    assert "KODE DESA" in str(err.value) and "TARGET IDM 2025" in str(err.value)


def test_workbook_without_header_is_refused(tmp_path: Path) -> None:
    header = ["KODE", "DIMENSI", "SKOR"]  # e.g. a later Indeks Desa layout
    with pytest.raises(ValueError, match="KODE PROV"):
        idm.parse_idm_workbook(_workbook(tmp_path, header))
