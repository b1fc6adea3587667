"""The Pelatihan (Bimtek) page at province, kabupaten and desa level, for a kota and in English."""

from __future__ import annotations

import pandas as pd

from tests.apptest.helpers import charts, metric, open_page, thousands

PAGE = "pages/4_Pelatihan.py"
GISTING_ATAS = "18.06.20.2006"


def run_page(**params: str):
    return open_page(PAGE, **params)


def held(store_frames, dataset, prefix: str = "18") -> pd.DataFrame:
    """Participation rows of events started by the data date, from villages under ``prefix``."""
    ev = store_frames["bimtek_events"]
    ids = ev.loc[ev["start_date"] <= pd.Timestamp(dataset.data_as_of), "event_id"]
    p = store_frames["bimtek_participants"]
    p = p[p["event_id"].isin(ids)]
    return p if prefix == "18" else p[p["village_code"].str.startswith(prefix + ".")]


def villages(dataset, prefix: str = "18") -> pd.Series:
    codes = dataset.regions.loc[dataset.regions["code"].str.count(r"\.") == 3, "code"]
    return codes if prefix == "18" else codes[codes.str.startswith(prefix + ".")]


def test_province(dataset, store_frames):
    at = run_page()
    rows = held(store_frames, dataset)
    all_villages = villages(dataset)
    assert metric(at, "Peserta Bimtek") == thousands(len(rows))
    per_village = rows.groupby("village_code").size()
    covered = int((per_village >= 2).sum())
    assert metric(at, "Desa/kel. ≥ 2 peserta terlatih") == f"{100 * covered / len(all_villages):.1f}%".replace(".", ",")
    assert metric(at, "Belum pernah ikut Bimtek") == str(len(all_villages) - per_village.size)
    assert len(all_villages) == 2651  # desa AND kelurahan
    assert any("2.651 × Rp6 juta = Rp15,9 miliar" in c.value for c in at.caption)
    assert metric(at, "Rencana") == "Rp15,9 miliar"
    assert len(at.get("plotly_chart")) == 4
    events = at.dataframe[0].value
    assert len(events) == store_frames["bimtek_events"]["start_date"].le(pd.Timestamp(dataset.data_as_of)).sum()
    roles = charts(at)[2]["spec"]["data"][0]
    counts = rows["role"].value_counts()
    assert roles["y"] == ["Kepala Desa/Peratin", "Sekretaris Desa/Juru Tulis", "Operator"]
    assert [t.split(" · ")[0] for t in roles["text"]] == [thousands(counts[r]) for r in
                                                          ("kepala_desa", "sekretaris", "operator")]


def test_gisting_report_is_flagged(dataset):
    at = run_page(kab="18.06")
    flags = at.dataframe[-1].value
    row = flags[flags["Kode kegiatan"] == "BT-20241010-1806"]
    assert len(row) == 1
    assert row.iloc[0]["Temuan"] == "Kec. Gisting: dilaporkan 19 peserta/8 desa, tercatat 19 peserta/9 desa"
    assert row.iloc[0]["Pemeriksaan"] == "Laporan ≠ data peserta"


def test_kabupaten_events_and_coverage(dataset, store_frames):
    at = run_page(kab="18.06")
    rows = held(store_frames, dataset, "18.06")
    assert metric(at, "Peserta Bimtek") == thousands(len(rows))
    events = at.dataframe[0].value
    gisting = events[events["Tanggal"] == "10–12 Oktober 2024"]
    assert len(gisting) == 1 and "Hotel BATIQA" in gisting.iloc[0]["Tempat"] and "Hotel AMALIA" in \
        gisting.iloc[0]["Tempat"]
    assert any(h.value.startswith("Cakupan per kecamatan") for h in at.subheader)
    never = at.dataframe[1].value
    assert len(never) == len(villages(dataset, "18.06")) - rows["village_code"].nunique()
    assert never.iloc[:, 0].str.endswith("Kab. Tanggamus").all()


def test_village_shows_its_own_participation(store_frames):
    at = run_page(desa=GISTING_ATAS)
    p = store_frames["bimtek_participants"]
    mine = p[p["village_code"] == GISTING_ATAS]
    assert metric(at, "Peserta Bimtek") == str(len(mine))
    assert metric(at, "≥ 2 peserta terlatih") == "ada"
    table = at.dataframe[0].value
    assert len(table) == len(mine)
    assert "Nama" not in table.columns  # UU PDP: roles only, never participant names
    sekdes = table[table["Peran"] == "Sekretaris Desa/Juru Tulis"]
    assert len(sekdes) == (mine["role"] == "sekretaris").sum() and "10–12 Oktober 2024" in set(sekdes["Tanggal"])
    assert not at.get("plotly_chart")


def test_kota_counts_kelurahan(dataset, store_frames):
    at = run_page(kab="18.71")
    rows = held(store_frames, dataset, "18.71")
    assert len(rows) > 0 and metric(at, "Peserta Bimtek") == thousands(len(rows))
    assert len(at.get("plotly_chart")) == 4  # Bimtek applies to kelurahan: nothing "tidak berlaku" here


def test_english_switch(dataset, store_frames):
    at = run_page(lang="en")
    assert metric(at, "Bimtek participants") == f"{len(held(store_frames, dataset)):,}"
    assert metric(at, "Planned") == "Rp15.9 billion"
    assert any(h.value == "Bimtek events over time" for h in at.subheader)
    assert "Finding" in at.dataframe[-1].value.columns


def test_kecamatan_gisting(dataset, store_frames):
    at = run_page(kec="18.06.20")
    rows = held(store_frames, dataset, "18.06.20")
    assert metric(at, "Peserta Bimtek") == str(len(rows))
    per_village = rows.groupby("village_code").size()
    n = len(villages(dataset, "18.06.20"))
    assert metric(at, "Belum pernah ikut Bimtek") == str(n - per_village.size)
    events = at.dataframe[0].value
    here = events.loc[events["Tanggal"] == "10–12 Oktober 2024", "Peserta / desa dari wilayah ini"]
    assert here.tolist() == ["19 / 9"]  # what the rows hold, whatever the report said


def test_before_the_first_event(dataset):
    at = run_page(tahun="2020", tw="1")
    assert metric(at, "Peserta Bimtek") == "0"
    assert metric(at, "Belum pernah ikut Bimtek") == thousands(len(villages(dataset)))
    assert metric(at, "Realisasi") == "Rp0" and metric(at, "Biaya per desa tercakup") == "–"
    assert any("Tidak ada ketidaksesuaian" in s.value for s in at.success)
