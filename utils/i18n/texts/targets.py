"""Strings of the yearly targets the Dinas sets (utils/intake/targets.py, utils/ui/targets.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "ing_kind_targets": ("Target tahunan (admin provinsi)", "Yearly targets (provincial administrator)"),
    "tgt_intro": ("Target tahunan per indikator untuk provinsi dan per kabupaten, dari dokumen yang menetapkannya "
                  "(SK, Renstra, RPJMD). Target inilah yang dipakai lampu status, perkiraan dan kartu penilaian. "
                  "Setiap penyimpanan tercatat di Riwayat dan dapat dibatalkan.",
                  "Yearly targets per indicator for the province and each regency, from the document that sets "
                  "them (decree, strategic plan). These targets drive the status lights, forecasts and the "
                  "scorecard. Every save is recorded in the History and can be undone."),
    "tgt_current": ("Target yang berlaku", "Targets in force"),
    "tgt_col_year": ("Tahun", "Year"),
    "tgt_col_region": ("Wilayah", "Region"),
    "tgt_col_indicator": ("Indikator", "Indicator"),
    "tgt_col_value": ("Target (%)", "Target (%)"),
    "tgt_col_source": ("Sumber", "Source"),
    "tgt_demo_source": ("data contoh (belum ditetapkan Dinas)", "sample data (not set by the office)"),
    "tgt_tab_form": ("Isi formulir", "Fill in the form"),
    "tgt_tab_file": ("Unggah buku kerja", "Upload a workbook"),
    "tgt_year": ("Tahun", "Year"),
    "tgt_region": ("Wilayah", "Region"),
    "tgt_document": ("Dokumen sumber (mis. SK Gubernur No. ...)", "Source document (e.g. Governor's decree No. ...)"),
    "tgt_check": ("Periksa", "Check"),
    "tgt_template": ("Unduh buku kerja target", "Download the target workbook"),
    "tgt_file": ("Buku kerja target (XLSX/CSV)", "Target workbook (XLSX/CSV)"),
    "tgt_errors": ("Target belum dapat disimpan:", "The targets cannot be saved yet:"),
    "tgt_clean": ("{n} target siap disimpan dari \u201c{doc}\u201d.", "{n} targets ready to save from \u201c{doc}\u201d."),
    "tgt_confirm": ("Tahun {years} sudah memiliki target dari Dinas. Ganti? Nilai lama tetap tersimpan di Riwayat "
                    "dan dapat dikembalikan.",
                    "Year {years} already has targets set by the office. Replace them? The old values stay in the "
                    "History and can be restored."),
    "tgt_save": ("Simpan target", "Save targets"),
    "tgt_saved": ("Target tersimpan (#{id}). Lampu status dan perkiraan memakai target baru.",
                  "Targets saved (#{id}). Status lights and forecasts use the new targets."),
    "tgt_unchanged": ("Tidak ada perubahan: target sama dengan yang berlaku.", "Nothing changed: the targets are the ones in force."),
    "tgt_err_document": ("Sebutkan dokumen sumber target (mis. nomor SK).", "Name the document the targets come from (e.g. the decree number)."),
    "tgt_err_year": ("Baris {row}: tahun \u201c{value}\u201d tidak valid (harus {first}\u2013{last}).",
                     "Row {row}: year \u201c{value}\u201d is not valid (must be {first}\u2013{last})."),
    "tgt_err_region": ("Baris {row}: wilayah \u201c{value}\u201d tidak dikenal (pakai kode/nama kabupaten di Lampung, "
                       "atau 18 untuk provinsi).",
                       "Row {row}: region \u201c{value}\u201d is unknown (use a Lampung regency code/name, or 18 for "
                       "the province)."),
    "tgt_err_indicator": ("Baris {row}: indikator \u201c{value}\u201d tidak dikenal.", "Row {row}: indicator \u201c{value}\u201d is unknown."),
    "tgt_err_number": ("Baris {row}: target \u201c{value}\u201d bukan angka.", "Row {row}: target \u201c{value}\u201d is not a number."),
    "tgt_err_range": ("Baris {row}: target {value} di luar 0\u2013100 (persen).",
                      "Row {row}: target {value} is outside 0\u2013100 (percent)."),
    "tgt_err_whole": ("Baris {row}: target {value} harus bilangan bulat persen.", "Row {row}: target {value} must be a whole percent."),
    "tgt_err_duplicate": ("Baris {row}: target {indicator} {region} tahun {year} tertulis dua kali.",
                          "Row {row}: target {indicator} {region} for {year} appears twice."),
    "tgt_err_empty": ("Tidak ada target yang diisi.", "No target was filled in."),
    "tgt_err_columns": ("Kolom tidak ditemukan: {cols}. Pakai buku kerja target (kolom tahun, wilayah, indikator, target).",
                        "Columns not found: {cols}. Use the target workbook (columns tahun, wilayah, indikator, target)."),
    "tgt_err_confirm": ("Tahun {years} sudah memiliki target dari Dinas: centang konfirmasi untuk menggantinya.",
                        "Year {years} already has targets set by the office: tick the confirmation to replace them."),
    "tgt_warn_falling": ("Target {indicator} {region} tahun {year} ({value}%) lebih rendah dari tahun sebelumnya "
                         "({prev}%), padahal indikator ini seharusnya naik. Periksa kembali.",
                         "Target {indicator} {region} for {year} ({value}%) is below the previous year's ({prev}%), "
                         "though this indicator should rise. Please check."),
    "tgt_demo_label": ("target contoh", "sample target"),
}
