"""Counting rules on a tiny hand-made dataset: desa-only adoption, Bimtek incl. kelurahan, period cut-off."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from utils.data.dataset import Dataset
from utils.metrics import indicators

D = pd.Timestamp


def _dataset() -> Dataset:
    regions = pd.DataFrame({
        "code": ["18", "18.01", "18.01.01", "18.01.01.2001", "18.01.01.2002", "18.01.01.1001"],
        "level": ["provinsi", "kabupaten", "kecamatan", "desa", "desa", "desa"],
        "kab_code": [None, "18.01", "18.01", "18.01", "18.01", "18.01"],
        "kec_code": [None, None, "18.01.01", "18.01.01", "18.01.01", "18.01.01"],
        "village_type": [None, None, None, "desa", "desa", "kelurahan"],
        "display_name": ["Provinsi Lampung", "Kab. A", "Kec. B", "Desa C", "Desa D", "Kelurahan E"],
    })
    idm = pd.DataFrame({"code": ["18.01.01.2001"], "status": ["Maju"], "nilai": [0.75], "signal": ["lemah"],
                        "internet_kantor": [False], "internet_warga": [True]})
    tables = {
        "adoption": pd.DataFrame({
            "village_code": ["18.01.01.2001", "18.01.01.2001", "18.01.01.2002"],
            "stage": ["sosialisasi", "bergabung", "sosialisasi"],
            "reached_on": [D("2021-01-10"), D("2022-03-01"), D("2023-05-01")]}),
        "bimtek_events": pd.DataFrame({"event_id": ["E1", "E2"], "start_date": [D("2022-06-01"), D("2025-01-01")]}),
        "bimtek_participants": pd.DataFrame({
            "event_id": ["E1", "E1", "E1", "E2"],
            "village_code": ["18.01.01.1001", "18.01.01.1001", "18.01.01.2001", "18.01.01.2001"]}),
        "officers": pd.DataFrame({"village_code": ["18.01.01.2001", "18.01.01.2002"], "name": ["Ani", "Budi"],
                                  "appointed_on": [D("2022-01-01"), pd.NaT]}),
        "services": pd.DataFrame({
            "village_code": ["18.01.01.2001", "18.01.01.2001", "18.01.01.2002"],
            "pillar": ["pemerintahan", "ekonomi_kreatif", "pemberdayaan"],
            "service": ["SID", "Pasar Digital", "Inkubasi"],
            "started_on": [D("2022-04-01"), D("2022-05-01"), D("2023-02-01")],
            "ended_on": [pd.NaT, D("2022-10-01"), pd.NaT]}),
        "targets": pd.DataFrame({"year": [2022], "region_code": ["18"], "indicator": ["pct_bergabung"],
                                 "value": [80.0]}),
    }
    return Dataset(regions=regions, idm=idm, tables=tables, meta={"data_as_of": "2025-06-30"})


def test_rules_at_end_of_2022():
    ds = _dataset()
    snap = indicators.village_snapshot(ds, dt.date(2022, 12, 31))
    s = indicators.summarise(ds, snap, "18.01", 2022)
    assert (s.n_villages, s.n_desa, s.n_kelurahan) == (3, 2, 1)
    assert (s.joined, s.pct_joined, s.target_pct_joined) == (1, 50.0, 80.0)  # kelurahan not in the base
    assert (s.bimtek_participants, s.villages_2plus) == (3, 1)  # the kelurahan's two participants count
    assert s.officers == 2  # an officer with no appointment date counts as serving
    assert (s.weak_signal, s.no_internet, s.idm_status["Maju"]) == (1, 1, 1)


def test_region_table_counts_services_in_use_and_freshness_at_the_period_end():
    ds = _dataset()
    table = indicators.region_indicators(indicators.village_snapshot(ds, dt.date(2022, 12, 31)), "code")
    # 2001: SID in use; Pasar Digital ended 1 Oct 2022; 2002's Inkubasi starts only in 2023.
    assert table.loc["18.01.01.2001", ["svc_pemerintahan", "svc_ekonomi_kreatif", "services"]].tolist() == [1, 0, 1]
    assert table.loc["18.01.01.2002", "services"] == 0
    # Latest record of 2001 by then: Bimtek E1 on 1 June 2022 (later than joining and the services).
    assert table.loc["18.01.01.2001", "last_update"] == D("2022-06-01")
    kab = indicators.region_indicators(indicators.village_snapshot(ds, dt.date(2023, 12, 31)), "kab_code").loc["18.01"]
    assert (kab["desa"], kab["kelurahan"], kab["services"], kab["pct_svc_pemberdayaan"]) == (2, 1, 2, 50.0)
    assert kab["pct_joined"] == 50.0 and kab["villages_2plus"] == 1


def test_period_cut_off_excludes_later_rows():
    ds = _dataset()
    early = indicators.summarise(ds, indicators.village_snapshot(ds, dt.date(2021, 12, 31)), "18", 2021)
    assert (early.joined, early.bimtek_participants, early.officers) == (0, 0, 1)
    late = indicators.summarise(ds, indicators.village_snapshot(ds, dt.date(2025, 6, 30)), "18", 2025)
    assert (late.bimtek_participants, late.villages_2plus) == (4, 2)


def test_kelurahan_alone_is_not_applicable():
    ds = _dataset()
    s = indicators.summarise(ds, indicators.village_snapshot(ds, dt.date(2025, 6, 30)), "18.01.01.1001", 2025)
    assert s.n_desa == 0 and s.pct_joined is None and s.bimtek_participants == 2
