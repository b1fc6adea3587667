"""The data-quality page: per-kabupaten figures counted independently from the store, the villages concerned."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import open_page

PAGE = "pages/9_Kualitas.py"


def run_page(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def villages_with_records(store_frames: dict[str, pd.DataFrame], regions: pd.DataFrame, kab: str, as_of) -> int:
    """Villages of ``kab`` with any programme record dated by ``as_of`` (officers without a date count)."""
    end = pd.Timestamp(as_of)
    f = store_frames
    events = f["bimtek_events"].set_index("event_id")["start_date"]
    parts = f["bimtek_participants"]
    codes = set(f["adoption"].loc[f["adoption"]["reached_on"] <= end, "village_code"])
    svc = f["services"]
    codes |= set(svc.loc[(svc["started_on"] <= end) & (svc["ended_on"].isna() | (svc["ended_on"] > end)), "village_code"])
    off = f["officers"]
    codes |= set(off.loc[off["appointed_on"].isna() | (off["appointed_on"] <= end), "village_code"])
    codes |= set(parts.loc[parts["event_id"].map(events) <= end, "village_code"])
    villages = set(regions.loc[regions["code"].str.count(r"\.") == 3, "code"])
    return sum(1 for c in codes & villages if c.startswith(kab + "."))


def test_province_table_has_every_kabupaten_with_independent_counts(dataset, store_frames):
    at = run_page()
    table = at.dataframe[0].value
    assert len(table) == 15
    row = table.set_index("Kabupaten/Kota").loc["Kab. Tanggamus"]
    villages = int((dataset.regions["code"].str.startswith("18.06.") & (dataset.regions["level"] == "desa")).sum())
    assert row["Desa/kel."] == str(villages)
    reporting = villages_with_records(store_frames, dataset.regions, "18.06", dataset.data_as_of)
    assert row["Desa/kel. melapor"] == str(reporting)
    assert row["% melapor"] == f"{100 * reporting / villages:.1f}%".replace(".", ",")
    assert any("Pilih satu kabupaten/kota" in i.value for i in at.info)


def test_a_kabupaten_lists_its_villages_with_findings(store_frames):
    at = run_page(kab="18.06")
    assert len(at.dataframe[0].value) == 1
    listing = at.dataframe[1].value
    # Gisting Atas: two operators at the Bimtek of 10-12 October 2024 (participant rows), no stage row.
    a, parts = store_frames["adoption"], store_frames["bimtek_participants"]
    ops = parts[(parts["village_code"] == "18.06.20.2006") & (parts["role"] == "operator")]
    assert len(ops) == 2 and not ((a["village_code"] == "18.06.20.2006") & (a["stage"] == "operator_terlatih")).any()
    flagged = listing[listing["Temuan"] == "Bukti tanpa tahap"]
    row = flagged[flagged["Desa/kelurahan"].str.contains("Gisting Atas")].iloc[0]
    assert row["Rincian"] == ("2 operator dilatih (Bimtek selesai 12 Oktober 2024), tetapi tahap Operator terlatih "
                              "belum dilaporkan")
    assert row["Catatan"] == "ditanam sengaja dalam data contoh"  # the demo says which findings it planted
    assert all("Kab. Tanggamus" in label for label in listing["Desa/kelurahan"])
    assert at.subheader[0].value == "Desa dengan temuan: Kab. Tanggamus"


def test_english_switch():
    at = run_page(lang="en", kab="18.72")
    assert at.title[0].value == "Data quality per regency/city"
    assert "Regency/City" in at.dataframe[0].value.columns
