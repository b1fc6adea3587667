"""The scorecard on the real build and demo store agrees with counts taken straight from the store."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.independent import desa_count, joined_desa
from utils.data import paths
from utils.metrics import evaluation as ev
from utils.metrics import indicators


@pytest.fixture(scope="module")
def built(dataset):
    as_of = dataset.data_as_of
    snap = indicators.village_snapshot(dataset, as_of)
    kab = indicators.region_indicators(snap, "kab_code")
    province = indicators.region_indicators(snap.assign(province="18"), "province").loc["18"]
    card = ev.build_scorecard(kab, province, lambda c, k: indicators.target_for(dataset, c, as_of.year, k), as_of)
    return card, snap, kab, province


def villages_2plus(store_frames, as_of, prefix: str) -> int:
    """Villages in ``prefix`` with ≥ 2 Bimtek participants by ``as_of``, counted from the store rows."""
    ev_ = store_frames["bimtek_events"]
    held = ev_.loc[ev_["start_date"] <= pd.Timestamp(as_of), "event_id"]
    p = store_frames["bimtek_participants"]
    p = p[p["event_id"].isin(held) & p["village_code"].str.startswith(prefix + ".")]
    return int((p.groupby("village_code").size() >= 2).sum())


def test_all_fifteen_scored_and_joined_matches_the_store(built, dataset, store_frames):
    card, *_ = built
    assert len(card.summary) == 15 and card.summary["rank"].notna().all()
    row = card.row("18.06")
    expected = 100 * joined_desa(store_frames, dataset.data_as_of, "18.06") / desa_count(dataset.regions, "18.06")
    assert row.at["joined", "value"] == pytest.approx(expected)
    targets = store_frames["targets"]
    official = targets[(targets["year"] == dataset.data_as_of.year) & (targets["indicator"] == "pct_bergabung")
                       & targets["region_code"].isin(["18.06", "18"])].sort_values("region_code")["value"].iloc[-1]
    assert row.at["joined", "target"] == official


@pytest.mark.parametrize("kota", ["18.71", "18.72"])
def test_kota_adoption_not_applicable_bimtek_counted_over_kelurahan(built, dataset, store_frames, kota):
    card, *_ = built
    row = card.row(kota)
    assert all(row.at[i.id, "status"] == ev.NOT_APPLICABLE for i in ev.INDICATORS if i.adoption)
    villages = int((dataset.regions["code"].str.startswith(kota + ".") & (dataset.regions["level"] == "desa")).sum())
    assert row.at["bimtek", "value"] == pytest.approx(100 * villages_2plus(store_frames, dataset.data_as_of, kota) / villages)
    assert row.at["bimtek", "status"] in ev.RAG_STATUSES and pd.notna(card.summary.at[kota, "composite"])


def test_follow_ups_come_from_the_idm_rows_of_the_desa_pulling_down(built, dataset):
    card, snap, kab, province = built
    recs = ev.load_recommendations(paths.IDM_RECOMMENDATIONS)
    code = "18.09"
    weak = ev.weakest(card, code)
    down = ev.pulling_down(snap, code, weak, dataset.data_as_of)
    fu = ev.follow_ups(recs, down["code"])
    raw = pd.read_parquet(paths.IDM_RECOMMENDATIONS)
    raw = raw[raw["code"].isin(down["code"])]
    kominfo = raw[raw["pusat"] == "Kominfo"]
    for activity, rows in kominfo.groupby("activity"):
        hit = fu[(fu["actor"] == "pusat") & (fu["who"] == "Kominfo") & (fu["activity"] == activity)]
        assert hit["desa"].item() == rows["code"].nunique()
    assert set(fu["actor"]) <= set(ev.ACTORS)
