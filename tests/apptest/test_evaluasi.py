"""The evaluation page at province and kabupaten filter, in both languages, with what-if weights."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import helpers
from tests.independent import desa_count, joined_desa
from utils.metrics import evaluation as ev

PAGE = "pages/5_Evaluasi.py"


def open_page(**params: str) -> AppTest:
    return helpers.open_page(PAGE, **params)


def scorecard_rows(at: AppTest) -> dict[str, list[str]]:
    """The scorecard HTML table as {region name: [cells]} (what a reader sees)."""
    html = next(m.value for m in at.markdown if "ev-scorecard" in m.value)
    body = html.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr><th[^>]*>(.*?)</th>(.*?)</tr>", body)
    return {name: re.findall(r"<td[^>]*>(.*?)</td>", cells) for name, cells in rows}


def indicator_table(at: AppTest):
    return next(df.value for df in at.dataframe if "Indikator" in df.value.columns or "Indicator" in df.value.columns)


def pct_id(value: float) -> str:
    return f"{value:.1f}%".replace(".", ",")


@pytest.fixture(scope="module")
def province_page() -> AppTest:
    return open_page()


def test_province_scorecard_lists_all_fifteen_with_store_counts(province_page, dataset, store_frames):
    rows = scorecard_rows(province_page)
    assert len(rows) == 15
    assert {"Kab. Tanggamus", "Kota Bandar Lampung", "Kota Metro"} <= set(rows)
    joined = 100 * joined_desa(store_frames, dataset.data_as_of, "18.06") / desa_count(dataset.regions, "18.06")
    assert pct_id(joined) in rows["Kab. Tanggamus"]
    # The two kota: adoption "tidak berlaku" (never 0 %), Bimtek still scored, and the page says why.
    assert rows["Kota Metro"].count("tidak berlaku") == sum(i.adoption for i in ev.INDICATORS)
    assert any("tidak memiliki desa" in c.value and "Kota Metro" in c.value for c in province_page.caption)
    ranks = [int(cells[1]) for cells in rows.values()]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_province_detail_defaults_to_first_kabupaten_and_has_methodology(province_page):
    pick = next(s for s in province_page.selectbox if s.label == "Kabupaten/kota yang dirinci")
    assert pick.value == "18.01"
    assert any("Skor komposit" in m.value and "Peringkat" in m.value for m in province_page.markdown)
    method = next(df.value for df in province_page.dataframe if "Definisi" in df.value.columns)
    assert len(method) == len(ev.INDICATORS) and set(method["Bobot"]) >= {"20,0%", "10,0%"}


def test_kabupaten_filter_opens_its_detail(dataset, store_frames):
    at = open_page(kab="18.06")
    pick = next(s for s in at.selectbox if s.label == "Kabupaten/kota yang dirinci")
    assert pick.value == "18.06"
    table = indicator_table(at).set_index("Indikator")
    joined = 100 * joined_desa(store_frames, dataset.data_as_of, "18.06") / desa_count(dataset.regions, "18.06")
    assert table.at["Desa bergabung", "Nilai"] == pct_id(joined)
    assert any(m.label == "Peringkat" and m.value.endswith("dari 15") for m in at.metric)
    assert any("Tindak lanjut" in m.value for m in at.markdown)
    assert at.get("download_button")  # PDF and CSV downloads present
    assert any("Unduh laporan 1 halaman (PDF) Kab. Tanggamus" in b.proto.label for b in at.get("download_button"))


def test_kota_detail_shows_not_applicable_and_no_idm(dataset):
    at = open_page(kab="18.72")
    table = indicator_table(at).set_index("Indikator")
    assert table.at["Desa bergabung", "Nilai"] == "tidak berlaku"
    assert table.at["Cakupan Bimtek (≥ 2 peserta)", "Status"] in ("tercapai", "mendekati", "tertinggal")
    assert any("Tidak ada desa" in i.value for i in at.info)


def test_english_switch():
    at = open_page(kab="18.04", lang="en")
    assert any(h.value == "Regency/city scorecard" for h in at.subheader)
    table = indicator_table(at)
    assert "Indicator" in table.columns and "Desa joined" in table["Indicator"].tolist()
    assert any("Methodology" in e.proto.label for e in at.expander)
    assert not any(h.value == "Rapor kabupaten/kota" for h in at.subheader)


def test_weights_not_summing_to_100_are_normalised_with_notice_and_restored():
    at = open_page()
    before = scorecard_rows(at)
    at.number_input(key="ev_w_joined").set_value(60.0).run()  # total now 140
    assert not at.exception
    notice = [i.value for i in at.info if "dinormalkan" in i.value]
    assert notice and "140%" in notice[0]
    assert any("Simulasi" in c.value for c in at.caption)
    assert scorecard_rows(at) != before  # the composite moved
    at.button(key="ev_w_reset").click().run()
    assert at.number_input(key="ev_w_joined").value == ev.DEFAULT_WEIGHTS["joined"]
    assert not [i.value for i in at.info if "dinormalkan" in i.value]
    assert scorecard_rows(at) == before


def test_all_zero_weights_fall_back_to_defaults():
    at = open_page()
    for ind in ev.INDICATORS:
        at.number_input(key=f"ev_w_{ind.id}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("Semua bobot nol" in w.value for w in at.warning)


def test_comparison_of_the_same_kabupaten_asks_for_two():
    at = open_page(kab="18.01")
    cmp_b = next(s for s in at.selectbox if s.label == "Kabupaten/kota B")
    cmp_b.set_value("18.01").run()
    assert any("dua kabupaten/kota yang berbeda" in i.value for i in at.info)


def test_missing_data_is_said_and_not_scored_zero():
    # 31 March 2020: no programme record yet anywhere, so data freshness has no value for any region.
    at = open_page(tahun="2020", tw="1")
    notice = next(w.value for w in at.warning if "Tidak ada data untuk" in w.value)
    assert "Kab. Tanggamus (Kesegaran data" in notice and "tidak diberi nilai nol" in notice
    rows = scorecard_rows(at)
    missing = {name for name, cells in rows.items() if cells[-1] == "tidak ada data"}
    assert "Kab. Tanggamus" in missing and all(f"{name} (Kesegaran data" in notice for name in missing)
    assert all(cells[-1].endswith("hari") for name, cells in rows.items() if name not in missing)  # a number
    assert all(cells[2] == "–" for cells in rows.values())  # no earlier period: no rank change
