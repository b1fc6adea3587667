"""Contradiction 1: a parent's forecast follows from its children's, at every level and period.

Seen before: the province "Mei 2031" beside Lampung Utara "lebih dari 10 tahun"; Tanggamus "Feb 2028" while
three of its kecamatan showed no progress at all. The expected figures are recomputed here from the store's
rows with plain pandas and numpy (join days, counts at the 13 window points, np.polyfit per kecamatan).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from tests.independent import expected_forecast, kecamatan_paces
from tests.invariants.conftest import PERIODS
from utils.metrics import forecast
from utils.views import forecast_display as fcd


@pytest.fixture(scope="module")
def tables(dataset, snapshots):
    """Forecast tables per period: the province's (province + kabupaten) and each kabupaten's (+ kecamatan)."""
    out = {}
    kabs = sorted(dataset.regions.loc[dataset.regions["level"] == "kabupaten", "code"])
    for as_of in PERIODS:
        snap = snapshots(as_of)
        out[as_of] = {"18": forecast.forecasts(dataset, snap, "18", as_of).set_index("code")}
        for kab in kabs:
            out[as_of][kab] = forecast.forecasts(dataset, snap, kab, as_of).set_index("code")
    return out


@pytest.mark.parametrize("as_of", [p for p in PERIODS if p.year >= 2024])
def test_every_region_forecast_is_the_sum_of_its_kecamatan(dataset, store_frames, tables, as_of):
    parts = kecamatan_paces(store_frames, dataset.regions, as_of)
    targets = store_frames["targets"]
    assert set(targets.loc[(targets["indicator"] == "pct_bergabung") & (targets["year"] == as_of.year), "value"]) \
        == {100}, "this check assumes the demo's 100 % joining target"
    regions = {"18": parts, **{k: g for k, g in parts.groupby("kab")}, **{k: parts.loc[[k]] for k in parts.index}}
    checked = 0
    for code, mine in regions.items():
        table = tables[as_of]["18"] if code.count(".") <= 1 else tables[as_of][code[:5]]
        row = table.loc[code]
        want = expected_forecast(mine, as_of)
        assert row["status"] == want["status"], (code, row["status"], want)
        assert row["current"] == mine["current"].sum() and row["target"] == mine["desa"].sum()
        if want["status"] == "on_pace":
            got = None if row["eta"] is None else (row["eta"].year, row["eta"].month)
            assert got == want["month"], code
        if want["status"] == "stalled":
            assert (row["stalled_desa"], row["stalled_parts"]) == (want["stalled_desa"], want["stalled_parts"]), code
            got = None if row["rest_eta"] is None else (row["rest_eta"].year, row["rest_eta"].month)
            assert got == want["rest_month"], code
        checked += 1
    assert checked == 1 + parts["kab"].nunique() + len(parts)


@pytest.mark.parametrize("as_of", PERIODS)
def test_a_parent_never_contradicts_its_children(dataset, tables, as_of):
    """At every period (targets below 100 % included): the kabupaten row of the province table is the
    kabupaten's own forecast; a parent with a stalled child that needs all its desa is not given a date;
    the stalled desa of a stalled parent are the sum of its children's; no parent is done before a child
    it needs, and a parent's month is never before a child's month."""
    province = tables[as_of]["18"]
    for kab, table in tables[as_of].items():
        if kab == "18":
            continue
        own = table.loc[kab]
        listed = province.loc[kab]
        for col in ("status", "current", "target", "eta", "rest_eta", "stalled_desa", "reached_on"):
            assert (own[col] == listed[col]) or (pd.isna(own[col]) and pd.isna(listed[col])), (as_of, kab, col)
        kids = table.drop(index=kab)
        _parent_against_children(own, kids, as_of, kab)
    _parent_against_children(province.loc["18"], province.drop(index="18"), as_of, "18")


def _parent_against_children(parent: pd.Series, kids: pd.DataFrame, as_of: dt.date, code: str) -> None:
    kids = kids[kids["status"] != "no_desa"]
    if parent["status"] == "no_desa":  # a kota: adoption does not apply to it or to any of its kecamatan
        assert kids.empty, code
        return
    assert parent["current"] == kids["current"].sum(), code
    needs_all = parent["target"] == kids["desa"].sum()
    if parent["status"] == "reached":
        assert parent["current"] >= parent["target"], code
    if needs_all and (kids["status"] == "stalled").any():
        assert parent["status"] == "stalled", (as_of, code, "a stalled child but the parent has a date")
    if parent["status"] == "stalled" and needs_all:
        assert parent["stalled_desa"] == kids.loc[kids["status"] == "stalled", "stalled_desa"].sum(), code
        assert parent["stalled_parts"] == kids.loc[kids["status"] == "stalled", "stalled_parts"].sum(), code
    if needs_all:
        months = [d for d in (*kids["eta"], *kids["rest_eta"]) if d is not None and not pd.isna(d)]
        mine = parent["eta"] if parent["status"] == "on_pace" else parent["rest_eta"]
        if months and mine is not None and not pd.isna(mine):
            assert mine >= max(months), (as_of, code, mine, max(months))
        if parent["status"] != "reached":
            assert (kids["status"] != "reached").any(), code


@pytest.mark.parametrize("as_of", PERIODS)
def test_the_words_carry_the_same_figures(dataset, tables, as_of):
    """The table text of a stalled region names its stalled desa and kecamatan, never "no progress" alone."""
    for table in tables[as_of].values():
        for code, row in table.iterrows():
            text, _ = fcd.forecast_text(row, "id")
            if row["status"] == "stalled":
                assert text.startswith(f"{row['stalled_desa']} desa"), (code, text)
                if row["rest_desa"]:
                    assert "sisanya" in text, (code, text)
            assert not math.isnan(row["current"]) if row["status"] != "no_desa" else True
