"""UI strings of the kabupaten status report: reading, mapping, profiles, the check, approval, findings
(prefixes rep_, qual_rule_report_, qual_detail_report_)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "ing_kind_status_report": ("Laporan perkembangan kabupaten (format Dinas)", "Regency progress report (office format)"),
    "hist_kind_mapping_profile": ("Profil pemetaan kolom", "Column-mapping profile"),
    # Fields a report column can be
    "rep_field_ignore": ("(abaikan)", "(ignore)"),
    "rep_field_no": ("Nomor urut", "Row number"),
    "rep_field_kode_desa": ("Kode desa", "Village code"),
    "rep_field_kecamatan": ("Kecamatan", "Kecamatan"),
    "rep_field_nama_desa": ("Nama desa/pekon", "Village name"),
    "rep_field_tanggal_bergabung": ("Tanggal bergabung", "Join date"),
    "rep_field_tahap": ("Tahap saat ini", "Current stage"),
    "rep_field_operator_terlatih": ("Jumlah operator terlatih", "Trained operators"),
    "rep_field_layanan": ("Layanan aktif: {pillar}", "Services active: {pillar}"),
    "rep_field_keterangan": ("Keterangan", "Notes"),
    # Reading and checking
    "rep_err_no_header": ("Judul kolom tidak ditemukan di 30 baris pertama (mis. \u201cNama Pekon\u201d, "
                          "\u201cTgl Bergabung\u201d, \u201cTahap\u201d).",
                          "No column headers found in the first 30 rows (e.g. \u201cNama Pekon\u201d, "
                          "\u201cTgl Bergabung\u201d, \u201cTahap\u201d)."),
    "rep_err_need_kab": ("Laporan perkembangan selalu untuk satu kabupaten: pilih kabupatennya.",
                         "A progress report is for one regency: choose it."),
    "rep_err_title_kab": ("Judul laporan menyebut kabupaten lain ({kab}); unggahan ini untuk {scope}.",
                          "The report's title names another regency ({kab}); this upload is for {scope}."),
    "rep_err_no_date": ("Tanggal laporan (\u201ckeadaan s.d.\u201d) tidak ditemukan di judul; isi tanggalnya.",
                        "The report date (\u201ckeadaan s.d.\u201d) is not in the title; enter it."),
    "rep_err_date_future": ("Tanggal laporan {date} ada di masa depan.", "The report date {date} is in the future."),
    "rep_err_no_name_col": ("Belum ada kolom yang dipetakan ke nama desa/pekon.", "No column is mapped to the village name."),
    "rep_err_no_data_col": ("Belum ada kolom isi yang dipetakan (tanggal bergabung, tahap, operator, layanan).",
                            "No content column is mapped (join date, stage, operators, services)."),
    "rep_err_no_name": ("Baris berisi data tetapi tanpa nama desa/pekon.", "The row holds data but no village name."),
    "rep_err_join_after": ("Tanggal bergabung setelah tanggal laporan ({date}).",
                           "Join date after the report date ({date})."),
    "rep_err_stage_unmapped": ("Isi tahap ini belum dipetakan ke tahap program (lihat pemetaan nilai).",
                               "This stage word is not mapped to a programme stage yet (see the value mapping)."),
    "rep_err_flag_unmapped": ("Isi ini belum dipetakan ke Ya/Tidak (lihat pemetaan nilai).",
                              "This value is not mapped to yes/no yet (see the value mapping)."),
    "rep_err_count": ("Bukan jumlah orang (contoh: 2, \u201c2 org\u201d, \u201c-\u201d).",
                      "Not a head count (e.g. 2, \u201c2 org\u201d, \u201c-\u201d)."),
    "rep_warn_subtotal": ("Subtotal \u201c{label}\u201d: tertulis {stated}, dihitung dari baris di atasnya {counted}.",
                          "Subtotal \u201c{label}\u201d: says {stated}, the rows above count {counted}."),
    "rep_warn_total": ("Jumlah total \u201c{label}\u201d: tertulis {stated}, dihitung dari semua baris {counted}.",
                       "Grand total \u201c{label}\u201d: says {stated}, all rows count {counted}."),
    "rep_skip_subtotal": ("subtotal", "subtotal"),
    "rep_skip_total": ("jumlah total", "grand total"),
    "rep_skip_numbering": ("nomor kolom (1, 2, 3, ...)", "column numbers (1, 2, 3, ...)"),
    "rep_sheet": ("Laporan dibaca dari lembar **{sheet}** (lembar pertama tidak berisi tabel laporan).",
                  "Report read from sheet **{sheet}** (the first sheet holds no report table)."),
    "rep_skip_header_repeat": ("judul kolom diulang (halaman baru)", "column header repeated (a new page)"),
    "rep_skip_heading": ("judul kelompok kecamatan", "kecamatan heading"),
    "rep_skip_footer": ("tanda tangan / catatan kaki", "signature / footer"),
    "rep_skip_no_name": ("baris tanpa nama desa dan tanpa isi", "row without a village name or content"),
    "rep_skip_kelurahan": ("kelurahan: di luar adopsi (hanya desa)", "kelurahan: outside adoption (desa only)"),
    # Upload page: mapping, profile, preview, matching
    "rep_intro": ("Unggah laporan perkembangan seperti yang biasa dikirim Dinas (judul, judul kolom dua baris, "
                  "subtotal, tanda tangan boleh ada). Petakan kolomnya sekali, simpan sebagai profil; laporan bulan "
                  "berikutnya dengan bentuk yang sama langsung diperiksa.",
                  "Upload the progress report as the office usually sends it (title, two-row headers, subtotals and "
                  "a signature are fine). Map its columns once and save them as a profile; next month's report of "
                  "the same shape goes straight to the check."),
    "rep_hint_kind": ("Berkas ini tampaknya laporan perkembangan kabupaten (ada tanggal bergabung dan tahap). Pilih "
                      "jenis data \u201cLaporan perkembangan kabupaten (format Dinas)\u201d: kolomnya dapat dipetakan "
                      "tanpa mengubah berkas.",
                      "This file looks like a regency progress report (join dates and stages). Choose the data type "
                      "\u201cRegency progress report (office format)\u201d: its columns can be mapped without "
                      "changing the file."),
    "rep_profile": ("Profil pemetaan", "Mapping profile"),
    "rep_profile_auto": ("(usulan otomatis dari judul kolom)", "(proposed from the column headers)"),
    "rep_profile_fits": ("Profil \u201c{name}\u201d cocok dengan berkas ini dan dipakai.",
                         "Profile \u201c{name}\u201d fits this file and is used."),
    "rep_profile_moved": ("Profil \u201c{name}\u201d tidak cocok lagi: kolom berpindah ({cols}). Pemetaan di bawah "
                          "disesuaikan menurut judul kolom; periksa dan konfirmasi.",
                          "Profile \u201c{name}\u201d no longer fits: columns moved ({cols}). The mapping below "
                          "follows the headers; check and confirm it."),
    "rep_profile_changed": ("Profil \u201c{name}\u201d tidak cocok lagi: judul kolom berubah ({cols}). Periksa "
                            "pemetaan di bawah dan konfirmasi.",
                            "Profile \u201c{name}\u201d no longer fits: the headers changed ({cols}). Check the "
                            "mapping below and confirm it."),
    "rep_err_no_profile": ("Profil \u201c{name}\u201d tidak ada untuk {kab}.", "There is no profile \u201c{name}\u201d for {kab}."),
    "rep_err_profile_name": ("Beri nama profilnya.", "Give the profile a name."),
    "rep_profile_confirm": ("Pemetaan sudah saya periksa", "I have checked the mapping"),
    "rep_mapping": ("Pemetaan kolom dan nilai", "Column and value mapping"),
    "rep_mapping_help": ("Judul kolom dibaca dari baris {rows}. Pilih arti setiap kolom; kolom yang tidak "
                         "dipakai: (abaikan).",
                         "Headers read from row(s) {rows}. Choose what each column means; unused columns: (ignore)."),
    "rep_col_sample": ("contoh: {values}", "e.g. {values}"),
    "rep_values_stage": ("Arti isi kolom tahap", "Meaning of the stage words"),
    "rep_values_flag": ("Arti isi kolom layanan (Ya/Tidak)", "Meaning of the service values (yes/no)"),
    "rep_value_label": ("\u201c{value}\u201d ({n} baris)", "\u201c{value}\u201d ({n} rows)"),
    "rep_value_blank": ("(kosong)", "(empty)"),
    "rep_value_unmapped": ("— pilih —", "— choose —"),
    "rep_yes": ("Ya (aktif)", "Yes (active)"),
    "rep_no": ("Tidak", "No"),
    "rep_date": ("Tanggal laporan (keadaan s.d.)", "Report date (as of)"),
    "rep_date_from_title": ("dari judul: {title}", "from the title: {title}"),
    "rep_preview": ("Pratinjau: {n} baris pertama seperti akan dibaca", "Preview: the first {n} rows as they will be read"),
    "rep_profile_name": ("Nama profil", "Profile name"),
    "rep_profile_default": ("Laporan bulanan", "Monthly report"),
    "rep_profile_save": ("Simpan profil untuk {kab}", "Save profile for {kab}"),
    "rep_profile_saved": ("Profil \u201c{name}\u201d disimpan (riwayat #{id}).", "Profile \u201c{name}\u201d saved (history #{id})."),
    "rep_profile_same": ("Profil \u201c{name}\u201d sudah sama dengan pemetaan ini.",
                         "Profile \u201c{name}\u201d already equals this mapping."),
    "rep_check": ("Hasil pemeriksaan laporan", "Report check"),
    "rep_summary": ("{read} baris dibaca: {pekon} baris desa/pekon, {skipped} dilewati. Cocok: {matched}; belum cocok: "
                    "{unmatched}; dikecualikan: {excluded}. Tanggal laporan: {date}.",
                    "{read} rows read: {pekon} village rows, {skipped} skipped. Matched: {matched}; unmatched: "
                    "{unmatched}; excluded: {excluded}. Report date: {date}."),
    "rep_skipped": ("Baris yang dilewati", "Rows skipped"),
    "rep_col_reason": ("Alasan", "Reason"),
    "rep_col_text": ("Isi", "Text"),
    "rep_warnings": ("{n} peringatan (laporan tetap dapat disimpan)", "{n} warnings (the report can still be stored)"),
    "rep_unmatched": ("Nama yang belum cocok: pilih desanya atau kecualikan barisnya. Tidak ada yang disimpan sebelum "
                      "semua baris cocok atau dikecualikan.",
                      "Names not matched yet: choose the village or exclude the row. Nothing is stored until every "
                      "row is matched or excluded."),
    "rep_unmatched_done": ("Setiap nama yang belum cocok sudah diberi desa atau dikecualikan:",
                           "Every unmatched name has a village or is excluded:"),
    "rep_change": ("Baris desa/pekon yang akan ditambah: {added}, diubah: {changed}, sama dengan data tersimpan: {same}.",
                   "Village rows to add: {added}, to change: {changed}, equal to the stored data: {same}."),
    "rep_unmatched_row": ("Baris {row}: \u201c{name}\u201d{kec}", "Row {row}: \u201c{name}\u201d{kec}"),
    "rep_exclude": ("Kecualikan baris ini", "Exclude this row"),
    "rep_pick": ("— pilih desa —", "— choose the village —"),
    "rep_col_joined": ("Tgl bergabung", "Joined"),
    "rep_col_stage": ("Tahap", "Stage"),
    "rep_col_operators": ("Operator terlatih", "Trained operators"),
    "rep_col_match": ("Desa di data wilayah", "Village in the region list"),
    "rep_col_kecamatan": ("Kecamatan", "Kecamatan"),
    "rep_col_name": ("Nama di berkas", "Name in the file"),
    "rep_col_note": ("Keterangan", "Notes"),
    "rep_not_given": ("–", "–"),
    "rep_findings": ("Temuan dari laporan ini ({n}): disimpan sesuai laporan, untuk ditindaklanjuti Dinas",
                     "Findings from this report ({n}): stored as reported, for the office to follow up"),
    # Approval review
    "rep_review": ("Yang berubah bila laporan ini disetujui", "What changes when this report is approved"),
    "rep_review_coverage": ("Cakupan: {n} dari {total} desa {kab} dilaporkan ({pct}); laporan per {date}.",
                            "Coverage: {n} of {total} desa of {kab} reported ({pct}); report as of {date}."),
    "rep_review_changes": ("Desa baru dalam laporan: {added}; desa yang berubah: {changed}; sama: {same}.",
                           "Villages new to the reports: {added}; villages changed: {changed}; unchanged: {same}."),
    "rep_review_stages": ("Sebaran tahap di {kab} per {date}", "Stage distribution in {kab} as of {date}"),
    "rep_col_before": ("Sebelum", "Before"),
    "rep_col_after": ("Sesudah", "After"),
    "rep_review_purge": ("Ini laporan adopsi nyata pertama: data contoh adopsi seluruh provinsi diganti (dapat "
                         "dibatalkan dari riwayat).",
                         "This is the first real adoption report: the province's sample adoption data gives way "
                         "(can be rolled back from the history)."),
    "rep_review_none": ("Tidak ada temuan.", "No findings."),
    # Findings on Kualitas Data
    "qual_rule_report_stage_backwards": ("Tahap mundur antar laporan", "Stage went backwards between reports"),
    "qual_rule_report_join_changed": ("Tanggal bergabung berbeda antar laporan", "Join date differs between reports"),
    "qual_rule_report_join_stage": ("Tanggal bergabung, tahap di bawah Bergabung", "Join date but stage below Joined"),
    "qual_rule_report_operator_stage": ("Jumlah operator ≠ tahap", "Operator count ≠ stage"),
    "qual_rule_report_services_stage": ("Layanan per pilar ≠ tahap", "Services per pillar ≠ stage"),
    "qual_rule_report_operator_bimtek": ("Operator terlatih > peserta Bimtek operator", "Trained operators > Bimtek operators"),
    "qual_detail_report_backwards": ("laporan {date}: {stage}; laporan {prev_date}: {prev}",
                                     "report {date}: {stage}; report {prev_date}: {prev}"),
    "qual_detail_report_join_changed": ("bergabung {first}, laporan {report}: {date}",
                                        "joined {first}, report {report}: {date}"),
    "qual_detail_report_join_stage": ("bergabung {date} tetapi tahap {stage} (laporan {report})",
                                      "joined {date} but stage {stage} (report {report})"),
    "qual_detail_report_operator_zero": ("tahap {stage} dengan 0 operator terlatih (laporan {report})",
                                         "stage {stage} with 0 trained operators (report {report})"),
    "qual_detail_report_operator_some": ("{n} operator terlatih tetapi tahap {stage} (laporan {report})",
                                         "{n} trained operators but stage {stage} (report {report})"),
    "qual_detail_report_services_none": ("tahap {stage} tanpa layanan aktif di pilar mana pun (laporan {report})",
                                         "stage {stage} with no pillar active (report {report})"),
    "qual_detail_report_services_early": ("layanan aktif ({pillars}) tetapi tahap {stage} (laporan {report})",
                                          "services active ({pillars}) but stage {stage} (report {report})"),
    "qual_detail_report_operator_bimtek": ("laporan {report}: {n} operator terlatih; Bimtek mencatat {counted} "
                                           "peserta operator",
                                           "report {report}: {n} trained operators; Bimtek records {counted} "
                                           "operator participants"),
    # Stage history of one desa
    "reached_by": ("paling lambat {date} (laporan)", "by {date} (report)"),
    "rep_village_report": ("Laporan terakhir ({date}): {operators} operator terlatih; layanan aktif: {pillars}.",
                           "Latest report ({date}): {operators} trained operators; services active: {pillars}."),
}
