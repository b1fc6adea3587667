"""Strings of the development indices on the pages: Indeks Desa coverage and sources, the IDM → Indeks Desa
status transition, dimensions, recommendations for the Dinas PMD (utils.views.index_display)."""

STRINGS: dict[str, tuple[str, str]] = {
    "ix_cov_partial": ("Indeks Desa {year}: {n} dari {total} desa", "Indeks Desa {year}: {n} of {total} desa"),
    "ix_cov_full": ("Indeks Desa {year}: {n} desa", "Indeks Desa {year}: {n} desa"),
    "ix_partial_note": ("(sebagian: belum angka seluruh wilayah ini).", "(partial: not yet the figure of the whole region)."),
    "ix_src_scores_file": ("Sumber: buku kerja Indeks Desa Kemendesa yang diimpor Dinas; skor dari berkas.",
                           "Source: Kemendesa's Indeks Desa workbook imported by the office; scores from the file."),
    "ix_src_scores_dashboard": ("Sumber: buku kerja Indeks Desa Kemendesa yang diimpor Dinas; skor dimensi dan total {n} "
                                "desa dihitung oleh dasbor (rata-rata skor butir per dimensi ÷ 5 × 100, total = rata-rata "
                                "enam dimensi).",
                                "Source: Kemendesa's Indeks Desa workbook imported by the office; dimension and total "
                                "scores of {n} desa computed by the dashboard (mean item score per dimension ÷ 5 × 100, "
                                "total = mean of the six dimensions)."),
    "ix_src_status_bands": ("Status {n} desa dari nilai total dengan rentang pihak ketiga (berkas tanpa status).",
                            "The status of {n} desa comes from the total with third-party bands (no status in the file)."),
    "ix_title": ("Status Indeks Desa {year}", "Indeks Desa {year} status"),
    "ix_village_status": ("Status Indeks Desa {year}", "Indeks Desa {year} status"),
    "ix_village_total": ("nilai {total} (0–100)", "score {total} (0–100)"),
    "ix_none_here": ("Desa ini belum ada di Indeks Desa {year} yang diimpor.", "This desa is not in the imported Indeks Desa {year}."),
    # Evaluasi: dimensions, transition, recommendations
    "ix_ev_section": ("Indeks Desa {year}: enam dimensi dan perpindahan status", "Indeks Desa {year}: six dimensions and status transition"),
    "ix_ev_dims_caption": ("Rata-rata skor per dimensi (0–100) atas desa yang bernilai; kolom \u201cDesa bernilai\u201d "
                           "menunjukkan cakupan. Tidak dinilai dalam skor komposit.",
                           "Mean score per dimension (0–100) over the desa scored; the \u201cDesa scored\u201d column shows "
                           "the coverage. Not part of the composite score."),
    "ix_col_region": ("Kabupaten/kota", "Regency/city"),
    "ix_col_scored": ("Desa bernilai", "Desa scored"),
    "ix_col_total": ("Total", "Total"),
    "ix_of": ("{n} dari {total}", "{n} of {total}"),
    "ix_transition_title": ("Perpindahan status IDM 2024 → Indeks Desa {year}: {name}",
                            "Status transition IDM 2024 → Indeks Desa {year}: {name}"),
    "ix_transition_caption": ("{n} desa bernilai di kedua indeks. Baris: status IDM 2024 (0–1); kolom: status Indeks "
                              "Desa {year} (0–100). Dua ukuran yang berbeda: hanya status yang dibandingkan, bukan "
                              "selisih nilai.",
                              "{n} desa scored by both indices. Rows: IDM 2024 status (0–1); columns: Indeks Desa {year} "
                              "status (0–100). Two different measures: only statuses are compared, never a score "
                              "difference."),
    "ix_transition_row": ("IDM 2024 \u2193 / Indeks Desa {year} \u2192", "IDM 2024 \u2193 / Indeks Desa {year} \u2192"),
    "ix_transition_none": ("Belum ada desa yang bernilai di kedua indeks di sini.", "No desa here is scored by both indices yet."),
    "ix_rec_title": ("Tindak lanjut Dinas PMD menurut Indeks Desa {year}", "Dinas PMD follow-ups from Indeks Desa {year}"),
    "ix_rec_caption": ("Butir yang pelaksananya di tingkat provinsi adalah Dinas PMD (atau di tingkat kabupaten Dinas PMD "
                       "kabupaten) dan skor desanya \u2264 2, dengan rekomendasi Kemendesa per skor; {cov}. Seluruh desa "
                       "kabupaten, bukan hanya yang menarik nilai ke bawah.",
                       "Items whose province-level implementer is the Dinas PMD (or the kabupaten's Dinas PMD at "
                       "kabupaten level) where a desa scores \u2264 2, with Kemendesa's recommendation per score; {cov}. "
                       "All desa of the regency, not only those pulling the figure down."),
    "ix_rec_none": ("Tidak ada butir Dinas PMD dengan skor \u2264 2 di Indeks Desa {year} untuk desa ini.",
                    "No Dinas PMD item scores \u2264 2 in Indeks Desa {year} for these desa."),
    "ix_rec_col_dimension": ("Dimensi", "Dimension"),
    "ix_rec_col_item": ("Butir", "Item"),
    "ix_rec_col_score": ("Skor", "Score"),
    "ix_rec_col_action": ("Rekomendasi", "Recommended action"),
    "ix_rec_col_level": ("Dinas PMD", "Dinas PMD level"),
    "ix_rec_col_desa": ("Desa", "Desa"),
    "ix_rec_col_names": ("Desa terkait", "Desa concerned"),
    "ix_rec_col_index": ("Indeks", "Index"),
    "ix_level_provinsi": ("provinsi", "province"),
    "ix_level_kabupaten": ("kabupaten", "regency"),
    "ix_level_provinsi+kabupaten": ("provinsi dan kabupaten", "province and regency"),
    "ix_more": ("dan {n} lainnya", "and {n} more"),
    "ix_rec_pdf_title": ("Tindak lanjut Dinas PMD (Indeks Desa {year})", "Dinas PMD follow-ups (Indeks Desa {year})"),
    "ix_rec_line": ("Indeks Desa {year} · Dinas PMD: {action} ({n} desa)", "Indeks Desa {year} · Dinas PMD: {action} ({n} desa)"),
    "idm_rec_label": ("IDM 2024 (Kemendesa, rekomendasi)", "IDM 2024 (Kemendesa, recommendations)"),
    # Map
    "map_m_id_status": ("Status Indeks Desa (terbanyak)", "Indeks Desa status (most common)"),
    "map_m_id_total": ("Nilai Indeks Desa (rata-rata, 0–100)", "Indeks Desa score (mean, 0–100)"),
    "map_mv_id_status": ("Status Indeks Desa", "Indeks Desa status"),
    "map_mv_id_total": ("Nilai Indeks Desa (0–100)", "Indeks Desa score (0–100)"),
    **{f"map_m_id_dim_{code}": (f"Indeks Desa: {label_id} (rata-rata, 0–100)", f"Indeks Desa: {label_en} (mean, 0–100)")
       for code, label_id, label_en in (
           ("layanan_dasar", "Layanan Dasar", "Basic services"), ("sosial", "Sosial", "Social"),
           ("ekonomi", "Ekonomi", "Economy"), ("lingkungan", "Lingkungan", "Environment"),
           ("aksesibilitas", "Aksesibilitas", "Accessibility"),
           ("tata_kelola", "Tata Kelola Pemerintahan Desa", "Village governance"))},
    # Excel export: the Indeks Desa sheet and indicator-table columns
    "sheet_indeks_desa": ("Indeks_Desa", "Indeks_Desa"),
    "col_id_status": ("Status Indeks Desa", "Indeks Desa status"),
    "col_id_status_source": ("Asal status (file = berkas, bands = rentang pihak ketiga)",
                             "Status from (file, or bands = third-party bands)"),
    "col_id_source": ("Sumber", "Source"),
    "ix_sheet_src_file": ("Indeks Desa {year} (Kemendesa, diimpor Dinas); skor dari berkas",
                          "Indeks Desa {year} (Kemendesa, imported by the office); scores from the file"),
    "ix_sheet_src_dashboard": ("Indeks Desa {year} (Kemendesa, diimpor Dinas); skor dihitung oleh dasbor",
                               "Indeks Desa {year} (Kemendesa, imported by the office); scores computed by the dashboard"),
    "col_id_scored": ("Desa bernilai Indeks Desa", "Desa with an Indeks Desa score"),
    "col_id_total": ("Rata-rata nilai Indeks Desa", "Mean Indeks Desa score"),
    **{f"col_id_dim_{code}": (f"Indeks Desa: {label_id}", f"Indeks Desa: {label_en}")
       for code, label_id, label_en in (
           ("layanan_dasar", "Layanan Dasar", "Basic services"), ("sosial", "Sosial", "Social"),
           ("ekonomi", "Ekonomi", "Economy"), ("lingkungan", "Lingkungan", "Environment"),
           ("aksesibilitas", "Aksesibilitas", "Accessibility"),
           ("tata_kelola", "Tata Kelola Pemerintahan Desa", "Village governance"))},
    **{f"col_id_{s.lower().replace(' ', '_')}": (f"Indeks Desa {s}", f"Indeks Desa {s}")
       for s in ("Mandiri", "Maju", "Berkembang", "Tertinggal", "Sangat Tertinggal")},
}
