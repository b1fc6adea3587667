"""Kabupaten progress reports as Dinas offices keep them, written with openpyxl for the tests (issue 16).

Each ``Pekon`` carries what the report MEANS (the village code, exact join date, stage code as of the report
date, trained operators, pillar flags) next to how the office WRITES it (name spelling, stage word, "2 org",
"Ya"/"v"/"-"...). A ``Layout`` says how the workbook looks: title block, one- or two-row merged headers, a
numbering row, the kecamatan per row / as a heading / only on the subtotal row, date style, which pillar
columns, subtotals, grand total, signature footer. Tests compare what the app stores with the meaning, which
is known here independently of the code under test.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field, replace

import openpyxl
from openpyxl.styles import Alignment, Font

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]
PILLAR_LABELS = {"pemerintahan": "Pemerintahan", "ekonomi_kreatif": "Ekonomi Kreatif", "pemberdayaan": "Pemberdayaan"}


def id_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


@dataclass
class Pekon:
    code: str | None  # the village meant (None: a pekon that does not exist)
    written: str  # the name as the report writes it
    kec: str  # the kecamatan as the report writes it
    joined: dt.date | None
    stage: str | None  # stage code meant
    stage_word: str
    operators: int | None
    operators_text: object
    pillars: dict[str, bool] = field(default_factory=dict)
    pillar_words: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class Layout:
    kab_title: str = "KABUPATEN TANGGAMUS"
    as_of: dt.date = dt.date(2025, 3, 31)
    as_of_style: str = "text"  # text: "Keadaan s.d. 31 Maret 2025"; dmy: "Posisi per 31/03/2025"; month: "Bulan Maret 2025"
    two_row_header: bool = True
    numbering_row: bool = True
    kec_mode: str = "column"  # column (merged per kecamatan) | heading | subtotal (only on the subtotal row)
    date_style: str = "text"  # text | dmy | serial | datetime
    pillars: tuple[str, ...] = ("pemerintahan", "ekonomi_kreatif", "pemberdayaan")
    pillar_headers: dict[str, str] = field(default_factory=dict)  # override the header text of a pillar
    name_header: str = "Nama Pekon"
    stage_header: str = "Tahap"
    join_header: str = "Tgl Bergabung"
    operator_header: str = "Operator Terlatih"
    subtotals: bool = True
    grand_total: bool = True
    signature: bool = True
    keterangan: bool = True
    #: planted wrong figures: (kecamatan as written or "TOTAL", column) -> amount added to the true figure
    wrong_totals: dict[tuple[str, str], int] = field(default_factory=dict)


def _date_cell(day: dt.date | None, style: str) -> object:
    if day is None:
        return "-"
    if style == "text":
        return id_date(day)
    if style == "dmy":
        return day.strftime("%d/%m/%Y")
    if style == "serial":
        return (day - dt.date(1899, 12, 30)).days
    return dt.datetime(day.year, day.month, day.day)


def _as_of_text(layout: Layout) -> str:
    d = layout.as_of
    if layout.as_of_style == "dmy":
        return f"Posisi per {d:%d/%m/%Y}"
    if layout.as_of_style == "month":
        return f"Bulan {MONTHS_ID[d.month - 1]} {d.year}"
    return f"Keadaan s.d. {id_date(d)}"


def workbook(pekon: list[Pekon], layout: Layout) -> bytes:
    """The report as an .xlsx file."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Laporan"
    pillar_cols = [layout.pillar_headers.get(p, PILLAR_LABELS[p]) for p in layout.pillars]
    kec_col = layout.kec_mode == "column"
    cols = ["No", *(["Kecamatan"] if kec_col else []), layout.name_header]
    join_i = len(cols)
    two = layout.two_row_header
    cols += [layout.join_header, layout.stage_header, layout.operator_header, *pillar_cols,
             *(["Keterangan"] if layout.keterangan else [])]
    width = len(cols)
    bold = Font(bold=True)
    for text in ("LAPORAN PERKEMBANGAN PROGRAM SMART VILLAGE", layout.kab_title, _as_of_text(layout)):
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        ws.cell(ws.max_row, 1).font = bold
    ws.append([None])
    top = ws.max_row + 1
    if two:
        upper = list(cols)
        upper[join_i] = upper[join_i + 1] = "Status Smart Village"
        for j in range(len(pillar_cols)):
            upper[join_i + 3 + j] = "Layanan Digital Aktif"
        ws.append(upper)
        lower = [None] * width
        lower[join_i], lower[join_i + 1] = layout.join_header, layout.stage_header
        for j, label in enumerate(pillar_cols):
            lower[join_i + 3 + j] = label
        ws.append(lower)
        for c in range(width):  # vertical merges where the upper label stands alone
            if lower[c] is None:
                ws.merge_cells(start_row=top, start_column=c + 1, end_row=top + 1, end_column=c + 1)
        ws.merge_cells(start_row=top, start_column=join_i + 1, end_row=top, end_column=join_i + 2)
        if len(pillar_cols) > 1:
            ws.merge_cells(start_row=top, start_column=join_i + 4, end_row=top, end_column=join_i + 3 + len(pillar_cols))
    else:
        single = [f"Layanan {c}" if c in pillar_cols else c for c in cols]
        ws.append(single)
    for row in ws.iter_rows(min_row=top, max_row=ws.max_row):
        for cell in row:
            cell.font, cell.alignment = bold, Alignment(horizontal="center", wrap_text=True)
    if layout.numbering_row:
        ws.append(list(range(1, width + 1)))

    def figures(rows: list[Pekon]) -> dict[str, int]:
        out = {"name": len(rows), "join": sum(p.joined is not None for p in rows),
               "ops": sum(p.operators or 0 for p in rows)}
        for p in layout.pillars:
            out[p] = sum(bool(x.pillars.get(p)) for x in rows)
        return out

    def summary_row(label: str, rows: list[Pekon], key: str) -> list[object]:
        f = figures(rows)
        for (k, col), delta in layout.wrong_totals.items():
            if k == key:
                f[col] += delta
        row: list[object] = [None] * width
        name_i = cols.index(layout.name_header)
        row[1 if kec_col else name_i] = label
        row[join_i] = f["join"]
        row[join_i + 2] = f"{f['ops']} org"
        for j, p in enumerate(layout.pillars):
            row[join_i + 3 + j] = f[p]
        return row

    groups: dict[str, list[Pekon]] = {}
    for p in pekon:
        groups.setdefault(p.kec, []).append(p)
    n = 0
    for kec, rows in groups.items():
        if layout.kec_mode == "heading":
            ws.append([None, f"Kecamatan {kec}"] if not kec_col else [None, None, f"Kecamatan {kec}"])
        first = ws.max_row + 1
        for p in rows:
            n += 1
            values: list[object] = [n, *([kec] if kec_col else []), p.written, _date_cell(p.joined, layout.date_style),
                                    p.stage_word, p.operators_text, *(p.pillar_words.get(x, "") for x in layout.pillars)]
            if layout.keterangan:
                values.append(p.note or None)
            ws.append(values)
            if layout.date_style == "datetime" and p.joined is not None:
                ws.cell(ws.max_row, join_i + 1).number_format = "DD/MM/YYYY"
        if kec_col and len(rows) > 1:
            ws.merge_cells(start_row=first, start_column=2, end_row=ws.max_row, end_column=2)
        if layout.subtotals:
            label = f"Jumlah Kec. {kec}" if layout.kec_mode == "subtotal" else "Jumlah"
            ws.append(summary_row(label, rows, kec))
    if layout.grand_total:
        ws.append(summary_row("JUMLAH TOTAL", pekon, "TOTAL"))
    if layout.signature:
        ws.append([None])
        place = [None] * (width - 3) + [f"Kota Agung, {id_date(layout.as_of + dt.timedelta(days=5))}"]
        ws.append(place)
        ws.append([None] * (width - 3) + ["Kepala Dinas PMD Kabupaten Tanggamus"])
        ws.append([None])
        ws.append([None] * (width - 3) + ["Drs. H. Contoh Nama, M.Si"])
        ws.append([None] * (width - 3) + ["NIP. 19700101 199003 1 005"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------------
# A Tanggamus report: three kecamatan of twenty (a partial kabupaten), every trait of the family


def tanggamus_march() -> list[Pekon]:
    """31 March 2025: Gisting (9 pekon), Pugung (6 of 27, incl. "Negeri Ratu", a name Kota Agung has too),
    Kota Agung (4 of 13) and one pekon that does not exist. Planted: Gisting Permai "Operator terlatih" with
    "0 org"; Sidokaton "Layanan aktif" with no pillar active."""
    def p(code, written, kec, joined, stage, word, ops, ops_text, flags, words, note=""):
        return Pekon(code, written, kec, joined, stage, word, ops, ops_text,
                     dict(zip(("pemerintahan", "ekonomi_kreatif", "pemberdayaan"), flags, strict=True)),
                     dict(zip(("pemerintahan", "ekonomi_kreatif", "pemberdayaan"), words, strict=True)), note)

    d = dt.date
    return [
        p("18.06.20.2001", "Pekon Banjar Manis", "GISTING", d(2021, 3, 5), "data_terintegrasi", "Terintegrasi",
          2, "2 org", (True, True, False), ("Ya", "ya", "-")),
        p("18.06.20.2002", "CAMPANG", "GISTING", d(2021, 6, 14), "layanan_aktif", "Layanan Aktif", 2, "2 org",
          (True, False, False), ("Ya", "Tidak", "Tidak")),
        p("18.06.20.2003", "Kuta  Dalom", "GISTING", d(2022, 3, 5), "operator_terlatih", "Operator Terlatih", 1,
          "1 org", (False, False, False), ("-", "-", "-")),
        p("18.06.20.2004", "Purwodadi", "GISTING", d(2022, 1, 10), "bergabung", "Bergabung", None, "",
          (False, False, False), ("Tidak", "Tidak", "Tidak"), "menunggu Bimtek"),
        p("18.06.20.2005", "Gisting Bawah", "GISTING", d(2020, 11, 2), "data_terintegrasi", "Data Terintegrasi", 3,
          "3 org", (True, True, True), ("Ya", "Ya", "Ya")),
        p("18.06.20.2006", "Pekon Gisting Atas", "GISTING", d(2020, 11, 2), "layanan_aktif", "Layanan aktif", 2,
          "2 orang", (True, False, True), ("Ya", "Tidak", "Ya")),
        p("18.06.20.2007", "Sidokaton", "GISTING", d(2023, 8, 17), "layanan_aktif", "Layanan Aktif", 2, "2 org",
          (False, False, False), ("Tidak", "Tidak", "Tidak"), "aplikasi belum dipakai"),
        p("18.06.20.2008", "Landbaw", "GISTING", None, "sosialisasi", "Sosialisasi", 0, "-",
          (False, False, False), ("-", "-", "-")),
        p("18.06.20.2009", "Gisting Permai", "GISTING", d(2023, 2, 1), "operator_terlatih", "Operator Terlatih", 0,
          "0 org", (False, False, False), ("-", "-", "-")),
        p("18.06.11.2001", "Rantau Tijang", "PUGUNG", d(2022, 5, 20), "bergabung", "Bergabung", 0, "-",
          (False, False, False), ("Tidak", "Tidak", "Tidak")),
        p("18.06.11.2013", "Negeri  Ratu", "PUGUNG", d(2021, 9, 1), "layanan_aktif", "Layanan Aktif", 2, "2 org",
          (True, True, False), ("Ya", "Ya", "Tidak")),
        p("18.06.11.2008", "SUKAJADI", "PUGUNG", d(2022, 2, 2), "operator_terlatih", "Operator Terlatih", 1,
          "1 org", (False, False, False), ("Tidak", "Tidak", "Tidak")),
        p("18.06.11.2019", "Pekon Gading", "PUGUNG", None, "belum", "Belum", None, "",
          (False, False, False), ("-", "-", "-")),
        p("18.06.11.2026", "Kayu Hubi", "PUGUNG", d(2022, 7, 7), "layanan_aktif", "Layanan Aktif", 2, "2 org",
          (True, False, False), ("Ya", "Tidak", "Tidak")),
        p(None, "Sukamakmur Jaya", "PUGUNG", d(2023, 1, 9), "bergabung", "Bergabung", 1, "1 org",
          (False, False, False), ("Tidak", "Tidak", "Tidak")),
        p("18.06.01.2016", "Negeri Ratu", "KOTA AGUNG", d(2021, 4, 12), "data_terintegrasi", "Terintegrasi", 2,
          "2 org", (True, True, True), ("Ya", "Ya", "Ya")),
        p("18.06.01.2020", "Pekon Terdana", "KOTA AGUNG", d(2022, 10, 3), "bergabung", "Bergabung", 0, "-",
          (False, False, False), ("Tidak", "Tidak", "Tidak")),
        p("18.06.01.2027", "Kota Agung", "KOTA AGUNG", d(2021, 1, 25), "layanan_aktif", "Layanan Aktif", 3, "3 org",
          (True, False, False), ("Ya", "Tidak", "-")),
        p("18.06.01.2041", "Benteng Jaya", "KOTA AGUNG", d(2023, 3, 30), "bergabung", "Bergabung", 0, "-",
          (False, False, False), ("Tidak", "Tidak", "Tidak")),
    ]


#: What the March report plants on Kualitas Data: (village code, rule).
MARCH_FINDINGS = {
    ("18.06.20.2009", "report_operator_stage"),  # "Operator terlatih" with "0 org"
    ("18.06.20.2007", "report_services_stage"),  # "Layanan aktif" with no pillar active
}


def tanggamus_april(march: list[Pekon]) -> list[Pekon]:
    """30 April 2025, the same pekon but Terdana (not in the report: it keeps its March state): Kuta Dalom reaches "Layanan aktif" (no date given: only "by 30 April");
    Purwodadi gets its operator trained; Landbaw joins on 14 April 2025; Negeri Ratu (Pugung) goes back from
    "Layanan aktif" to "Bergabung" (planted: stored and flagged); Sidokaton's services now active (its March
    finding goes); Gisting Permai still reports 0 operators; Benteng Jaya's join date changes (planted)."""
    by = {p.code: replace(p, pillars=dict(p.pillars), pillar_words=dict(p.pillar_words)) for p in march}
    out = []
    for p in march:
        if p.code == "18.06.01.2020":
            continue
        q = by[p.code]
        if p.code == "18.06.20.2003":
            q.stage, q.stage_word = "layanan_aktif", "Layanan Aktif"
            q.pillars["pemerintahan"], q.pillar_words["pemerintahan"] = True, "Ya"
        elif p.code == "18.06.20.2004":
            q.stage, q.stage_word, q.operators, q.operators_text = "operator_terlatih", "Operator Terlatih", 2, "2 org"
        elif p.code == "18.06.20.2008":
            q.stage, q.stage_word, q.joined = "bergabung", "Bergabung", dt.date(2025, 4, 14)
        elif p.code == "18.06.11.2013":
            q.stage, q.stage_word = "bergabung", "Bergabung"
            q.pillars = {k: False for k in q.pillars}
            q.pillar_words = {k: "Tidak" for k in q.pillar_words}
        elif p.code == "18.06.20.2007":
            q.pillars["pemerintahan"], q.pillar_words["pemerintahan"] = True, "Ya"
        elif p.code == "18.06.01.2041":
            q.joined = dt.date(2023, 4, 3)
        out.append(q)
    return out


APRIL_FINDINGS = {
    ("18.06.20.2009", "report_operator_stage"),
    ("18.06.11.2013", "report_stage_backwards"),
    ("18.06.11.2013", "report_operator_stage"),  # back at "Bergabung" with 2 trained operators
    ("18.06.01.2041", "report_join_changed"),
}
