"""Strings of the import page (IDM workbooks, boundary files) and the data-quality page."""

STRINGS: dict[str, tuple[str, str]] = {
    # ---- the header's source line while boundary imports are in force
    "sources_imported": ("Sumber: kode wilayah Kemendagri 2025 (cahyadsn/wilayah, MIT); batas wilayah: {boundaries}, "
                         "selebihnya cahyadsn/wilayah_boundaries; IDM 2024 Kemendesa PDTT; data program: {programme}.",
                         "Sources: Kemendagri 2025 region codes (cahyadsn/wilayah, MIT); boundaries: {boundaries}, the "
                         "rest cahyadsn/wilayah_boundaries; IDM 2024 by Kemendesa PDTT; programme data: {programme}."),
    "src_boundary_import": ("{level} dari {source} (diimpor {date})", "{level} from {source} (imported {date})"),
    # ---- Indeks Desa workbook (utils/intake/indeks_desa.py): layout, errors (refuse the file), findings (do not)
    "ix_layout": ("Bukan buku kerja indeks desa yang dikenal: tidak ada baris judul dengan kolom kode desa. Diharapkan "
                  "(Indeks Desa): {expected}. Ditemukan: {found}. (Buku kerja Rekomendasi IDM dikenali dari baris judul "
                  "yang diawali KODE PROV.)",
                  "Not a known village-index workbook: no header row with a desa code column. Expected (Indeks Desa): "
                  "{expected}. Found: {found}. (An IDM recommendation workbook is known by a header row starting with "
                  "KODE PROV.)"),
    "ix_layout_items": ("Bukan buku kerja Indeks Desa yang dikenal: baris judul hanya memuat {n} dari {total} kolom skor "
                        "butir. Diharapkan: {expected}. Ditemukan: {found}. (Buku kerja Rekomendasi IDM dikenali dari "
                        "baris judul yang diawali KODE PROV.)",
                        "Not a known Indeks Desa workbook: the header row names only {n} of the {total} item score "
                        "columns. Expected: {expected}. Found: {found}. (An IDM recommendation workbook is known by a "
                        "header row starting with KODE PROV.)"),
    "ix_err_year_differs": ("Berkas ini Indeks Desa {found}, bukan {chosen} yang dipilih.",
                            "This file is Indeks Desa {found}, not the chosen {chosen}."),
    "ix_err_no_year": ("Tahun tidak tertulis di berkas (judul atau kolom “STATUS ID 25”): pilih tahunnya.",
                       "The file does not state its year (title or a “STATUS ID 25” column): choose the year."),
    "ix_err_year_early": ("Tahun {year} sebelum Indeks Desa ada (mulai {first}); untuk tahun itu impor buku kerja IDM.",
                          "Year {year} is before the Indeks Desa existed (from {first}); import an IDM workbook for it."),
    "ix_err_no_code": ("Baris berisi data tanpa kode desa.", "A row with data but no desa code."),
    "ix_err_bad_code": ("“{value}” bukan kode desa Kemendagri (10 digit, mis. 1801042001).",
                        "“{value}” is not a Kemendagri desa code (10 digits, e.g. 1801042001)."),
    "ix_err_other_province": ("Kode {code} bukan dari Provinsi Lampung (18).", "Code {code} is not in Lampung Province (18)."),
    "ix_err_duplicate": ("Kode {code} sudah ada di baris {first}.", "Code {code} already appears in row {first}."),
    "ix_err_score": ("Skor “{value}” di luar {lo}..{hi} (harus bilangan bulat {lo} sampai {hi}).",
                     "Score “{value}” outside {lo}..{hi} (must be a whole number from {lo} to {hi})."),
    "ix_err_score_text": ("Skor \u201c{value}\u201d bukan angka (harus bilangan bulat {lo} sampai {hi}).",
                          "Score \u201c{value}\u201d is not a number (must be a whole number from {lo} to {hi})."),
    "ix_err_range": ("Nilai “{value}” di luar 0..100.", "Value “{value}” outside 0..100."),
    "ix_err_status": ("Status “{value}” tidak dikenal; yang dikenal: {allowed}.",
                      "Unknown status “{value}”; known: {allowed}."),
    "ix_err_no_rows": ("Berkas tidak berisi satu pun baris desa.", "The file holds no desa row."),
    "ix_find_unknown_code": ("Kode {code} tidak ada di daftar wilayah Kemendagri 2025 (tetap disimpan).",
                             "Code {code} is not in the Kemendagri 2025 region list (kept)."),
    "ix_find_kelurahan": ("{code} adalah kelurahan (tidak dihitung di indikator desa).",
                          "{code} is a kelurahan (not counted in desa indicators)."),
    "ix_find_ambiguous_column": ("Nama kolom ini alias dua butir sekaligus; kolom tidak dipakai.",
                                 "This column name is an alias of two items; the column is not used."),
    "ix_find_duplicate_column": ("Butir ini sudah dibaca dari kolom sebelumnya; kolom ini tidak dipakai.",
                                 "This item was already read from an earlier column; this column is not used."),
    "ix_find_off_scale": ("{n} desa bernilai {values}, yang tidak dipakai skala butir ini ({scale}); rekomendasinya "
                          "memakai skor terdekat di bawahnya.",
                          "{n} desa score {values}, which this item's scale ({scale}) does not use; their recommendation "
                          "uses the nearest score below."),
    "ix_find_no_status": ("Berkas tanpa kolom Status ID: status dihitung dari nilai total dengan rentang pihak "
                          "ketiga ({bands}).",
                          "No Status ID column: the status is derived from the total with third-party bands ({bands})."),
    "ix_find_status_total_file": ("Status {status} di berkas tidak cocok dengan nilai total berkas {total}: menurut "
                                  "rentang pihak ketiga statusnya {band}.",
                                  "Status {status} in the file does not match the file's total {total}: the "
                                  "third-party bands give {band}."),
    "ix_find_status_total_dashboard": ("Status {status} di berkas tidak cocok dengan nilai total {total} (dihitung "
                                       "oleh dasbor): menurut rentang pihak ketiga statusnya {band}.",
                                       "Status {status} in the file does not match the total {total} (computed by "
                                       "the dashboard): the third-party bands give {band}."),
    # ---- import page
    "imp_title": ("Impor IDM dan Batas Wilayah", "Import IDM and boundaries"),
    "imp_intro": ("Tambahkan Indeks Desa (2025 dst.) atau tahun IDM dari buku kerja Kemendesa, atau ganti batas "
                  "wilayah dari berkas peta. Tidak ada yang disimpan sebelum Anda melihat laporan pemeriksaan dan "
                  "menekan Konfirmasi; setiap impor dapat dibatalkan di Riwayat.",
                  "Add an Indeks Desa round (2025 onwards) or an IDM year from a Kemendesa workbook, or replace "
                  "boundaries from a map file. Nothing is stored before you have seen the check report and pressed "
                  "Confirm; every import can be undone on the history page."),
    "imp_tab_idm": ("Indeks desa (Indeks Desa / IDM, buku kerja Kemendesa)", "Village index (Indeks Desa / IDM, Kemendesa workbook)"),
    "imp_tab_boundary": ("Batas wilayah", "Boundaries"),
    "imp_idm_upload": ("Buku kerja Kemendesa (.xlsx): Indeks Desa per desa, atau Rekomendasi IDM per desa",
                       "Kemendesa workbook (.xlsx): Indeks Desa per desa, or IDM recommendations per desa"),
    "imp_ix_years": ("Indeks Desa tersimpan: {years}.", "Indeks Desa stored: {years}."),
    "imp_ix_years_none": ("Belum ada Indeks Desa tersimpan.", "No Indeks Desa stored yet."),
    "imp_ix_year_cover": ("{year} ({n} dari {total} desa)", "{year} ({n} of {total} desa)"),
    "imp_ix_summary": ("Indeks Desa {year}: {desa} desa dari {kabs} kabupaten/kota; {found} dari {total} kolom butir "
                       "ditemukan (baris judul di baris {row}).",
                       "Indeks Desa {year}: {desa} desa from {kabs} regencies/cities; {found} of {total} item columns "
                       "found (header in row {row})."),
    "imp_ix_scores_file": ("Skor dimensi dan total: dari berkas.", "Dimension and total scores: from the file."),
    "imp_ix_scores_dashboard": ("Skor dimensi dan total: dihitung oleh dasbor (rata-rata skor butir per dimensi ÷ 5 × "
                                "100; total = rata-rata enam dimensi), karena berkas tidak memuatnya.",
                                "Dimension and total scores: computed by the dashboard (mean item score per "
                                "dimension ÷ 5 × 100; total = mean of the six dimensions), as the file has none."),
    "imp_ix_status_file": ("Status: dari kolom Status ID berkas.", "Status: from the file's Status ID column."),
    "imp_ix_status_bands": ("Status: berkas tanpa kolom status; dihitung dari total dengan rentang pihak ketiga.",
                            "Status: the file has no status column; derived from the total with third-party bands."),
    "imp_ix_coverage": ("Setelah impor, Indeks Desa {year} mencakup {n} dari {total} desa.",
                        "After the import, Indeks Desa {year} covers {n} of {total} desa."),
    "imp_ix_partial": ("Sebagian: halaman menampilkannya sebagai “{n} dari {total} desa”, tidak sebagai angka "
                       "provinsi. Berkas kabupaten lain untuk tahun yang sama akan digabungkan.",
                       "Partial: pages show it as “{n} of {total} desa”, never as the province's figure. Files "
                       "of other regencies for the same year are merged into it."),
    "imp_ix_missing": ("{n} kolom butir tidak ada di berkas (skor dimensi dihitung dari butir yang ada)",
                       "{n} item columns are missing (dimension scores use the items present)"),
    "imp_ix_errors": ("Galat ({n}): berkas tidak dapat diimpor sampai diperbaiki.",
                      "Errors ({n}): the file cannot be imported until they are fixed."),
    "imp_ix_findings": ("Temuan ({n}): dicatat, tidak menghalangi impor.",
                        "Findings ({n}): noted, they do not block the import."),
    "imp_ix_col_row": ("Baris", "Row"),
    "imp_ix_col_column": ("Kolom", "Column"),
    "imp_ix_col_message": ("Keterangan", "Message"),
    "imp_ix_col_code": ("Kode desa", "Desa code"),
    "imp_ix_year_pick": ("Tahun Indeks Desa (tidak tertulis di berkas)", "Indeks Desa year (not stated in the file)"),
    "imp_ix_same": ("Berkas ini sudah diimpor untuk Indeks Desa {year}; tidak ada yang berubah.",
                    "This file is already imported for Indeks Desa {year}; nothing changes."),
    "imp_ix_differs": ("{n} desa di berkas ini sudah ada di Indeks Desa {year} dengan nilai lain. Impor ini menimpanya; "
                       "membatalkannya di Riwayat mengembalikan nilai sebelumnya.",
                       "{n} desa of this file are already in Indeks Desa {year} with other values. This import "
                       "replaces them; undoing it on the history page brings the earlier values back."),
    "imp_ix_replace": ("Ganti nilai {n} desa Indeks Desa {year} yang sudah diimpor",
                       "Replace the values of {n} desa already imported for Indeks Desa {year}"),
    "imp_done_index": ("Tersimpan (impor #{id}): {added} desa ditambahkan, {changed} desa diganti. Dapat dibatalkan di "
                       "Riwayat.",
                       "Saved (import #{id}): {added} desa added, {changed} desa replaced. Can be undone on the "
                       "history page."),
    "imp_idm_years": ("Tahun IDM tersedia: {years} (dasar {base}).", "IDM years available: {years} (base {base})."),
    "imp_idm_summary": ("IDM {year}: {desa} desa, {rec} baris rekomendasi.",
                        "IDM {year}: {desa} desa, {rec} recommendation rows."),
    "imp_idm_unknown": ("{n} kode desa tidak ada di daftar wilayah Kemendagri 2025 (tetap disimpan): {codes}",
                        "{n} village codes are not in the Kemendagri 2025 region list (kept): {codes}"),
    "imp_idm_kelurahan": ("{n} kelurahan memiliki nilai IDM (tidak dihitung di indikator desa).",
                          "{n} kelurahan have an IDM score (not counted in desa indicators)."),
    "imp_idm_same": ("IDM {year} dengan isi yang sama sudah diimpor; tidak ada yang berubah.",
                     "IDM {year} with the same content was already imported; nothing changes."),
    "imp_idm_differs": ("IDM {year} sudah pernah diimpor dengan isi lain ({n} desa). Impor ini menimpanya; "
                        "membatalkannya di Riwayat mengembalikan nilai sebelumnya.",
                        "IDM {year} was imported before with different content ({n} desa). This import replaces "
                        "it; undoing it on the history page brings the earlier values back."),
    "imp_idm_replace": ("Ganti impor IDM {year} yang ada", "Replace the existing IDM {year} import"),
    "imp_reading": ("Membaca dan memeriksa berkas…", "Reading and checking the file…"),
    "imp_writing": ("Menyimpan impor dan membangun ulang batas wilayah serta peta (bisa sampai satu menit)…",
                    "Saving the import and rebuilding the boundaries and the map (up to a minute)…"),
    "imp_confirm": ("Konfirmasi impor", "Confirm import"),
    "imp_done_added": ("Tersimpan: {rows} baris ditambahkan.", "Saved: {rows} rows added."),
    "imp_done_replaced": ("Tersimpan: {changed} wilayah diganti, {added} ditambahkan.",
                          "Saved: {changed} regions replaced, {added} added."),
    "imp_done_unchanged": ("Tidak ada perubahan: isi berkas sama dengan data yang berlaku.",
                           "No change: the file's content equals the data in force."),
    "imp_refused": ("Berkas ditolak; tidak ada yang disimpan.", "File refused; nothing was stored."),
    "imp_col_status": ("Status IDM", "IDM status"),
    "imp_col_ix_status": ("Status Indeks Desa", "Indeks Desa status"),
    "imp_col_count": ("Jumlah desa", "Number of desa"),
    "imp_level": ("Tingkat wilayah", "Region level"),
    "imp_level_kabupaten": ("Kabupaten/kota", "Regency/city"),
    "imp_level_kecamatan": ("Kecamatan", "District"),
    "imp_level_desa": ("Desa/kelurahan", "Village"),
    "imp_geo_upload": ("Berkas batas (.zip berisi shapefile, .geojson, .gpkg)",
                       "Boundary file (.zip with a shapefile, .geojson, .gpkg)"),
    "imp_geo_read": ("{n} fitur dibaca; CRS berkas: {crs} (diproyeksikan ke WGS84).",
                     "{n} features read; file CRS: {crs} (reprojected to WGS84)."),
    "imp_code_col": ("Kolom kode (Kemendagri atau BPS)", "Code column (Kemendagri or BPS)"),
    "imp_name_col": ("Kolom nama", "Name column"),
    "imp_none": ("(tidak ada)", "(none)"),
    "imp_report_title": ("Laporan pencocokan", "Match report"),
    "imp_report_matched": ("**Cocok: {n}** ({methods})", "**Matched: {n}** ({methods})"),
    "imp_report_kept": ("{kept} wilayah tidak ada di berkas dan tetap memakai batas sekarang.",
                        "{kept} regions are not in the file and keep their current boundary."),
    "imp_report_problems": ("Tampilkan hanya yang bermasalah (tidak cocok, disisihkan, tumpang tindih rendah)",
                            "Show problems only (not matched, set aside, low overlap)"),
    "imp_level_proposed": ("diusulkan dari berkas", "proposed from the file"),
    "imp_matching": ("Mencocokkan fitur dengan daftar wilayah…", "Matching features with the region list…"),
    "imp_assessing": ("Mengukur dampak sebelum diterapkan…", "Measuring the effect before applying…"),
    "imp_code_system_kemendagri": ("kode Kemendagri ({share}% dikenal)", "Kemendagri codes ({share}% known)"),
    "imp_code_system_bps": ("kode BPS 2020 ({share}% dikenal), diterjemahkan lewat tabel padanan BPS–Kemendagri",
                            "BPS 2020 codes ({share}% known), translated through the BPS–Kemendagri crosswalk"),
    "imp_code_system_none": ("tanpa kode: dicocokkan dengan nama lalu lokasi", "no codes: matched by name, then location"),
    "imp_cols_code": ("Kolom kode: {column} ({system})", "Code column: {column} ({system})"),
    "imp_cols_name": ("nama: {column}", "name: {column}"),
    "imp_cols_parents": ("kecamatan/kabupaten di berkas: {kec} / {kab}", "district/regency in file: {kec} / {kab}"),
    "imp_sugg_title": ("Saran yang bisa diterima ({n})", "Suggestions you can accept ({n})"),
    "imp_sugg_intro": ("Fitur yang namanya tidak cukup mirip untuk dicocokkan sendiri. Skor: kemiripan nama (0–100) "
                       "ditambah hingga 20 poin bila poligonnya menempati wilayah itu. Yang diterima ikut diterapkan.",
                       "Features whose name is not close enough to match on its own. Score: name similarity "
                       "(0–100) plus up to 20 points when the polygon lies on that region. Accepted ones are applied."),
    "imp_sugg_min": ("Skor minimum", "Minimum score"),
    "imp_sugg_accept_all": ("Terima semua saran dengan skor ini ke atas", "Accept every suggestion from this score"),
    "imp_sugg_clear": ("Kosongkan pilihan", "Clear"),
    "imp_sugg_pick": ("Saran yang diterima", "Accepted suggestions"),
    "imp_sugg_none": ("Belum ada saran yang diterima", "No suggestion accepted yet"),
    "imp_sugg_option": ("Fitur {n} \u201c{name}\u201d \u2192 {official} ({code}), skor {score}",
                        "Feature {n} \u201c{name}\u201d \u2192 {official} ({code}), score {score}"),
    "imp_check_title": ("Sebelum diterapkan", "Before applying"),
    "imp_opt_whole": ("Hanya kabupaten/kota yang seluruh wilayahnya ada di berkas",
                      "Whole regencies only (every region of it in the file)"),
    "imp_opt_whole_help": ("Kabupaten yang hanya sebagian ada di berkas tetap memakai batas sekarang, sehingga tidak ada "
                           "sambungan antara sumber berbeda di dalamnya.",
                           "Regencies only partly in the file keep their current boundaries, so no seam between "
                           "sources runs through them."),
    "imp_opt_low": ("Sertakan juga {n} wilayah yang tumpang tindih kurang dari {pct}% dengan batasnya sekarang",
                    "Also include the {n} regions overlapping their current boundary by less than {pct}%"),
    "imp_check_counts": ("Akan diterapkan: **{n} {level}** · diganti {changed} · ditambahkan {added} · sama seperti "
                         "sekarang {unchanged} · median tumpang tindih dengan batas sekarang {median}%.",
                         "To apply: **{n} {level}** · replaced {changed} · added {added} · same as now {unchanged} · "
                         "median overlap with the current boundary {median}%."),
    "imp_nothing_changes": ("Tidak ada yang berubah: batas dalam berkas sama dengan yang berlaku (selisih paling "
                            "banyak {metres} m). Tidak ada yang disimpan.",
                            "Nothing changes: the file's boundaries equal the ones in force (within {metres} m). "
                            "Nothing is stored."),
    "imp_nothing_to_apply": ("Dengan pilihan ini tidak ada wilayah yang diterapkan (lihat peringatan di atas).",
                             "With these choices no region would be applied (see the warnings above)."),
    "imp_source_label": ("Sumber batas (ditampilkan di baris sumber setiap halaman)",
                         "Source of the boundaries (shown in every page's source line)"),
    "imp_source_label_help": ("Misalnya \u201cBappeda Provinsi Lampung, batas desa 2023\u201d.",
                              "For example \u201cBappeda Provinsi Lampung, village boundaries 2023\u201d."),
    "imp_done_boundary": ("Tersimpan sebagai impor batas: {changed} wilayah diganti, {added} ditambahkan. Peta serta "
                          "batas kecamatan dan kabupaten dibangun ulang; impor ini dapat dibatalkan di Riwayat.",
                          "Saved as a boundary import: {changed} regions replaced, {added} added. The map and the "
                          "district and regency boundaries were rebuilt; the import can be undone in History."),
    "imp_none_matched": ("Tidak ada fitur yang cocok; tidak ada yang bisa diganti.",
                         "No feature matched; there is nothing to replace."),
    "imp_col_feature": ("Fitur", "Feature"),
    "imp_col_source_code": ("Kode di berkas", "Code in file"),
    "imp_col_source_name": ("Nama di berkas", "Name in file"),
    "imp_col_parent": ("Induk yang dipakai", "Parent used"),
    "imp_col_source_kec": ("Kecamatan di berkas", "District in file"),
    "imp_col_source_kab": ("Kabupaten di berkas", "Regency in file"),
    "imp_col_overlap": ("Tumpang tindih (%)", "Overlap (%)"),
    "imp_col_reason": ("Keterangan", "Note"),
    "imp_col_code": ("Kode cocok", "Matched code"),
    "imp_col_name": ("Nama resmi", "Official name"),
    "imp_col_method": ("Cara", "Method"),
    "imp_col_status_geo": ("Status", "Status"),
    "imp_col_suggestions": ("Saran (skor)", "Suggestions (score)"),
    "imp_status_matched": ("cocok", "matched"),
    "imp_status_suggested": ("ada saran", "suggestion offered"),
    "imp_status_set_aside": ("disisihkan", "set aside"),
    "imp_status_covers_other": ("mencakup wilayah lain", "covers another region"),
    "imp_status_conflict": ("kode dan nama tidak sesuai", "code and name disagree"),
    "imp_status_ambiguous": ("nama ganda di induk", "name not unique in parent"),
    "imp_status_duplicate": ("dua fitur untuk satu wilayah", "two features for one region"),
    "imp_status_unmatched": ("tidak cocok", "unmatched"),
    "imp_status_no_geometry": ("tanpa geometri", "no geometry"),
    "imp_method_by_code": ("kode", "code"),
    "imp_method_by_code_then_name": ("kode BPS lalu nama", "BPS code, then name"),
    "imp_method_by_name": ("nama", "name"),
    "imp_method_by_location": ("lokasi", "location"),
    "imp_method_accepted": ("saran diterima", "accepted suggestion"),
    "imp_reason_forest": ("kawasan hutan, bukan desa", "forest area, not a village"),
    "imp_reason_lake": ("danau/waduk, bukan desa", "lake/reservoir, not a village"),
    "imp_reason_transmigration": ("unit permukiman transmigrasi (UPT/SP), bukan desa",
                                  "transmigration settlement unit (UPT/SP), not a village"),
    "imp_reason_covers": ("poligonnya juga mencakup {regions}, yang tidak ada di berkas (data sebelum pemekaran?); "
                          "tidak diterapkan",
                          "its polygon also covers {regions}, which the file lacks (data from before a split?); "
                          "not applied"),
    "imp_reason_code_name": ("kode menunjuk wilayah lain: nama dan letak tidak sesuai",
                             "the code points to another region: name and location disagree"),
    "imp_reason_duplicate": ("wilayah yang sama juga cocok dengan fitur lain", "the same region matches another feature"),
    "imp_level_code_length": (", kode {n} digit", ", {n}-digit codes"),
    "imp_level_wrong": ("Tingkat {chosen} tampaknya keliru: berkas ini berisi {level} ({n} fitur; Lampung punya "
                        "{expected} {level} dan {expected_chosen} {chosen}{code}; {share}% nama cocok dengan nama "
                        "{level}, {share_chosen}% dengan nama {chosen}).",
                        "Level {chosen} looks wrong: this file holds {level} ({n} features; Lampung has {expected} "
                        "{level} and {expected_chosen} {chosen}{code}; {share}% of names match {level} names, "
                        "{share_chosen}% {chosen} names)."),
    "imp_warn_code_unrecognised": ("Kolom \u201c{column}\u201d tidak berisi kode Kemendagri maupun BPS yang dikenal; "
                                   "pencocokan memakai nama dan lokasi.",
                                   "Column \u201c{column}\u201d holds no known Kemendagri or BPS code; matching "
                                   "uses names and location."),
    "imp_warn_low_overlap": ("{n} wilayah yang cocok tumpang tindih kurang dari {pct}% dengan batasnya sekarang ({none} "
                             "sama sekali tidak): tidak diterapkan kecuali Anda menyertakannya di bawah.",
                             "{n} matched regions overlap their current boundary by less than {pct}% ({none} not at "
                             "all): left out unless you include them below."),
    "imp_warn_low_overlap_included": ("{n} wilayah yang cocok tumpang tindih kurang dari {pct}% dengan batasnya sekarang "
                                      "({none} sama sekali tidak); Anda menyertakannya.",
                                      "{n} matched regions overlap their current boundary by less than {pct}% ({none} "
                                      "not at all); you included them."),
    "imp_warn_overlap": ("Poligon baru menutupi {km2} km² wilayah yang dipertahankan atau satu sama lain ({kept} "
                         "wilayah yang dipertahankan kehilangan luas).",
                         "New polygons cover {km2} km² of kept regions or of each other ({kept} kept regions lose "
                         "area)."),
    "imp_warn_gap": ("Akan muncul celah {km2} km² di antara poligon baru dan yang dipertahankan; {wide} celah lebih "
                     "lebar dari 25 m tetap kosong di peta (yang lebih sempit diisi tetangganya).",
                     "Gaps of {km2} km² would open between new and kept polygons; {wide} gaps wider than 25 m stay "
                     "white on the map (narrower ones are filled by a neighbour)."),
    "imp_warn_mixed": ("{n} induk akan berisi batas dari sumber berbeda: {parents}.",
                       "{n} parents would hold boundaries from different sources: {parents}."),
    "imp_warn_partial_kabupaten": ("Berkas hanya mencakup sebagian dari {n} kabupaten/kota: {regions} wilayahnya akan "
                                   "bersebelahan dengan batas lama. Pilih \u201cHanya kabupaten/kota yang seluruh "
                                   "wilayahnya ada di berkas\u201d untuk tidak menerapkannya.",
                                   "The file covers only part of {n} regencies: {regions} of its regions would border "
                                   "old boundaries. Tick \u201cWhole regencies only\u201d to leave them out."),
    "imp_warn_partial_kabupaten_skipped": ("Berkas hanya mencakup sebagian dari {n} kabupaten/kota; {skipped} wilayah di "
                                           "dalamnya tidak diterapkan.",
                                           "The file covers only part of {n} regencies; {skipped} regions in them are "
                                           "left out."),
    "imp_warn_covers_other": ("{n} poligon juga mencakup wilayah lain yang tidak ada di berkas; tidak diterapkan.",
                              "{n} polygons also cover another region the file lacks; not applied."),
    "imp_warn_conflict": ("{n} kode menunjuk wilayah lain daripada nama dan letaknya; tidak diterapkan.",
                          "{n} codes point to another region than their name and location; not applied."),
    "imp_history_message": ("{n} {level}: {changed} diganti, {added} ditambahkan",
                            "{n} {level}: {changed} replaced, {added} added"),
    "imp_undo_legacy": ("Impor #{id} dibuat oleh versi lama yang menimpa berkas; tidak ada lapisan di basis data untuk "
                        "dibatalkan. Jalankan `make rebuild` untuk kembali ke batas hasil build.",
                        "Import #{id} was made by an older version that overwrote files; there is no layer in the "
                        "store to undo. Run `make rebuild` to return to the built boundaries."),
    "imp_refused_check": ("Berkas ditolak.", "File refused."),
    "imp_cli_unreadable": ("Berkas {file} tidak bisa dibaca: {detail}", "File {file} cannot be read: {detail}"),
    "imp_cli_summary": ("{file}: {n} fitur, tingkat {level}, kode {system} (kolom {column})",
                        "{file}: {n} features, level {level}, {system} codes (column {column})"),
    "imp_cli_rest": ("ada saran {suggested} · tidak cocok {unmatched} · disisihkan {set_aside}",
                     "with a suggestion {suggested} · not matched {unmatched} · set aside {set_aside}"),
    # ---- refusals (utils.intake.village_index.Refused keys)
    "imp_wrong_type": ("Jenis berkas \u201c{name}\u201d tidak diterima; yang diterima: {allowed}.",
                       "File type of \u201c{name}\u201d not accepted; accepted: {allowed}."),
    "imp_empty": ("Berkas \u201c{name}\u201d kosong.", "File \u201c{name}\u201d is empty."),
    "imp_too_big": ("Berkas \u201c{name}\u201d berukuran {size} MB, melebihi batas {limit} MB.",
                    "File \u201c{name}\u201d is {size} MB, over the {limit} MB limit."),
    "imp_too_large": ("Buku kerja terlalu besar untuk dibaca: paling banyak {rows} baris, {cols} kolom dan {limit} MB "
                      "isi setelah dibuka. Hapus lembar atau kolom yang tidak perlu.",
                      "The workbook is too large to read: at most {rows} rows, {cols} columns and {limit} MB of "
                      "content once unpacked. Remove unneeded sheets or columns."),
    "imp_idm_not_workbook": ("Berkas ini bukan buku kerja Excel (.xlsx) yang bisa dibaca ({detail}).",
                             "This file is not a readable Excel workbook (.xlsx) ({detail})."),
    "imp_idm_no_header": ("Bukan buku kerja IDM yang dikenal: tidak ada baris judul yang diawali KODE PROV dalam "
                          "{rows} baris pertama. Kolom yang diharapkan: {expected}.",
                          "Not a known IDM workbook: no header row starting with KODE PROV in the first {rows} rows. "
                          "Expected columns: {expected}."),
    "imp_idm_missing_columns": ("Bukan buku kerja IDM yang dikenal: baris judul tidak memuat {missing}. Kolom yang "
                                "diharapkan: {expected}.",
                                "Not a known IDM workbook: the header row lacks {missing}. Expected columns: {expected}."),
    "imp_idm_bad_content": ("Buku kerja IDM berisi data yang tidak valid: {detail}",
                            "The IDM workbook holds invalid data: {detail}"),
    "imp_idm_no_rows": ("Buku kerja IDM tidak berisi satu pun baris desa.", "The IDM workbook holds no desa row."),
    "imp_idm_base_year": ("IDM {year} sudah menjadi data dasar aplikasi; impor menambah tahun lain, tidak menimpa.",
                          "IDM {year} is already the app's base data; imports add other years, never overwrite."),
    "imp_idm_other_province": ("{n} kode desa bukan dari Provinsi Lampung (18), mis. {codes}.",
                               "{n} village codes are not in Lampung Province (18), e.g. {codes}."),
    "imp_idm_year_exists": ("{n} desa tahun {year} sudah diimpor dengan isi lain; centang \u201cGanti\u201d untuk "
                            "menggantinya.",
                            "{n} desa of {year} were imported with other content; tick \u201cReplace\u201d to replace "
                            "them."),
    "imp_admin_only": ("Hanya admin provinsi yang dapat mengimpor atau membatalkan impor.",
                       "Only the provincial administrator can import or undo an import."),
    "imp_ix_has_errors": ("Berkas memuat {n} galat; tidak ada yang disimpan.", "The file has {n} errors; nothing was stored."),
    "imp_rb_not_applied": ("Impor #{id} tidak berlaku (sudah dibatalkan atau bukan impor indeks).",
                           "Import #{id} is not in force (already undone or not an index import)."),
    "imp_not_zip": ("Berkas .zip ini rusak atau bukan zip.", "This .zip file is damaged or not a zip."),
    "imp_zip_traversal": ("Zip ditolak: berisi jalur yang keluar dari folder ({entries}).",
                          "Zip refused: it holds paths that leave the folder ({entries})."),
    "imp_zip_too_big": ("Zip ditolak: isinya terlalu besar setelah diekstrak.",
                        "Zip refused: its content is too large once extracted."),
    "imp_zip_no_shp": ("Zip tidak berisi shapefile (.shp). Isi: {entries}.",
                       "The zip holds no shapefile (.shp). Content: {entries}."),
    "imp_zip_many_shp": ("Zip berisi lebih dari satu shapefile ({entries}); unggah satu per berkas.",
                         "The zip holds more than one shapefile ({entries}); upload one per file."),
    "imp_zip_no_prj": ("Shapefile {shp} tidak memiliki berkas .prj, sehingga sistem koordinatnya tidak diketahui. "
                       "Sertakan .prj dalam zip.",
                       "Shapefile {shp} has no .prj file, so its coordinate system is unknown. Include the .prj in "
                       "the zip."),
    "imp_zip_incomplete": ("Shapefile {shp} tidak lengkap: tidak ada {missing}.",
                           "Shapefile {shp} is incomplete: {missing} missing."),
    "imp_gpkg_layers": ("GeoPackage berisi beberapa layer ({layers}); simpan satu layer per berkas.",
                        "The GeoPackage holds several layers ({layers}); save one layer per file."),
    "imp_geo_unreadable": ("Berkas \u201c{name}\u201d tidak bisa dibaca sebagai data peta ({detail}).",
                           "File \u201c{name}\u201d cannot be read as map data ({detail})."),
    "imp_geo_no_crs": ("Berkas \u201c{name}\u201d tidak menyebut sistem koordinatnya (CRS).",
                       "File \u201c{name}\u201d does not state its coordinate system (CRS)."),
    "imp_geo_empty": ("Berkas \u201c{name}\u201d tidak berisi fitur.", "File \u201c{name}\u201d holds no feature."),
    "imp_geo_not_polygons": ("Batas wilayah harus berupa poligon; berkas berisi: {kinds}.",
                             "Boundaries must be polygons; the file holds: {kinds}."),
    "imp_geo_outside": ("Koordinat berkas tidak berada di Lampung (batas {bounds} setelah proyeksi dari {crs}); "
                        "CRS berkas kemungkinan salah.",
                        "The file's coordinates are not in Lampung (bounds {bounds} after reprojecting from {crs}); "
                        "the file's CRS is probably wrong."),
    "imp_geo_no_columns": ("Tidak ditemukan kolom kode atau nama wilayah. Kolom berkas: {columns}.",
                           "No region code or name column found. File columns: {columns}."),
    "imp_bad_level": ("Tingkat wilayah tidak dikenal: {level}.", "Unknown region level: {level}."),
    # ---- data-quality page
    "qual_title": ("Kualitas Data per Kabupaten/Kota", "Data quality per regency/city"),
    "qual_intro": ("Seberapa lengkap dan konsisten data program tiap kabupaten/kota s.d. {date}. Pilih satu baris "
                   "untuk melihat desa yang bermasalah.",
                   "How complete and consistent each regency's programme data is up to {date}. Select a row to "
                   "list the villages concerned."),
    "qual_col_region": ("Kabupaten/Kota", "Regency/City"),
    "qual_col_villages": ("Desa/kel.", "Villages"),
    "qual_col_reporting": ("Desa/kel. melapor", "Villages reporting"),
    "qual_col_pct_reporting": ("% melapor", "% reporting"),
    "qual_col_filled": ("% isian terisi", "% fields filled"),
    "qual_col_last": ("Pembaruan terakhir", "Last update"),
    "qual_col_issues": ("Desa/kel. dengan temuan", "Villages with findings"),
    "qual_col_rule": ("Temuan", "Finding"),
    "qual_col_village": ("Desa/kelurahan", "Village"),
    "qual_col_detail": ("Rincian", "Detail"),
    "qual_help": ("Melapor: desa/kelurahan dengan sedikitnya satu catatan program (tahap, layanan, petugas, peserta "
                  "Bimtek). Isian terisi: kolom opsional yang terisi (tanggal pengangkatan petugas, nama peserta "
                  "Bimtek). Lihat docs/imports-quality.md.",
                  "Reporting: villages with at least one programme record (stage, service, officer, Bimtek "
                  "participant). Fields filled: optional columns filled (officer appointment date, Bimtek "
                  "participant name). See docs/imports-quality.md."),
    "qual_pick": ("Pilih satu kabupaten/kota di tabel untuk melihat desanya.",
                  "Select a regency/city in the table to list its villages."),
    "qual_list_title": ("Desa dengan temuan: {region}", "Villages with findings: {region}"),
    "qual_none": ("Tidak ada temuan di {region}.", "No findings in {region}."),
    "qual_rule_stage_order": ("Tanggal tahap tidak berurutan", "Stage dates out of order"),
    "qual_rule_stage_gap": ("Tahap terlewati", "Stage skipped"),
    "qual_rule_service_not_joined": ("Layanan tanpa bergabung", "Services without joining"),
    "qual_rule_adoption_kelurahan": ("Tahap adopsi di kelurahan", "Adoption stage in a kelurahan"),
    "qual_rule_officer_kelurahan": ("Petugas di kelurahan", "Officer in a kelurahan"),
    "qual_rule_bimtek_outside": ("Peserta Bimtek di luar cakupan kegiatan", "Bimtek participant outside the event's area"),
    "qual_rule_bimtek_reported": ("Jumlah Bimtek dilaporkan ≠ tercatat", "Bimtek reported ≠ recorded"),
    "qual_rule_future_date": ("Tanggal setelah tanggal data", "Date after the data date"),
    "qual_rule_idm_edition_status": ("Status IDM 2024 beda antar edisi", "IDM 2024 status differs between editions"),
    "qual_detail_stage_order": ("{stage} ({date}) sebelum {prev} ({prev_date})", "{stage} ({date}) before {prev} ({prev_date})"),
    "qual_detail_stage_gap": ("{stage} tercapai tanpa {missing}", "{stage} reached without {missing}"),
    "qual_detail_service_not_joined": ("{service} mulai {date}; bergabung: {joined}",
                                       "{service} started {date}; joined: {joined}"),
    "qual_detail_adoption_kelurahan": ("tahap {stage}", "stage {stage}"),
    "qual_detail_officer_kelurahan": ("{name}", "{name}"),
    "qual_detail_bimtek_outside": ("{event}: cakupan {kabs}", "{event}: covers {kabs}"),
    "qual_detail_bimtek_reported": ("{event}: dilaporkan {reported} peserta/{reported_v} desa, tercatat {rows}/{villages}",
                                    "{event}: reported {reported} participants/{reported_v} villages, recorded {rows}/{villages}"),
    "qual_detail_future_date": ("{table}: {date}", "{table}: {date}"),
    "qual_rule_indeks_status_score": ("Status Indeks Desa tidak cocok dengan skor", "Indeks Desa status does not match the score"),
    "qual_detail_indeks_status_score": ("Indeks Desa {year}: status {status} di berkas, total {total} ({source}); rentang "
                                        "pihak ketiga memberi {band}.",
                                        "Indeks Desa {year}: status {status} in the file, total {total} ({source}); "
                                        "third-party bands give {band}."),
    "qual_score_source_file": ("dari berkas", "from the file"),
    "qual_score_source_dashboard": ("dihitung oleh dasbor", "computed by the dashboard"),
    "qual_detail_idm_edition_status": (
        "IDM {year} (Kemendesa, rekomendasi): {status} ({nilai}); Satu Data: {sd_status} ({sd_nilai}). Dasbor "
        "menampilkan nilai buku kerja rekomendasi.",
        "IDM {year} (Kemendesa, recommendations): {status} ({nilai}); Satu Data: {sd_status} ({sd_nilai}). The "
        "dashboard shows the recommendation workbook's value."),
    "qual_not_joined": ("belum", "not yet"),
}
