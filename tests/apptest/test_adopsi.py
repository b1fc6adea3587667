"""The Adopsi page at province, kabupaten, kecamatan and desa level, for a kota and in English."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import charts, metric, open_page, thousands, values
from tests.independent import JOINED_OR_DEEPER, desa_count, joined_desa

PAGE = "pages/3_Adopsi.py"


def run_page(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def test_province(dataset, store_frames):
    at = run_page()
    joined, desa = joined_desa(store_frames, dataset.data_as_of), desa_count(dataset.regions)
    assert metric(at, "Desa bergabung") == f"{thousands(joined)} / {thousands(desa)}"
    assert metric(at, "Desa belum bergabung") == str(desa - joined)
    figs = charts(at)
    assert len(figs) == 5
    funnel = figs[0]["spec"]["data"][0]
    assert funnel["type"] == "funnel" and values(funnel["x"])[0] == desa and values(funnel["x"])[2] == joined
    names = [f["config"]["toImageButtonOptions"]["filename"] for f in figs]
    # One file-name pattern: what, region, period end, and the demo marker (docs/presentation.md).
    assert names[0] == "smart-village_adopsi-tahapan_provinsi-lampung_2026-10-31_data-contoh"
    assert "smart-village_adopsi-peringkat_provinsi-lampung_2026-10-31_data-contoh" in names
    for fig in figs:  # a PNG saved from any chart says "Data contoh" in the image
        assert any("Data contoh" in a.get("text", "") for a in fig["spec"]["layout"].get("annotations", []))
    assert any("kuadrat terkecil" in c.value and "12 bulan" in c.value for c in at.caption)  # method stated
    forecast = at.dataframe[0].value
    assert forecast.iloc[0]["Wilayah"] == "Provinsi Lampung"
    kota = forecast[forecast["Wilayah"].str.startswith("Kota")]
    assert len(kota) == 2 and set(kota["Perkiraan tercapai"]) == {"tidak berlaku"}
    laggards = at.dataframe[1].value
    assert len(laggards) == desa - joined
    assert set(laggards["Kendala"]) <= {"Kendala infrastruktur", "Kendala program", "Tanpa data sinyal"}
    gaps = sum(int(metric(at, k)) for k in ("Kendala infrastruktur", "Kendala program", "Tanpa data sinyal"))
    assert gaps == desa - joined


def test_ranking_draws_kota_as_not_applicable(dataset):
    at = run_page()
    bar = next(f["spec"]["data"][0] for f in charts(at) if f["config"]["toImageButtonOptions"]["filename"]
               == "smart-village_adopsi-peringkat_provinsi-lampung_2026-10-31_data-contoh")
    labels = dict(zip(bar["y"], bar["text"], strict=True))
    assert labels["Kota Bandar Lampung"] == labels["Kota Metro"] == "tidak berlaku"
    assert len(labels) == 15


def test_kabupaten_from_the_url(dataset, store_frames):
    at = run_page(kab="18.06")
    joined, desa = joined_desa(store_frames, dataset.data_as_of, "18.06"), desa_count(dataset.regions, "18.06")
    assert metric(at, "Desa bergabung") == f"{joined} / {desa}"
    assert any(h.value.startswith("Peringkat kecamatan") for h in at.subheader)
    assert len(at.dataframe[1].value) == desa - joined
    rank = next(f for f in charts(at) if f["config"]["toImageButtonOptions"]["filename"]
                == "smart-village_adopsi-peringkat_kab-tanggamus_2026-10-31_data-contoh")
    kecs = dataset.regions[(dataset.regions["level"] == "kecamatan") & (dataset.regions["kab_code"] == "18.06")]
    assert len(rank["spec"]["data"][0]["y"]) == len(kecs)


def test_filter_change_and_earlier_period(dataset, store_frames):
    at = run_page(tahun="2023", tw="4")
    assert metric(at, "Desa bergabung") == f"{thousands(joined_desa(store_frames, dt.date(2023, 12, 31)))} / 2.446"
    at.selectbox(key="_w_kab").set_value("18.13").run()
    assert not at.exception
    joined = joined_desa(store_frames, dt.date(2023, 12, 31), "18.13")
    assert metric(at, "Desa bergabung") == f"{joined} / {desa_count(dataset.regions, '18.13')}"


def test_village_shows_its_own_history(store_frames):
    at = run_page(desa="18.06.20.2006")  # Pekon Gisting Atas
    assert not at.get("plotly_chart")  # no aggregates for one desa
    history = at.dataframe[0].value
    assert history["Tahap"].tolist() == ["Sosialisasi", "Bergabung", "Operator terlatih", "Layanan aktif",
                                         "Data terintegrasi"]
    a = store_frames["adoption"]
    reached = a[a["village_code"] == "18.06.20.2006"].set_index("stage")["reached_on"]
    day = reached["bergabung"]
    assert history.loc[1, "Dicapai"].endswith(str(day.year)) and history.loc[1, "Dicapai"].startswith(str(day.day))
    p = store_frames["bimtek_participants"]
    assert metric(at, "Peserta Bimtek desa ini") == str(int((p["village_code"] == "18.06.20.2006").sum()))


def test_kelurahan_and_kota_are_not_applicable(dataset):
    kel = dataset.regions.loc[(dataset.regions["village_type"] == "kelurahan")
                              & (dataset.regions["kab_code"] == "18.06"), "code"].iloc[0]
    at = run_page(desa=kel)
    assert any("kelurahan" in i.value and "tidak berlaku" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.metric
    at = run_page(kab="18.71")
    assert any("tidak berlaku" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_english_switch(dataset, store_frames):
    at = run_page(lang="en")
    joined = joined_desa(store_frames, dataset.data_as_of)
    assert metric(at, "Villages joined") == f"{joined:,} / 2,446"
    assert any(h.value == "Adoption stages" for h in at.subheader)
    assert any("least-squares" in c.value for c in at.caption)
    assert "Forecast" in at.dataframe[0].value.columns
    funnel = charts(at)[0]["spec"]
    assert funnel["layout"]["separators"] == ".,"  # 1,234.5 in English
    assert pd.Series(funnel["data"][0]["y"]).iloc[2] == "Joined"


def test_english_laggard_table_shows_english_signal_words(dataset, store_frames):
    """Lampung Utara's desa not yet joined, in English: "weak" and "none", never "lemah" or "tidak ada"; as
    many of each as the IDM file gives those desa (counted from the store's rows and the IDM table)."""
    at = run_page(kab="18.03", lang="en")
    laggards = at.dataframe[1].value
    a = store_frames["adoption"]
    joined = set(a.loc[a["stage"].isin(JOINED_OR_DEEPER) & (a["reached_on"] <= pd.Timestamp(dataset.data_as_of)),
                       "village_code"])
    codes = dataset.regions["code"]
    desa = codes[codes.str.startswith("18.03.") & (codes.str.count(r"\.") == 3)
                 & codes.str.split(".").str[3].str.startswith("2")]
    idm = dataset.idm.sort_values("year").drop_duplicates("code", keep="last").set_index("code")["signal"]
    waiting = idm.reindex([c for c in desa if c not in joined])
    shown = laggards["Mobile signal"].value_counts()
    assert set(shown.index) <= {"strong", "weak", "none", "\u2013"}, shown
    for stored, english in (("kuat", "strong"), ("lemah", "weak"), ("tidak ada", "none")):
        assert shown.get(english, 0) == int((waiting == stored).sum()), english
    assert shown.get("weak", 0) > 0



def test_kecamatan_compares_with_its_siblings(dataset, store_frames):
    at = run_page(kec="18.06.20")  # Kec. Gisting: all 9 pekon joined
    joined = joined_desa(store_frames, dataset.data_as_of, "18.06.20")
    assert metric(at, "Desa bergabung") == f"{joined} / {desa_count(dataset.regions, '18.06.20')}"
    forecast = at.dataframe[0].value.set_index("Wilayah")
    assert forecast.loc["Kec. Gisting", "Perkiraan tercapai"].startswith("sudah tercapai")
    rank = next(f["spec"]["data"][0] for f in charts(at)
                if f["config"]["toImageButtonOptions"]["filename"] == "smart-village_adopsi-peringkat_kab-tanggamus_2026-10-31_data-contoh")
    colours = dict(zip(rank["y"], rank["marker"]["color"], strict=True))
    assert len(set(colours.values())) == 2 and list(colours.values()).count(colours["Kec. Gisting"]) == 1


def test_before_the_first_target_and_event():
    at = run_page(tahun="2020", tw="1")  # the pilot's first quarter: no target set yet, no Bimtek held
    assert metric(at, "Target bergabung 2020") == "–"
    assert len(charts(at)) == 5
