"""More of the report family, written by hand as another office (Pringsewu, "Dinas PMDP") keeps it: a recap
sheet before the data sheet, a kecamatan written only on its first row (merged cells unmerged), a header
repeated at a printed page break, "Periode"/"Posisi dd-mm-yyyy" titles, dates as "05-03-2022",
"2022-03-05", "5 Mar 2022", "5-Mar-2022", Excel serials and dates, counts as "2 (dua) org", flags as "√",
"Ada"/"Tidak Ada". The expected meaning is written here next to how the office writes it, not taken from the
code under test."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from tests.helpers import ADMIN, assert_same, content
from utils.data.auth import Operator
from utils.data.dataset import load_dataset
from utils.domain.programme import STAGE_ORDER
from utils.intake import apply, report
from utils.intake.reader import IngestError
from utils.metrics import indicators
from utils.views import report_check

TODAY = dt.date(2026, 12, 1)
JUNE = dt.date(2025, 6, 30)
PILLARS = ("pemerintahan", "ekonomi_kreatif", "pemberdayaan")
HEADER_TOP = ["NO", "KECAMATAN", "PEKON", "STATUS SMART VILLAGE", None, "JUMLAH OPERATOR TERLATIH",
              "LAYANAN DIGITAL AKTIF", None, None, "KET"]
HEADER_LOW = [None, None, None, "TANGGAL BERGABUNG", "TAHAPAN", None, "Pemerintahan Desa", "BUMDes/UMKM",
              "Inkubasi Desa", None]

#: (meaning: code, joined, stage, operators, pillars) | (as written: kecamatan, name, join cell, stage word,
#: operator cell, pillar words, note)
ROWS = [
    (("18.10.01.2006", dt.date(2022, 3, 5), "layanan_aktif", 2, (True, False, False)),
     ("PRINGSEWU", "Pekon Margakaya", "05-03-2022", "Layanan Aktif", "2 (dua) org", ("√", "", ""), None)),
    (("18.10.01.2007", dt.date(2022, 3, 7), "bergabung", 0, (False, False, False)),
     ("PRINGSEWU", "WALUYOJATI", "2022-03-07", "Bergabung", "-", ("", "", ""), "baru")),
    (("18.10.01.2008", dt.date(2022, 3, 9), "operator_terlatih", 1, (False, False, False)),
     ("PRINGSEWU", "Sidoharjo", "9 Mar 2022", "Operator Terlatih", 1, ("", "", ""), None)),
    (("18.10.02.2001", dt.date(2020, 6, 18), "data_terintegrasi", 3, (True, True, True)),
     ("GADING REJO", "Pekon  Parerejo", 44000, "Data Terintegrasi", "3 org", ("Ada", "Ada", "√"), None)),
    (("18.10.02.2002", dt.date(2021, 1, 12), "layanan_aktif", 2, (True, False, False)),
     ("GADING REJO", "Blita Rejo", "12/01/2021", "Layanan Aktif", "2 Orang", ("Ada", "Tidak Ada", "Tidak Ada"),
      "ejaan berbeda")),
    (("18.10.02.2003", dt.date(2023, 11, 1), "bergabung", None, (False, False, False)),
     ("GADING REJO", "Panjerejo", dt.datetime(2023, 11, 1), "Bergabung", None, ("Tidak Ada", "", ""), None)),
    (("18.10.02.2004", dt.date(2022, 8, 17), "operator_terlatih", 2, (False, False, False)),
     ("GADING REJO", "PEKON BULOKARTO", "17-Agu-2022", "Operator Terlatih", "2 org", ("", "", ""), None)),
]


def book(*, recap_first: bool = False, repeat_header_at: int | None = None, period: str = "Periode : Januari s.d. "
         "Juni 2025", subtotals: bool = True, wrong_total: int = 0) -> bytes:
    """The Pringsewu report: kecamatan only on each group's first row, subtotal "Sub Jumlah", "TOTAL
    KABUPATEN", a signature block; optionally a recap sheet first and the header repeated before row
    ``repeat_header_at`` (a page break)."""
    wb = openpyxl.Workbook()
    if recap_first:
        recap = wb.active
        recap.title = "Rekap"
        recap.append(["REKAP SMART VILLAGE PER KECAMATAN TAHUN 2025"])
        # A table of its own with field words ("Kecamatan", "Operator Terlatih") but no pekon names.
        recap.append(["No", "Kecamatan", "Jumlah Pekon", "Tgl Bergabung Pertama", "Operator Terlatih"])
        recap.append([1, "Pringsewu", 3, "05-03-2022", "3 org"])
        recap.append([2, "Gading Rejo", 4, "18/06/2020", "7 org"])
        ws = wb.create_sheet("Data Pekon")
    else:
        ws = wb.active
    ws.append(["REKAPITULASI PERKEMBANGAN PEKON SMART VILLAGE"])
    ws.append(["DINAS PEMBERDAYAAN MASYARAKAT DAN PEKON KABUPATEN PRINGSEWU"])
    ws.append([period])
    ws.append([])

    def header() -> None:
        ws.append(HEADER_TOP)
        top = ws.max_row
        ws.append(HEADER_LOW)
        ws.merge_cells(f"D{top}:E{top}")
        ws.merge_cells(f"G{top}:I{top}")
        for c in "ABCFJ":
            ws.merge_cells(f"{c}{top}:{c}{top + 1}")

    header()
    groups: dict[str, list] = {}
    for meant, written in ROWS:
        groups.setdefault(written[0], []).append((meant, written))
    n = 0
    for g, (kec, rows) in enumerate(groups.items()):
        for i, (_, (_, name, join, word, ops, flags, note)) in enumerate(rows):
            n += 1
            if repeat_header_at == n:
                header()
            ws.append([n, kec if i == 0 else None, name, join, word, ops, *flags, note])
        if subtotals:
            ops_sum = sum(m[3] or 0 for m, _ in rows)
            ws.append([None, "Sub Jumlah", None, len(rows) + (wrong_total if g == 0 else 0), None, f"{ops_sum} org",
                       *(sum(m[4][j] for m, _ in rows) for j in range(3)), None])
    if subtotals:
        ws.append([None, "TOTAL KABUPATEN", None, len(ROWS), None, f"{sum(m[3] or 0 for m, _ in ROWS)} org",
                   *(sum(m[4][j] for m, _ in ROWS) for j in range(3)), None])
    ws.append([])
    ws.append([None] * 6 + ["Pringsewu, 5 Juli 2025"])
    ws.append([None] * 6 + ["KEPALA DINAS PMDP"])
    ws.append([None] * 6 + ["NIP. 19700101 199003 1 005"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def expected() -> pd.DataFrame:
    return pd.DataFrame([{"village_code": code, "joined_on": joined, "stage": stage, "operators_trained": ops,
                          **{f"svc_{p}": f for p, f in zip(PILLARS, flags, strict=True)}}
                         for (code, joined, stage, ops, flags), _ in ROWS]).sort_values("village_code",
                                                                                        ignore_index=True)


def stored_meaning(chk: report.StatusCheck) -> pd.DataFrame:
    rows = chk.frames["status_report_rows"]
    got = pd.DataFrame({
        "village_code": rows["village_code"],
        "joined_on": [d.date() if pd.notna(d) else None for d in rows["joined_on"]],
        "stage": rows["stage"],
        "operators_trained": [None if pd.isna(v) else int(v) for v in rows["operators_trained"]]})
    svc = chk.frames["status_report_services"].pivot(index="village_code", columns="pillar", values="active")
    for p in PILLARS:
        got[f"svc_{p}"] = rows["village_code"].map(svc[p]).astype(bool).to_numpy()
    return got.sort_values("village_code", ignore_index=True)


def checked(data: bytes, regions) -> report.StatusCheck:
    rf = report.read_report("pringsewu.xlsx", data)
    return report.check(rf, report.propose(rf), regions, "18.10", today=TODAY)


@pytest.mark.parametrize("variant", ["plain", "recap sheet first", "header repeated at a page break"])
def test_another_office_s_report_is_read_to_its_meaning(variant, regions):
    data = book(recap_first=variant == "recap sheet first",
                repeat_header_at=5 if variant == "header repeated at a page break" else None)
    chk = checked(data, regions)
    assert chk.ok, chk.errors
    assert chk.report_date == JUNE  # "Periode : Januari s.d. Juni 2025": the end of the period
    pd.testing.assert_frame_equal(stored_meaning(chk), expected(), check_dtype=False)
    # The kecamatan written only on a group's first row holds for the rows under it.
    assert dict(zip(chk.records["village_code"], chk.records["kec_code"], strict=True)) == {
        code: code[:8] for (code, *_), _ in ROWS}
    notes = chk.frames["status_report_rows"].set_index("village_code")["note"]
    assert notes["18.10.01.2007"] == "baru" and notes["18.10.02.2002"] == "ejaan berbeda"
    skipped = [(s.reason, s.text) for s in chk.skipped]
    assert skipped.count(("rep_skip_subtotal", "Sub Jumlah")) == 2 and ("rep_skip_total", "TOTAL KABUPATEN") in skipped
    assert [r for r, _ in skipped if r == "rep_skip_footer"] == ["rep_skip_footer"] * 3
    assert not chk.warnings  # the subtotals add up
    header_repeats = [s.text for s in chk.skipped if s.reason == "rep_skip_header_repeat"]
    if variant == "header repeated at a page break":  # both rows of the repeated two-row header, nothing else
        assert header_repeats == [" · ".join(dict.fromkeys(h for h in row if h))
                                  for row in (HEADER_TOP, [HEADER_TOP[i] if h is None else h
                                                           for i, h in enumerate(HEADER_LOW)])]
    else:
        assert not header_repeats


def test_the_recap_sheet_is_named_and_a_workbook_without_a_report_sheet_is_refused(regions, tmp_path):
    rf = report.read_report("pringsewu.xlsx", book(recap_first=True))
    assert rf.sheet == "Data Pekon"
    assert report.read_report("pringsewu.xlsx", book()).sheet == ""  # the first sheet: nothing to say
    path = tmp_path / "pringsewu.xlsx"
    path.write_bytes(book(recap_first=True))
    accepted, result = report_check.check_upload(path, "18.10", today=TODAY)
    assert accepted and result["sheet"] == "Data Pekon" and result["matched"] == len(ROWS)
    wb = openpyxl.Workbook()
    wb.active.append(["REKAP", "per kecamatan"])
    wb.create_sheet("Catatan").append(["tidak ada tabel di sini"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(IngestError) as exc:
        report.read_report("kosong.xlsx", buf.getvalue())
    assert exc.value.key == "rep_err_no_header"


def test_a_wrong_subtotal_of_this_layout_warns_with_both_figures(regions):
    chk = checked(book(wrong_total=1), regions)
    assert chk.ok
    [w] = chk.warnings
    kw = dict(w.kw)
    pringsewu = sum(1 for (code, *_), _ in ROWS if code.startswith("18.10.01."))
    assert (w.key, kw["label"], int(kw["stated"]), int(kw["counted"])) == (
        "rep_warn_subtotal", "Sub Jumlah", pringsewu + 1, pringsewu)


@pytest.mark.parametrize("period, day", [
    ("Periode : Januari s.d. Juni 2025", JUNE),
    ("Posisi 30-06-2025", JUNE),
    ("Keadaan per tanggal 30/06/2025", JUNE),
    ("Keadaan s.d. 30-Jun-2025", JUNE),
    ("Kondisi Bulan Mei 2025", dt.date(2025, 5, 31)),
])
def test_report_date_styles_of_the_title(period, day, regions):
    assert report.read_report("p.xlsx", book(period=period)).report_date == day


def test_a_month_without_a_day_is_not_an_exact_join_date_and_nothing_is_stored(regions):
    wb = openpyxl.load_workbook(io.BytesIO(book(subtotals=False)))
    ws = wb.active
    row = next(r for r in ws.iter_rows() if r[2].value == "Sidoharjo")
    row[3].value = "Maret 2022"
    buf = io.BytesIO()
    wb.save(buf)
    chk = checked(buf.getvalue(), regions)
    assert not chk.ok and not chk.frames
    assert [(i.row, i.key, i.value) for i in chk.errors] == [(row[0].row, "ing_err_date", "Maret 2022")]


def test_a_kecamatan_on_the_first_row_only_tells_two_pekon_of_one_name_apart(regions):
    """The Tanggamus report with its merged kecamatan cells unmerged (only each group's first row keeps the
    name): "Negeri Ratu" of Pugung and of Kota Agung are still told apart."""
    from tests.report_family import Layout, tanggamus_march, workbook

    wb = openpyxl.load_workbook(io.BytesIO(workbook(tanggamus_march(), Layout())))
    ws = wb.active
    for rng in [r for r in ws.merged_cells.ranges if r.min_col == r.max_col == 2 and r.max_row > r.min_row + 1]:
        ws.unmerge_cells(str(rng))  # openpyxl keeps the top-left value, blanks the rest
    buf = io.BytesIO()
    wb.save(buf)
    rf = report.read_report("tanggamus.xlsx", buf.getvalue())
    assert sum(1 for r in rf.grid if r[1] is None and isinstance(r[2], str) and r[2].strip()) > 10  # really unmerged
    chk = report.check(rf, report.propose(rf), regions, "18.06", today=TODAY, skip_unmatched=True)
    assert chk.ok, chk.errors
    meant = {p.code: p.code[:8] for p in tanggamus_march() if p.code}
    got = chk.records.dropna(subset=["village_code"])
    assert dict(zip(got["village_code"], got["kec_code"], strict=True)) == meant
    ratu = got[got["name"].str.replace(" ", "") == "NegeriRatu"]
    assert sorted(ratu["village_code"]) == ["18.06.01.2016", "18.06.11.2013"]


def test_another_office_s_report_is_stored_with_its_meaning_and_undone_from_riwayat(tmp_store, regions):
    """Sent by a Pringsewu operator (the recap-first workbook with a repeated header), approved, read back as
    the snapshot of the report date; rolled back, the store is as before, to the byte."""
    before = content(tmp_store)
    chk = checked(book(recap_first=True, repeat_header_at=5), regions)
    uid = apply.submit(tmp_store, chk, Operator("op_psw", "Operator Pringsewu", "operator", "18.10"))
    assert_same(before, content(tmp_store))  # waiting for approval: nothing stored yet
    apply.approve(tmp_store, uid, ADMIN)
    ds = load_dataset()
    snap = indicators.village_snapshot(ds, JUNE)
    day_before = indicators.village_snapshot(ds, JUNE - dt.timedelta(days=1))
    for (code, joined, stage, ops, flags), (_, name, *_) in ROWS:
        assert snap.at[code, "stage_order"] == STAGE_ORDER[stage], name
        assert day_before.at[code, "stage_order"] == STAGE_ORDER["bergabung"], name  # only the join date is exact
        reported = snap.at[code, "operators_reported"]
        assert (None if pd.isna(reported) else int(reported)) == ops, name
        assert [bool(snap.at[code, f"svc_{p}"] > 0) for p in PILLARS] == list(flags), name
        # The join date is exact: joined on it, not the day before.
        assert indicators.village_snapshot(ds, joined).at[code, "stage_order"] == STAGE_ORDER["bergabung"], name
        assert indicators.village_snapshot(ds, joined - dt.timedelta(days=1)).at[code, "stage_order"] == 0, name
    # Pekon of Pringsewu the report does not name keep no state (nothing is inferred from absence).
    named = {code for (code, *_), _ in ROWS}
    others = regions[(regions["kab_code"] == "18.10") & regions["village_type"].eq("desa")
                     & ~regions["code"].isin(named)]["code"]
    assert len(others) > 50 and (snap.loc[others, "stage_order"] == 0).all()
    apply.rollback(tmp_store, uid, ADMIN)
    assert_same(before, content(tmp_store))


def test_a_workbook_of_many_sheets_is_opened_three_times_not_once_per_sheet(regions, monkeypatch):
    """Opening a workbook reads the size of every sheet (the cost of a whole sheet when no size is stated):
    the sheets after the first are chosen from their top rows, read in one opening, so a report on the
    last of ten sheets costs three openings (first sheet, the tops, the chosen sheet), not eleven; a
    workbook with no report sheet two."""
    wb = openpyxl.load_workbook(io.BytesIO(book()))
    wb.active.title = "Laporan Juni"
    for i in range(9):
        cover = wb.create_sheet(f"Catatan {i + 1}", 0)
        cover.append(["Catatan rapat", "tanpa tabel laporan"])
    buf = io.BytesIO()
    wb.save(buf)
    opened = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **kw: opened.append(kw) or real(*a, **kw))
    rf = report.read_report("p.xlsx", buf.getvalue())
    assert rf.sheet == "Laporan Juni" and rf.report_date == JUNE
    assert len([kw for kw in opened if kw.get("data_only")]) == 3
    del wb["Laporan Juni"]
    buf = io.BytesIO()
    wb.save(buf)
    opened.clear()
    with pytest.raises(IngestError) as exc:
        report.read_report("p.xlsx", buf.getvalue())
    assert exc.value.key == "rep_err_no_header" and len([kw for kw in opened if kw.get("data_only")]) == 2
