"""The issue's "Bad input" list for programme uploads: each file gets a clear message or is read correctly,
and the store is unchanged until a clean file is confirmed.

Every test validates against a throwaway copy of the demo store and compares the whole store (all data
tables and meta) before and after; refused files are also pushed at ``submit`` to prove nothing slips
through. Expected values are written by hand from the file contents.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import ADMIN, OP_TGM, assert_same, content, raw_count
from utils.data import store
from utils.intake import apply, validation
from utils.intake.reader import MAX_UPLOAD_BYTES

#: Every test that uses a store runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

GISTING_ATAS = "18.06.20.2006"  # Tanggamus, Kec. Gisting
HAJIMENA = "18.01.04.2001"  # Lampung Selatan


def validate(engine, regions, name: str, data: bytes, kind: str = "adoption", scope: str | None = "18.06"):
    """Validate like the page does and prove validation itself wrote nothing."""
    before = content(engine)
    tables = {"bimtek_events": store.read_table(engine, "bimtek_events")}
    report = validation.validate(kind, name, data, regions, scope, tables)
    assert_same(before, content(engine))
    return report


def assert_refused(engine, report, key: str, row: int | None = None) -> None:
    """The report holds ``key`` (on ``row``), and submitting it changes nothing."""
    found = [(i.key, i.row) for i in report.errors]
    assert any(k == key and (row is None or r == row) for k, r in found), found
    before = content(engine)
    with pytest.raises(apply.ApplyError):
        apply.submit(engine, report, ADMIN)
    assert_same(before, content(engine))
    assert raw_count(engine, "uploads") == 0


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[object]], edit=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if edit:
        edit(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def stored_adoption(engine, code: str) -> dict[str, dt.date]:
    ad = store.read_table(engine, "adoption")
    ad = ad[ad["village_code"] == code]
    return {s: d.date() for s, d in zip(ad["stage"], ad["reached_on"], strict=True)}


# ---------------------------------------------------------------------------------------------- file level

@pytest.mark.parametrize(("name", "data", "key"), [
    ("adopsi.pdf", b"%PDF-1.4 whatever", "ing_err_ext"),
    ("adopsi", b"kode_desa,tahap,tanggal\n", "ing_err_ext"),
    ("adopsi.xls", b"\xd0\xcf\x11\xe0 old excel", "ing_err_xls"),
    ("adopsi.xlsx", b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n", "ing_err_not_xlsx"),
    ("adopsi.csv", b"PK\x03\x04 a zip renamed to csv", "ing_err_not_csv"),
    ("adopsi.xlsx", b"PK\x03\x04 broken zip", "ing_err_bad_xlsx"),
])
def test_wrong_type_or_extension_is_refused(tmp_store, regions, name, data, key):
    report = validate(tmp_store, regions, name, data)
    assert_refused(tmp_store, report, key)


@pytest.mark.parametrize(("name", "data", "key"), [
    ("kosong.csv", b"", "ing_err_empty"),
    ("kosong.csv", b"\n\n  \n", "ing_err_empty"),
    ("judul-saja.csv", b"kode_desa;tahap;tanggal\n", "ing_err_no_rows"),
])
def test_empty_file_is_refused(tmp_store, regions, name, data, key):
    assert_refused(tmp_store, validate(tmp_store, regions, name, data), key)


def test_empty_workbook_is_refused(tmp_store, regions):
    assert_refused(tmp_store, validate(tmp_store, regions, "kosong.xlsx", xlsx_bytes([])), "ing_err_empty")


def test_file_over_the_size_limit_is_refused(tmp_store, regions):
    head = b"kode_desa;tahap;tanggal\n"
    data = head + b"18.06.20.2006;Bergabung;17/12/2024\n" * (MAX_UPLOAD_BYTES // 30)
    assert len(data) > MAX_UPLOAD_BYTES
    assert_refused(tmp_store, validate(tmp_store, regions, "besar.csv", data), "ing_err_too_big")


# ---------------------------------------------------------------------------------------------- columns

def test_missing_column_names_what_is_expected(tmp_store, regions):
    report = validate(tmp_store, regions, "a.csv", csv_bytes("kode_desa;tanggal\n18.06.20.2006;17/12/2024\n"))
    assert_refused(tmp_store, report, "ing_err_missing_cols")
    issue = report.errors[0]
    assert dict(issue.kw)["cols"] == "tahap"
    assert "kode_desa" in dict(issue.kw)["expected"] and "tanggal" in dict(issue.kw)["expected"]


def test_unrecognisable_header_is_missing_not_guessed(tmp_store, regions):
    report = validate(tmp_store, regions, "a.csv", csv_bytes("kode_desa;fase xyz;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n"))
    assert_refused(tmp_store, report, "ing_err_missing_cols")
    assert "fase xyz" in report.extra_columns


def test_misspelt_and_indonesian_header_variants_are_read(tmp_store, regions):
    text = "Kode Desa/Kelurahan;Status Adopsi;Tangal\n18.06.20.2006;Bergabung;17/12/2024\n"
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text))
    assert report.ok, report.issues
    assert report.column_map == {"Kode Desa/Kelurahan": "kode_desa", "Status Adopsi": "tahap", "Tangal": "tanggal"}
    assert report.near_headers == {"Tangal": "tanggal"}  # shown to the operator as a near miss
    apply.submit(tmp_store, report, ADMIN)
    assert stored_adoption(tmp_store, GISTING_ATAS) == {"bergabung": dt.date(2024, 12, 17)}


def test_extra_columns_are_ignored_and_listed(tmp_store, regions):
    text = "No;kode_desa;tahap;tanggal;Keterangan;Nama Peserta\n1;18.06.20.2006;Bergabung;17/12/2024;ok;Yoga\n"
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text))
    assert report.ok, report.issues
    assert report.extra_columns == ["No", "Keterangan", "Nama Peserta"]
    assert list(report.frames["adoption"].columns) == ["village_code", "stage", "reached_on", "source"]


# ---------------------------------------------------------------------------------------------- codes

def test_unknown_code_is_refused_on_its_row(tmp_store, regions):
    text = "kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n18.06.20.2999;Bergabung;17/12/2024\n"
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text))
    assert_refused(tmp_store, report, "ing_err_unknown_code", row=3)
    assert len(report.errors) == 1


def test_code_of_another_kabupaten_is_refused(tmp_store, regions):
    text = f"kode_desa;tahap;tanggal\n{HAJIMENA};Bergabung;17/12/2024\n"
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text), scope="18.06")
    assert_refused(tmp_store, report, "ing_err_other_kab", row=2)
    assert dict(report.errors[0].kw)["kab"] == "18.01"


def test_kelurahan_is_outside_adoption(tmp_store, regions):
    report = validate(tmp_store, regions, "a.csv", csv_bytes("kode_desa;tahap;tanggal\n18.06.01.1001;Bergabung;17/12/2024\n"))
    assert_refused(tmp_store, report, "ing_err_kelurahan", row=2)


def test_operator_cannot_submit_for_another_kabupaten(tmp_store, regions):
    report = validate(tmp_store, regions, "a.csv", csv_bytes(f"kode_desa;tahap;tanggal\n{HAJIMENA};Bergabung;17/12/2024\n"),
                      scope="18.01")
    assert report.ok
    before = content(tmp_store)
    with pytest.raises(apply.ApplyError) as exc:
        apply.submit(tmp_store, report, OP_TGM)
    assert exc.value.key == "ing_apply_not_allowed"
    assert_same(before, content(tmp_store))


# ---------------------------------------------------------------------------------------------- rows and values

def test_duplicate_rows_are_refused_with_the_first_row_named(tmp_store, regions):
    text = ("kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n18.06.20.2005;Bergabung;1/12/2024\n"
            "1806202006;bergabung;18/12/2024\n")
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text))
    assert_refused(tmp_store, report, "ing_err_duplicate", row=4)
    assert dict(report.errors[0].kw)["first"] == "2"


def test_text_in_a_number_column_is_refused(tmp_store, regions):
    text = ("id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara;peserta_dilaporkan\n"
            "BT-1;Bimtek;10/10/2024;12/10/2024;Dinas PMD Tanggamus;sembilan belas\n")
    report = validate(tmp_store, regions, "k.csv", csv_bytes(text), kind="bimtek_events")
    assert_refused(tmp_store, report, "ing_err_number", row=2)
    assert report.errors[0].column == "peserta_dilaporkan"


def test_negative_count_is_refused(tmp_store, regions):
    text = ("id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara;desa_dilaporkan\n"
            "BT-1;Bimtek;10/10/2024;12/10/2024;Dinas PMD Tanggamus;-3\n")
    report = validate(tmp_store, regions, "k.csv", csv_bytes(text), kind="bimtek_events")
    assert_refused(tmp_store, report, "ing_err_negative", row=2)


def test_future_date_is_refused(tmp_store, regions):
    future = dt.date.today() + dt.timedelta(days=40)
    text = f"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;{future:%d/%m/%Y}\n"
    assert_refused(tmp_store, validate(tmp_store, regions, "a.csv", csv_bytes(text)), "ing_err_future", row=2)


def test_unknown_stage_and_unreadable_date_are_refused(tmp_store, regions):
    text = "kode_desa;tahap;tanggal\n18.06.20.2006;Selesai;17/12/2024\n18.06.20.2005;Bergabung;kemarin\n"
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text))
    assert {(i.key, i.row) for i in report.errors} == {("ing_err_stage", 2), ("ing_err_date", 3)}
    assert_refused(tmp_store, report, "ing_err_stage")


def test_dates_in_every_office_format_are_read(tmp_store, regions):
    text = ("kode_desa;tahap;tanggal\n"
            "18.06.20.2006;Sosialisasi;17 Desember 2023\n"
            "18.06.20.2006;Bergabung;05/02/2024\n"      # dd/mm/yyyy: 5 February, never 2 May
            "18.06.20.2006;Operator terlatih;45643\n"    # Excel serial of 17 December 2024
            "18.06.20.2006;Layanan aktif;2025-03-01\n")
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text))
    assert report.ok, report.issues
    apply.submit(tmp_store, report, ADMIN)
    assert stored_adoption(tmp_store, GISTING_ATAS) == {
        "sosialisasi": dt.date(2023, 12, 17), "bergabung": dt.date(2024, 2, 5),
        "operator_terlatih": dt.date(2024, 12, 17), "layanan_aktif": dt.date(2025, 3, 1)}


def test_excel_dates_and_serial_numbers_in_a_workbook_are_read(tmp_store, regions):
    data = xlsx_bytes([["kode_desa", "tahap", "tanggal"],
                       ["18.06.20.2006", "Bergabung", dt.datetime(2024, 12, 17)],
                       ["18.06.20.2005", "Bergabung", 45600]])
    report = validate(tmp_store, regions, "a.xlsx", data)
    assert report.ok, report.issues
    apply.submit(tmp_store, report, ADMIN)
    assert stored_adoption(tmp_store, GISTING_ATAS) == {"bergabung": dt.date(2024, 12, 17)}
    assert stored_adoption(tmp_store, "18.06.20.2005") == {"bergabung": dt.date(2024, 11, 4)}


# ---------------------------------------------------------------------------------------------- layout

def test_title_block_above_the_header_is_skipped(tmp_store, regions):
    def title(ws):
        ws.insert_rows(1, 3)
        ws["A1"] = "LAPORAN ADOPSI SMART VILLAGE"
        ws["A2"] = "Kabupaten Tanggamus, Desember 2024"
        ws.merge_cells("A1:C1")

    data = xlsx_bytes([["Kode Desa", "Tahap", "Tanggal"], ["18.06.20.2006", "Bergabung", "17/12/2024"]], title)
    report = validate(tmp_store, regions, "a.xlsx", data)
    assert report.ok, report.issues
    assert report.header_row == 4
    assert report.n_rows == 1


def test_merged_cells_fill_their_whole_range(tmp_store, regions):
    # Kecamatan merged over two rows, villages named without codes: both rows must find Gisting.
    def merge(ws):
        ws.merge_cells("A2:A3")

    data = xlsx_bytes([["Kecamatan", "Nama Desa", "Tahap", "Tanggal"],
                       ["Gisting", "Gisting Atas", "Bergabung", "17/12/2024"],
                       [None, "Campang", "Bergabung", "18/12/2024"]], merge)
    report = validate(tmp_store, regions, "a.xlsx", data)
    assert report.ok, report.issues
    assert report.frames["adoption"]["village_code"].tolist() == [GISTING_ATAS, "18.06.20.2002"]


def _with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """The workbook with stored results for its formulas, as Excel writes them (openpyxl writes none)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                for formula, value in values.items():
                    text = text.replace(f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{value}</v>")
                body = text.encode()
            dst.writestr(item, body)
    return out.getvalue()


def test_formulas_are_read_by_their_stored_value(tmp_store, regions):
    data = xlsx_bytes([["kode_desa", "tahap", "tanggal"], ["18.06.20.2006", "Bergabung", "=DATE(2024,12,17)"]])
    report = validate(tmp_store, regions, "a.xlsx", _with_cached_values(data, {"DATE(2024,12,17)": "45643"}))
    assert report.ok, report.issues
    assert report.frames["adoption"]["reached_on"].tolist() == [dt.date(2024, 12, 17)]


def test_formula_without_stored_value_is_refused(tmp_store, regions):
    data = xlsx_bytes([["kode_desa", "tahap", "tanggal"], ["18.06.20.2006", "Bergabung", "=DATE(2024,12,17)"]])
    report = validate(tmp_store, regions, "a.xlsx", data)
    assert_refused(tmp_store, report, "ing_err_formula", row=2)


# ---------------------------------------------------------------------------------------------- encodings

def test_csv_with_semicolons_and_comma_decimals(tmp_store, regions):
    text = ("id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara;peserta_dilaporkan;desa_dilaporkan\n"
            "BT-20241010-1806;Bimtek Smart Village;10/10/2024;12/10/2024;Dinas PMDT Provinsi Lampung;19,0;1.208\n")
    report = validate(tmp_store, regions, "k.csv", csv_bytes(text), kind="bimtek_events")
    assert report.ok, report.issues
    ev = report.frames["bimtek_events"].iloc[0]
    assert (ev["reported_participants"], ev["reported_villages"]) == (19, 1208)
    assert ev["kab_codes"] == "18.06"


def test_comma_decimal_in_a_whole_number_column_is_refused(tmp_store, regions):
    text = ("id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara;peserta_dilaporkan\n"
            "BT-1;Bimtek;10/10/2024;12/10/2024;Dinas;19,5\n")
    report = validate(tmp_store, regions, "k.csv", csv_bytes(text), kind="bimtek_events")
    assert_refused(tmp_store, report, "ing_err_number", row=2)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1"])
def test_utf8_bom_and_latin1_are_read(tmp_store, regions, encoding):
    text = ("id_kegiatan,judul,tanggal_mulai,tanggal_selesai,penyelenggara,tempat\n"
            "BT-2,Bimtek lanjutan,10/10/2024,11/10/2024,Dinas PMD Tanggamus,Aula Café Gisting\n")
    report = validate(tmp_store, regions, "k.csv", text.encode(encoding), kind="bimtek_events")
    assert report.ok, report.issues
    assert report.column_map["id_kegiatan"] == "id_kegiatan"  # the BOM is not part of the first header
    assert report.frames["bimtek_venues"]["venue"].tolist() == ["Aula Café Gisting"]


# ---------------------------------------------------------------------------------------------- matching

def test_names_without_codes_are_matched_and_shown_for_confirmation(tmp_store, regions):
    text = ("nama_desa;kecamatan;tahap;tanggal\nGisting Atas;Gisting;Bergabung;17/12/2024\n"
            "Pekon Gisting Ats;;Bergabung;17/12/2024\n")
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text))
    # Both rows mean the same village and stage: the second is a duplicate of the first.
    assert [(i.key, i.row) for i in report.errors] == [("ing_err_duplicate", 3)]
    m = report.matches
    assert m["code"].tolist() == [GISTING_ATAS, GISTING_ATAS]
    assert m["method"].tolist() == ["nama", "usulan"]  # the misspelt one is a proposal with its score
    assert m["score"].iloc[1] < 100


def test_ambiguous_name_needs_the_kecamatan(tmp_store, regions):
    text = "nama_desa;kecamatan;tahap;tanggal\nTrimulyo;;Bergabung;17/12/2024\n"
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text), scope="18.09")
    assert_refused(tmp_store, report, "ing_err_ambiguous_name", row=2)
    assert "18.09.03.2015" in dict(report.errors[0].kw)["detail"]
    text = "nama_desa;kecamatan;tahap;tanggal\nTrimulyo;Gedung Surian;Bergabung;17/12/2024\n"
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text), scope="18.04")
    assert report.ok and report.frames["adoption"]["village_code"].tolist() == ["18.04.15.2004"]


def test_bps_codes_are_matched_through_the_crosswalk(tmp_store, regions):
    # BPS kecamatan 1802042 is Kemendagri 18.06.20 (Gisting); the village is then found by name.
    text = "kode_bps;nama_desa;tahap;tanggal\n1802042006;Gisting Atas;Bergabung;17/12/2024\n"
    report = validate(tmp_store, regions, "a.csv", csv_bytes(text))
    assert report.ok, report.issues
    assert report.matches[["code", "method"]].values.tolist() == [[GISTING_ATAS, "kode_bps"]]
    bad = validate(tmp_store, regions, "a.csv", csv_bytes("kode_bps;nama_desa;tahap;tanggal\n1899999001;X;Bergabung;17/12/2024\n"))
    assert_refused(tmp_store, bad, "ing_err_unknown_bps", row=2)


def test_unknown_name_is_refused(tmp_store, regions):
    text = "nama_desa;tahap;tanggal\nKampung Tidak Ada Sama Sekali;Bergabung;17/12/2024\n"
    assert_refused(tmp_store, validate(tmp_store, regions, "a.csv", csv_bytes(text)), "ing_err_unknown_name", row=2)


def test_messages_exist_in_both_languages_for_every_issue_key():
    from utils.i18n import t

    sources = "".join(Path(validation.__file__).with_name(n).read_text() for n in ("validation.py", "reader.py", "matching.py"))
    keys = set(re.findall(r'"(ing_err_[a-z_]+)"', sources))
    assert len(keys) > 25
    for key in keys:
        kw = dict(detail="x", kab="x", scope="x", first="1", mb=5, ext="x", cols="x", expected="x", n=7, limit=5)
        idn, en = t(key, "id", **kw), t(key, "en", **kw)
        assert idn and en and idn != en, key
