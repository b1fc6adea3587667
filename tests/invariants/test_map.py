"""Contradiction 4: a map that hides who is done.

Seen before: the province map for "Desa bergabung (%)" in two quantile classes (93,1–98,8 % and 98,8–100,0 %),
Tanggamus' in 87–95 % and 95–100 %, so 95,2 % and 100 % looked the same, and a class edge in two labels.
Now adoption-type metrics are classed by distance to the year's target, the same at every level.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.independent import JOINED_OR_DEEPER
from tests.invariants.conftest import PERIODS
from utils.metrics import indicators
from utils.views.maps import choropleth as ch


def _layers(dataset, snap, as_of):
    """(parent, frame) of every drawn region layer: the province's kabupaten, each kabupaten's kecamatan."""
    kab = ch.region_values(indicators.region_indicators(snap, "kab_code"), as_of)
    kec = ch.region_values(indicators.region_indicators(snap, "kec_code"), as_of)
    yield "18", kab
    for code in kab.index:
        yield code, kec[kec.index.str.startswith(code + ".")]


def _target(store_frames, code: str, year: int, indicator: str) -> float | None:
    tg = store_frames["targets"]
    rows = tg[(tg["year"] == year) & (tg["indicator"] == indicator)].set_index("region_code")["value"]
    return rows.get(code[:5], rows.get("18"))


@pytest.mark.parametrize("as_of", PERIODS)
def test_every_region_at_its_target_is_in_the_target_reached_class(dataset, store_frames, snapshots, as_of):
    """Joined: the desa joined are counted from the store rows, the target read from the targets rows."""
    snap = snapshots(as_of)
    a = store_frames["adoption"]
    joined = a[a["stage"].isin(JOINED_OR_DEEPER) & (a["reached_on"] <= pd.Timestamp(as_of))]
    joined = joined.loc[joined["village_code"].str.split(".").str[3].str.startswith("2"), "village_code"].unique()
    desa = dataset.regions.loc[dataset.regions["code"].str.count(r"\.") == 3, "code"]
    desa = desa[desa.str.split(".").str[3].str.startswith("2")]
    checked = 0
    for parent, frame in _layers(dataset, snap, as_of):
        classed = ch.layer_classes(dataset, frame, False, "joined", as_of, "id")
        for code in frame.index:
            n = int(desa.str.startswith(code + ".").sum())
            if n == 0:
                assert classed.cls[code] == ch.NA, code
                continue
            value = round(100 * sum(1 for v in joined if v.startswith(code + ".")) / n, 1)
            target = _target(store_frames, code, as_of.year, "pct_bergabung")
            gap = target - value
            want = 0 if gap <= 0 else 1 if gap < 5 else 2 if gap <= 15 else 3
            assert classed.cls[code] == want, (as_of, parent, code, value, target)
            checked += 1
    assert checked > 200


@pytest.mark.parametrize("as_of", PERIODS)
def test_bimtek_coverage_is_classed_against_its_target_too(dataset, store_frames, snapshots, as_of):
    snap = snapshots(as_of)
    target_rows = store_frames["targets"]
    has_target = ((target_rows["indicator"] == "pct_bimtek_2plus") & (target_rows["year"] == as_of.year)).any()
    for _, frame in _layers(dataset, snap, as_of):
        classed = ch.layer_classes(dataset, frame, False, "bimtek", as_of, "id")
        labels = [label for _, label in classed.legend]
        assert ("Target tercapai" in labels) == bool(has_target)
        if has_target:
            reached = frame["pct_2plus"].round(1) >= frame.index.map(
                lambda c: _target(store_frames, c, as_of.year, "pct_bimtek_2plus"))
            assert (classed.cls[reached] == 0).all() and (classed.cls[~reached] != 0).all()


def _edges(label: str) -> list[str]:
    return re.findall(r"\d+(?:,\d+)?", label)


@pytest.mark.parametrize("metric_key", ch.METRIC_KEYS)
def test_no_class_edge_appears_in_two_labels_and_levels_share_the_classes(dataset, snapshots, metric_key):
    as_of = dataset.data_as_of
    snap = snapshots(as_of)
    legends = set()
    for _, frame in _layers(dataset, snap, as_of):
        classed = ch.layer_classes(dataset, frame, False, metric_key, as_of, "id")
        labels = [label for _, label in classed.legend[:-2]]
        legends.add(tuple(labels))
        if ch.metric(metric_key).kind in ("target", "rate", "score", "days"):
            seen: dict[str, str] = {}
            for label in labels:
                for number in set(_edges(label)):
                    assert number not in seen, (metric_key, number, seen.get(number), label)
                    seen[number] = label
    assert len(legends) == 1, (metric_key, legends)  # kabupaten and kecamatan layers: the same classes


def test_tanggamus_full_and_nearly_full_kecamatan_look_different(dataset, snapshots):
    as_of = dataset.data_as_of
    kec = ch.region_values(indicators.region_indicators(snapshots(as_of), "kec_code"), as_of)
    kec = kec[kec.index.str.startswith("18.06.")]
    classed = ch.layer_classes(dataset, kec, False, "joined", as_of, "id")
    full = kec.index[kec["pct_joined"] >= 100]
    short = kec.index[kec["pct_joined"] < 100]
    assert len(full) and len(short)
    assert set(classed.cls[full]) == {0} and 0 not in set(classed.cls[short])
    assert len({classed.colour(c) for c in classed.cls[short]} & {classed.colour(0)}) == 0
