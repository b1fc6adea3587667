"""Reading kabupaten progress reports as offices keep them (issue 16): the family's variants are read to the
meaning they were written with; rows that are not pekon are skipped with their reason; subtotals are
re-counted; names are matched within the kabupaten and kecamatan; a saved mapping notices when it no longer
fits; bad input gets a message, never a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from tests.report_family import Layout, Pekon, tanggamus_march, workbook
from utils.intake import report
from utils.intake.reader import IngestError

TODAY = dt.date(2026, 12, 1)
MARCH = dt.date(2025, 3, 31)
VARIANTS = {
    "two-row header, kecamatan per row, text dates": Layout(),
    "one-row header, kecamatan only on the subtotal, dd/mm/yyyy, two pillars": Layout(
        two_row_header=False, numbering_row=False, kec_mode="subtotal", date_style="dmy",
        pillars=("pemerintahan", "ekonomi_kreatif"), pillar_headers={"ekonomi_kreatif": "Ekonomi (BUMDes/UMKM)"},
        as_of_style="dmy"),
    "kecamatan headings, Excel serials, no totals, month title": Layout(
        kec_mode="heading", date_style="serial", as_of_style="month", subtotals=False, grand_total=False,
        keterangan=False),
    "kecamatan headings, Excel dates, one-row header, other header words": Layout(
        kec_mode="heading", date_style="datetime", two_row_header=False, name_header="Nama Desa/Pekon",
        stage_header="Status Saat Ini", join_header="Tanggal Bergabung", operator_header="Jml Operator Terlatih",
        pillars=("pemberdayaan", "pemerintahan"), pillar_headers={"pemberdayaan": "Pemberdayaan Masyarakat"}),
}


def checked(data: bytes, regions, mapping: report.Mapping | None = None, **kw) -> report.StatusCheck:
    rf = report.read_report("laporan.xlsx", data)
    return report.check(rf, mapping or report.propose(rf), regions, "18.06", today=TODAY, **kw)


def meaning(pekon: list[Pekon], pillars: tuple[str, ...]) -> pd.DataFrame:
    """What the report means, from the family's own records (not from the code under test)."""
    rows = [{"village_code": p.code, "joined_on": p.joined, "stage": p.stage, "operators_trained": p.operators,
             **{f"svc_{x}": p.pillars[x] for x in pillars}} for p in pekon if p.code]
    return pd.DataFrame(rows).sort_values("village_code", ignore_index=True)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_variant_is_read_to_the_meaning_it_was_written_with(name, regions):
    layout = VARIANTS[name]
    pekon = tanggamus_march()
    chk = checked(workbook(pekon, layout), regions, skip_unmatched=True)
    assert chk.ok, chk.errors
    assert chk.report_date == MARCH
    rows = chk.frames["status_report_rows"]
    got = pd.DataFrame({
        "village_code": rows["village_code"], "joined_on": [d.date() if pd.notna(d) else None for d in rows["joined_on"]],
        "stage": rows["stage"], "operators_trained": [None if pd.isna(v) else int(v) for v in rows["operators_trained"]]})
    svc = chk.frames["status_report_services"].pivot(index="village_code", columns="pillar", values="active")
    for p in layout.pillars:
        got[f"svc_{p}"] = rows["village_code"].map(svc[p]).astype(bool).to_numpy()
    expected = meaning(pekon, layout.pillars)
    pd.testing.assert_frame_equal(got.sort_values("village_code", ignore_index=True), expected, check_dtype=False)
    assert set(chk.frames["status_report_services"]["pillar"]) == set(layout.pillars)  # only the columns it has
    assert (chk.frames["status_reports"][["kab_code", "report_date"]].values.tolist()
            == [["18.06", pd.Timestamp(MARCH)]])
    assert chk.excluded == [r for r in chk.records["file_row"] if chk.records.set_index("file_row").at[r, "name"]
                            == "Sukamakmur Jaya"]  # the pekon that does not exist, excluded


def test_rows_that_are_not_pekon_are_skipped_with_their_reason(regions):
    chk = checked(workbook(tanggamus_march(), Layout()), regions, skip_unmatched=True)
    reasons = [(s.reason, s.text) for s in chk.skipped]
    assert reasons == [("rep_skip_numbering", ""), ("rep_skip_subtotal", "Jumlah"), ("rep_skip_subtotal", "Jumlah"),
                       ("rep_skip_subtotal", "Jumlah"), ("rep_skip_total", "JUMLAH TOTAL"),
                       ("rep_skip_footer", "Kota Agung, 5 April 2025"),
                       ("rep_skip_footer", "Kepala Dinas PMD Kabupaten Tanggamus"),
                       ("rep_skip_footer", "Drs. H. Contoh Nama, M.Si"),
                       ("rep_skip_footer", "NIP. 19700101 199003 1 005")]
    assert chk.n_rows == 19 and chk.rows_read == 19 + len(chk.skipped)
    headings = checked(workbook(tanggamus_march(), VARIANTS["kecamatan headings, Excel serials, no totals, month title"]),
                       regions, skip_unmatched=True)
    assert [s.text for s in headings.skipped if s.reason == "rep_skip_heading"] == [
        "Kecamatan GISTING", "Kecamatan PUGUNG", "Kecamatan KOTA AGUNG"]


def test_subtotals_and_the_grand_total_are_recounted_and_only_the_wrong_ones_warn(regions):
    layout = Layout(kec_mode="subtotal", wrong_totals={("PUGUNG", "ops"): 1, ("TOTAL", "join"): -1,
                                                      ("GISTING", "pemerintahan"): 2})
    chk = checked(workbook(tanggamus_march(), layout), regions, skip_unmatched=True)
    assert chk.ok  # warnings do not refuse the report
    got = {(w.key, dict(w.kw)["label"], w.column, int(dict(w.kw)["stated"]), int(dict(w.kw)["counted"]))
           for w in chk.warnings}
    pekon = tanggamus_march()
    pugung_ops = sum(p.operators or 0 for p in pekon if p.kec == "PUGUNG")
    joined = sum(p.joined is not None for p in pekon)
    gisting_gov = sum(p.pillars["pemerintahan"] for p in pekon if p.kec == "GISTING")
    assert got == {
        ("rep_warn_subtotal", "Jumlah Kec. PUGUNG", "Operator Terlatih", pugung_ops + 1, pugung_ops),
        ("rep_warn_total", "JUMLAH TOTAL", "Status Smart Village / Tgl Bergabung", joined - 1, joined),
        ("rep_warn_subtotal", "Jumlah Kec. GISTING", "Layanan Digital Aktif / Pemerintahan", gisting_gov + 2,
         gisting_gov),
    }
    assert not checked(workbook(tanggamus_march(), Layout(kec_mode="subtotal")), regions, skip_unmatched=True).warnings


def test_kecamatan_from_the_subtotal_row_tells_two_pekon_of_one_name_apart(regions):
    """"Negeri Ratu" exists in Pugung and in Kota Agung; the rows name no kecamatan, the subtotals do."""
    chk = checked(workbook(tanggamus_march(), Layout(kec_mode="subtotal")), regions, skip_unmatched=True)
    rec = chk.records.set_index("file_row")
    ratu = rec[rec["name"].str.replace(" ", "") == "NegeriRatu"]
    assert sorted(ratu["village_code"]) == ["18.06.01.2016", "18.06.11.2013"]
    assert set(ratu["kecamatan"]) == {"Pugung", "Kota Agung"}


def test_a_name_that_matches_nothing_is_listed_with_suggestions_and_blocks_until_resolved(regions):
    data = workbook(tanggamus_march(), Layout())
    chk = checked(data, regions)
    assert not chk.ok and not chk.frames
    [u] = chk.unmatched
    assert (u.name, u.kecamatan) == ("Sukamakmur Jaya", "PUGUNG")
    assert u.suggestions and all(code.startswith("18.06.") for code, _, _ in u.suggestions)
    scores = [s for _, _, s in u.suggestions]
    assert scores == sorted(scores, reverse=True) and min(scores) >= report.SUGGEST_MIN_SCORE
    # The operator accepts a suggestion: the row is stored as that village.
    accepted = checked(data, regions, resolutions={u.row: u.suggestions[0][0]})
    assert accepted.ok and u.suggestions[0][0] in set(accepted.frames["status_report_rows"]["village_code"])
    # ... or excludes it: nothing of it is stored.
    excluded = checked(data, regions, resolutions={u.row: None})
    assert excluded.ok and excluded.excluded == [u.row]
    assert len(excluded.frames["status_report_rows"]) == 18
    # A village of another kabupaten cannot be chosen.
    wrong = checked(data, regions, resolutions={u.row: "18.01.04.2001"})
    assert not wrong.ok and any(i.key == "ing_err_other_kab" and i.row == u.row for i in wrong.errors)


def test_value_words_of_other_offices_and_an_unknown_word(regions):
    pekon = tanggamus_march()[:4]
    words = {True: ["v", "Sudah", "Terintegrasi", "✓"], False: ["", "-", "belum", "Tidak"]}
    for i, p in enumerate(pekon):
        p.pillar_words = {k: words[v][i] for k, v in p.pillars.items()}
    pekon[0].stage_word, pekon[1].stage_word = "Sudah Terintegrasi", "LAYANAN AKTIF"
    pekon[2].operators_text, pekon[3].operators_text = 1, "2 orang"
    pekon[3].operators = 2
    chk = checked(workbook(pekon, Layout(subtotals=False, grand_total=False)), regions)
    assert chk.ok, chk.errors
    assert chk.frames["status_report_rows"].set_index("village_code")["stage"].to_dict() == {
        p.code: p.stage for p in pekon}
    svc = chk.frames["status_report_services"]
    assert {(r.village_code, r.pillar): bool(r.active) for r in svc.itertuples()} == {
        (p.code, k): v for p in pekon for k, v in p.pillars.items()}
    assert chk.frames["status_report_rows"].set_index("village_code")["operators_trained"].tolist() == [2, 2, 1, 2]
    pekon[0].stage_word = "Tahap 3"  # a word the app does not know: the operator has to map it
    chk = checked(workbook(pekon, Layout(subtotals=False, grand_total=False)), regions)
    assert [(i.key, i.value) for i in chk.errors] == [("rep_err_stage_unmapped", "Tahap 3")]
    rf = report.read_report("l.xlsx", workbook(pekon, Layout(subtotals=False, grand_total=False)))
    mapping = report.propose(rf)
    mapping.stage_values["tahap 3"] = "operator_terlatih"
    fixed = report.check(rf, mapping, regions, "18.06", today=TODAY)
    assert fixed.ok and fixed.frames["status_report_rows"].set_index("village_code").at[pekon[0].code, "stage"] \
        == "operator_terlatih"


def test_a_saved_profile_fits_next_month_and_notices_moved_or_changed_columns(regions):
    rf = report.read_report("maret.xlsx", workbook(tanggamus_march(), Layout()))
    mapping = report.propose(rf)
    mapping.columns[9] = ""  # the operator chose to ignore "Keterangan"
    mapping.columns = {c: f for c, f in mapping.columns.items() if f}
    profile = report.Profile.from_spec("Laporan bulanan", mapping.to_spec(rf))
    april = report.read_report("april.xlsx", workbook(tanggamus_march(), Layout(as_of=dt.date(2025, 4, 30))))
    fit, used = profile.fit(april)
    assert fit == "fits" and used.columns == mapping.columns and 9 not in used.columns
    # Columns moved: "Keterangan" now before the pillar columns (a one-row header to move it easily).
    single = Layout(two_row_header=False)
    rf1 = report.read_report("a.xlsx", workbook(tanggamus_march(), single))
    prof1 = report.Profile.from_spec("p", report.propose(rf1).to_spec(rf1))
    data = _swap_columns(workbook(tanggamus_march(), single), "Operator Terlatih", "Keterangan")
    moved = report.read_report("b.xlsx", data)
    fit, used = prof1.fit(moved)
    assert fit == "moved"
    by_label = {c.label: c.index for c in moved.columns}
    assert used.columns[by_label["Operator Terlatih"]] == "operator_terlatih"
    assert used.columns[by_label["Keterangan"]] == "keterangan"
    assert {h for h, _, _ in prof1.moved_columns(moved)} == {"Operator Terlatih", "Keterangan"}
    # Headers changed (a pillar column dropped): proposed again, to be confirmed.
    fewer = report.read_report("c.xlsx", workbook(tanggamus_march(), Layout(pillars=("pemerintahan",))))
    assert profile.fit(fewer)[0] == "changed"


def _swap_columns(data: bytes, a: str, b: str) -> bytes:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    header = next(r for r in ws.iter_rows() if any(c.value == a for c in r))
    ia = next(c.column for c in header if c.value == a)
    ib = next(c.column for c in header if c.value == b)
    for row in ws.iter_rows(min_row=header[0].row):
        row[ia - 1].value, row[ib - 1].value = row[ib - 1].value, row[ia - 1].value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv(pekon: list[Pekon], with_kecamatan: bool) -> bytes:
    """A CSV saved from the workbook: merged cells become blanks beside or under their label."""
    kec = ["Kecamatan"] if with_kecamatan else []
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    w.writerow(["LAPORAN PERKEMBANGAN SMART VILLAGE KABUPATEN TANGGAMUS"])
    w.writerow(["Keadaan s.d. 31 Maret 2025"])
    w.writerow(["No", *kec, "Nama Pekon", "Status Smart Village", "", "Operator Terlatih", "Layanan Digital Aktif", "", ""])
    w.writerow(["", *[""] * len(kec), "", "Tgl Bergabung", "Tahap", "", "Pemerintahan", "Ekonomi Kreatif", "Pemberdayaan"])
    for i, p in enumerate(pekon, 1):
        w.writerow([i, *([p.kec] if kec else []), p.written, p.joined.strftime("%d/%m/%Y") if p.joined else "-",
                    p.stage_word, p.operators_text,
                    *(p.pillar_words[x] for x in ("pemerintahan", "ekonomi_kreatif", "pemberdayaan"))])
    return buf.getvalue().encode("utf-8")


def test_a_csv_export_with_a_two_row_header_reads_the_same(regions):
    pekon = tanggamus_march()[:9]
    rf = report.read_report("laporan.csv", _csv(pekon, with_kecamatan=True))
    assert [c.label for c in rf.columns][3:5] == ["Status Smart Village / Tgl Bergabung", "Status Smart Village / Tahap"]
    chk = report.check(rf, report.propose(rf), regions, "18.06", today=TODAY)
    assert chk.ok, chk.errors
    pd.testing.assert_frame_equal(
        chk.frames["status_report_rows"][["village_code", "stage"]].reset_index(drop=True),
        meaning(pekon, ())[["village_code", "stage"]], check_dtype=False)


def test_without_a_kecamatan_a_name_two_pekon_share_is_not_guessed(regions):
    """Tanggamus has two "Banjar Manis" (Gisting and Cukuh Balak): with no kecamatan in the file the row is
    not matched; both are offered."""
    rf = report.read_report("laporan.csv", _csv(tanggamus_march()[:9], with_kecamatan=False))
    chk = report.check(rf, report.propose(rf), regions, "18.06", today=TODAY)
    [u] = chk.unmatched
    assert u.name == "Pekon Banjar Manis" and u.error == "ing_err_ambiguous_name"
    twins = regions[(regions["kab_code"] == "18.06") & (regions["name"] == "Banjar Manis")]["code"]
    assert set(twins) <= {c for c, _, _ in u.suggestions} and len(twins) == 2


@pytest.mark.parametrize("case, key", [
    ("no header", "rep_err_no_header"),
    ("title names another kabupaten", "rep_err_title_kab"),
    ("no report date", "rep_err_no_date"),
    ("report date in the future", "rep_err_date_future"),
    ("join date after the report date", "rep_err_join_after"),
    ("a count that is no count", "rep_err_count"),
    ("the same pekon twice", "ing_err_duplicate"),
    ("data without a name", "rep_err_no_name"),
])
def test_bad_reports_are_refused_with_a_message(case, key, regions):
    from utils.i18n import t

    pekon = tanggamus_march()[:5]
    layout = Layout(subtotals=False, grand_total=False, signature=False)
    if case == "no header":
        with pytest.raises(IngestError) as exc:
            report.read_report("x.csv", b"a;b\n1;2\n3;4\n")
        assert exc.value.key == key and t(key, "id")
        return
    if case == "title names another kabupaten":
        layout.kab_title = "KABUPATEN LAMPUNG BARAT"
    elif case == "no report date":
        layout.as_of_style = "none"
    elif case == "report date in the future":
        layout.as_of = TODAY + dt.timedelta(days=30)
    elif case == "join date after the report date":
        pekon[0].joined = dt.date(2025, 4, 2)
    elif case == "a count that is no count":
        pekon[0].operators_text = "dua"
    elif case == "the same pekon twice":
        pekon.append(Pekon(**{**pekon[0].__dict__, "written": "BANJAR MANIS"}))
    elif case == "data without a name":
        pekon.append(Pekon(**{**pekon[1].__dict__, "written": None}))
    data = workbook(pekon, layout)
    if case == "no report date":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data))
        wb.active["A3"] = "Rekap per kecamatan"
        out = io.BytesIO()
        wb.save(out)
        data = out.getvalue()
    chk = checked(data, regions)
    assert not chk.ok and not chk.frames
    assert key in {i.key for i in chk.errors}, chk.errors
    for i in chk.errors:
        assert t(i.key, "id", **dict(i.kw)) and t(i.key, "en", **dict(i.kw))  # a message in both languages


def test_a_file_that_is_not_a_report_gets_a_message_not_a_traceback(regions):
    with pytest.raises(IngestError) as exc:
        report.read_report("laporan.xlsx", b"PK\x03\x04 not really a workbook")
    assert exc.value.key == "ing_err_bad_xlsx"
