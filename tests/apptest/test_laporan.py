"""The kabupaten progress report on the operator pages (issue 16): the operator maps the columns and words of
the office's own workbook once, sees the first rows as they will be read, saves the mapping as the
kabupaten's profile (in the store), resolves a name that matches nothing, and sends it for approval; next
month's report of the same shape goes straight to the check; a profile whose columns moved asks for
confirmation; the administrator sees coverage, changes, stage distribution and findings before approving."""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa

from tests.apptest.helpers import login, upload
from tests.apptest.helpers import open_upload_page as open_page
from tests.apptest.test_riwayat import switch_user
from tests.helpers import assert_same, content, raw_count
from tests.report_family import Layout, tanggamus_april, tanggamus_march, workbook
from utils.i18n import inert

APRIL = dt.date(2025, 4, 30)


def tag(data: bytes, profile: str = "auto") -> str:
    return f"{hashlib.sha256(data).hexdigest()[:12]}_{profile}"


def report_page(user: str = "op_tgm"):
    at = login(open_page(), user)
    at.selectbox(key="ing_kind").set_value("status_report").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [s.value for s in at.success] + [w.value for w in at.warning]
                    + [e.value for e in at.error] + [i.value for i in at.info] + [c.value for c in at.caption])


def test_first_report_mapped_saved_as_profile_matched_and_sent(tmp_store, operators_file, regions):
    before = content(tmp_store)
    layout = Layout(pillar_headers={"pemerintahan": "Adminduk & SID"})  # a header the app cannot place
    data = workbook(tanggamus_march(), layout)
    at = report_page()
    upload(at, "laporan-maret.xlsx", data)
    k = tag(data)
    col = at.selectbox(key=f"rep_col_{k}_6")
    # The file's own header, shown as typed (escaped for Markdown), left for the operator to place.
    assert col.label == "G: " + inert.markdown("Layanan Digital Aktif / Adminduk & SID") and col.value == ""
    col.set_value("layanan_pemerintahan").run()
    assert not at.exception, [e.message for e in at.exception]
    preview = at.dataframe[0].value
    assert preview["Nama di berkas"].tolist()[:3] == ["Pekon Banjar Manis", "CAMPANG", "Kuta Dalom"]
    assert preview["Tgl bergabung"].tolist()[:3] == ["5 Maret 2021", "14 Juni 2021", "5 Maret 2022"]
    assert preview["Tahap"].tolist()[:3] == ["Data terintegrasi", "Layanan aktif", "Operator terlatih"]
    assert preview["Pemerintahan"].tolist()[:3] == ["Ya (aktif)", "Ya (aktif)", "Tidak"]
    assert "19 baris desa/pekon, 9 dilewati" in texts(at)
    assert not [b for b in at.button if b.key == "rep_confirm"]  # one name still unmatched: nothing to save
    pick = at.selectbox(key=f"rep_pick_{k}_23")
    assert pick.label.startswith("Baris 23: \u201cSukamakmur Jaya\u201d")
    assert [o for o in pick.options[:2]] == ["— pilih desa —", "Kecualikan baris ini"]
    pick.set_value("__exclude__").run()
    at.button(key=f"rep_profile_save_{k}").click().run()
    assert "Profil \u201cLaporan bulanan\u201d disimpan" in texts(at)
    assert raw_count(tmp_store, "mapping_profiles", "WHERE kab_code = '18.06' AND saved_by = 'op_tgm'") == 1
    upload(at, "laporan-maret.xlsx", data)  # the uploader keeps the file: the saved profile is now chosen
    assert "Profil \u201cLaporan bulanan\u201d cocok" in texts(at)
    k = tag(data, "Laporan bulanan")
    at.selectbox(key=f"rep_pick_{k}_23").set_value("__exclude__").run()
    at.button(key="rep_confirm").click().run()
    assert at.success[0].value == "Unggahan #2 tersimpan dan menunggu persetujuan admin provinsi."
    assert_same(before, content(tmp_store))  # pending: the data tables are untouched
    assert raw_count(tmp_store, "uploads", "WHERE kind = 'status_report' AND status = 'pending'") == 1


def test_next_month_goes_straight_to_the_check_and_the_admin_sees_what_changes(tmp_store, operators_file, regions):
    from utils.data.auth import Operator
    from utils.intake import apply, report

    march = tanggamus_march()
    rf = report.read_report("maret.xlsx", workbook(march, Layout()))
    apply.save_profile(tmp_store, "18.06", report.KIND, "Laporan bulanan", report.propose(rf).to_spec(rf),
                       Operator("op_tgm", "Operator Tanggamus", "operator", "18.06"))
    first = report.check(rf, report.propose(rf), regions, "18.06", skip_unmatched=True)
    apply.submit(tmp_store, first, Operator("admin", "Admin", "admin", None))

    data = workbook(tanggamus_april(march), Layout(as_of=APRIL))
    at = report_page()
    upload(at, "laporan-april.xlsx", data)
    assert "Profil \u201cLaporan bulanan\u201d cocok dengan berkas ini dan dipakai." in texts(at)
    k = tag(data, "Laporan bulanan")
    [pick] = [s for s in at.selectbox if (s.key or "").startswith(f"rep_pick_{k}_")]  # the pekon that does not exist
    pick.set_value("__exclude__").run()
    assert "Temuan dari laporan ini (4)" in texts(at)  # backwards stage, join date changed, operators x2
    at.button(key="rep_confirm").click().run()
    assert "menunggu persetujuan" in at.success[0].value

    at = switch_user(at, "admin")
    text = texts(at)
    desa = regions[(regions["kab_code"] == "18.06") & (regions["level"] == "desa") & (regions["village_type"] == "desa")]
    assert f"Cakupan: 17 dari {len(desa)} desa Kab. Tanggamus dilaporkan" in text
    april = {p.code: p for p in tanggamus_april(march) if p.code}
    previous = {p.code: p for p in march if p.code}
    changed = sum((a.joined, a.stage, a.operators, a.pillars) != (previous[c].joined, previous[c].stage,
                                                                   previous[c].operators, previous[c].pillars)
                  for c, a in april.items())
    assert f"Desa baru dalam laporan: 0; desa yang berubah: {changed}; sama: {len(april) - changed}." in text
    stages = next(d.value for d in at.dataframe if "Sebelum" in d.value.columns)
    assert stages["Sebelum"].sum() == stages["Sesudah"].sum() == len(desa)
    assert "Tahap mundur antar laporan" in " ".join(next(d.value for d in at.dataframe if "Temuan" in d.value.columns)
                                                     ["Temuan"])
    at.button(key="hist_approve").click().run()
    assert "disetujui" in at.success[0].value
    with tmp_store.connect() as conn:
        dates = conn.execute(sa.text("SELECT DISTINCT report_date FROM status_report_rows ORDER BY 1")).scalars().all()
    assert [str(d)[:10] for d in dates] == ["2025-03-31", "2025-04-30"]


def test_a_profile_whose_columns_moved_asks_for_confirmation(tmp_store, operators_file, regions):
    from utils.data.auth import Operator
    from utils.intake import apply, report

    rf = report.read_report("maret.xlsx", workbook(tanggamus_march(), Layout(keterangan=True)))
    apply.save_profile(tmp_store, "18.06", report.KIND, "Laporan bulanan", report.propose(rf).to_spec(rf),
                       Operator("op_tgm", "Operator Tanggamus", "operator", "18.06"))
    data = workbook(tanggamus_march(), Layout(keterangan=False))  # a column fewer
    at = report_page()
    upload(at, "laporan.xlsx", data)
    assert "Profil \u201cLaporan bulanan\u201d dipakai" not in texts(at)
    at.selectbox(key=f"rep_profile_{hashlib.sha256(data).hexdigest()[:12]}").set_value("Laporan bulanan").run()
    assert "tidak cocok lagi" in texts(at)
    k = tag(data, "Laporan bulanan")
    assert at.button(key=f"rep_profile_save_{k}").disabled
    at.checkbox(key=f"rep_confirm_{k}").check().run()
    assert not at.button(key=f"rep_profile_save_{k}").disabled


def test_an_unknown_stage_word_is_mapped_by_the_operator(tmp_store, operators_file, regions):
    pekon = tanggamus_march()[:5]
    pekon[2].stage_word = "Tahap 3"
    data = workbook(pekon, Layout(subtotals=False, grand_total=False))
    at = report_page()
    upload(at, "laporan.xlsx", data)
    assert "Isi tahap ini belum dipetakan" in " ".join(at.dataframe[-1].value["Masalah"])
    k = tag(data)
    word = at.selectbox(key=f"rep_stage_{k}_tahap 3")
    assert word.value == ""
    word.set_value("operator_terlatih").run()
    assert "Berkas lolos pemeriksaan." in texts(at)
    at.radio(key="_w_lang").set_value("en").run()
    assert "The file passed the checks." in texts(at)


def test_a_report_uploaded_as_an_adoption_template_points_to_the_report_type(tmp_store, operators_file, regions):
    """The issue's first try: the office's report sent as "Status adopsi" is refused for a missing "tanggal";
    the page now says which data type reads it."""
    before = content(tmp_store)
    at = login(open_page(), "op_tgm")
    upload(at, "laporan.xlsx", workbook(tanggamus_march(), Layout()))
    assert any("tampaknya laporan perkembangan kabupaten" in i.value for i in at.info)
    assert at.error and "masalah ditemukan" in at.error[0].value
    assert_same(before, content(tmp_store))


def test_a_report_on_the_second_sheet_after_a_recap_is_read_and_the_sheet_named(tmp_store, operators_file, regions):
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(workbook(tanggamus_march(), Layout())))
    wb.active.title = "Data Pekon"
    recap = wb.create_sheet("Rekap Kecamatan", 0)
    recap.append(["REKAP PER KECAMATAN"])
    recap.append(["Kecamatan", "Jumlah"])
    recap.append(["Gisting", 9])
    buf = io.BytesIO()
    wb.save(buf)
    at = report_page()
    upload(at, "laporan-dua-lembar.xlsx", buf.getvalue())
    assert not at.exception, [e.message for e in at.exception]
    assert "Laporan dibaca dari lembar **Data Pekon**" in " ".join(i.value for i in at.info)
    assert at.dataframe[0].value["Nama di berkas"].tolist()[:3] == ["Pekon Banjar Manis", "CAMPANG", "Kuta Dalom"]
    assert "19 baris desa/pekon, 9 dilewati" in texts(at)
