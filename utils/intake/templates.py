"""Downloadable XLSX templates for the programme uploads (openpyxl; no streamlit).

Sheet "Data": the template's columns with the chosen kabupaten's villages prefilled (code, name,
kecamatan); sheet "README": what each column means and the values allowed; sheet "Kode wilayah": the
region codes of the kabupaten. Codes are written as text so Excel never turns them into numbers.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from utils.domain import programme
from utils.i18n import inert, pick, t
from utils.intake.validation import KINDS, VILLAGE_COLS

_HELP: dict[str, tuple[str, str]] = {
    "kode_desa": ("Kode desa Kemendagri, mis. 18.06.20.2006 (sudah terisi).", "Kemendagri village code (prefilled)."),
    "kode_bps": ("Opsional: kode desa BPS 10 digit (dicocokkan lewat kecamatan + nama).", "Optional: BPS code."),
    "nama_desa": ("Nama desa/pekon/kampung/tiyuh (sudah terisi).", "Village name (prefilled)."),
    "kecamatan": ("Nama kecamatan (sudah terisi).", "Kecamatan name (prefilled)."),
    "kabupaten": ("Opsional: nama kabupaten/kota.", "Optional: regency name."),
    "tahap": ("Tahap yang dicapai: " + ", ".join(s.label_id for s in programme.STAGES[1:]) + ". Satu baris per tahap.",
              "Stage reached; one row per stage."),
    "tanggal": ("Tanggal tahap dicapai (17/12/2024 atau 17 Desember 2024).", "Date the stage was reached."),
    "pilar": ("Pilar: " + ", ".join(p.label_id for p in programme.PILLARS) + ".", "Pillar."),
    "layanan": ("Nama layanan, mis. Sistem Informasi Desa.", "Service name."),
    "tanggal_mulai": ("Tanggal mulai.", "Start date."),
    "tanggal_selesai": ("Tanggal selesai (kosong = masih berjalan).", "End date (blank = ongoing)."),
    "id_petugas": ("Opsional: nomor petugas; kosong = dibuat dari kode desa.", "Optional officer id."),
    "nama_petugas": ("Nama petugas Smart Village.", "Officer name."),
    "jabatan": ("Opsional, bawaan: Official Smart Village.", "Optional role."),
    "tanggal_pengangkatan": ("Opsional: tanggal SK pengangkatan.", "Optional appointment date."),
    "id_kegiatan": ("Kode kegiatan Bimtek, mis. BT-20241010-1806.", "Bimtek event id."),
    "judul": ("Judul kegiatan.", "Event title."),
    "penyelenggara": ("Penyelenggara, mis. Dinas PMD Kabupaten Tanggamus.", "Organiser."),
    "kabupaten_kota": ("Kode kabupaten/kota peserta, dipisah koma (kosong = kabupaten unggahan).",
                       "Regency codes covered, comma separated."),
    "tempat": ("Tempat; beberapa tempat dipisah titik koma.", "Venues, separated by semicolons."),
    "peserta_dilaporkan": ("Jumlah peserta menurut laporan penyelenggara.", "Participants as reported."),
    "desa_dilaporkan": ("Jumlah desa menurut laporan penyelenggara.", "Villages as reported."),
    "catatan": ("Catatan.", "Notes."),
    "peran": ("Peran: " + ", ".join(r.label_id for r in programme.PARTICIPANT_ROLES) + ".", "Participant role."),
    "jumlah": ("Jumlah peserta dengan peran ini dari desa ini (bawaan 1). Nama peserta tidak dicatat.",
               "Number of participants with this role from this village (default 1). Names are not recorded."),
}
_LISTS = {"stage": [s.label_id for s in programme.STAGES[1:]], "pillar": [p.label_id for p in programme.PILLARS],
          "role": [r.label_id for r in programme.PARTICIPANT_ROLES]}


def template_columns(kind: str) -> list[str]:
    """Header row of the template (the village columns used: code, name, kecamatan)."""
    skip = {"kode_bps", "kabupaten"}
    return [c.name for c in KINDS[kind].cols if c.name not in skip]


def _villages(regions: pd.DataFrame, kab_code: str | None, desa_only: bool) -> pd.DataFrame:
    v = regions[regions["level"] == "desa"]
    if kab_code:
        v = v[v["kab_code"] == kab_code]
    if desa_only:
        v = v[v["village_type"] == "desa"]
    kec = regions.set_index("code")["name"]
    return pd.DataFrame({"kode_desa": v["code"], "nama_desa": v["name"], "kecamatan": v["kec_code"].map(kec)})


def build_template(kind: str, regions: pd.DataFrame, kab_code: str | None, lang: str = "id") -> bytes:
    """The XLSX template of ``kind`` for one kabupaten (None: the whole province), as bytes."""
    spec = KINDS[kind]
    cols = template_columns(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEEE6")
    ws.append(cols)
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    if spec.per_village and kind != "officers":
        for row in _villages(regions, kab_code, spec.desa_only).itertuples(index=False):
            ws.append([inert.cell(getattr(row, c)) if c in ("kode_desa", "nama_desa", "kecamatan") else None
                       for c in cols])
    text_cols = {i + 1 for i, c in enumerate(cols) if c in ("kode_desa", "id_kegiatan", "id_petugas", "kabupaten_kota")}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.column in text_cols:
                cell.number_format = "@"
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(14, len(c) + 4)
        typ = spec.col(c).type
        letter = ws.cell(1, i).column_letter
        if typ in _LISTS:  # a drop-down of the allowed values (typing another value is still checked on upload)
            dv = DataValidation(type="list", formula1='"' + ",".join(_LISTS[typ]) + '"', allow_blank=True)
            dv.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(dv)
        if typ == "date":
            for row in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                row[0].number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"

    readme = wb.create_sheet("README")
    readme.append([f"Templat: {t(spec.label_key, lang)}"])
    readme["A1"].font = Font(bold=True, size=13)
    readme.append([t("ing_intro", lang)])
    readme.append([])
    readme.append([t("ing_readme_column", lang), t("ing_readme_required", lang), t("ing_readme_meaning", lang)])
    for cell in readme[4]:
        cell.font = bold
    village_names = {c.name for c in VILLAGE_COLS}
    for col in spec.cols:
        required = col.required or (col.name == "kode_desa" and spec.per_village)
        readme.append([col.name, t("ing_readme_yes", lang) if required else "", pick(_HELP.get(col.name, ("", "")), lang)])
        if col.name in village_names and col.name != "kode_desa":
            readme.cell(readme.max_row, 2).value = ""
    readme.append([])
    readme.append([t("ing_readme_village", lang)])
    readme.column_dimensions["A"].width = 24
    readme.column_dimensions["C"].width = 90
    for row in readme.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    codes = wb.create_sheet("Kode wilayah")
    codes.append(["kode", "nama", "tingkat", "jenis"])
    sel = regions if kab_code is None else regions[(regions["kab_code"] == kab_code) | (regions["code"] == kab_code)]
    for r in sel[sel["level"] != "provinsi"].itertuples(index=False):
        codes.append([inert.cell(v) for v in (r.code, r.name, r.level,
                                              r.village_type if isinstance(r.village_type, str) else "")])
    for row in codes.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "@"
    codes.column_dimensions["A"].width = 16
    codes.column_dimensions["B"].width = 32
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def targets_template(regions: pd.DataFrame, year: int, stored: pd.DataFrame) -> bytes:
    """A target workbook for ``year`` (``utils.intake.targets``): one row per region and indicator, prefilled
    with the values in force. Text cells go through ``inert.cell`` like every workbook the app writes."""
    from utils.domain.codes import PROVINCE_CODE
    from utils.domain.programme import TARGET_INDICATORS
    from utils.intake.targets import COLUMNS

    kabs = regions[regions["level"] == "kabupaten"]
    current = stored[stored["year"] == year].set_index(["region_code", "indicator"])["value"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Target"
    ws.append([inert.cell(c) for c in COLUMNS])
    for code in [PROVINCE_CODE, *kabs["code"]]:
        for ind in TARGET_INDICATORS:
            value = current.get((code, ind))
            ws.append([year, inert.cell(code), inert.cell(ind), None if value is None else int(value)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
