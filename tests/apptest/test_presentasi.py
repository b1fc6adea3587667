"""The Presentasi page: slide sequence for the filter, next/previous, kabupaten choice, exports, language."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import TIMEOUT, open_page
from tests.independent import desa_count, joined_desa
from utils.data import paths

APP = str(paths.ROOT / "app.py")
PAGE = "pages/10_Presentasi.py"


def run_page(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def counter(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**") and " / " in m.value).strip("*")


def title(at: AppTest) -> str:
    return at.title[-1].value  # the page heading first, then the slide's title


def test_kabupaten_deck_steps_through_every_slide(dataset, store_frames):
    at = run_page(kab="18.06")
    assert at.multiselect(key="_w_pres_kabs").value == ["18.06"]  # defaults to the filter's kabupaten
    assert at.multiselect(key="_w_pres_kabs").proto.placeholder == "Pilih kabupaten/kota"  # not "Choose options"
    assert counter(at) == "1 / 8"
    assert title(at) == "Smart Village Provinsi Lampung"
    titles = [title(at)]
    for n in range(2, 9):
        at.button(key="sv_pres_next").click().run()
        assert counter(at) == f"{n} / 8"
        titles.append(title(at))
    assert titles == ["Smart Village Provinsi Lampung", "Capaian utama · Kab. Tanggamus", "Peta: desa bergabung",
                      "Adopsi terhadap target", "Cakupan Bimtek (≥ 2 peserta)",
                      "Peringkat kabupaten/kota (skor komposit)", "Kartu skor · Kab. Tanggamus",
                      "Desa tertinggal dan tindak lanjut"]
    assert at.button(key="sv_pres_next").disabled
    at.button(key="sv_pres_prev").click().run()
    assert counter(at) == "7 / 8"
    # The KPI slide: joined desa counted independently from the store.
    for _ in range(5):
        at.button(key="sv_pres_prev").click().run()
    assert counter(at) == "2 / 8"
    joined = joined_desa(store_frames, dataset.data_as_of, "18.06")
    values = {m.label: m.value for m in at.metric}
    assert values["Desa bergabung"] == f"{joined} / {desa_count(dataset.regions, '18.06')}"


def test_more_kabupaten_add_scorecard_slides():
    at = run_page(kab="18.06")
    at.multiselect(key="_w_pres_kabs").select("18.71").run()
    assert counter(at) == "1 / 9"
    at.multiselect(key="_w_pres_kabs").unselect("18.06").unselect("18.71").run()
    assert counter(at) == "1 / 7"


def test_presentation_mode_hides_the_controls_and_exit_returns():
    at = run_page()
    at.button(key="sv_pres_start").click().run()
    assert not at.multiselect and not [b for b in at.button if b.key and b.key.startswith("sv_pres_build")]
    assert any("stSidebar" in h.proto.body for h in at.get("html"))  # the full-screen CSS
    at.button(key="sv_pres_exit").click().run()
    assert at.multiselect(key="_w_pres_kabs") is not None
    assert at.button(key="sv_pres_build_pptx") is not None


def test_exports_build_on_click_and_follow_the_filter(dataset):
    at = run_page(kab="18.06")
    at.button(key="sv_pres_build_pptx").click().run()
    assert not at.exception
    save = at.get("download_button")
    assert save, "no save button after building"
    pptx_state = at.session_state["sv_pres_file_pptx"]
    prs = Presentation(io.BytesIO(pptx_state[1]))
    assert len(prs.slides) == 8
    assert pptx_state[0][1] == "smart-village_presentasi_kab-tanggamus_2026-10-31_data-contoh.pptx"
    at.button(key="sv_pres_build_xlsx").click().run()
    book = load_workbook(io.BytesIO(at.session_state["sv_pres_file_xlsx"][1]))
    assert book.sheetnames[0] == "BACA_SAYA (contoh)"  # demo rows inside: the tab title says so


def test_english_deck():
    at = run_page(kab="18.06", lang="en")
    assert title(at) == "Smart Village, Lampung Province"
    assert at.multiselect(key="_w_pres_kabs").proto.placeholder == "Choose regencies/cities"
    at.button(key="sv_pres_next").click().run()
    assert title(at) == "Headline figures · Kab. Tanggamus"
    assert "Villages joined" in [m.label for m in at.metric]


def test_overview_charts_download_as_csv_and_the_filter_as_excel():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["kab"] = "18.06"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Unduh data (CSV)") == 2  # the trend and the IDM chart (PNG: the chart's camera button)
    assert "Unduh data terfilter (Excel)" in labels
    charts = at.get("plotly_chart")
    assert len(charts) == 2 and all('"format": "png"' in c.proto.config for c in charts)
