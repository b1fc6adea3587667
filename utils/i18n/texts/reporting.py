"""Strings of who has reported: "belum melapor", coverage of totals, the demo marker per kabupaten, the
approval warning (utils/views/reporting_display.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "not_reported": ("belum melapor", "not reported yet"),
    "rep_cov_partial": ("Angka adopsi mencakup **{desa} desa dari {kab} kabupaten yang sudah melapor** (dari {total} "
                        "desa). Belum melapor: {missing}.",
                        "Adoption figures cover **{desa} desa in the {kab} regencies that have reported** (of {total} "
                        "desa). Not reported yet: {missing}."),
    "rep_cov_none": ("Adopsi: **belum melapor** ({missing}). Angka data contoh tidak ditampilkan karena provinsi sudah "
                     "memakai data nyata untuk jenis ini.",
                     "Adoption: **not reported yet** ({missing}). Sample figures are not shown: the province already "
                     "uses real data for this kind."),
    "rep_marker_missing": ("**Data nyata {kind}** dari {n} kabupaten; **belum melapor** (tidak ditampilkan, bukan 0): "
                           "{missing}.",
                           "**Real {kind} data** from {n} regencies; **not reported yet** (not shown, not 0): "
                           "{missing}."),
    "rep_approve_first": ("Menyetujui unggahan ini mengganti **data contoh {kind}** dengan data nyata. Mulai saat itu "
                          "hanya kabupaten yang sudah melapor yang tampil dengan angka; kabupaten lain tampil "
                          "\u201cbelum melapor\u201d (bukan angka contoh, bukan 0). Wilayah unggahan: {kab}. "
                          "Dapat dibatalkan dari Riwayat.",
                          "Approving this upload replaces the **{kind} sample data** with real data. From then on only "
                          "regencies that have reported show figures; the others read \u201cnot reported yet\u201d "
                          "(not the sample figure, not 0). Upload's region: {kab}. Can be undone from the History."),
    "rep_approve_next": ("Menyetujui unggahan ini menambahkan **{kab}** ke kabupaten yang sudah melapor {kind} "
                         "(sekarang {n}); sampai disetujui {kab} tampil \u201cbelum melapor\u201d.",
                         "Approving this upload adds **{kab}** to the regencies that have reported {kind} (now {n}); "
                         "until approved {kab} reads \u201cnot reported yet\u201d."),
}
STRINGS.update({
    "trk_title": ("Pelacak laporan kabupaten", "Regency report tracker"),
    "trk_intro": ("Per bulan dan kabupaten: laporan yang masuk (unggahan templat dan laporan perkembangan), kapan, "
                  "dari siapa, cakupannya (desa/pekon yang disebut dari seluruh desa), status persetujuan, dan "
                  "keterlambatan terhadap batas tanggal {day} bulan berikutnya. Laporan berisi tanggal keadaan "
                  "dihitung untuk bulan itu; lainnya untuk bulan sebelum dikirim.",
                  "Per month and regency: the reports that arrived (template uploads and progress reports), when, "
                  "from whom, what they cover (villages named of all villages), their approval state, and lateness "
                  "against day {day} of the following month. A report with a data date counts for that month; "
                  "others for the month before they were sent."),
    "trk_period": ("Bulan laporan", "Report month"),
    "trk_summary": ("{arrived} dari {total} kabupaten/kota sudah mengirim laporan {period}; {late} terlambat.",
                    "{arrived} of {total} regencies/cities have sent their {period} report; {late} late."),
    "trk_col_region": ("Kabupaten/kota", "Regency/city"),
    "trk_col_kind": ("Jenis laporan", "Report type"),
    "trk_col_file": ("Berkas", "File"),
    "trk_col_arrived": ("Diterima", "Received"),
    "trk_col_from": ("Pengirim", "Sender"),
    "trk_col_coverage": ("Cakupan (desa/pekon)", "Coverage (villages)"),
    "trk_col_status": ("Status", "Status"),
    "trk_col_due": ("Batas waktu", "Due"),
    "trk_col_late": ("Ketepatan", "Timeliness"),
    "trk_status_pending": ("menunggu persetujuan", "awaiting approval"),
    "trk_status_applied": ("disetujui", "approved"),
    "trk_status_rejected": ("ditolak", "rejected"),
    "trk_status_rolled_back": ("dibatalkan", "rolled back"),
    "trk_status_missing": ("belum ada laporan", "no report yet"),
    "trk_late": ("terlambat", "late"),
    "trk_on_time": ("tepat waktu", "on time"),
    "trk_not_due": ("belum jatuh tempo", "not yet due"),
    "trk_xlsx": ("Unduh Excel", "Download Excel"),
    "trk_due_day": ("Batas laporan bulanan: tanggal ... bulan berikutnya", "Monthly report due: day ... of the next month"),
    "trk_due_saved": ("Batas laporan disimpan: tanggal {day}.", "Report due day saved: day {day}."),
})
STRINGS.update({
    "trk_err_due_day": ("Batas laporan harus tanggal 1\u201328 (bukan {day}).", "The due day must be 1\u201328 (not {day})."),
    "hist_kind_report_due_day": ("Batas laporan bulanan", "Monthly report due day"),
})
STRINGS["page_tracker"] = ("Pelacak Laporan", "Report tracker")
