"""Strings of who has reported: "belum melapor", coverage of totals, the demo marker per kabupaten, the
approval warning (utils/metrics/reporting.py)."""

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
