"""Progress metrics on the real demo store against counts taken straight from its rows (plain SQL)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.independent import desa_count, joined_desa
from utils.metrics import indicators, progress
from utils.views import progress_display as prd

GISTING_EVENT, GISTING = "BT-20241010-1806", "18.06.20"


@pytest.fixture(scope="module")
def snapshot(dataset):
    return indicators.village_snapshot(dataset, dataset.data_as_of)


def _held(store_frames, as_of) -> pd.DataFrame:
    ev = store_frames["bimtek_events"]
    held = ev.loc[ev["start_date"] <= pd.Timestamp(as_of), "event_id"]
    p = store_frames["bimtek_participants"]
    return p[p["event_id"].isin(held)]


@pytest.mark.parametrize("code", ["18", "18.06", "18.13"])
def test_funnel_joined_and_total_match_the_store(dataset, snapshot, store_frames, code):
    funnel = progress.stage_funnel(progress.region_row(indicators.select(snapshot, code), code)).set_index("stage")
    assert funnel.loc["belum", "reached"] == desa_count(dataset.regions, code)
    assert funnel.loc["bergabung", "reached"] == joined_desa(store_frames, dataset.data_as_of, code)
    a = store_frames["adoption"]
    a = a[a["village_code"].str.startswith(code + ".") | (code == "18")]
    socialised = a.loc[a["reached_on"] <= pd.Timestamp(dataset.data_as_of), "village_code"].nunique()
    assert funnel.loc["sosialisasi", "reached"] == socialised
    assert funnel["at_stage"].sum() == funnel.loc["belum", "reached"]


def test_laggards_are_the_desa_not_joined(dataset, snapshot, store_frames):
    lag = progress.laggards(snapshot)
    expected = desa_count(dataset.regions) - joined_desa(store_frames, dataset.data_as_of)
    assert len(lag) == expected
    assert set(lag["kab_code"]) <= {"18.03", "18.06", "18.13"}  # the demo's late desa (docs/schema.md)


def test_the_gisting_report_is_flagged_with_both_counts(dataset, store_frames):
    p = store_frames["bimtek_participants"]
    rows = p[(p["event_id"] == GISTING_EVENT) & p["village_code"].str.startswith(GISTING + ".")]
    ev = store_frames["bimtek_events"].set_index("event_id").loc[GISTING_EVENT]
    assert (len(rows), rows["village_code"].nunique()) == (19, 9)
    assert (ev["reported_participants"], ev["reported_villages"], ev["reported_scope"]) == (19, 8, GISTING)
    events = progress.event_table(dataset["bimtek_events"], dataset["bimtek_venues"],
                                  dataset["bimtek_participants"], "18.06", dataset.data_as_of)
    flags = progress.consistency_flags(events, dataset["bimtek_participants"])
    hit = flags[(flags["event_id"] == GISTING_EVENT) & (flags["kind"] == "reported_mismatch")]
    assert len(hit) == 1
    assert hit.iloc[0][["reported_participants", "counted_participants", "reported_villages",
                        "counted_villages"]].tolist() == [19, 19, 8, 9]
    text = " ".join(prd.flag_display(flags, dataset.names, "id").iloc[:, -1])
    assert "Kec. Gisting: dilaporkan 19 peserta/8 desa, tercatat 19 peserta/9 desa" in text


def test_flagged_events_match_an_independent_check(dataset, store_frames):
    ev = store_frames["bimtek_events"]
    ev = ev[ev["start_date"] <= pd.Timestamp(dataset.data_as_of)]
    p = store_frames["bimtek_participants"]
    expected = set()
    for e in ev.itertuples():
        rows = p[p["event_id"] == e.event_id]
        if isinstance(e.reported_scope, str):
            rows = rows[rows["village_code"].str.startswith(e.reported_scope + ".")]
        if (pd.notna(e.reported_participants) and e.reported_participants != len(rows)) or (
                pd.notna(e.reported_villages) and e.reported_villages != rows["village_code"].nunique()):
            expected.add(e.event_id)
    events = progress.event_table(dataset["bimtek_events"], dataset["bimtek_venues"],
                                  dataset["bimtek_participants"], "18", dataset.data_as_of)
    flags = progress.consistency_flags(events, dataset["bimtek_participants"])
    assert set(flags.loc[flags["kind"] == "reported_mismatch", "event_id"]) == expected
    assert GISTING_EVENT in expected
    assert len(events) == len(ev)


def test_roles_coverage_never_trained_and_budget_match_the_store(dataset, snapshot, store_frames):
    held = _held(store_frames, dataset.data_as_of)
    roles = progress.roles(progress.held_participants(dataset, dataset.data_as_of)).set_index("role")
    assert roles["participants"].to_dict() == held["role"].value_counts().to_dict()
    row = progress.region_row(snapshot, "18")
    villages = dataset.regions.loc[dataset.regions["code"].str.count(r"\.") == 3, "code"]
    trained = held["village_code"].nunique()
    per_village = held.groupby("village_code").size()
    assert len(progress.never_trained(snapshot)) == len(villages) - trained
    assert row["villages_2plus"] == int((per_village >= 2).sum())
    meta = store_frames["meta"].set_index("key")["value"]
    b = progress.budget(int(row["villages"]), int(row["villages_trained"]), int(row["villages_2plus"]),
                        progress.budget_per_village(dataset.meta))
    assert b.per_village == int(meta["bimtek_budget_per_village"]) == 6_000_000
    assert b.planned == 2651 * 6_000_000 and prd.rupiah(b.planned, "id") == "Rp15,9 miliar"
    assert b.realised == trained * 6_000_000
    assert b.cost_per_covered == pytest.approx(trained * 6_000_000 / (per_village >= 2).sum())


def test_cumulative_participants_end_at_the_total(dataset, store_frames):
    parts = progress.held_participants(dataset, dataset.data_as_of)
    cum = progress.cumulative_participants(parts, dataset.data_as_of)
    assert cum["participants"].iloc[-1] == len(_held(store_frames, dataset.data_as_of))
    assert cum["participants"].is_monotonic_increasing


def test_province_forecast_counts_the_outstanding_desa(dataset, snapshot, store_frames):
    view = progress.adoption_view(dataset, snapshot, "18", dataset.data_as_of)
    joined = joined_desa(store_frames, dataset.data_as_of)
    assert view.forecast.current == joined and view.forecast.target == desa_count(dataset.regions)
    fcs = view.forecasts.set_index("code")
    assert fcs.loc["18.71", "status"] == fcs.loc["18.72", "status"] == "no_desa"
    full = [k for k in fcs.index if k not in ("18", "18.71", "18.72")
            and joined_desa(store_frames, dataset.data_as_of, k) == desa_count(dataset.regions, k)]
    assert full and all(fcs.loc[k, "status"] == "reached" for k in full)
