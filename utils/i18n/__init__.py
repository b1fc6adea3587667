"""Language and Indonesian number/date formats (babel). Bahasa Indonesia first, English as a switch."""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import Protocol

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from utils.domain.filters import DEFAULT_LANG
from utils.domain.idm import SIGNAL_LABELS
from utils.i18n.texts import collect

# One table of UI strings: key -> (Bahasa Indonesia, English).
_STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Dasbor Smart Village Provinsi Lampung", "Smart Village Dashboard, Lampung Province"),
    "office": ("Dinas PMDT Provinsi Lampung", "Dinas PMDT (Village Empowerment Office), Lampung Province"),
    "page_overview": ("Ringkasan", "Overview"),
    "overview_title": ("Ringkasan Program Smart Village", "Smart Village Programme Overview"),
    "filter_header": ("Filter wilayah dan periode", "Region and period filter"),
    "kabupaten": ("Kabupaten/Kota", "Regency/City"),
    "kecamatan": ("Kecamatan", "District"),
    "desa": ("Desa/Kelurahan", "Village"),
    "all_kab": ("Semua kabupaten/kota", "All regencies/cities"),
    "all_kec": ("Semua kecamatan", "All districts"),
    "all_desa": ("Semua desa/kelurahan", "All villages"),
    "year": ("Tahun", "Year"),
    "quarter": ("Triwulan", "Quarter"),
    "quarter_label": ("Triwulan {q}", "Quarter {q}"),
    "quarter_short": ("TW {q}", "Q{q}"),
    "language": ("Bahasa", "Language"),
    "search": ("Cari desa/kelurahan", "Find a village"),
    "search_help": ("Ketik nama desa; ejaan berbeda tetap ditemukan (mis. Ringin Jaya).",
                    "Type a village name; spelling variants are found too (e.g. Ringin Jaya)."),
    "search_pick": ("Pilih hasil pencarian", "Pick a search result"),
    "search_none": ("Tidak ada desa yang cocok dengan \u201c{q}\u201d.", "No village matches \u201c{q}\u201d."),
    "reset": ("Kembali ke Provinsi Lampung", "Back to Lampung Province"),
    "demo_banner": ("**Data contoh** \u2014 data program (adopsi, Bimtek, petugas) adalah data contoh yang "
                    "dibangkitkan di atas daftar desa resmi dan dikalibrasi ke angka yang dipublikasikan. "
                    "Bukan data resmi Dinas.",
                    "**Data contoh (sample data)** \u2014 programme data (adoption, Bimtek, officers) is a "
                    "generated sample over the official village list, calibrated to published figures. "
                    "Not official office data."),
    "data_as_of": ("Data per {date}", "Data as of {date}"),
    "period_as_of": ("Periode: s.d. {date}", "Period: up to {date}"),
    "sources": ("Sumber: kode & batas wilayah Kemendagri 2025 (cahyadsn/wilayah, MIT); IDM 2024 Kemendesa PDTT "
                "(buku kerja rekomendasi, dilengkapi edisi Satu Data Indonesia); data program: {programme}.",
                "Sources: Kemendagri 2025 region codes & boundaries (cahyadsn/wilayah, MIT); IDM 2024 by "
                "Kemendesa PDTT (recommendation workbook, completed from the Satu Data Indonesia edition); "
                "programme data: {programme}."),
    "programme_demo": ("data contoh", "sample data"),
    "programme_real": ("unggahan Dinas", "office uploads"),
    "bad_code": ("Kode wilayah \u201c{code}\u201d di alamat tidak dikenal; menampilkan Provinsi Lampung.",
                 "Region code \u201c{code}\u201d in the address is unknown; showing Lampung Province."),
    "bad_period": ("Periode \u201c{value}\u201d di alamat tidak valid; memakai periode terakhir.",
                   "Period \u201c{value}\u201d in the address is invalid; using the latest period."),
    "data_missing": ("Data belum tersedia", "Data not available"),
    "kpi_joined": ("Desa bergabung", "Villages joined"),
    "kpi_joined_help": ("Desa (bukan kelurahan) yang sudah bergabung dengan program, dari seluruh desa di wilayah ini.",
                        "Desa (not kelurahan) that have joined the programme, out of all desa in this region."),
    "kpi_target": ("Target {year}: {value}", "Target {year}: {value}"),
    "not_applicable": ("tidak berlaku", "not applicable"),
    "no_desa_note": ("Wilayah ini tidak memiliki desa (hanya kelurahan), sehingga indikator adopsi tidak berlaku.",
                     "This region has no desa (only kelurahan), so adoption indicators do not apply."),
    "kpi_bimtek": ("Peserta Bimtek", "Bimtek participants"),
    "kpi_bimtek_help": ("Jumlah peserta pelatihan (Bimtek) dari desa dan kelurahan di wilayah ini.",
                        "Training (Bimtek) participants from villages and kelurahan in this region."),
    "kpi_bimtek2": ("Desa/kel. \u2265 2 peserta terlatih", "Villages with \u2265 2 trained"),
    "kpi_bimtek2_help": ("Persentase desa dan kelurahan yang sudah memiliki sedikitnya dua peserta Bimtek.",
                         "Share of villages (desa and kelurahan) with at least two Bimtek participants."),
    "kpi_officers": ("Petugas Smart Village", "Smart Village officers"),
    "kpi_officers_help": ("Petugas (official) Smart Village yang tercatat di desa wilayah ini.",
                          "Smart Village officers recorded in this region's villages."),
    "of_villages": ("dari {n} desa/kel.", "of {n} villages"),
    "idm_title": ("Status IDM 2024", "IDM 2024 status"),
    "idm_caption": ("Indeks Desa Membangun 2024 (Kemendesa PDTT): {scored} desa berstatus; {missing} desa tanpa "
                    "nilai IDM; kelurahan tidak dinilai.",
                    "Village Development Index 2024 (Kemendesa PDTT): {scored} desa scored; {missing} desa "
                    "without a score; kelurahan are not scored."),
    "idm_sources": ("Sumber: {workbook} desa dari buku kerja rekomendasi Kemendesa, {satudata} dari edisi Satu "
                    "Data Indonesia (buku kerja tidak memuatnya); {carried} desa bernilai 2023 menurut Satu Data.",
                    "Source: {workbook} desa from Kemendesa's recommendation workbook, {satudata} from the Satu Data "
                    "Indonesia edition (the workbook lacks them); {carried} desa carry their 2023 value according "
                    "to Satu Data."),
    "idm_edition_rekomendasi": ("IDM {year} (Kemendesa, rekomendasi)", "IDM {year} (Kemendesa, recommendations)"),
    "idm_edition_satudata": ("IDM {year} (Satu Data)", "IDM {year} (Satu Data)"),
    "idm_edition_satudata_2023": ("IDM {year} (Satu Data, nilai 2023)", "IDM {year} (Satu Data, 2023 value)"),
    "idm_edition_rekomendasi_2023": ("IDM {year} (Kemendesa, rekomendasi; Satu Data: nilai 2023)",
                                     "IDM {year} (Kemendesa, recommendations; Satu Data: 2023 value)"),
    "infra_sources": ("Sinyal dan internet hanya tercatat di baris rekomendasi IDM 2024 (Kemendesa): {known} desa; "
                      "{unknown} desa dari edisi Satu Data tanpa data sinyal.",
                      "Signal and internet are recorded only in the IDM 2024 recommendation rows (Kemendesa): "
                      "{known} desa; {unknown} desa from the Satu Data edition have no signal data."),
    "infra_title": ("Desa: sinyal dan internet (IDM 2024, Kemendesa, rekomendasi)",
                    "Desa: signal and internet (IDM 2024, Kemendesa, recommendations)"),
    "no_signal": ("Tanpa sinyal", "No signal"),
    "weak_signal": ("Sinyal lemah", "Weak signal"),
    "no_internet": ("Tanpa internet di kantor desa", "No internet at the village office"),
    "no_internet_help": ("Rekomendasi IDM 2024 mencatat tidak ada fasilitas internet di kantor desa. Indikator "
                         "internet warga (IKS31) Kemendesa mengulang indikator kantor desa (IKS30) untuk setiap desa, "
                         "jadi tidak dihitung sebagai fakta tersendiri.",
                         "The IDM 2024 recommendations record no internet facility at the village office. Kemendesa's "
                         "residents' internet indicator (IKS31) repeats the office's (IKS30) for every desa, so it "
                         "is not counted as a separate fact."),
    "trend_title": ("Desa bergabung dari waktu ke waktu", "Villages joined over time"),
    "trend_yoy": ("{delta} desa dibanding {date}", "{delta} villages against {date}"),
    "month": ("Bulan", "Month"),
    "joined_cum": ("Desa bergabung (kumulatif)", "Villages joined (cumulative)"),
    "villages_count": ("Jumlah desa", "Number of desa"),
    "locator_title": ("Lokasi wilayah", "Where this is"),
    "no_polygon": ("Desa ini belum memiliki batas wilayah (dibentuk setelah 2020).",
                   "This village has no boundary yet (formed after 2020)."),
    "stage_title": ("Riwayat tahap adopsi desa ini", "This desa's adoption history"),
    "stage_col": ("Tahap", "Stage"),
    "reached_col": ("Dicapai", "Reached"),
    "not_yet": ("belum", "not yet"),
    "village_idm": ("Status IDM 2024", "IDM 2024 status"),
    "signal": ("Sinyal seluler", "Mobile signal"),
    "internet": ("Internet kantor desa", "Internet at the village office"),
    "internet_help": ("Fasilitas internet di kantor desa menurut rekomendasi IDM 2024 (Kemendesa). Akses warga "
                      "tidak dicatat terpisah: indikatornya mengulang indikator kantor desa.",
                      "Internet facility at the village office according to the IDM 2024 recommendations "
                      "(Kemendesa). Residents' access is not recorded separately: its indicator repeats the "
                      "office's."),
    "yes": ("ada", "yes"),
    "no": ("tidak ada", "none"),
    "no_score": ("tidak dinilai", "not scored"),
    "province": ("Provinsi Lampung", "Lampung Province"),
    # Sidebar page names (one per script in ui.PAGES).
    "page_map": ("Peta", "Map"),
    "page_adoption": ("Adopsi", "Adoption"),
    "page_bimtek": ("Pelatihan (Bimtek)", "Training (Bimtek)"),
    "page_evaluation": ("Evaluasi Kabupaten", "Regency evaluation"),
    "page_upload": ("Unggah Data", "Upload data"),
    "page_history": ("Riwayat & Persetujuan", "History & approval"),
    "page_import": ("Impor IDM & Batas", "Import IDM & boundaries"),
    "page_quality": ("Kualitas Data", "Data quality"),
    "page_present": ("Presentasi", "Presentation"),
    "csv_download": ("Unduh data (CSV)", "Download data (CSV)"),
}


def _merge_feature_tables() -> None:
    twice = _STRINGS.keys() & (features := collect()).keys()
    if twice:
        raise ValueError(f"UI string keys defined in utils/i18n/__init__.py and utils/i18n/texts: {sorted(twice)}")
    _STRINGS.update(features)


_merge_feature_tables()


def has_text(key: str) -> bool:
    """Whether ``key`` is a UI string (for labels of kinds recorded by later features)."""
    return key in _STRINGS


def pick(pair: tuple[str, str], lang: str) -> str:
    """The one place the language is chosen: ``(Bahasa Indonesia, English)`` → the text in ``lang``."""
    return pair[1] if lang == "en" else pair[0]


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The UI string ``key`` in ``lang``, formatted with ``kwargs``."""
    text = pick(_STRINGS[key], lang)
    return text.format(**kwargs) if kwargs else text


class Labelled(Protocol):
    """A word of the domain vocabulary (stage, pillar, role, target indicator, Indeks Desa dimension)."""

    @property
    def label_id(self) -> str: ...

    @property
    def label_en(self) -> str: ...


def label(item: Labelled, lang: str) -> str:
    """A vocabulary item's label in ``lang`` (``Stage("bergabung", "Bergabung", "Joined")`` → "Joined" in en)."""
    return pick((item.label_id, item.label_en), lang)


def label_column(lang: str) -> str:
    """The column holding ``lang``'s label in a frame that carries both (``label_id``, ``label_en``)."""
    return pick(("label_id", "label_en"), lang)


def signal_label(value: object, lang: str) -> str:
    """A stored IDM signal value as the pages show it ("lemah" → "weak" in English); "–" when missing."""
    if not isinstance(value, str):
        return "–"
    pair = SIGNAL_LABELS.get(value)
    return value if pair is None else pick(pair, lang)


def _locale(lang: str) -> str:
    return pick(("id", "en"), lang)


def number_separators(lang: str) -> str:
    """Decimal mark then thousands mark in ``lang`` (",." in Indonesian), as plotly's ``separators`` wants."""
    loc = _locale(lang)
    return get_decimal_symbol(loc) + get_group_symbol(loc)


def fmt_int(value: float | int | None, lang: str = DEFAULT_LANG) -> str:
    """1234 -> '1.234' (id) or '1,234' (en); missing -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_decimal(round(value), format="#,##0", locale=_locale(lang))


def fmt_num(value: float | None, digits: int = 1, lang: str = DEFAULT_LANG) -> str:
    """1234.5 -> '1.234,5' (id)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def fmt_pct(value: float | None, digits: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A percentage given as 0–100: 97.5 -> '97,5%' (id)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value / 100, format=pattern, locale=_locale(lang))


def fmt_date(value: dt.date, lang: str = DEFAULT_LANG) -> str:
    """17 Desember 2024 (id) / 17 December 2024 (en)."""
    return format_date(value, format="d MMMM y", locale=_locale(lang))


@cache
def _month_abbr(lang: str) -> dict[int, str]:
    return dict(get_month_names("abbreviated", locale=_locale(lang)))


def fmt_month(value: dt.date, lang: str = DEFAULT_LANG) -> str:
    """'Des 2024' style month label (month names looked up once: charts label every month)."""
    return f"{_month_abbr(lang)[value.month]} {value.year}"
