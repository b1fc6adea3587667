"""Data quality on a hand-built store with known faults: every finding, the per-kabupaten roll-up."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.helpers import dated_frame as frame
from tests.helpers import two_kab_regions
from utils.data.dataset import Dataset
from utils.metrics import indicators, quality
from utils.views.quality_display import describe

AS_OF = dt.date(2026, 10, 31)
A, B, C, E, K = "18.01.01.2001", "18.01.01.2002", "18.01.01.2003", "18.01.01.2004", "18.01.01.1001"
D = "18.02.01.2001"


def day(text: str | None) -> pd.Timestamp:
    return pd.Timestamp(text) if text else pd.NaT


@pytest.fixture(scope="module")
def ds() -> Dataset:
    villages = [(A, "desa"), (B, "desa"), (C, "desa"), (E, "desa"), (K, "kelurahan"), (D, "desa")]
    regions = two_kab_regions(villages)
    regions["display_name"] = regions["code"]
    adoption = frame([
        (A, "sosialisasi", "2024-01-10"), (A, "bergabung", "2024-01-05"),  # joined before the outreach
        (B, "sosialisasi", "2024-02-01"), (B, "bergabung", "2024-03-01"), (B, "layanan_aktif", "2024-05-01"),
        (C, "sosialisasi", "2024-01-01"), (C, "bergabung", "2024-02-01"), (C, "operator_terlatih", "2024-03-01"),
        (K, "sosialisasi", "2024-01-01"),  # kelurahan are outside adoption
        (D, "sosialisasi", "2024-01-01"), (D, "bergabung", "2027-01-01"),  # after the data date
    ], ["village_code", "stage", "reached_on"], ("reached_on",))
    services = frame([
        (B, "pemerintahan", "Sistem Informasi Desa", "2024-02-15", None),  # before B joined
        (C, "pemerintahan", "Sistem Informasi Desa", "2024-04-01", None),
    ], ["village_code", "pillar", "service", "started_on", "ended_on"], ("started_on", "ended_on"))
    officers = frame([("O1", K, "Budi", "Official Smart Village", None), ("O2", A, "Sari", "Official Smart Village", "2024-02-01")],
                     ["officer_id", "village_code", "name", "role", "appointed_on"], ("appointed_on",))
    events = frame([("E1", "Bimtek 1", "2024-06-10", "2024-06-12", "Dinas", "18.01", 3, 2, None),
                    ("E2", "Bimtek 2", "2024-07-01", "2024-07-01", "Dinas", "18.02", 1, 1, None)],
                   ["event_id", "title", "start_date", "end_date", "organiser", "kab_codes", "reported_participants",
                    "reported_villages", "reported_scope"], ("start_date", "end_date"))
    parts = frame([(1, "E1", A, "operator", None), (2, "E1", K, "operator", "X"), (3, "E1", D, "operator", None),
                   (4, "E2", D, "operator", None)], ["participant_id", "event_id", "village_code", "role", "name"])
    idm = pd.DataFrame(columns=["code", "status", "nilai", "signal", "internet_kantor", "internet_warga"])
    tables = {"adoption": adoption, "services": services, "officers": officers, "bimtek_events": events,
              "bimtek_participants": parts}
    return Dataset(regions=regions, idm=idm, tables=tables, meta={"data_as_of": AS_OF.isoformat()})


def test_every_planted_fault_is_found_and_nothing_else(ds):
    issues = describe(quality.find_issues(ds.tables, ds.regions, AS_OF), "id")
    found = set(zip(issues["village_code"], issues["rule"], strict=True))
    assert found == {
        (A, "stage_order"), (A, "bimtek_reported"),
        (B, "stage_gap"), (B, "service_not_joined"),
        (A, "evidence_without_stage"),  # A's operator was trained at E1, A joined, the stage is not reported
        (C, "stage_without_evidence"),  # C reports a trained operator; no operator of C in the Bimtek rows
        (C, "evidence_without_stage"),  # C uses a service; the stage Layanan aktif is not reported
        (K, "adoption_kelurahan"), (K, "officer_kelurahan"), (K, "bimtek_reported"),
        (D, "future_date"), (D, "bimtek_outside"), (D, "bimtek_reported"),
    }
    detail = issues.set_index(["village_code", "rule"])["detail"]
    assert detail[(A, "stage_order")] == "Bergabung (5 Januari 2024) sebelum Sosialisasi (10 Januari 2024)"
    assert detail[(B, "stage_gap")] == "Layanan aktif tercapai tanpa Operator terlatih"
    assert detail[(B, "service_not_joined")] == "Sistem Informasi Desa mulai 15 Februari 2024; bergabung: 1 Maret 2024"
    assert detail[(D, "future_date")] == "adoption: 1 Januari 2027"
    assert detail[(A, "bimtek_reported")] == "E1: dilaporkan 3 peserta/2 desa, tercatat 3/3"
    assert detail[(C, "stage_without_evidence")] == ("Operator terlatih dilaporkan 1 Maret 2024, tetapi tidak ada "
                                                     "operator dalam data Bimtek")
    assert detail[(A, "evidence_without_stage")] == ("1 operator dilatih (Bimtek selesai 12 Juni 2024), tetapi "
                                                     "tahap Operator terlatih belum dilaporkan")
    assert detail[(C, "evidence_without_stage")] == ("1 layanan dipakai (pertama mulai 1 April 2024), tetapi "
                                                     "tahap Layanan aktif belum dilaporkan")
    assert issues.loc[issues["village_code"] == D, "kab_code"].unique().tolist() == ["18.02"]


def test_evidence_is_compared_at_the_period_end(ds):
    # Before E1 ended (12 June 2024) A's operator was not trained yet: no disagreement then.
    early = quality.find_issues(ds.tables, ds.regions, AS_OF, as_of=dt.date(2024, 6, 11))
    assert (A, "evidence_without_stage") not in set(zip(early["village_code"], early["rule"], strict=True))
    # A stage reported before the training that backs it is its own finding.
    moved = ds["adoption"].copy()
    moved = pd.concat([moved, frame([(A, "operator_terlatih", "2024-06-01")], ["village_code", "stage", "reached_on"],
                                    ("reached_on",))], ignore_index=True)
    issues = describe(quality.find_issues({**ds.tables, "adoption": moved}, ds.regions, AS_OF), "id")
    detail = issues.set_index(["village_code", "rule"])["detail"]
    assert detail[(A, "stage_before_evidence")] == ("Operator terlatih dilaporkan 1 Juni 2024, sebelum buktinya: "
                                                    "1 operator dilatih (Bimtek selesai 12 Juni 2024)")


def test_english_details(ds):
    issues = describe(quality.find_issues(ds.tables, ds.regions, AS_OF), "en")
    detail = issues.set_index(["village_code", "rule"])["detail"]
    assert detail[(A, "stage_order")] == "Joined (5 January 2024) before Outreach (10 January 2024)"


def test_clean_store_has_no_findings(ds):
    clean = {**ds.tables, "adoption": ds["adoption"][ds["adoption"]["village_code"] == C].iloc[:2],
             "services": ds["services"].iloc[0:0], "officers": ds["officers"].iloc[1:],
             "bimtek_participants": ds["bimtek_participants"].iloc[0:0],
             "bimtek_events": ds["bimtek_events"].assign(reported_participants=pd.NA, reported_villages=pd.NA)}
    assert quality.find_issues(clean, ds.regions, AS_OF).empty


def test_quality_table_per_kabupaten(ds):
    snap = indicators.village_snapshot(ds, AS_OF)
    per_kab = indicators.region_indicators(snap, "kab_code")
    issues = quality.find_issues(ds.tables, ds.regions, AS_OF)
    table = quality.quality_table(snap, per_kab, ds.tables, issues)
    assert table.index.tolist() == ["18.01", "18.02"]
    one, two = table.loc["18.01"], table.loc["18.02"]
    assert (one["villages"], one["reporting"], one["pct_reporting"]) == (5, 4, 80.0)  # E has no record at all
    assert (two["villages"], two["reporting"], two["pct_reporting"]) == (1, 1, 100.0)
    # Filled cells, counted by hand: 18.01 adoption 18/18, services 6/6, officers 5/6, participants 5/6.
    assert one["pct_filled"] == pytest.approx(100 * 34 / 36)
    assert two["pct_filled"] == pytest.approx(100 * 8 / 10)  # adoption 4/4, two unnamed participants 4/6
    assert one["last_update"] == pd.Timestamp("2024-06-10")  # Bimtek E1, the latest record up to the data date
    assert two["last_update"] == pd.Timestamp("2024-07-01")
    assert (one["villages_with_issues"], two["villages_with_issues"]) == (4, 1)
    assert (one["bimtek_reported"], two["bimtek_reported"], one["officer_kelurahan"], two["future_date"]) == (2, 1, 1, 1)
