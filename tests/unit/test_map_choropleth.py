"""Map classes, legends, layer plans and the per-rerun message: hand-built frames with known answers,
and the real build checked against independent counts from the store."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from tests.independent import desa_count, joined_desa
from utils.metrics import indicators
from utils.views.maps import choropleth as ch

STATUS_COLS = ["idm_mandiri", "idm_maju", "idm_berkembang", "idm_tertinggal", "idm_sangat_tertinggal"]


def regions_frame(**cols) -> pd.DataFrame:
    """A region_values-like frame over codes 18.01 … 18.0n with the given columns."""
    n = len(next(iter(cols.values())))
    return pd.DataFrame(cols, index=[f"18.{i + 1:02d}" for i in range(n)])


def test_target_classes_and_keep_not_applicable_apart_from_no_data():
    # Target 100: reached / less than 5 below / 5-15 below / more than 15 below, compared as shown.
    frame = regions_frame(pct_joined=[100.0, 99.96, 95.2, 95.0, 85.0, 84.9, np.nan, np.nan],
                          desa=[4, 4, 4, 4, 4, 4, 3, 0])
    targets = pd.Series(100.0, index=frame.index)
    c = ch.classify(ch.metric("joined"), frame, False, "id", frame["desa"] > 0, targets)
    assert c.cls.tolist() == [0, 0, 1, 2, 2, 3, ch.NODATA, ch.NA]  # 99,96 shows as 100,0%: reached
    assert [label for _, label in c.legend] == ["Target tercapai", "0,1–4,9 poin di bawah target",
                                                "5–15 poin di bawah target", "15,1 poin atau lebih di bawah target",
                                                "tidak berlaku", "Tidak ada data"]
    assert c.value.tolist()[:3] == ["100,0% (target 100%)", "100,0% (target 100%)", "95,2% (target 100%)"]
    assert c.value.iloc[-1] == "tidak berlaku"  # a kota: never shown as 0
    assert c.colour(ch.NA) == ch.NOT_APPLICABLE and c.colour(ch.NODATA) == ch.NO_DATA
    assert c.colour(ch.NA) != c.colour(0) and c.legend[-1][0] == ch.NO_DATA
    # Each kabupaten against its own target: 80 % of a 75 % target is reached.
    own = ch.classify(ch.metric("joined"), frame, False, "id", frame["desa"] > 0, targets.where(
        frame.index != "18.05", 75.0))
    assert own.cls["18.05"] == 0


def test_without_a_target_rates_get_fixed_breaks_whose_labels_share_no_edge():
    frame = regions_frame(pct_joined=[49.96, 50.0, 74.9, 75.0, 99.9, 100.0], desa=[4] * 6)
    c = ch.classify(ch.metric("joined"), frame, False, "id", frame["desa"] > 0, pd.Series(np.nan, index=frame.index))
    assert c.cls.tolist() == [1, 1, 1, 2, 3, 4]  # 49,96 shows as 50,0%
    assert [label for _, label in c.legend][:5] == ["0–49,9%", "50–74,9%", "75–89,9%", "90–99,9%", "100%"]
    gap = regions_frame(pct_signal_gap=[0.0, 9.9, 10.0, 24.96, 60.0], desa=[1] * 5)
    g = ch.classify(ch.metric("signal_gap"), gap, False, "id", gap["desa"] > 0)
    assert g.cls.tolist() == [0, 0, 1, 2, 3]
    assert [label for _, label in g.legend][:4] == ["0–9,9%", "10–24,9%", "25–49,9%", "50–100%"]


def test_officers_are_a_share_of_desa_and_do_not_apply_to_a_kota():
    frame = regions_frame(pct_officer=[100.0, 80.0, np.nan], desa=[3, 5, 0])
    c = ch.classify(ch.metric("officers"), frame, False, "id", frame["desa"] > 0)
    assert c.cls.tolist() == [4, 2, ch.NA] and c.value.iloc[2] == "tidak berlaku"


def test_bimtek_counts_kelurahan_while_adoption_does_not():
    # A kecamatan of kelurahan only: adoption is "tidak berlaku", Bimtek coverage is a real 50%.
    frame = regions_frame(pct_joined=[np.nan, 80.0], pct_2plus=[50.0, 10.0], desa=[0, 5])
    applies = frame["desa"] > 0
    assert ch.classify(ch.metric("joined"), frame, False, "id", applies).cls.iloc[0] == ch.NA
    bimtek = ch.classify(ch.metric("bimtek"), frame, False, "id", applies)
    assert bimtek.cls.iloc[0] >= 0 and bimtek.value.iloc[0] == "50,0%"


def test_indonesian_and_english_number_formats_in_legend_and_values():
    frame = regions_frame(idm_mean=[0.45, 0.6543, 0.9], desa=[1, 1, 1])
    ind = ch.classify(ch.metric("idm_score"), frame, False, "id", frame["desa"] > 0)
    assert ind.value.tolist() == ["0,4500", "0,6543", "0,9000"]
    assert ind.cls.tolist() == [0, 2, 4]  # Sangat Tertinggal, Berkembang, Mandiri by the IDM thresholds
    assert [label for _, label in ind.legend][:5] == [
        "Sangat Tertinggal (0,0000–0,4907)", "Tertinggal (0,4908–0,5989)", "Berkembang (0,5990–0,7072)",
        "Maju (0,7073–0,8155)", "Mandiri (0,8156–1,0000)"]
    eng = ch.classify(ch.metric("idm_score"), frame, False, "en", frame["desa"] > 0)
    assert eng.value.iloc[1] == "0.6543" and eng.title == "IDM 2024 score (mean)"


def test_modal_idm_status_and_derived_rates():
    counts = {c: [0, 0] for c in STATUS_COLS}
    counts["idm_maju"] = [5, 0]
    counts["idm_tertinggal"] = [2, 0]
    ind = regions_frame(**counts, idm_scored=[7, 0], desa=[8, 0], no_internet=[2, 0],
                        last_update=[pd.Timestamp("2024-12-01"), pd.NaT])
    out = ch.region_values(ind, dt.date(2024, 12, 31))
    assert out["idm_modal"].iloc[0] == "Maju" and pd.isna(out["idm_modal"].iloc[1])
    assert out["pct_no_internet"].iloc[0] == pytest.approx(25.0) and pd.isna(out["pct_no_internet"].iloc[1])
    assert out["days_since"].iloc[0] == 30
    c = ch.classify(ch.metric("idm_status"), out, False, "id", out["desa"] > 0)
    assert c.legend[c.cls.iloc[0]][1] == "Maju" and c.cls.iloc[1] == ch.NA
    fresh = ch.classify(ch.metric("freshness"), out, False, "id", out["desa"] > 0)
    assert fresh.legend[fresh.cls.iloc[0]][1] == "0–30 hari" and fresh.cls.iloc[1] == ch.NODATA
    assert [label for _, label in fresh.legend][:5] == ["0–30 hari", "31–90 hari", "91–180 hari", "181–365 hari",
                                                        "366 hari atau lebih"]
    assert fresh.value.iloc[0] == "30 hari lalu"


def test_village_stage_is_categorical_and_kelurahan_not_applicable():
    frame = pd.DataFrame({"stage_order": [0, 2, 5, 0], "applies": [True, True, True, False]},
                         index=["18.06.20.2001", "18.06.20.2002", "18.06.20.2003", "18.06.20.1001"])
    c = ch.classify(ch.metric("stage"), frame, True, "id", frame["applies"])
    assert c.cls.tolist() == [0, 2, 5, ch.NA]
    assert c.value.tolist() == ["Belum", "Bergabung", "Data terintegrasi", "tidak berlaku"]


@pytest.mark.parametrize(("kab", "kec", "villages", "n", "expected"), [
    (None, None, False, 2651, ("kabupaten", "kab_code", "kabupaten", "")),
    (None, None, True, 2651, ("desa", "code", "desa", "")),
    ("18.06", None, False, 2651, ("kecamatan", "kec_code", "kecamatan", "18.06.")),
    ("18.06", None, True, 2651, ("desa", "code", "desa/18.06", "18.06.")),
    ("18.06", "18.06.20", False, 2651, ("desa", "code", "desa/18.06", "18.06.20.")),
    # A national data set: never every village at once, the kabupaten's own file instead.
    (None, None, True, 84_000, ("kabupaten", "kab_code", "kabupaten", "")),
    ("32.04", None, True, 84_000, ("desa", "code", "desa/32.04", "32.04.")),
])
def test_layer_plan(kab, kec, villages, n, expected):
    plan = ch.layer_plan(kab, kec, villages, n)
    assert (plan.level, plan.by, plan.file, plan.prefix) == expected
    assert plan.villages_capped == (villages and n > ch.MAX_VILLAGES_AT_ONCE and kab is None)


def test_metric_change_keeps_the_layer_key_and_level_change_does_not():
    assert ch.layer_plan("18.06", None, False, 2651).key == ch.layer_plan("18.06", None, False, 2651).key
    assert ch.layer_plan("18.06", None, False, 2651).key != ch.layer_plan("18.06", None, True, 2651).key
    # Picking another village of the same kecamatan keeps the drawn layer (and the zoom).
    assert ch.layer_plan("18.06", "18.06.20", False, 2651).key == ch.layer_plan("18.06", "18.06.20", True, 2651).key


def test_message_carries_codes_classes_and_strings_only():
    codes = [f"18.{k:02d}.{c:02d}.{2000 + v}" for k in range(1, 16) for c in range(1, 16) for v in range(12)]
    frame = pd.DataFrame({"stage_order": np.arange(len(codes)) % 6, "applies": True}, index=codes)
    c = ch.classify(ch.metric("stage"), frame, True, "id", frame["applies"])
    msg = ch.message(c, {"url": "/app/static/geo/desa.geojson", "filter": "", "key": "desa|"},
                     pd.Series("Tahap: Bergabung · IDM: Maju · Petugas: 1", index=codes))
    text = json.dumps(msg, separators=(",", ":"))
    assert "coordinates" not in text
    assert msg["rows"]["18.03.04"]["2005"][0] == frame.loc["18.03.04.2005", "stage_order"]
    row = msg["rows"]["18.03.04"]["2005"]
    assert msg["strings"][row[1]] == c.value["18.03.04.2005"]
    assert len(text.encode()) < 100_000 * len(codes) / 2640 * 0.9  # well inside the per-rerun budget


def test_real_kabupaten_layer_matches_independent_counts(dataset, store_frames):
    snap = indicators.village_snapshot(dataset, dataset.data_as_of)
    frame = ch.region_values(indicators.region_indicators(snap, "kab_code"), dataset.data_as_of)
    targets = indicators.targets_for(dataset, frame.index, dataset.data_as_of.year, "pct_bergabung")
    c = ch.classify(ch.metric("joined"), frame, False, "id", frame["desa"] > 0, targets)
    kabs = dataset.regions.loc[dataset.regions["level"] == "kabupaten", "code"]
    assert sorted(c.cls.index) == sorted(kabs)
    assert c.cls[["18.71", "18.72"]].tolist() == [ch.NA, ch.NA]
    for kab in ("18.04", "18.06", "18.12"):
        pct = 100 * joined_desa(store_frames, dataset.data_as_of, kab) / desa_count(dataset.regions, kab)
        assert c.value[kab] == f"{pct:.1f}% (target 100%)".replace(".", ",")
    assert (c.cls.drop(["18.71", "18.72"]) >= 0).all()


def test_real_kecamatan_and_village_layers(dataset):
    snap = indicators.village_snapshot(dataset, dataset.data_as_of)
    kec = ch.region_values(indicators.region_indicators(snap, "kec_code"), dataset.data_as_of)
    kec = kec[kec.index.str.startswith("18.06.")]
    assert len(kec) == 20
    villages = ch.village_values(indicators.region_indicators(snap, "code"), snap, dataset.data_as_of)
    gisting = villages[villages.index.str.startswith("18.06.20.")]
    c = ch.classify(ch.metric("idm_status"), gisting, True, "id", gisting["applies"])
    kel = [code for code in gisting.index if code.split(".")[3].startswith("1")]
    assert all(c.cls[k] == ch.NA for k in kel)
    idm = dataset.idm.set_index("code")["status"]
    for code in gisting.index.difference(kel):
        expected = idm.get(code)
        assert c.value[code] == (expected if isinstance(expected, str) else "–")
