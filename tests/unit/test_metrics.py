"""Roll-ups agree across levels and with independent counts straight from the store and the sources."""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from tests.independent import desa_count, joined_desa
from utils.metrics import indicators

MIRROR = Path(os.environ.get("SV_SOURCES_MIRROR") or Path(__file__).resolve().parents[3] / "shared" / "sources")
SATUDATA = MIRROR / ("github/kristonova/Visualisasi-Indeks-Desa-Membangun--IDM--2024/"
                     "c2aa4b0bd0839635390132b3b3bed52e57a4eb0f/data/idm/prov/18.json")


def _independent_2plus(store_frames, as_of: dt.date) -> pd.Series:
    ev = store_frames["bimtek_events"]
    held = ev.loc[ev["start_date"] <= pd.Timestamp(as_of), "event_id"]
    p = store_frames["bimtek_participants"]
    per_village = p[p["event_id"].isin(held)].groupby("village_code").size()
    return per_village[per_village >= 2]


@pytest.fixture(scope="module")
def snapshot(dataset):
    return indicators.village_snapshot(dataset, dataset.data_as_of)


def test_province_equals_sum_of_kabupaten_equals_sum_of_kecamatan(dataset, snapshot):
    province = indicators.summarise(dataset, snapshot, "18", dataset.data_as_of.year)
    kab_codes = dataset.regions.loc[dataset.regions["level"] == "kabupaten", "code"]
    kec_codes = dataset.regions.loc[dataset.regions["level"] == "kecamatan", "code"]
    for field in ("n_villages", "n_desa", "joined", "bimtek_participants", "villages_2plus", "officers",
                  "no_signal", "weak_signal", "no_internet"):
        by_kab = sum(getattr(indicators.summarise(dataset, snapshot, c, 2026), field) for c in kab_codes)
        by_kec = sum(getattr(indicators.summarise(dataset, snapshot, c, 2026), field) for c in kec_codes)
        assert getattr(province, field) == by_kab == by_kec, field
    assert (province.n_villages, province.n_desa, province.n_kelurahan) == (2651, 2446, 205)


def test_joined_matches_an_independent_count_from_the_store(dataset, store_frames):
    for day in (dt.date(2021, 12, 31), dt.date(2023, 12, 31), dataset.data_as_of):
        snap = indicators.village_snapshot(dataset, day)
        assert indicators.summarise(dataset, snap, "18", day.year).joined == joined_desa(store_frames, day)
        assert indicators.joined_at(dataset, "18", day) == joined_desa(store_frames, day)
    tanggamus = indicators.summarise(dataset, indicators.village_snapshot(dataset, dt.date(2023, 12, 31)), "18.06", 2023)
    assert tanggamus.joined == joined_desa(store_frames, dt.date(2023, 12, 31), "18.06")


def test_join_days_follow_the_tables_of_each_dataset(dataset, store_frames):
    """join_dates is kept per Dataset object: a copy with other tables (the report check's "after" view) gets
    its own join days, never the original's; the original's stay as they were."""
    import dataclasses
    import gc

    day = dataset.data_as_of
    before = indicators.joined_at(dataset, "18", day)
    assert before == joined_desa(store_frames, day)
    adoption = dataset["adoption"]
    no_tanggamus = adoption[~adoption["village_code"].str.startswith("18.06.")].reset_index(drop=True)
    frames = {**store_frames, "adoption": store_frames["adoption"][
        ~store_frames["adoption"]["village_code"].str.startswith("18.06.")]}
    without = dataclasses.replace(dataset, tables={**dataset.tables, "adoption": no_tanggamus})
    expected = joined_desa(frames, day)
    assert dataset["status_reports"].empty  # else a report's join date would count too (not in joined_desa)
    assert indicators.joined_at(without, "18", day) == expected < before
    assert indicators.joined_at(dataset, "18", day) == before
    entries = len(indicators._FRAME_CACHE)
    del without
    gc.collect()
    assert len(indicators._FRAME_CACHE) < entries  # its entry went with it


def test_bimtek_counts_include_kelurahan(dataset, snapshot, store_frames):
    trained = _independent_2plus(store_frames, dataset.data_as_of)
    province = indicators.summarise(dataset, snapshot, "18", 2026)
    assert province.villages_2plus == len(trained)
    assert trained.index.str.split(".").str[3].str.startswith("1").any()  # kelurahan trained too


def test_kota_without_desa_is_not_applicable_not_zero(dataset, snapshot):
    for kota in ("18.71", "18.72"):
        s = indicators.summarise(dataset, snapshot, kota, 2026)
        assert s.n_desa == 0 and s.pct_joined is None and s.target_pct_joined is None
        assert s.n_kelurahan > 0 and s.bimtek_participants > 0


def test_idm_infrastructure_counts_match_the_workbook_facts(dataset, snapshot):
    s = indicators.summarise(dataset, snapshot, "18", 2026)
    assert (s.weak_signal, s.no_signal, s.no_internet) == (521, 15, 307)
    # The workbook's statuses (sources/README.md) plus Satu Data's for the 139 desa the workbook lacks, read
    # from the JSON itself; the edition rule is tested in test_build_idm.
    filled = set(dataset.idm.loc[dataset.idm["edition"] == "satudata", "code"].str.replace(".", "", regex=False))
    assert len(filled) == 139
    words = {1: "Mandiri", 2: "Maju", 3: "Berkembang", 4: "Tertinggal", 5: "Sangat Tertinggal"}
    doc = json.loads(SATUDATA.read_text(encoding="utf-8"))
    extra = collections.Counter(words[r[6]] for k in doc["kec"] for r in k["ds"] if k["k"] + r[0] in filled)
    workbook = {"Mandiri": 347, "Maju": 1087, "Berkembang": 868, "Tertinggal": 4, "Sangat Tertinggal": 1}
    assert s.idm_status == {k: v + extra.get(k, 0) for k, v in workbook.items()}
    assert s.idm_scored == 2446 == s.n_desa
    assert s.signal_known == 2307  # signal and internet only where the recommendation rows exist


def test_monthly_trend_ends_at_the_period_total(dataset, snapshot):
    monthly = indicators.joined_monthly(dataset, "18.06", dataset.data_as_of)
    assert monthly["joined"].is_monotonic_increasing
    assert monthly["month"].iloc[-1].date() == dataset.data_as_of
    assert monthly["joined"].iloc[-1] == indicators.summarise(dataset, snapshot, "18.06", 2026).joined


def test_year_earlier_handles_leap_day():
    assert indicators.year_earlier(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


def test_region_indicator_table_agrees_with_independent_counts(dataset, snapshot, store_frames):
    as_of = dataset.data_as_of
    kab = indicators.region_indicators(snapshot, "kab_code")
    kec = indicators.region_indicators(snapshot, "kec_code")
    assert len(kab) == 15 and len(kec) == 229
    # Kota without desa: adoption rates are "not applicable" (NaN), never 0; Bimtek still applies.
    assert kab.loc[["18.71", "18.72"], "pct_joined"].isna().all()
    assert kab.loc[["18.71", "18.72"], "pct_2plus"].gt(0).all()
    tanggamus = kab.loc["18.06"]
    expected = joined_desa(store_frames, as_of, "18.06")
    assert tanggamus["joined"] == expected
    assert tanggamus["pct_joined"] == pytest.approx(100 * expected / desa_count(dataset.regions, "18.06"))
    assert tanggamus["villages_2plus"] == _independent_2plus(store_frames, as_of).index.str.startswith("18.06.").sum()
    # Services in use at the data date, counted from the store rows directly.
    s = store_frames["services"]
    live = s[(s["started_on"] <= pd.Timestamp(as_of))
             & (s["ended_on"].isna() | (s["ended_on"] > pd.Timestamp(as_of)))]
    assert kab["services"].sum() == kec["services"].sum() == len(live)
    assert kab["svc_pemerintahan"].sum() == (live["pillar"] == "pemerintahan").sum()
    # Services deepen adoption: a desa with services in use has reached that stage or deeper.
    assert (kab["services_active"] <= kab["operator_trained"]).all()
    assert (kab["last_update"] <= pd.Timestamp(as_of)).all()
