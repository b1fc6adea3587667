"""Contradictions 3 and 7: two indicators that are one, and units nobody explains.

Seen before: "Layanan aktif" equal to "Pilar Pemerintahan" for every kabupaten (the province funnel's 1.590
beside "Pemerintahan 1.590 desa"), the composite weighing those desa twice; "Tambahan nilai IDM" 12,2222 on
an index that runs 0..1.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from tests.invariants.conftest import PERIODS
from utils.domain.codes import PROVINCE_CODE
from utils.metrics import evaluation as ev
from utils.metrics import indicators, progress


@pytest.mark.parametrize("level", ["kab_code", "kec_code"])
@pytest.mark.parametrize("as_of", PERIODS)
def test_no_two_scorecard_indicators_are_identical_across_all_regions(dataset, snapshots, as_of, level):
    """Across all kabupaten (the scorecard's rows) and across all kecamatan: two indicators that agree
    everywhere measure one thing."""
    regions = indicators.region_indicators(snapshots(as_of), level)
    values = ev.indicator_values(regions, as_of)
    assert len(values) == (15 if level == "kab_code" else dataset.regions["level"].eq("kecamatan").sum())
    for a, b in itertools.combinations(values.columns, 2):
        both = values[[a, b]].dropna()
        assert len(both) == 0 or not np.allclose(both[a], both[b]), (as_of, level, a, b)


def _village_sets(snap: pd.DataFrame, as_of) -> dict[str, pd.Series]:
    """Which villages each composite indicator counts as meeting it (its numerator), from the snapshot."""
    days = (pd.Timestamp(as_of) - pd.to_datetime(snap["last_update"])).dt.days
    desa = snap["adoption_applies"]
    return {"joined": desa & snap["joined"], "services": desa & snap["services_active"],
            "bimtek": snap["bimtek_2plus"], "breadth": desa & (snap["services"] > 0) & snap["all_pillars"],
            "integrated": desa & snap["integrated"], "fresh": days.le(ev.BY_ID["fresh"].default_target)}


@pytest.mark.parametrize("as_of", PERIODS)
def test_a_subset_indicator_is_not_weighted_twice(snapshots, as_of):
    """When one composite indicator's desa lie inside another's (same base: desa) in every kabupaten, it must
    be measured among that other indicator's desa (its own denominator) or be a programme stage with an
    official target of its own; a plain subset over the same desa (the old pillar indicators, e.g. "Pilar
    Pemerintahan" inside "Layanan aktif") would count those desa twice."""
    snap = snapshots(as_of)
    sets = _village_sets(snap, as_of)
    weighted = [i for i in ev.INDICATORS if ev.DEFAULT_WEIGHTS[i.id] > 0]
    assert {i.id for i in weighted} == set(sets)
    # Indicators over the same base (desa: the adoption indicators); Bimtek and freshness count every village.
    weighted = [i for i in weighted if i.adoption]
    assert len(weighted) >= 4
    def inside(x: str, y: str) -> bool:
        return all(not (sets[x][rows.index] & ~sets[y][rows.index]).any() for _, rows in snap.groupby("kab_code"))

    for a, b in itertools.permutations(weighted, 2):
        if inside(a.id, b.id) and sets[a.id].any():
            # Measured among b's desa, or among desa that lie inside b's (breadth among users: users ⊆ joined).
            among = a.among is not None and (a.among == b.id or inside(a.among, b.id))
            assert among or (a.target_indicator and b.target_indicator), (as_of, a.id, b.id)


@pytest.mark.parametrize("code", ["18", "18.01", "18.06", "18.13"])
def test_the_pillar_chart_is_measured_among_the_desa_using_services(dataset, store_frames, snapshots, code):
    """Adopsi's pillar chart: share of the desa using services that use each pillar, counted from the
    service rows; it never repeats the funnel's "Layanan aktif" count as a pillar's count of all desa."""
    as_of = dataset.data_as_of
    snap = snapshots(as_of)
    row = progress.region_row(indicators.select(snap, code), code)
    table = progress.pillar_table(row).set_index("pillar")
    end = pd.Timestamp(as_of)
    sv = store_frames["services"]
    sv = sv[(sv["started_on"] <= end) & (sv["ended_on"].isna() | (sv["ended_on"] > end))]
    sv = sv[sv["village_code"].str.split(".").str[3].str.startswith("2")]
    if code != PROVINCE_CODE:
        sv = sv[sv["village_code"].str.startswith(code + ".")]
    users = sv["village_code"].nunique()
    assert (table["users"] == users).all()
    for pillar, rows in sv.groupby("pillar"):
        assert table.at[pillar, "desa_with"] == rows["village_code"].nunique()
        assert table.at[pillar, "pct_users"] == pytest.approx(100 * rows["village_code"].nunique() / users)
    funnel = progress.stage_funnel(row).set_index("stage")
    # The funnel counts desa of all desa; the chart's percentages are of the users: a different base.
    assert (table["pct_users"] != funnel.at["layanan_aktif", "pct_of_desa"]).all()


def test_idm_gain_is_shown_per_desa_on_the_index_scale(dataset, snapshots):
    """Follow-ups: the IDM gain shown is the mean per desa (0..1, the index's scale), never a sum."""
    from utils.data import paths
    from utils.views import evaluation_display as evc

    recs = ev.load_recommendations(paths.IDM_RECOMMENDATIONS)
    snap = snapshots(dataset.data_as_of)
    for kab in ["18.03", "18.06", "18.13"]:
        desa = snap.index[(snap["kab_code"] == kab) & snap["adoption_applies"]]
        fu = ev.follow_ups(recs, desa)
        assert len(fu) and fu["gain_per_desa"].between(0, 1).all(), kab
        shown = evc.follow_up_frame(fu, "id")
        column = next(c for c in shown.columns if c.startswith("Tambahan nilai IDM"))
        assert "per desa" in column
        values = shown[column].str.replace(",", ".").astype(float)
        assert values.between(0, 1).all() and values.max() < fu["gain"].max()
