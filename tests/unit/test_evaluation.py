"""Scoring of the evaluation page on hand-built frames with known answers (no streamlit, no store)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from utils.metrics import evaluation as ev

AS_OF = dt.date(2026, 10, 31)
ZERO = {i.id: 0.0 for i in ev.INDICATORS}


def region_table(rows: dict[str, dict]) -> pd.DataFrame:
    """A minimal ``region_indicators``-shaped table: every indicator column, defaults filled in."""
    base = {"villages": 10, "desa": 10, "pct_joined": 100.0, "pct_services_active": 75.0, "pct_2plus": 100.0,
            "pct_all_pillars": 50.0,
            "pct_integrated": 50.0, "last_update": pd.Timestamp(AS_OF)}
    frame = pd.DataFrame([{**base, **r} for r in rows.values()], index=pd.Index(list(rows), name="code"))
    frame["last_update"] = pd.to_datetime(frame["last_update"])
    return frame


def province_row(**over) -> pd.Series:
    return region_table({"18": over}).loc["18"]


def flat_targets(values: dict[str, float]):
    return lambda code, key: values.get(key)


TARGETS = {"pct_bergabung": 100, "pct_layanan_aktif": 75, "pct_bimtek_2plus": 100, "pct_data_terintegrasi": 50}


# --------------------------------------------------------------------------- weights


def test_weights_summing_to_100_are_kept_without_notice():
    w = ev.normalise_weights(ev.DEFAULT_WEIGHTS)
    assert w.values == ev.DEFAULT_WEIGHTS and not w.normalised and not w.defaults_used
    assert sum(ev.DEFAULT_WEIGHTS.values()) == 100


def test_weights_not_summing_to_100_are_scaled_with_notice():
    w = ev.normalise_weights({**ZERO, "joined": 30, "bimtek": 10})  # 40 in all
    assert w.normalised and w.entered_total == 40
    assert w.values["joined"] == pytest.approx(75) and w.values["bimtek"] == pytest.approx(25)
    assert sum(w.values.values()) == pytest.approx(100)


def test_all_zero_weights_fall_back_to_defaults_and_negatives_count_as_zero():
    assert ev.normalise_weights(ZERO).defaults_used
    assert ev.normalise_weights(ZERO).values == ev.DEFAULT_WEIGHTS
    w = ev.normalise_weights({**ZERO, "joined": -20, "bimtek": 50, "services": None})
    assert w.negatives == ("joined",) and w.values["joined"] == 0 and w.values["bimtek"] == pytest.approx(100)


# --------------------------------------------------------------------------- attainment, RAG, ranks


def test_rag_thresholds_on_attainment():
    att = ev.attainment(pd.Series([100.0, 85.0, 84.9, 120.0, np.nan, 0.0]), pd.Series([100.0] * 5 + [0.0]))
    assert list(att.round(1).fillna(-1)) == [100.0, 85.0, 84.9, 120.0, -1, 100.0]  # a target of 0 is met
    assert list(ev.rag(att)) == [ev.GREEN, ev.AMBER, ev.RED, ev.GREEN, ev.NO_DATA, ev.GREEN]


def test_lower_is_better_attainment_for_days():
    att = ev.attainment(pd.Series([0.0, 30.0, 35.0, 60.0]), 30.0, "lower")
    assert list(att.round(1)) == [100.0, 100.0, 85.7, 50.0]
    assert list(ev.rag(att)) == [ev.GREEN, ev.GREEN, ev.AMBER, ev.RED]


def test_ties_share_the_best_rank_and_missing_values_get_none():
    ranks = ev.shared_rank(pd.Series([90.0, 80.04, 79.96, 70.0, np.nan]))  # 80.0 and 80.0 as shown
    assert ranks.tolist()[:4] == [1, 2, 2, 4] and ranks.isna().tolist()[4]
    assert ev.shared_rank(pd.Series([5.0, 3.0, 3.0]), higher_is_better=False).tolist() == [3, 1, 1]


# --------------------------------------------------------------------------- scorecard


@pytest.fixture
def card() -> ev.Scorecard:
    table = region_table({
        "18.01": {"pct_joined": 100.0, "pct_2plus": 80.0},
        "18.02": {"pct_joined": 90.0, "pct_2plus": 90.0},
        "18.03": {"pct_joined": 70.0, "pct_2plus": np.nan},  # Bimtek: no data
        "18.71": {"desa": 0, "pct_joined": np.nan, "pct_services_active": np.nan, "pct_all_pillars": np.nan,
                  "pct_integrated": np.nan,
                  "pct_2plus": 50.0},
    })
    return ev.build_scorecard(table, province_row(), flat_targets(TARGETS), AS_OF,
                              {**ZERO, "joined": 50, "bimtek": 50})


def test_composite_is_the_weighted_mean_of_capped_attainment(card):
    composite = card.summary["composite"]
    assert composite["18.01"] == pytest.approx(90)  # (100 + 80) / 2
    assert composite["18.02"] == pytest.approx(90)  # (90 + 90) / 2


def test_no_data_is_excluded_not_scored_zero(card):
    row = card.row("18.03")
    assert row.at["bimtek", "status"] == ev.NO_DATA and pd.isna(row.at["bimtek", "rank"])
    assert card.summary.at["18.03", "composite"] == pytest.approx(70)  # joined alone, not (70 + 0) / 2
    assert card.summary.at["18.03", "scored"] == 1
    assert ("18.03", "bimtek", ev.NO_DATA) in set(map(tuple, card.excluded.to_numpy()))


def test_kota_adoption_is_not_applicable_and_bimtek_applies(card):
    row = card.row("18.71")
    for ind in ev.INDICATORS:
        expected = ev.NOT_APPLICABLE if ind.adoption else row.at[ind.id, "status"]
        assert row.at[ind.id, "status"] == expected
    assert row.at["bimtek", "status"] == ev.RED and row.at["bimtek", "value"] == 50
    assert card.summary.at["18.71", "composite"] == pytest.approx(50)  # Bimtek only
    assert pd.isna(row.at["joined", "rank"])


def test_composite_ties_share_a_rank_and_indicator_ranks_skip_missing(card):
    assert card.summary["rank"].to_dict() == {"18.01": 1, "18.02": 1, "18.03": 3, "18.71": 4}
    bimtek = card.wide("rank")["bimtek"]
    assert bimtek["18.02"] == 1 and bimtek["18.01"] == 2 and bimtek["18.71"] == 3 and pd.isna(bimtek["18.03"])


def test_gap_target_and_benchmark(card):
    row = card.row("18.02")
    assert row.at["joined", "gap"] == pytest.approx(-10) and row.at["joined", "status"] == ev.AMBER
    # No official target for the breadth of use: the province value (50) is the benchmark.
    assert row.at["breadth", "target"] == 50 and row.at["breadth", "target_basis"] == "province"
    # Freshness: 0 days against 30: gap +30 (ahead), green.
    assert row.at["fresh", "value"] == 0 and row.at["fresh", "gap"] == 30 and row.at["fresh", "status"] == ev.GREEN


def test_defaults_and_what_if_weights_change_the_ranking():
    table = region_table({"18.01": {"pct_joined": 100.0, "pct_2plus": 50.0},
                          "18.02": {"pct_joined": 50.0, "pct_2plus": 100.0}})
    joined_heavy = ev.build_scorecard(table, province_row(), flat_targets(TARGETS), AS_OF, {**ZERO, "joined": 90, "bimtek": 10})
    bimtek_heavy = ev.build_scorecard(table, province_row(), flat_targets(TARGETS), AS_OF, {**ZERO, "joined": 10, "bimtek": 90})
    assert joined_heavy.summary["rank"].to_dict() == {"18.01": 1, "18.02": 2}
    assert bimtek_heavy.summary["rank"].to_dict() == {"18.01": 2, "18.02": 1}
    # Unnormalised weights give the same result as the same proportions summing to 100.
    scaled = ev.build_scorecard(table, province_row(), flat_targets(TARGETS), AS_OF, {**ZERO, "joined": 9, "bimtek": 1})
    assert scaled.weights.normalised
    assert scaled.summary["composite"].tolist() == pytest.approx(joined_heavy.summary["composite"].tolist())


def test_rank_change_against_the_previous_period(card):
    earlier = ev.build_scorecard(
        region_table({"18.01": {"pct_joined": 10.0}, "18.02": {"pct_joined": 90.0}, "18.03": {"pct_joined": 80.0},
                      "18.71": {"desa": 0, "pct_2plus": 100.0}}),
        province_row(), flat_targets(TARGETS), dt.date(2026, 9, 30), {**ZERO, "joined": 50, "bimtek": 50})
    changed = ev.with_previous(card, earlier).summary
    assert earlier.summary["rank"].to_dict() == {"18.01": 4, "18.02": 2, "18.03": 3, "18.71": 1}
    assert changed["rank_change"].to_dict() == {"18.01": 3, "18.02": 1, "18.03": 0, "18.71": -3}


def test_missing_target_for_the_year_uses_the_province_benchmark():
    table = region_table({"18.01": {"pct_2plus": 40.0}})
    card = ev.build_scorecard(table, province_row(pct_2plus=80.0), flat_targets({}), AS_OF)
    row = card.row("18.01")
    assert row.at["bimtek", "target"] == 80 and row.at["bimtek", "target_basis"] == "province"
    assert row.at["bimtek", "status"] == ev.RED


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 10, 31), dt.date(2026, 9, 30)), (dt.date(2026, 9, 30), dt.date(2026, 6, 30)),
    (dt.date(2026, 3, 31), dt.date(2025, 12, 31)), (dt.date(2026, 2, 15), dt.date(2025, 12, 31)),
])
def test_previous_quarter_end(day, expected):
    assert ev.previous_quarter_end(day) == expected


def test_trend_dates_end_at_the_period_and_stop_at_the_programme_start():
    dates = ev.trend_dates(AS_OF, quarters=3)
    assert dates == [dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30), AS_OF]
    assert ev.trend_dates(dt.date(2020, 8, 1))[0] == ev.FIRST_QUARTER_END


# --------------------------------------------------------------------------- detail


def snapshot_frame() -> pd.DataFrame:
    """Five villages of 18.01 (two kecamatan) and one kelurahan."""
    rows = [
        # code, kec, type, stage_order, integrated, bimtek participants, last_update, nilai, signal
        ("18.01.01.2001", "18.01.01", "desa", 5, True, 2, "2026-10-30", 0.8, "kuat"),
        ("18.01.01.2002", "18.01.01", "desa", 2, False, 0, "2026-01-10", 0.6, "lemah"),
        ("18.01.01.2003", "18.01.01", "desa", 0, False, 1, None, 0.7, "tidak ada"),
        ("18.01.02.2001", "18.01.02", "desa", 4, False, 3, "2026-10-01", np.nan, None),
        ("18.01.02.1001", "18.01.02", "kelurahan", 0, False, 1, "2026-05-01", np.nan, None),
    ]
    snap = pd.DataFrame(rows, columns=["code", "kec_code", "village_type", "stage_order", "integrated",
                                       "bimtek_participants", "last_update", "nilai", "signal"]).set_index("code")
    snap["kab_code"] = "18.01"
    snap["adoption_applies"] = snap["village_type"] == "desa"
    snap["integrated"] = snap["integrated"] & snap["adoption_applies"]
    snap["bimtek_2plus"] = snap["bimtek_participants"] >= 2
    snap["last_update"] = pd.to_datetime(snap["last_update"])
    snap["status"] = ["Mandiri", "Berkembang", "Maju", None, None]
    return snap


def test_pulling_down_lists_failing_villages_furthest_behind_first():
    snap = snapshot_frame()
    integrated = ev.pulling_down(snap, "18.01", "integrated", AS_OF)
    assert integrated["code"].tolist() == ["18.01.01.2003", "18.01.01.2002", "18.01.02.2001"]  # desa only
    bimtek = ev.pulling_down(snap, "18.01", "bimtek", AS_OF)  # kelurahan count for Bimtek
    assert set(bimtek["code"]) == {"18.01.01.2002", "18.01.01.2003", "18.01.02.1001"}
    assert bimtek["code"].iloc[0] == "18.01.01.2002"  # 0 participants first
    fresh = ev.pulling_down(snap, "18.01", "fresh", AS_OF)  # no record, then the oldest
    assert fresh["code"].tolist() == ["18.01.01.2003", "18.01.01.2002", "18.01.02.1001"]


def test_kecamatan_ranked_weakest_first_and_kelurahan_only_kecamatan_not_ranked():
    sub = region_table({"18.01.01": {"pct_integrated": 33.3}, "18.01.02": {"pct_integrated": 10.0},
                        "18.01.03": {"desa": 0, "pct_integrated": np.nan}, "18.02.01": {"pct_integrated": 0.0}})
    out = ev.sub_ranking(sub, "18.01", "integrated", AS_OF)
    assert out["code"].tolist() == ["18.01.02", "18.01.01", "18.01.03"]
    assert out["rank_weakest"].tolist()[:2] == [1, 2] and pd.isna(out["rank_weakest"].iloc[2])


def test_weakest_indicator_is_the_lowest_attainment(card):
    assert ev.weakest(card, "18.71") == "bimtek"  # 50 % of target; freshness is met
    assert ev.weakest(card, "18.03") == "joined"  # 70 %; Bimtek has no data and is not "weakest"


def test_follow_ups_grouped_by_who_can_act():
    recs = pd.DataFrame({
        "code": ["A", "A", "B", "B", "C"],
        "indicator": ["Sinyal telepon seluler lemah", "Ruang publik tidak ada", "Sinyal telepon seluler lemah",
                      "Jarak ke poskesdes 2 km", "Sinyal telepon seluler lemah"],
        "activity": ["Penguatan sinyal", "Pembangunan ruang publik", "Penguatan sinyal", None, "Penguatan sinyal"],
        "score_gain": [0.01, 0.02, 0.01, 0.005, 0.01],
        "pusat": ["Kominfo", None, "Kominfo", None, "Kominfo"],
        "provinsi": [None] * 5, "kabupaten": [None, "PU", None, "DINKES", None],
        "desa": [None, "DD", None, None, None], "swasta": [None] * 5, "masyarakat": [None] * 5,
    })
    out = ev.follow_ups(recs, ["A", "B"])  # C is not among the desa pulling down
    assert out["actor"].tolist() == ["pusat", "kabupaten", "kabupaten", "desa"]
    first = out.iloc[0]
    assert (first["who"], first["activity"], first["desa"], first["digital"]) == ("Kominfo", "Penguatan sinyal", 2, True)
    assert first["gain"] == pytest.approx(0.02)
    # A row without an activity keeps its indicator text rather than vanishing.
    assert "Jarak ke poskesdes 2 km" in out["activity"].tolist()
    assert ev.follow_ups(recs, []).empty


def test_context_flags_a_signal_gap_above_the_province():
    table = region_table({"18.01": {}})
    for col, value in {"idm_scored": 8, "no_signal": 1, "weak_signal": 3, "no_internet": 2, "pct_signal_gap": 40.0,
                       "idm_mandiri": 2, "idm_maju": 3, "idm_berkembang": 3, "idm_tertinggal": 0,
                       "idm_sangat_tertinggal": 0}.items():
        table[col] = value
    cx = ev.context(table, pd.Series({"pct_signal_gap": 20.0}), "18.01")
    assert cx.infrastructure_gap and cx.idm_status["Maju"] == 3 and cx.no_internet == 2
    assert not ev.context(table, pd.Series({"pct_signal_gap": 45.0}), "18.01").infrastructure_gap


def test_every_indicator_names_its_source_and_weights_are_whole():
    # Its name and definition in both languages: test_evaluation_charts (the string table).
    for ind in ev.INDICATORS:
        assert ind.source
        assert ind.direction in ("higher", "lower") and math.isfinite(ind.weight)


def test_trend_gives_each_indicator_at_each_date():
    early, late = dt.date(2026, 6, 30), AS_OF
    tables = {late: region_table({"18.01": {"pct_joined": 80.0}, "18.02": {}}),
              early: region_table({"18.01": {"pct_joined": 60.0, "last_update": pd.Timestamp(2026, 6, 20)}})}
    one = ev.trend(tables, "18.01")
    joined = one[one["indicator"] == "joined"]
    assert joined["date"].dt.date.tolist() == [early, late] and joined["value"].tolist() == [60.0, 80.0]
    fresh = one[one["indicator"] == "fresh"].set_index("date")["value"]
    assert fresh[pd.Timestamp(early)] == 10  # 20 → 30 June
    assert set(ev.trend(tables, "18.02")["date"].dt.date) == {late}  # absent at the earlier date
    assert len(ev.trend(tables)) == 3 * len(ev.INDICATORS)
