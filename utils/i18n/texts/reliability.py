"""UI strings of the reliability features (fault notices)."""

STRINGS: dict[str, tuple[str, str]] = {
    "rel_store_unavailable": (
        "Basis data sedang tidak dapat diakses, coba lagi sebentar lagi. Tidak ada data yang berubah.",
        "The database cannot be reached right now; try again shortly. No data was changed.",
    ),
    "rel_store_readonly": (
        "Basis data program sedang tidak dapat dibaca (terkunci atau tidak tersedia). Halaman menampilkan data "
        "terakhir yang berhasil dimuat, hanya untuk dibaca; muat ulang nanti untuk data terbaru.",
        "The programme database cannot be read right now (locked or unavailable). The page shows the last data "
        "loaded successfully, read-only; reload later for the latest data.",
    ),
}
