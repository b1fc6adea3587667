"""Progress metrics on a small hand-made dataset whose answers are worked out by hand below."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from utils.data.dataset import Dataset
from utils.metrics import forecast, indicators, progress
from utils.views import forecast_display as fcd
from utils.views import progress_display as prd

D = pd.Timestamp
AS_OF = dt.date(2025, 6, 30)

# Villages: kab 18.01 (kec 18.01.01: desa A, B, C + kelurahan K1; kec 18.01.02: desa D, E),
# kab 18.02 (desa F, G), kota 18.71 (kelurahan K2). 7 desa, 9 villages.
A, B, C, K1 = "18.01.01.2001", "18.01.01.2002", "18.01.01.2003", "18.01.01.1001"
DD, E, F, G, K2 = "18.01.02.2001", "18.01.02.2002", "18.02.01.2001", "18.02.01.2002", "18.71.01.1001"
STAGE_DATES = {  # village -> dates of sosialisasi, bergabung, operator, layanan, data (None: not reached)
    A: ["2021-01-10", "2021-03-01", "2021-06-01", "2022-01-01", "2022-06-01"],  # stage 5
    B: ["2021-02-01", "2022-05-01"],  # stage 2
    C: ["2023-01-01"],  # stage 1
    DD: ["2021-02-01", "2021-04-01", "2022-02-01"],  # stage 3
    F: ["2022-08-01", "2022-09-01", "2023-01-01", "2023-06-01"],  # stage 4
    # E and G: no rows (belum)
}
STAGES = ["sosialisasi", "bergabung", "operator_terlatih", "layanan_aktif", "data_terintegrasi"]


def _regions() -> pd.DataFrame:
    rows = [("18", "provinsi", None, None, None, "Provinsi Lampung"),
            ("18.01", "kabupaten", "18.01", None, None, "Kab. Satu"),
            ("18.02", "kabupaten", "18.02", None, None, "Kab. Dua"),
            ("18.71", "kabupaten", "18.71", None, None, "Kota Tujuh"),
            ("18.01.01", "kecamatan", "18.01", "18.01.01", None, "Kec. Satu"),
            ("18.01.02", "kecamatan", "18.01", "18.01.02", None, "Kec. Dua"),
            ("18.02.01", "kecamatan", "18.02", "18.02.01", None, "Kec. Tiga"),
            ("18.71.01", "kecamatan", "18.71", "18.71.01", None, "Kec. Kota"),
            (A, "desa", "18.01", "18.01.01", "desa", "Desa A"), (B, "desa", "18.01", "18.01.01", "desa", "Desa B"),
            (C, "desa", "18.01", "18.01.01", "desa", "Desa C"),
            (K1, "desa", "18.01", "18.01.01", "kelurahan", "Kelurahan K1"),
            (DD, "desa", "18.01", "18.01.02", "desa", "Desa D"), (E, "desa", "18.01", "18.01.02", "desa", "Desa E"),
            (F, "desa", "18.02", "18.02.01", "desa", "Desa F"), (G, "desa", "18.02", "18.02.01", "desa", "Desa G"),
            (K2, "desa", "18.71", "18.71.01", "kelurahan", "Kelurahan K2")]
    return pd.DataFrame(rows, columns=["code", "level", "kab_code", "kec_code", "village_type", "display_name"])


def _dataset(targets: pd.DataFrame | None = None) -> Dataset:
    adoption = pd.DataFrame([(v, STAGES[i], D(day)) for v, days in STAGE_DATES.items() for i, day in enumerate(days)],
                            columns=["village_code", "stage", "reached_on"])
    services = pd.DataFrame({
        "village_code": [A, A, F, F],
        "pillar": ["pemerintahan", "ekonomi_kreatif", "pemerintahan", "pemberdayaan"],
        "service": ["SID", "Pasar", "SID", "Inkubasi"],
        "started_on": [D("2022-01-01"), D("2022-02-01"), D("2023-06-01"), D("2023-07-01")],
        "ended_on": [pd.NaT, D("2024-01-01"), pd.NaT, pd.NaT]})
    # IDM: C weak signal (infrastructure gap), E strong signal with internet (programme gap), G unscored.
    idm = pd.DataFrame({"code": [A, B, C, DD, E, F], "status": ["Maju"] * 6, "nilai": [0.7] * 6,
                        "signal": ["kuat", "kuat", "lemah", "kuat", "kuat", "kuat"],
                        "internet_kantor": [True] * 6, "internet_warga": [True] * 6})
    events = pd.DataFrame({
        "event_id": ["E1", "E2", "E3", "E4", "E5"],
        "title": ["Bimtek Satu", "Bimtek Dua", "Bimtek Tiga", "Bimtek Kota", "Bimtek Nanti"],
        "start_date": [D("2022-06-01"), D("2023-03-01"), D("2024-01-10"), D("2025-01-15"), D("2026-01-01")],
        "end_date": [D("2022-06-03"), D("2023-03-01"), D("2024-01-11"), D("2025-01-15"), D("2026-01-02")],
        "organiser": ["Dinas"] * 5, "kab_codes": ["18.01", "18.01", "18.02", "18.71", "18.01"],
        "reported_participants": pd.array([4, 3, pd.NA, 2, 2], dtype="Int64"),
        "reported_villages": pd.array([2, 2, pd.NA, 1, 1], dtype="Int64"),
        "reported_scope": [None, "18.01.01", None, None, None]})
    venues = pd.DataFrame({"event_id": ["E1", "E1", "E2"], "venue": ["Hotel X", "Hotel Y", "Aula Z"]})
    parts = pd.DataFrame([
        ("E1", K1, "kepala_desa"), ("E1", K1, "operator"), ("E1", A, "operator"), ("E1", DD, "sekretaris"),
        ("E2", A, "operator"), ("E2", B, "operator"), ("E2", B, "sekretaris"), ("E2", F, "kepala_desa"),
        ("E4", K2, "operator"), ("E4", K2, "operator"),
        ("E5", C, "operator"), ("E5", C, "operator"),  # after AS_OF: never counted here
    ], columns=["event_id", "village_code", "role"])
    parts.insert(0, "participant_id", range(1, len(parts) + 1))
    parts["name"] = None
    if targets is None:
        targets = pd.DataFrame({"year": [2021, 2022, 2022], "region_code": ["18", "18", "18.02"],
                                "indicator": ["pct_bergabung"] * 3, "value": [25, 50, 100]})
    tables = {"adoption": adoption, "services": services, "officers": pd.DataFrame(
        {"village_code": pd.Series(dtype=str), "name": pd.Series(dtype=str), "appointed_on": pd.Series(dtype="M8[ns]")}),
        "bimtek_events": events, "bimtek_venues": venues, "bimtek_participants": parts, "targets": targets}
    return Dataset(regions=_regions(), idm=idm, tables=tables,
                   meta={"data_as_of": AS_OF.isoformat(), "bimtek_budget_per_village": "6000000"})


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return _dataset()


@pytest.fixture(scope="module")
def snap(ds) -> pd.DataFrame:
    return indicators.village_snapshot(ds, AS_OF)


# ------------------------------------------------------------------------------------------- adoption


def test_funnel_counts_and_conversion(snap):
    funnel = progress.stage_funnel(progress.region_row(snap, "18"))
    assert funnel["stage"].tolist() == ["belum", "sosialisasi", "bergabung", "operator_terlatih", "layanan_aktif",
                                        "data_terintegrasi"]
    assert funnel["reached"].tolist() == [7, 5, 4, 3, 2, 1]  # kelurahan K1, K2 never counted
    assert funnel["at_stage"].tolist() == [2, 1, 1, 1, 1, 1]  # E and G not yet; C, B, D, F, A
    assert funnel["conversion"].iloc[1:].round(4).tolist() == [round(100 * a / b, 4) for a, b in
                                                               [(5, 7), (4, 5), (3, 4), (2, 3), (1, 2)]]
    assert np.isnan(funnel["conversion"].iloc[0])
    assert funnel["pct_of_desa"].iloc[2] == pytest.approx(400 / 7)


def test_funnel_of_a_kecamatan_and_of_a_kota(snap):
    kec = progress.stage_funnel(progress.region_row(indicators.select(snap, "18.01.01"), "18.01.01"))
    assert kec["reached"].tolist() == [3, 3, 2, 1, 1, 1]
    kota = progress.stage_funnel(progress.region_row(indicators.select(snap, "18.71"), "18.71"))
    assert kota["reached"].tolist() == [0] * 6 and kota["conversion"].isna().all()


def test_cumulative_joined_per_year_against_targets(ds):
    monthly = indicators.joined_monthly(ds, "18", AS_OF)
    targets = indicators.joined_targets(ds, "18", range(2020, 2026))
    assert targets["pct"].tolist()[1:] == [25, 50, 50, 50, 50] and np.isnan(targets["pct"].iloc[0])
    yearly = progress.yearly_joined(monthly, targets, n_desa=7)
    assert yearly["year"].tolist() == [2020, 2021, 2022, 2023, 2024, 2025]
    assert yearly["joined"].tolist() == [0, 2, 4, 4, 4, 4]  # A, D in 2021; B, F in 2022
    assert yearly["target_desa"].tolist()[1:] == [2, 4, 4, 4, 4]  # 25 % of 7 = 1.75 -> 2; 50 % -> 3.5 -> 4
    assert yearly["date"].iloc[-1] == D(AS_OF)  # the running year ends at the period end
    points = progress.target_points(targets, 7)
    assert points["date"].tolist()[0] == D("2021-12-31") and points["desa"].tolist() == [2, 4, 4, 4, 4]


def test_kabupaten_target_overrides_and_default_target():
    ds = _dataset()
    assert indicators.joined_targets(ds, "18.02.01.2001", range(2021, 2024))["pct"].tolist() == [25, 100, 100]
    empty = _dataset(targets=pd.DataFrame(columns=["year", "region_code", "indicator", "value"]))
    pct = indicators.joined_targets(empty, "18", range(2022, 2027))["pct"]
    assert np.isnan(pct.iloc[0]) and np.isnan(pct.iloc[1]) and pct.iloc[2:].tolist() == [100, 100, 100]


def _parts(series: dict[str, list[float]], desa: dict[str, int], target: dict[str, int] | None = None,
           end: str = "2025-06-30") -> pd.DataFrame:
    """``forecast.fit_parts`` of hand-written cumulative counts at the 13 window points ending ``end``."""
    points = forecast.window_points(D(end).date())
    counts = pd.DataFrame([v[-13:] for v in series.values()], index=list(series), columns=points)
    return forecast.fit_parts(counts, pd.Series(desa), pd.Series(target or desa))


def test_forecast_on_an_exactly_linear_series():
    # 13 month ends rising 3 desa a month to 100 at the end of June 2025; 130 needed: 10 months -> April 2026.
    parts = _parts({"k": [64 + 3 * i for i in range(13)]}, {"k": 200}, {"k": 130})
    fc = forecast.combine(parts, 130, dt.date(2025, 6, 30), single=True)
    assert fc.status == "on_pace" and fc.current == 100 and fc.remaining == 30
    assert fc.pace == pytest.approx(3.0) and fc.pace_se == pytest.approx(0.0, abs=1e-9)
    assert (fc.eta.year, fc.eta.month) == (2026, 4)
    assert fc.eta_early == fc.eta == fc.eta_late  # a perfect line leaves no spread
    assert fc.path[0] == (dt.date(2025, 6, 30), 100) and fc.path[-1][1] == pytest.approx(130)


def test_a_flat_part_short_of_its_target_is_stalled_and_says_how_many_desa():
    fc = forecast.combine(_parts({"k": [50] * 13}, {"k": 60}), 60, dt.date(2025, 6, 30), single=True)
    assert fc.status == "stalled" and fc.eta is None and (fc.stalled_desa, fc.stalled_parts, fc.rest_desa) == (10, 1, 0)
    assert fcd.forecast_text(fc, "id") == ("10 desa tanpa kemajuan 12 bulan terakhir", "")
    assert fcd.forecast_text(fc, "en")[0] == "10 desa with no progress in the last 12 months"


def test_a_part_at_its_target_is_done_not_stalled():
    parts = _parts({"a": [20] * 13, "b": [5 + i for i in range(13)]}, {"a": 20, "b": 30})
    assert parts.loc["a", "done"] and not parts.loc["a", "stalled"]
    fc = forecast.combine(parts, 50, dt.date(2025, 6, 30))
    assert fc.status == "on_pace" and fc.pace == pytest.approx(1.0)  # only the part still short counts
    assert (fc.eta.year, fc.eta.month) == (2026, 7)  # b: 17 of 30, 13 to go at 1 a month


def test_a_parent_reaches_its_target_when_its_parts_projected_counts_sum_to_it():
    # a: 40 of 50 at 2 a month (full after 5 months); b: 17 of 20 at 1 a month (full after 3 months).
    parts = _parts({"a": [16 + 2 * i for i in range(13)], "b": [5 + i for i in range(13)]}, {"a": 50, "b": 20})
    end = dt.date(2025, 6, 30)
    assert (forecast.combine(parts, 70, end).eta.year, forecast.combine(parts, 70, end).eta.month) == (2025, 11)
    # 60 of 70 (a lower target): 57 now, 3 a month -> one month later, July 2025.
    assert forecast.combine(parts, 60, end).eta.month == 7
    # Once b is full only a grows: 66 after 3 months, 68 needs one more -> October 2025.
    assert forecast.combine(parts, 68, end).eta.month == 10


def test_a_stalled_part_is_named_and_the_rest_gets_its_month():
    parts = _parts({"a": [16 + 2 * i for i in range(13)], "b": [5 + i for i in range(13)], "c": [7] * 13},
                   {"a": 50, "b": 20, "c": 9})
    fc = forecast.combine(parts, 79, dt.date(2025, 6, 30))
    assert fc.status == "stalled" and (fc.stalled_desa, fc.stalled_parts, fc.rest_desa) == (2, 1, 13)
    assert (fc.rest_eta.year, fc.rest_eta.month) == (2025, 11)  # a is full after 5 months
    text, _ = fcd.forecast_text(fc, "id")
    assert text == "2 desa di 1 kecamatan tanpa kemajuan 12 bulan terakhir; sisanya Nov 2025"
    assert fcd.forecast_kpi(fc, "id") == ("Terhambat", "2 desa di 1 kec. tanpa kemajuan; sisanya Nov 2025")


def test_growth_long_ago_does_not_count():
    old = _parts({"k": list(range(30, 50)) + [50] * 14}, {"k": 60})
    assert old.loc["k", "stalled"] and old.loc["k", "pace"] == 0


def test_forecast_range_brackets_the_estimate_on_a_noisy_series():
    rng = np.random.default_rng(1)
    values = np.cumsum(2 + rng.normal(0, 1.5, 13)).round()
    target = int(values[-1]) + 40
    fc = forecast.combine(_parts({"k": values.tolist()}, {"k": target}), target, dt.date(2025, 6, 30))
    assert fc.status == "on_pace" and fc.pace_se > 0
    assert fc.eta_early < fc.eta and (fc.eta_late is None or fc.eta < fc.eta_late)


def test_forecast_beyond_ten_years_is_said_so():
    fc = forecast.combine(_parts({"k": [0] * 12 + [1]}, {"k": 500}), 500, dt.date(2025, 6, 30))
    text, _ = fcd.forecast_text(fc, "id")
    assert fc.status == "on_pace" and fc.eta is None and text == "lebih dari 10 tahun"


def test_forecasts_per_region_with_kota_not_applicable(ds, snap):
    fcs = forecast.forecasts(ds, snap, "18", AS_OF).set_index("code")
    assert fcs.index.tolist() == ["18", "18.01", "18.02", "18.71"]
    assert fcs.loc["18.71", "status"] == "no_desa"
    # Province: 50 % of 7 desa = 4, made when F joined in September 2022; 18.01: 50 % of 5 = 3 (A, D, B
    # in May 2022); 18.02 has its own 100 % target (2 desa), has 1 and nobody joined since 2022.
    assert fcs.loc["18", "status"] == "reached" and fcs.loc["18", "target"] == 4
    assert fcs.loc["18", "reached_on"] == dt.date(2022, 9, 30)
    assert fcs.loc["18.01", "target"] == 3 and fcs.loc["18.01", "reached_on"] == dt.date(2022, 5, 31)
    assert fcs.loc["18.02", "status"] == "stalled"
    assert fcs.loc["18.02", "target"] == 2 and fcs.loc["18.02", "current"] == 1
    assert fcd.forecast_text(fcs.loc["18.02"], "id")[0] == "1 desa di 1 kecamatan tanpa kemajuan 12 bulan terakhir"
    assert fcd.forecast_text(fcs.loc["18.71"], "id")[0] == "tidak berlaku"


def test_ranking_puts_not_applicable_last(snap):
    rank = progress.ranking(progress.child_indicators(snap, "18"), _dataset().names, "pct_joined")
    assert rank["code"].tolist() == ["18.01", "18.02", "18.71"]  # 3/5 = 60 % > 1/2 = 50 %; kota NaN
    assert rank["pct_joined"].iloc[0] == pytest.approx(60.0) and np.isnan(rank["pct_joined"].iloc[-1])


def test_services_by_pillar(snap):
    pillars = progress.pillar_table(progress.region_row(snap, "18")).set_index("pillar")
    assert pillars["services"].tolist() == [2, 0, 1]  # the Pasar service of A ended in 2024
    assert pillars["desa_with"].tolist() == [2, 0, 1]
    # Measured among the desa that use services (A and F), not over all 7 desa.
    assert (pillars["users"] == 2).all()
    assert pillars["pct_users"].tolist() == [100.0, 0.0, 50.0]


def test_laggards_separate_infrastructure_from_programme_gaps(snap):
    lag = progress.laggards(snap).set_index("code")
    assert sorted(lag.index) == [C, E, G]
    assert lag["gap"].to_dict() == {C: "infra", E: "programme", G: "unknown"}
    assert lag.loc[C, "stage_order"] == 1


# --------------------------------------------------------------------------------------------- bimtek


def test_events_participants_and_cumulative(ds):
    events = progress.event_table(ds["bimtek_events"], ds["bimtek_venues"], ds["bimtek_participants"], "18", AS_OF)
    assert events["event_id"].tolist() == ["E1", "E2", "E3", "E4"]  # E5 is after the period
    assert events["participants"].tolist() == [4, 4, 0, 2] and events["villages"].tolist() == [3, 3, 0, 1]
    assert events.loc[0, "venues"] == "Hotel X, Hotel Y"
    kab2 = progress.event_table(ds["bimtek_events"], ds["bimtek_venues"], ds["bimtek_participants"], "18.02", AS_OF)
    assert kab2["event_id"].tolist() == ["E2", "E3"]  # E2 had a participant from F; E3 covers 18.02
    assert kab2["participants_here"].tolist() == [1, 0]
    cum = progress.cumulative_participants(progress.held_participants(ds, AS_OF), AS_OF).set_index("month")
    assert cum.loc[D("2022-06-30"), "participants"] == 4 and cum.loc[D("2023-03-31"), "participants"] == 8
    assert cum.loc[D("2024-12-31"), "participants"] == 8 and cum["participants"].iloc[-1] == 10


def test_coverage_counts_kelurahan_and_never_trained(snap):
    row = progress.region_row(snap, "18")
    assert (row["villages"], row["villages_2plus"], row["villages_trained"]) == (9, 4, 6)  # K1, A, B, K2
    assert row["pct_2plus"] == pytest.approx(400 / 9)
    assert progress.never_trained(snap)["code"].tolist() == [C, E, G]
    cov = progress.child_indicators(snap, "18")
    assert cov.loc["18.71", "pct_2plus"] == 100.0 and cov.loc["18.01", "villages_2plus"] == 3


def test_roles(ds):
    roles = progress.roles(progress.held_participants(ds, AS_OF)).set_index("role")
    assert roles["participants"].to_dict() == {"kepala_desa": 2, "sekretaris": 2, "operator": 6}
    assert roles.loc["operator", "pct"] == pytest.approx(60.0)


def test_budget_and_cost_per_covered_village(ds, snap):
    row = progress.region_row(snap, "18")
    b = progress.budget(int(row["villages"]), int(row["villages_trained"]), int(row["villages_2plus"]),
                        progress.budget_per_village(ds.meta))
    assert (b.planned, b.realised) == (54_000_000, 36_000_000)
    assert b.pct_realised == pytest.approx(200 / 3) and b.cost_per_covered == 9_000_000
    province = progress.budget(2651, 0, 0, progress.budget_per_village({}))
    assert province.planned == 15_906_000_000 and province.cost_per_covered is None
    assert prd.rupiah(province.planned, "id") == "Rp15,9 miliar"
    assert prd.rupiah(6_000_000, "id") == "Rp6 juta" and prd.rupiah(6_000_000, "en") == "Rp6 million"
    table = progress.budget_table(progress.child_indicators(snap, "18"), ds.names, 6_000_000).set_index("code")
    assert table.loc["18.01", "planned"] == 36_000_000 and table.loc["18.01", "realised"] == 24_000_000


def test_consistency_flags(ds):
    events = progress.event_table(ds["bimtek_events"], ds["bimtek_venues"], ds["bimtek_participants"], "18", AS_OF)
    flags = progress.consistency_flags(events, ds["bimtek_participants"])
    got = {(f.event_id, f.kind) for f in flags.itertuples()}
    # E1 reports 2 villages but its rows hold 3; E2's report is right within its kecamatan scope, but F is
    # from outside its kabupaten; E3 has no rows; E4 agrees.
    assert got == {("E1", "reported_mismatch"), ("E2", "outside_kab"), ("E3", "no_participants")}
    e1 = flags[flags["event_id"] == "E1"].iloc[0]
    assert (e1["reported_participants"], e1["counted_participants"]) == (4, 4)
    assert (e1["reported_villages"], e1["counted_villages"]) == (2, 3)
    assert flags.loc[flags["kind"] == "outside_kab", "outside"].tolist() == [1]
    text = prd.flag_display(flags, ds.names, "id")
    assert "Seluruh kegiatan: dilaporkan 4 peserta/2 desa, tercatat 4 peserta/3 desa" in " ".join(
        text.iloc[:, -1])


def test_date_range_reads_like_the_press():
    assert prd.date_range(D("2024-10-10"), D("2024-10-12"), "id") == "10–12 Oktober 2024"
    assert prd.date_range(D("2024-10-10"), D("2024-10-10"), "id") == "10 Oktober 2024"
    assert prd.date_range(D("2023-02-28"), D("2023-03-01"), "en") == "28 February 2023 – 1 March 2023"


def test_village_participation(ds):
    rows = progress.village_participation(ds, B, AS_OF)
    assert rows["role"].tolist() == ["operator", "sekretaris"] and set(rows["title"]) == {"Bimtek Dua"}
    assert rows["venues"].iloc[0] == "Aula Z"
    assert progress.village_participation(ds, C, AS_OF).empty  # C's event is after the period
