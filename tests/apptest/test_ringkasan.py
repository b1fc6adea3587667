"""The overview page runs at every filter level and shows what a Dinas reader expects."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import metric
from tests.independent import desa_count, joined_desa
from utils.data import paths

APP = str(paths.ROOT / "app.py")
TIMEOUT = 90  # AppTest's default 3 s is far too short for a cold data load on 2 cores


def run_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()  # app.py reads the URL into the filter and switches to the overview in the same run
    assert not at.exception, [e.message for e in at.exception]
    return at




def test_province_view(dataset, store_frames):
    at = run_page()
    joined = joined_desa(store_frames, dataset.data_as_of, "18")
    assert metric(at, "Desa bergabung") == f"{joined:,} / 2,446".replace(",", ".")
    assert any("Data contoh" in w.value for w in at.warning)
    assert "Dinas PMDT Provinsi Lampung" in " ".join(c.value for c in at.caption)
    assert at.selectbox(key="_w_kab").value == ""


def test_kabupaten_view_from_the_url(dataset, store_frames):
    at = run_page(kab="18.06")
    assert at.selectbox(key="_w_kab").value == "18.06"
    desa = desa_count(dataset.regions, "18.06")
    joined = joined_desa(store_frames, dataset.data_as_of, "18.06")
    assert metric(at, "Desa bergabung") == f"{joined} / {desa}"
    assert "Kab. Tanggamus" in at.markdown[0].value or any("Tanggamus" in m.value for m in at.markdown)
    assert at.query_params["kab"] == ["18.06"] or at.query_params["kab"] == "18.06"


def test_village_view(dataset):
    at = run_page(desa="18.06.20.2006")
    assert at.selectbox(key="_w_desa").value == "18.06.20.2006"
    assert metric(at, "Desa bergabung") in ("0 / 1", "1 / 1")


def test_kota_shows_not_applicable():
    at = run_page(kab="18.71")
    assert metric(at, "Desa bergabung") == "tidak berlaku"
    assert metric(at, "Peserta Bimtek") != "0"


def test_unknown_code_in_url_gives_notice_and_province():
    at = run_page(kab="99.99")
    assert any("tidak dikenal" in i.value for i in at.info)
    assert at.selectbox(key="_w_kab").value == ""
    assert metric(at, "Desa bergabung").endswith("/ 2.446")


@pytest.mark.parametrize("params", [{"tahun": "2023", "tw": "4"}, {"tahun": "2022", "tw": "4"}])
def test_period_changes_the_figures(params, store_frames):
    import datetime as dt

    at = run_page(**params)
    as_of = dt.date(int(params["tahun"]), 12, 31)
    joined = joined_desa(store_frames, as_of, "18")
    assert metric(at, "Desa bergabung") == f"{joined:,} / 2,446".replace(",", ".")


def test_english_switch():
    at = run_page(lang="en")
    assert metric(at, "Villages joined").endswith("/ 2,446")
    assert any("Data contoh" in w.value for w in at.warning)


def test_filter_change_in_the_sidebar_updates_figures_and_url(dataset, store_frames):
    at = run_page()
    at.selectbox(key="_w_kab").set_value("18.04").run()
    assert not at.exception
    joined = joined_desa(store_frames, dataset.data_as_of, "18.04")
    desa = desa_count(dataset.regions, "18.04")
    assert metric(at, "Desa bergabung") == f"{joined} / {desa}"
    assert at.selectbox(key="_w_kec").value == ""  # the cascade offers the kecamatan next


def test_village_search_tolerates_spelling_and_names_kecamatan_and_kabupaten():
    at = run_page()
    at.text_input(key="_w_search").input("ringinjaya").run()
    pick = at.radio(key="_w_search_pick")
    labels = list(pick.options)  # what the user reads
    assert any("Ringin Jaya" in lbl and "Bandar Negeri Suoh" in lbl and "Lampung Barat" in lbl for lbl in labels)
    pick.set_value("18.04.23.2004").run()
    assert not at.exception
    assert at.selectbox(key="_w_desa").value == "18.04.23.2004"
    assert at.query_params["desa"] in ("18.04.23.2004", ["18.04.23.2004"])


def test_six_trimulyo_are_told_apart():
    at = run_page()
    at.text_input(key="_w_search").input("Trimulyo").run()
    labels = list(at.radio(key="_w_search_pick").options)[1:]
    trimulyo = [lbl for lbl in labels if "Trimulyo" in lbl]
    assert len(trimulyo) >= 6 and len(set(trimulyo)) == len(trimulyo)
    assert any("Gedung Surian" in lbl for lbl in trimulyo)


def test_corrupt_canonical_file_says_how_to_rebuild(tmp_path, monkeypatch):
    broken = tmp_path / "regions.parquet"
    broken.write_bytes(b"this is not parquet")
    monkeypatch.setattr(paths, "REGIONS", broken)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    text = " ".join(e.value for e in at.error)
    assert "regions.parquet" in text and "make rebuild" in text


def test_village_view_shows_its_history_and_officer_from_the_rakor_article(dataset, store_frames):
    # Pekon Trimulyo, Kec. Gedung Surian: its officer Hadi Waluyo attended the Rakor of 17 Dec 2024.
    at = run_page(desa="18.04.15.2004")
    officers = store_frames["officers"]
    expected = officers.loc[officers["village_code"] == "18.04.15.2004", "name"].tolist()
    assert "Hadi Waluyo" in expected
    box = [m for m in at.metric if m.label == "Petugas Smart Village"][0]
    assert box.value == str(len(expected)) and "Hadi Waluyo" in box.proto.delta
    history = at.dataframe[0].value
    assert list(history["Tahap"]) == ["Sosialisasi", "Bergabung", "Operator terlatih", "Layanan aktif",
                                      "Data terintegrasi"]


#: IDM's stored signal words and what an English reader should see instead.
ENGLISH_SIGNAL = {"kuat": "strong", "lemah": "weak", "tidak ada": "none"}


def test_english_village_view_shows_english_signal_words(dataset):
    idm = dataset.idm.sort_values("year").drop_duplicates("code", keep="last").set_index("code")
    for stored in ("tidak ada", "lemah"):
        code = idm.index[idm["signal"] == stored][0]
        at = run_page(desa=code, lang="en")
        assert metric(at, "Mobile signal") == ENGLISH_SIGNAL[stored], code
        at = run_page(desa=code)
        assert metric(at, "Sinyal seluler") == stored, code
