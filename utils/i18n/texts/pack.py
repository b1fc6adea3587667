"""Strings of the report pack (``python -m utils reports`` and the Presentasi page's ZIP)."""

STRINGS: dict[str, tuple[str, str]] = {
    "rep_title": ("Paket laporan Smart Village Provinsi Lampung", "Smart Village report pack, Lampung Province"),
    "rep_period": ("{quarter} {year} · s.d. {date}", "{quarter} {year} · up to {date}"),
    "rep_generated": ("Dibuat {date}", "Generated {date}"),
    "rep_demo": ("Data contoh: berkas-berkas ini berisi data contoh, bukan data resmi Dinas.",
                 "Data contoh (sample data): these files hold sample data, not official office data."),
    "rep_deck": ("Presentasi provinsi (Rakor)", "Province deck (Rakor)"),
    "rep_reports": ("Per kabupaten/kota", "Per regency/city"),
    "rep_col_region": ("Kabupaten/kota", "Regency/city"),
    "rep_col_report": ("Evaluasi satu halaman (PDF)", "One-page evaluation (PDF)"),
    "rep_col_data": ("Data terfilter (Excel)", "Filtered data (Excel)"),
    "rep_step_data": ("Menghitung angka periode ini", "Computing this period's figures"),
    "rep_step_deck": ("Menyusun presentasi provinsi", "Assembling the province deck"),
    "rep_step_pptx": ("Presentasi provinsi (PPTX)", "Province deck (PPTX)"),
    "rep_step_pdf": ("Presentasi provinsi (PDF)", "Province deck (PDF)"),
    "rep_step_report": ("Evaluasi {name} (PDF)", "Evaluation {name} (PDF)"),
    "rep_step_data_kab": ("Data {name} (Excel)", "Data {name} (Excel)"),
    "rep_step_index": ("Daftar isi (index.html)", "Index (index.html)"),
    "rep_bad_period": ("Periode \u201c{value}\u201d tidak dikenal atau di luar data. Tulis tahun dan triwulan, "
                       "mis. 2026Q3, 2026-TW3 atau 2026/3, antara {first} dan {last}.",
                       "Period \u201c{value}\u201d is unknown or outside the data. Write a year and quarter, e.g. "
                       "2026Q3, 2026-TW3 or 2026/3, between {first} and {last}."),
    "rep_bad_kab": ("Kode kabupaten/kota \u201c{code}\u201d tidak dikenal. Kode yang ada: {codes}.",
                    "Regency/city code \u201c{code}\u201d is unknown. Known codes: {codes}."),
    "rep_no_data": ("Data belum tersedia ({detail}). Jalankan dulu: python -m utils build dan python -m utils demo.",
                    "Data not available ({detail}). Run first: python -m utils build and python -m utils demo."),
    "rep_bad_out": ("Folder \u201c{path}\u201d tidak dapat ditulis: {error}",
                    "Folder \u201c{path}\u201d cannot be written: {error}"),
    "rep_start": ("Paket laporan {period} ({n} kabupaten/kota) → {path}",
                  "Report pack {period} ({n} regencies/cities) → {path}"),
    "rep_done": ("Selesai: {n} berkas dalam {seconds} detik. Buka {index}",
                 "Done: {n} files in {seconds} s. Open {index}"),
    "pres_pack_heading": ("Paket laporan semua kabupaten/kota", "Report pack for every regency/city"),
    "pres_pack_intro": ("Untuk periode yang dipilih ({period}): presentasi provinsi (PPTX dan PDF), evaluasi satu "
                        "halaman per kabupaten/kota (PDF), data terfilter per kabupaten/kota (Excel) dan daftar isi "
                        "(index.html), dalam satu ZIP. Dibuat sekali per periode dan versi data, lalu langsung "
                        "tersedia untuk semua pengguna.",
                        "For the chosen period ({period}): the province deck (PPTX and PDF), a one-page evaluation "
                        "per regency/city (PDF), the filtered data per regency/city (Excel) and an index "
                        "(index.html), in one ZIP. Made once per period and data version, then ready for every "
                        "user."),
    "pres_pack_build": ("Buat paket laporan (ZIP)", "Make the report pack (ZIP)"),
    "pres_pack_save": ("Simpan paket laporan (ZIP)", "Save the report pack (ZIP)"),
    "pres_pack_building": ("Membuat paket laporan…", "Making the report pack…"),
    "pres_pack_built": ("Paket laporan siap: {n} berkas", "Report pack ready: {n} files"),
    "pres_pack_step": ("{done} dari {total}: {label}", "{done} of {total}: {label}"),
    "pres_pack_waiting": ("Paket laporan lain sedang dibuat di server ini; menunggu giliran…",
                          "Another report pack is being made on this server; waiting for its turn…"),
    "pres_pack_busy": ("Server sedang membuat paket laporan lain. Coba lagi sebentar lagi.",
                       "The server is making another report pack. Try again in a moment."),
    "pres_pack_failed": ("Paket laporan tidak dapat dibuat: {error}", "The report pack could not be made: {error}"),
}
