"""Status reports stored with their meaning (issue 16): approved through the history like any upload and
rolled back exactly; the snapshot, trends and stage history read join dates as exact and reported stages as
"reached by the report date"; a second month moves stages forward without inventing dates; Kualitas Data
lists exactly the findings planted in the reports; ``python -m utils check-upload`` stores nothing."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from tests.helpers import ADMIN, OP_TGM, assert_same, content, raw_count
from tests.report_family import (
    APRIL_FINDINGS,
    MARCH_FINDINGS,
    Layout,
    tanggamus_april,
    tanggamus_march,
    workbook,
)
from utils.data import store
from utils.data.dataset import load_dataset
from utils.domain.programme import STAGE_ORDER
from utils.intake import apply, report
from utils.metrics import indicators, quality
from utils.views import report_check
from utils.views.quality_display import describe

#: Every test with a store runs on SQLite and on PostgreSQL (composite keys, booleans, the report's rollback).
pytestmark = pytest.mark.both_backends

MARCH, APRIL = dt.date(2025, 3, 31), dt.date(2025, 4, 30)
TODAY = dt.date(2026, 12, 1)


def check(pekon, layout: Layout, regions, name: str) -> report.StatusCheck:
    rf = report.read_report(name, workbook(pekon, layout))
    chk = report.check(rf, report.propose(rf), regions, "18.06", skip_unmatched=True, today=TODAY)
    assert chk.ok, chk.errors
    return chk


def submit_march_and_april(engine, regions) -> tuple[int, int]:
    march = tanggamus_march()
    a = apply.submit(engine, check(march, Layout(), regions, "maret.xlsx"), ADMIN)
    b = apply.submit(engine, check(tanggamus_april(march), Layout(as_of=APRIL), regions, "april.xlsx"), ADMIN)
    return a, b


def raw_rows(engine) -> pd.DataFrame:
    """The stored report rows read with plain SQL (not through the code under test)."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        return pd.read_sql(sa.text("SELECT * FROM status_report_rows ORDER BY report_date, village_code"), conn)


def test_a_report_waits_for_approval_then_is_stored_as_reported_and_rolls_back_exactly(tmp_store, regions):
    before = content(tmp_store)
    chk = check(tanggamus_march(), Layout(), regions, "maret.xlsx")
    uid = apply.submit(tmp_store, chk, OP_TGM)
    assert_same(before, content(tmp_store))  # pending: nothing reaches the data
    up = store.read_uploads(tmp_store).set_index("upload_id").loc[uid]
    assert (up["kind"], up["status"], up["as_of"].date(), up["rows_added"]) == ("status_report", "pending", MARCH, 18)
    details = json.loads(up["details"])
    assert [s["reason"] for s in details["skipped"]].count("rep_skip_subtotal") == 3 and details["excluded"] == [23]

    apply.approve(tmp_store, uid, ADMIN)
    rows = raw_rows(tmp_store)
    expected = {p.code: p for p in tanggamus_march() if p.code}
    assert set(rows["village_code"]) == set(expected)
    for r in rows.itertuples():
        p = expected[r.village_code]
        assert (str(r.joined_on)[:10] if pd.notna(r.joined_on) else None) == (p.joined.isoformat() if p.joined else None)
        assert r.stage == p.stage
        assert (None if pd.isna(r.operators_trained) else int(r.operators_trained)) == p.operators
        assert str(r.report_date)[:10] == MARCH.isoformat() and r.source == "maret.xlsx"
    assert raw_count(tmp_store, "status_report_services", "WHERE active") == sum(
        sum(p.pillars.values()) for p in expected.values())
    # The first real adoption data: Tanggamus's demo rows gave way; the pages show no demo adoption at all.
    assert raw_count(tmp_store, "adoption", "WHERE village_code LIKE '18.06.%'") == 0
    assert raw_count(tmp_store, "adoption", "WHERE source <> 'demo'") == 0
    ds = load_dataset()
    assert "adoption" not in ds.demo_tables and ds["adoption"].empty and ds.reporting["adoption"] == {"18.06"}

    apply.rollback(tmp_store, uid, ADMIN)
    assert_same(before, content(tmp_store))  # demo adoption rows and meta back, to the byte


def test_stages_are_reached_by_the_report_date_and_joining_is_exact(tmp_store, regions):
    march = tanggamus_march()
    apply.submit(tmp_store, check(march, Layout(), regions, "maret.xlsx"), ADMIN)
    ds = load_dataset()
    at_report = indicators.village_snapshot(ds, MARCH)
    day_before = indicators.village_snapshot(ds, MARCH - dt.timedelta(days=1))
    for p in march:
        if p.code is None:
            continue
        assert at_report.at[p.code, "stage_order"] == STAGE_ORDER[p.stage], p.written
        # The day before the report only the exact join date is known: no reported stage is dated earlier.
        joined_before = p.joined is not None and p.joined < MARCH
        assert day_before.at[p.code, "stage_order"] == (STAGE_ORDER["bergabung"] if joined_before else 0), p.written
        assert at_report.at[p.code, "joined"] == (p.joined is not None or STAGE_ORDER[p.stage] >= 2)
        ops = at_report.at[p.code, "operators_reported"]
        assert (None if pd.isna(ops) else int(ops)) == p.operators
        for pillar, active in p.pillars.items():
            assert (at_report.at[p.code, f"svc_{pillar}"] > 0) == active, (p.written, pillar)
    # A desa of Tanggamus the report does not mention has no adoption state at all (nothing inferred).
    others = regions[(regions["kec_code"] == "18.06.02") & regions["village_type"].eq("desa")]["code"]
    assert (at_report.loc[others, "stage_order"] == 0).all() and len(others) > 0


def test_trend_counts_each_desa_from_its_join_date_or_its_first_report(tmp_store, regions):
    march = tanggamus_march()
    a, b = submit_march_and_april(tmp_store, regions)
    ds = load_dataset()
    monthly = indicators.joined_monthly(ds, "18.06", dt.date(2025, 6, 30))
    # Independently: a desa joins on its exact date, else on the first report showing it joined.
    days = {}
    for report_date, pekon in ((MARCH, march), (APRIL, tanggamus_april(march))):
        for p in pekon:
            if p.code is None:
                continue
            day = p.joined or (report_date if STAGE_ORDER[p.stage] >= 2 else None)
            if day is not None:
                days[p.code] = min(day, days.get(p.code, day))
    for month, count in zip(monthly["month"], monthly["joined"], strict=True):
        assert count == sum(d <= month.date() for d in days.values()), month
    assert monthly.set_index("month").at[pd.Timestamp("2025-04-30"), "joined"] - \
        monthly.set_index("month").at[pd.Timestamp("2025-03-31"), "joined"] == 1  # Landbaw, 14 April 2025


def test_the_second_month_moves_stages_forward_without_inventing_dates(tmp_store, regions):
    submit_march_and_april(tmp_store, regions)
    ds = load_dataset()
    kuta_dalom, landbaw, terdana, ratu = "18.06.20.2003", "18.06.20.2008", "18.06.01.2020", "18.06.11.2013"
    mid_april = indicators.village_snapshot(ds, dt.date(2025, 4, 15))
    end_april = indicators.village_snapshot(ds, APRIL)
    assert mid_april.at[kuta_dalom, "stage_order"] == STAGE_ORDER["operator_terlatih"]  # March's report
    assert end_april.at[kuta_dalom, "stage_order"] == STAGE_ORDER["layanan_aktif"]  # April's
    assert mid_april.at[landbaw, "stage_order"] == STAGE_ORDER["bergabung"]  # joined 14 April, exact
    assert indicators.village_snapshot(ds, dt.date(2025, 4, 13)).at[landbaw, "stage_order"] == STAGE_ORDER["sosialisasi"]
    assert end_april.at[terdana, "stage_order"] == STAGE_ORDER["bergabung"]  # not in April: keeps March's state
    assert end_april.at[ratu, "stage_order"] == STAGE_ORDER["bergabung"]  # went backwards: stored as reported
    hist = indicators.stage_history(ds, kuta_dalom, APRIL).set_index("stage")
    assert hist.at["bergabung", "reached_on"] == pd.Timestamp("2022-03-05")  # exact, from the report
    assert pd.isna(hist.at["operator_terlatih", "reached_on"]) and pd.isna(hist.at["layanan_aktif", "reached_on"])
    assert hist.at["operator_terlatih", "reached_by"] == pd.Timestamp(MARCH)
    assert hist.at["layanan_aktif", "reached_by"] == pd.Timestamp(APRIL)
    from utils.views.progress_display import stage_history_display

    shown = stage_history_display(hist.reset_index(), "id").iloc[:, 1].tolist()
    assert shown == ["paling lambat 5 Maret 2022 (laporan)", "5 Maret 2022", "paling lambat 31 Maret 2025 (laporan)",
                     "paling lambat 30 April 2025 (laporan)", "belum"]
    from utils.views.progress_display import village_report_text

    april = {p.code: p for p in tanggamus_april(tanggamus_march())}[kuta_dalom]
    active = [label for code, label in (("pemerintahan", "Pemerintahan"), ("ekonomi_kreatif", "Ekonomi Kreatif"),
                                        ("pemberdayaan", "Pemberdayaan")) if april.pillars[code]]
    assert village_report_text(ds, kuta_dalom, APRIL, "id") == (
        f"Laporan terakhir (30 April 2025): {april.operators} operator terlatih; layanan aktif: {', '.join(active)}.")
    assert village_report_text(ds, kuta_dalom, dt.date(2025, 3, 30), "id") == ""  # no report yet then


def test_kualitas_data_lists_exactly_the_planted_findings(tmp_store, regions):
    before = quality.find_issues(load_dataset().tables, load_dataset().regions, TODAY)
    bimtek_rules = ("bimtek_outside", "bimtek_reported")
    march = tanggamus_march()
    apply.submit(tmp_store, check(march, Layout(), regions, "maret.xlsx"), ADMIN)
    ds = load_dataset()
    issues = quality.find_issues(ds.tables, ds.regions, ds.data_as_of)
    found = {(r.village_code, r.rule) for r in issues.itertuples() if r.rule.startswith("report_")}
    assert found == MARCH_FINDINGS
    # No false "stage skipped" or "services without joining", anywhere: nothing is compared across demo and real.
    assert not issues["rule"].isin(["stage_gap", "stage_order", "service_not_joined", "trained_no_bimtek"]).any()
    # The Bimtek findings (a table the report does not touch) are exactly those of before.
    pd.testing.assert_frame_equal(issues[issues["rule"].isin(bimtek_rules)].reset_index(drop=True),
                                  before[before["rule"].isin(bimtek_rules)].reset_index(drop=True))
    apply.submit(tmp_store, check(tanggamus_april(march), Layout(as_of=APRIL), regions, "april.xlsx"), ADMIN)
    ds = load_dataset()
    issues = describe(quality.find_issues(ds.tables, ds.regions, ds.data_as_of), "id")
    assert {(r.village_code, r.rule) for r in issues.itertuples() if r.rule.startswith("report_")} == APRIL_FINDINGS
    detail = issues.set_index(["village_code", "rule"]).at[("18.06.11.2013", "report_stage_backwards"), "detail"]
    assert detail == "laporan 30 April 2025: Bergabung; laporan 31 Maret 2025: Layanan aktif"
    assert issues.set_index(["village_code", "rule"]).at[("18.06.20.2009", "report_operator_stage"), "detail"] == \
        "tahap Operator terlatih dengan 0 operator terlatih (laporan 30 April 2025)"
    table = quality.quality_table(indicators.village_snapshot(ds, APRIL),
                                  indicators.region_indicators(indicators.village_snapshot(ds, APRIL), "kab_code"),
                                  ds.tables, issues)
    assert table.at["18.06", "report_operator_stage"] == 2 and table.at["18.06", "report_stage_backwards"] == 1
    assert table.at["18.06", "reporting"] >= 18  # every pekon in a report counts as reporting, "Belum" too


def test_reported_operators_are_checked_against_real_bimtek_records(tmp_store, regions):
    from utils.intake import validation

    def upload(kind, text):
        rep = validation.validate(kind, f"{kind}.csv", text.encode(), regions, "18.06",
                                  {"bimtek_events": store.read_table(tmp_store, "bimtek_events")})
        assert rep.ok, rep.issues
        apply.submit(tmp_store, rep, ADMIN)

    upload("bimtek_events", "id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara\n"
                            "BT-20250210-1806;Bimtek operator;10/02/2025;12/02/2025;Dinas PMD Tanggamus\n")
    # Gisting Bawah reports 3 trained operators; Bimtek records 1 operator and 1 secretary from it.
    upload("bimtek_participants", "id_kegiatan;kode_desa;peran;jumlah\nBT-20250210-1806;18.06.20.2005;Operator;1\n"
                                  "BT-20250210-1806;18.06.20.2005;Sekretaris Desa;1\n"
                                  "BT-20250210-1806;18.06.20.2001;Operator;2\n")
    apply.submit(tmp_store, check(tanggamus_march(), Layout(), regions, "maret.xlsx"), ADMIN)
    ds = load_dataset()
    found = describe(quality.report_issues(ds.tables), "en")
    hits = found[found["rule"] == "report_operator_bimtek"]
    # Only Tanggamus pekon are checked (its Bimtek is real); Banjar Manis (2 reported, 2 recorded) agrees.
    assert hits["village_code"].tolist() == sorted(
        p.code for p in tanggamus_march() if p.code and (p.operators or 0) > {"18.06.20.2005": 1, "18.06.20.2001": 2}.get(p.code, 0))
    assert hits.set_index("village_code").at["18.06.20.2005", "detail"] == \
        "report 31 March 2025: 3 trained operators; Bimtek records 1 operator participants"


def test_a_corrected_report_of_the_same_date_replaces_it_and_rolls_back(tmp_store, regions):
    march = tanggamus_march()
    a = apply.submit(tmp_store, check(march, Layout(), regions, "maret.xlsx"), ADMIN)
    after_first = content(tmp_store)
    same = check(march, Layout(), regions, "maret-lagi.xlsx")
    change = apply.preview(tmp_store, report.KIND, same.frames)
    assert (change.rows_added, change.rows_changed, change.rows_unchanged) == (0, 0, 18)
    march[1].stage, march[1].stage_word = "data_terintegrasi", "Terintegrasi"  # Campang corrected
    fixed = check(march[:-1], Layout(), regions, "maret-koreksi.xlsx")  # and Benteng Jaya left out
    change = apply.preview(tmp_store, report.KIND, fixed.frames)
    assert (change.rows_added, change.rows_changed, change.rows_unchanged) == (0, 1, 16)
    b = apply.submit(tmp_store, fixed, ADMIN)
    rows = raw_rows(tmp_store)
    assert len(rows) == 17 and rows.set_index("village_code").at["18.06.20.2002", "stage"] == "data_terintegrasi"
    apply.rollback(tmp_store, b, ADMIN)
    assert_same(after_first, content(tmp_store))
    with pytest.raises(apply.ApplyError):
        apply.rollback(tmp_store, b, ADMIN)
    apply.rollback(tmp_store, a, ADMIN)


def test_approval_review_shows_coverage_changes_stage_distribution_and_findings(tmp_store, regions):
    march = tanggamus_march()
    a = apply.submit(tmp_store, check(march, Layout(), regions, "maret.xlsx"), ADMIN)
    uid = apply.submit(tmp_store, check(tanggamus_april(march), Layout(as_of=APRIL), regions, "april.xlsx"), OP_TGM)
    ds = load_dataset()
    rv = report_check.review(ds, apply.staged_frames(tmp_store, uid), "id")
    desa = regions[(regions["kab_code"] == "18.06") & (regions["level"] == "desa") & regions["code"].str[9] .eq("2")]
    assert (rv.reported, rv.desa) == (17, len(desa))
    april = {p.code: p for p in tanggamus_april(march) if p.code}
    previous = {p.code: p for p in march if p.code}

    def state(p):
        return (p.joined, p.stage, p.operators, tuple(sorted(p.pillars.items())))

    changed = sum(state(april[c]) != state(previous[c]) for c in april)
    assert (rv.added, rv.changed, rv.same) == (0, changed, len(april) - changed)
    # Stage distribution of Tanggamus' desa at 30 April, before (March's report) and after (with April's).
    def dist(states: dict[str, str]) -> list[int]:
        orders = [STAGE_ORDER[s] for s in states.values()]
        counts = [orders.count(i) for i in range(6)]
        counts[0] += len(desa) - len(states)
        return counts

    before = {c: p.stage for c, p in previous.items()}
    after = {**before, **{c: p.stage for c, p in april.items()}}
    after["18.06.20.2008"] = "bergabung"  # Landbaw: joined 14 April (exact)
    assert rv.stages["before"].tolist() == dist(before) and rv.stages["after"].tolist() == dist(after)
    assert {(r.village_code, r.rule) for r in rv.findings.itertuples()} == APRIL_FINDINGS
    assert not rv.purges_demo  # the demo adoption rows already gave way with March's report
    first = report_check.review(load_dataset(), check(march, Layout(), regions, "m.xlsx").frames, "id")
    assert first.added == 0 and first.same == 18  # the same report again changes nothing
    apply.approve(tmp_store, uid, ADMIN)
    apply.rollback(tmp_store, uid, ADMIN)
    apply.rollback(tmp_store, a, ADMIN)


def test_profiles_are_kept_in_the_store_recorded_and_undone(tmp_store, regions):
    rf = report.read_report("maret.xlsx", workbook(tanggamus_march(), Layout()))
    spec = report.propose(rf).to_spec(rf)
    with pytest.raises(apply.ApplyError):
        apply.save_profile(tmp_store, "18.01", report.KIND, "Laporan bulanan", spec, OP_TGM)  # not their kabupaten
    first = apply.save_profile(tmp_store, "18.06", report.KIND, "Laporan bulanan", spec, OP_TGM)
    assert apply.save_profile(tmp_store, "18.06", report.KIND, "Laporan bulanan", spec, OP_TGM) is None  # unchanged
    changed = json.loads(spec)
    changed["flag_values"]["x"] = True
    second = apply.save_profile(tmp_store, "18.06", report.KIND, "Laporan bulanan", json.dumps(changed), OP_TGM)
    saved = report_check.profiles_of(tmp_store, "18.06")
    assert [p.name for p in saved] == ["Laporan bulanan"] and saved[0].mapping.flag_values["x"] is True
    hist = store.read_uploads(tmp_store).set_index("upload_id")
    assert hist.loc[[first, second], "kind"].tolist() == ["mapping_profile"] * 2
    assert hist.loc[[first, second], "uploader"].tolist() == ["op_tgm"] * 2
    apply.rollback(tmp_store, second, ADMIN)
    assert "x" not in report_check.profiles_of(tmp_store, "18.06")[0].mapping.flag_values
    apply.rollback(tmp_store, first, ADMIN)
    assert report_check.profiles_of(tmp_store, "18.06") == []
    # Profiles are configuration: replacing the programme data (the demo set) keeps them.
    apply.save_profile(tmp_store, "18.06", report.KIND, "Laporan bulanan", spec, OP_TGM)
    store.replace_all(tmp_store, {}, {"is_demo": "1"})
    assert [p.name for p in report_check.profiles_of(tmp_store, "18.06")] == ["Laporan bulanan"]


def test_check_upload_command_reports_as_json_and_stores_nothing(tmp_store, tmp_path, capsys, regions):
    from utils.__main__ import main

    path = tmp_path / "maret.xlsx"
    path.write_bytes(workbook(tanggamus_march(), Layout(wrong_totals={("TOTAL", "ops"): 2})))
    before = content(tmp_store)
    assert main(["check-upload", str(path), "--kab", "18.06", "--json"]) == 1  # one name matches nothing
    refused = json.loads(capsys.readouterr().out)
    assert refused["accepted"] is False and refused["matched"] == 18 and refused["would_store"]["status_report_rows"] == 0
    assert [(u["row"], u["name"]) for u in refused["unmatched"]] == [(23, "Sukamakmur Jaya")]
    assert refused["unmatched"][0]["suggestions"]

    assert main(["check-upload", str(path), "--kab", "18.06", "--skip-unmatched", "--json", "--rows"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {k for k in ("rows_read", "skipped", "matched", "unmatched", "would_store", "warnings", "findings", "rows")
            } <= set(out)
    assert out["would_store"] == {"status_reports": 1, "status_report_rows": 18, "status_report_services": 54}
    assert out["rows_read"] == 28 and len(out["skipped"]) == 9 and out["excluded"] == [23]
    ops = sum(p.operators or 0 for p in tanggamus_march())
    assert [(w["row"], w["key"]) for w in out["warnings"]] == [(30, "rep_warn_total")]
    assert f"tertulis {ops + 2}" in out["warnings"][0]["message"]
    assert {(f["village_code"], f["rule"]) for f in out["findings"]} == MARCH_FINDINGS
    by_code = {r["village_code"]: r for r in out["rows"]}
    banjar = by_code["18.06.20.2001"]
    assert banjar == {"village_code": "18.06.20.2001", "report_date": "2025-03-31", "joined_on": "2021-03-05",
                      "stage": "data_terintegrasi", "operators_trained": 2,
                      "services": {"pemerintahan": True, "ekonomi_kreatif": True, "pemberdayaan": False},
                      "note": None, "file_row": 8}
    assert_same(before, content(tmp_store))
    assert raw_count(tmp_store, "uploads") == 0 and raw_count(tmp_store, "mapping_profiles") == 0

    # With a saved profile; a profile the kabupaten does not have is refused with a message.
    rf = report.read_report("maret.xlsx", path.read_bytes())
    apply.save_profile(tmp_store, "18.06", report.KIND, "Bulanan", report.propose(rf).to_spec(rf), ADMIN)
    assert main(["check-upload", str(path), "--kab", "18.06", "--profile", "Bulanan", "--skip-unmatched", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["profile"] == "Bulanan"
    assert main(["check-upload", str(path), "--kab", "18.06", "--profile", "Lain", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["errors"][0]["key"] == "rep_err_no_profile"
    assert main(["check-upload", str(path), "--kab", "18.06", "--skip-unmatched"]) == 0
    assert "DITERIMA" in capsys.readouterr().out
