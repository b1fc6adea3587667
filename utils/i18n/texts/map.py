"""UI strings of the map page (Peta)."""

STRINGS: dict[str, tuple[str, str]] = {
    "map_title": ("Peta capaian Smart Village", "Smart Village progress map"),
    "map_metric": ("Indikator", "Indicator"),
    "map_show_villages": ("Tampilkan semua desa/kelurahan", "Show every village"),
    "map_show_villages_help": (
        "Gambar poligon setiap desa/kelurahan di wilayah terpilih, bukan wilayah satu tingkat di bawahnya.",
        "Draw every village polygon of the selection instead of the next level down."),
    "map_villages_capped": (
        "Data ini memuat {n} desa/kelurahan: terlalu banyak untuk digambar sekaligus. Pilih kabupaten untuk "
        "melihat desanya.",
        "This data set has {n} villages: too many to draw at once. Pick a kabupaten to see its villages."),
    "map_caption": ("{level} di {region} · klik wilayah untuk memperbesar.",
                    "{level} of {region} · click a region to drill down."),
    "map_level_kabupaten": ("Kabupaten/kota", "Kabupaten/kota"),
    "map_level_kecamatan": ("Kecamatan", "Kecamatan"),
    "map_level_desa": ("Desa/kelurahan", "Villages"),
    "map_up": ("Naik ke {name}", "Up to {name}"),
    "map_png": ("Unduh peta (PNG)", "Download map (PNG)"),
    "map_csv": ("Unduh nilai (CSV)", "Download values (CSV)"),
    "map_missing_file": (
        "Berkas batas wilayah untuk peta tidak ada: `{file}`. Jalankan `make data` (atau "
        "`.venv/bin/python -m utils build`) untuk menulisnya ulang, lalu muat ulang halaman.",
        "The map's boundary file is missing: `{file}`. Run `make data` (or `.venv/bin/python -m utils build`) "
        "to write it again, then reload the page."),
    "map_fetch_error": ("Peta tidak dapat memuat batas wilayah:", "The map could not load the boundaries:"),
    "map_leaflet_error": ("Pustaka peta (Leaflet) tidak dapat dimuat:", "The map library (Leaflet) could not load:"),
    "map_no_polygon_title": ("Desa/kelurahan tanpa poligon batas ({n})", "Villages without a boundary polygon ({n})"),
    "map_no_polygon_note": (
        "Sumber batas wilayah tidak memuat poligon untuk desa/kelurahan ini; nilainya tetap dihitung.",
        "The boundary source has no polygon for these villages; their values still count."),
    "map_col_village": ("Desa/kelurahan", "Village"),
    "map_col_region": ("Wilayah", "Region"),
    "map_col_value": ("Nilai", "Value"),
    "map_col_class": ("Kelas", "Class"),
    "map_no_data": ("Tidak ada data", "No data"),
    "map_na_note": (
        "Indikator adopsi dan IDM dihitung atas desa saja: kelurahan dan kota tanpa desa digambar abu-abu "
        "(\u201ctidak berlaku\u201d). Bimtek mencakup kelurahan.",
        "Adoption and IDM indicators count desa only: kelurahan and kota without desa are grey (\u201cnot "
        "applicable\u201d). Bimtek includes kelurahan."),
    "map_m_joined": ("Desa bergabung (%)", "Desa joined (%)"),
    "map_m_stage": ("Tahap adopsi", "Adoption stage"),
    "map_m_bimtek": ("Cakupan Bimtek: ≥ 2 operator dilatih (%)", "Bimtek coverage: ≥ 2 operators trained (%)"),
    "map_m_officers": ("Petugas Smart Village (orang)", "Smart Village officers (people)"),
    "map_m_idm_status": ("Status IDM 2024 (terbanyak)", "IDM 2024 status (most common)"),
    "map_m_idm_score": ("Nilai IDM 2024 (rata-rata)", "IDM 2024 score (mean)"),
    "map_m_signal_gap": ("Sinyal lemah/tidak ada (% desa)", "Weak or no signal (% of desa)"),
    "map_m_no_internet": ("Tanpa internet di kantor desa (% desa)", "No internet at the village office (% of desa)"),
    "map_m_freshness": ("Kebaruan data (hari sejak catatan terakhir)", "Data freshness (days since last record)"),
    # Village-level titles where the region's rate becomes the village's own state.
    "map_mv_joined": ("Status bergabung", "Joined or not"),
    "map_mv_bimtek": ("Bimtek: operator dilatih", "Bimtek: operators trained"),
    "map_mv_signal_gap": ("Sinyal (IDM 2024)", "Signal (IDM 2024)"),
    "map_mv_no_internet": ("Internet kantor desa (IDM 2024)", "Internet at the village office (IDM 2024)"),
    "map_mv_idm_status": ("Status IDM 2024", "IDM 2024 status"),
    "map_mv_idm_score": ("Nilai IDM 2024", "IDM 2024 score"),
    "map_yes_joined": ("Sudah bergabung", "Joined"),
    "map_no_joined": ("Belum bergabung", "Not joined"),
    "map_yes_bimtek": ("≥ 2 operator dilatih", "≥ 2 operators trained"),
    "map_no_bimtek": ("< 2 operator dilatih", "< 2 operators trained"),
    "map_yes_no_internet": ("Tanpa internet kantor desa", "No internet at the office"),
    "map_no_no_internet": ("Ada internet kantor desa", "Internet at the office"),
    "map_signal_tidak_ada": ("Tidak ada sinyal", "No signal"),
    "map_signal_lemah": ("Sinyal lemah", "Weak signal"),
    "map_signal_kuat": ("Sinyal kuat", "Strong signal"),
    "map_days_upto": ("≤ {n} hari", "≤ {n} days"),
    "map_days_over": ("> {n} hari", "> {n} days"),
    "map_days_ago": ("{n} hari lalu", "{n} days ago"),
    "map_x_stage": ("Tahap", "Stage"),
    "map_x_officers": ("Petugas", "Officers"),
    "map_x_joined": ("Bergabung {joined}/{desa} desa", "Joined {joined}/{desa} desa"),
    "map_x_no_desa": ("Tanpa desa", "No desa"),
    "map_png_title": ("{metric} · {region} · per {date}", "{metric} · {region} · as of {date}"),
}
