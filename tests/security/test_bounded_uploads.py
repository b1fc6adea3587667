# ruff: noqa: F811 - pytest fixtures from conftest
"""Bounded work for every upload: validation time grows linearly with the file, a cell bomb is refused before
anything is parsed, a workbook past the limits is refused while it is streamed, and one user or one upload
cannot take the server's validation capacity.

Time is compared as a ratio of CPU time between file sizes (never against a wall-clock threshold): linear work
gives about 4x for 4x the rows, the quadratic code gave about 16x. Memory is Python's own allocation peak
(tracemalloc) during the call.
"""

from __future__ import annotations

import io
import threading
import time
import tracemalloc
import zipfile

import openpyxl
import pytest

from bench.upload_limits import bad_rows, cell_bomb
from utils.intake import reader, slots, validation

KIND = "adoption"


@pytest.fixture(scope="module")
def tanggamus_desa(regions) -> list[str]:
    return regions[(regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")]["code"].tolist()


def _validate(regions, name: str, data: bytes):
    return validation.validate(KIND, name, data, regions, "18.06", {})


def _cpu(fn, repeat: int = 2) -> float:
    """The smallest CPU time of ``repeat`` runs (CPU time: other processes on the machine do not count)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def test_validation_time_grows_linearly_with_bad_rows(regions, tanggamus_desa):
    files = {n: bad_rows(n, tanggamus_desa) for n in (1000, 4000, 16000)}
    _validate(regions, "warm.csv", files[1000])  # imports and first-use caches are not the file's cost
    reports, seconds = {}, {}
    for n, data in files.items():
        seconds[n] = _cpu(lambda n=n, data=data: reports.__setitem__(n, _validate(regions, f"a{n}.csv", data)))
    for n, report in reports.items():  # every row is bad, and every bad row is reported
        assert not report.ok
        assert {i.row for i in report.errors if i.row} >= set(range(2, n + 2)), n
        assert report.n_rows == n
    ratio_4k, ratio_16k = seconds[4000] / seconds[1000], seconds[16000] / seconds[4000]
    print(f"\nCPU seconds {seconds}; x4 rows -> x{ratio_4k:.1f}, x{ratio_16k:.1f}")
    # 4x the rows: linear work gives about 4x (less while fixed costs weigh), quadratic work 16x
    assert ratio_4k < 8 and ratio_16k < 8, seconds


def _required_issue_count(report) -> int:
    return sum(1 for i in report.issues if i.key == "ing_err_required")


def test_each_empty_required_cell_is_reported_once(regions, tanggamus_desa):
    """The linear rewrite still reports what the quadratic one did: an empty required cell once, and not on a
    cell that already has a problem (a date that is no date)."""
    lines = ["kode_desa;tahap;tanggal", f"{tanggamus_desa[0]};;17/12/2024", f"{tanggamus_desa[1]};Bergabung;",
             f"{tanggamus_desa[2]};;", f"{tanggamus_desa[3]};Bergabung;32/13/2024"]
    report = _validate(regions, "a.csv", ("\n".join(lines) + "\n").encode())
    found = sorted((i.row, i.column, i.key) for i in report.errors)
    assert found == [(2, "tahap", "ing_err_required"), (3, "tanggal", "ing_err_required"),
                     (5, "tanggal", "ing_err_date")]
    assert report.n_skipped == 1  # row 4 holds only the prefilled village: a template row left empty


class _Spy:
    """Counts calls of openpyxl.load_workbook: a bomb must be refused before openpyxl reads it."""

    def __init__(self, monkeypatch) -> None:
        self.calls = 0
        original = openpyxl.load_workbook

        def load(*args, **kwargs):
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(openpyxl, "load_workbook", load)


def _measured(regions, name: str, data: bytes):
    tracemalloc.start()
    try:
        t0 = time.process_time()
        report = _validate(regions, name, data)
        cpu = time.process_time() - t0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return report, cpu, peak


def _keys(report) -> list[str]:
    return [i.key for i in report.errors]


def test_cell_bomb_is_refused_before_parsing_with_bounded_memory(regions, monkeypatch):
    """100,000 rows x 50 cells: 0.2 MB zipped, 75 MB of sheet XML. Refused from the zip directory."""
    bomb = cell_bomb(100_000, 50)
    assert len(bomb) < reader.MAX_UPLOAD_BYTES  # small enough to pass the upload size check
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert unpacked > reader.MAX_UNPACKED_BYTES
    _validate(regions, "warm.csv", b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n")
    spy = _Spy(monkeypatch)
    report, cpu, peak = _measured(regions, "bom.xlsx", bomb)
    assert _keys(report) == ["ing_err_unpacked"]
    assert spy.calls == 0  # not one XML element parsed
    assert peak < 20 * 2**20, peak  # the file itself is 0.2 MB; nothing is unpacked
    print(f"\ncell bomb: {len(bomb) / 1e6:.2f} MB zipped, {unpacked / 1e6:.0f} MB unpacked, refused in {cpu:.2f} s CPU,"
          f" peak {peak / 2**20:.1f} MiB")


def test_too_many_cells_under_the_unpacked_limit_is_refused_while_counting(regions, monkeypatch):
    """400,000 cells in 6 MB of XML: under the unpacked limit, over the cell limit. Counted in the raw XML and
    refused before openpyxl reads it, with memory far below what the cells would take."""
    data = cell_bomb(8_000, 50)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert unpacked < reader.MAX_UNPACKED_BYTES
    spy = _Spy(monkeypatch)
    report, cpu, peak = _measured(regions, "sel.xlsx", data)
    assert _keys(report) == ["ing_err_too_many_cells"]
    assert spy.calls == 0
    assert peak < 30 * 2**20, peak  # chunked: a few MB whatever the sheet's size
    assert validation.message(report.errors[0], "id") == (
        "Berkas berisi lebih dari 300.000 sel. Pakai kolom templat saja, atau pecah per kabupaten.")


def _sheet_xml_workbook(sheet_xml: str) -> bytes:
    """A valid workbook whose first sheet is ``sheet_xml`` (openpyxl writes the rest)."""
    wb = openpyxl.Workbook()
    wb.active.append(["kode_desa", "tahap", "tanggal"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = sheet_xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item.filename, body)
    return out.getvalue()


_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         '2006/main">')
_HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>kode_desa</t></is></c><c r="B1" t="inlineStr"><is><t>tahap'
               '</t></is></c><c r="C1" t="inlineStr"><is><t>tanggal</t></is></c></row>')


def test_a_lying_sheet_size_and_far_away_cells_cost_nothing(regions):
    """A stated size of A1:XFD1048576, a row at the sheet's last row number and a styled empty cell at column XFD:
    the rows are read at most 61 columns wide and the refusal comes from the row count, in a fraction of the
    time the stated size would take."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}" s="0"/></row>' for r in range(2, 31_100))
    xml = (_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>' + _HEADER_ROW + rows +
           '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData></worksheet>')
    report, cpu, peak = _measured(regions, "lebar.xlsx", _sheet_xml_workbook(xml))
    assert _keys(report) == ["ing_err_too_many_rows"]
    assert peak < 50 * 2**20, peak


def test_a_value_in_a_column_past_the_limit_is_refused(regions):
    far = reader.MAX_COLUMNS + 1
    letter = openpyxl.utils.get_column_letter(far)
    xml = (_HEAD + "<sheetData>" + _HEADER_ROW + f'<row r="2"><c r="A2" t="inlineStr"><is><t>18.06.20.2006</t></is>'
           f'</c><c r="{letter}2"><v>7</v></c></row></sheetData></worksheet>')
    report = _validate(regions, "kolom.xlsx", _sheet_xml_workbook(xml))
    assert _keys(report) == ["ing_err_too_many_cols"]


def test_merged_range_bomb_is_bounded(regions):
    """Thousands of overlapping merged ranges each covering the whole sheet: the fill stops at the cell limit."""
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"><v>1</v></c></row>' for r in range(2, 2002))
    merges = "".join(f'<mergeCell ref="A{i}:BH30000"/>' for i in range(1, 3000))
    xml = (_HEAD + "<sheetData>" + _HEADER_ROW + body + f'</sheetData><mergeCells count="2999">{merges}</mergeCells>'
           "</worksheet>")
    report, cpu, peak = _measured(regions, "gabung.xlsx", _sheet_xml_workbook(xml))
    assert _keys(report) == ["ing_err_too_many_cells"]


def test_macro_workbook_is_refused(regions):
    wb = openpyxl.Workbook()
    wb.active.append(["kode_desa", "tahap", "tanggal"])
    wb.active.append(["18.06.20.2006", "Bergabung", "17/12/2024"])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro project")
    report = _validate(regions, "adopsi.xlsx", buf.getvalue())
    assert _keys(report) == ["ing_err_macro"]
    assert "makro" in validation.message(report.errors[0], "id")
    assert _keys(_validate(regions, "adopsi.xlsm", buf.getvalue())) == ["ing_err_macro"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_is_read(regions, encoding):
    """Excel's "Unicode text" is UTF-16 (with a BOM, tab separated); without a BOM the NUL pattern tells."""
    text = "kode_desa\ttahap\ttanggal\n18.06.20.2006\tBergabung\t17/12/2024\n18.06.20.2002\tSosialisasi\t1 November 2024\n"
    report = _validate(regions, "adopsi.csv", text.encode(encoding))
    assert report.ok, report.issues
    rows = report.frames["adoption"][["village_code", "stage", "reached_on"]].astype(str).values.tolist()
    assert rows == [["18.06.20.2006", "bergabung", "2024-12-17"], ["18.06.20.2002", "sosialisasi", "2024-11-01"]]


def test_binary_csv_gets_a_save_as_hint(regions):
    report = _validate(regions, "adopsi.csv", b"\x00\x01\x02\x03binary\x00\xff" * 50)
    assert _keys(report) == ["ing_err_not_csv_binary"]
    assert "CSV UTF-8" in validation.message(report.errors[0], "id")


def test_csv_past_the_row_limit_is_refused(regions):
    body = "kode_desa;tahap;tanggal\n" + "18.06.20.2006;Bergabung;17/12/2024\n" * (reader.MAX_ROWS + 1)
    report = _validate(regions, "banyak.csv", body.encode())
    assert _keys(report) == ["ing_err_too_many_rows"]
    assert validation.message(report.errors[0], "en") == (
        "The file holds more than 30,000 rows. Split it per regency and upload each part.")


def test_one_validation_at_a_time_per_user_and_a_bound_per_server():
    gate = slots.Slots(size=2)
    inside, release = threading.Event(), threading.Event()

    def hold(user: str) -> None:
        with gate.hold(user):
            inside.set()
            release.wait(10)

    first = threading.Thread(target=hold, args=("op_tgm",))
    first.start()
    assert inside.wait(10)
    with pytest.raises(slots.Busy) as exc, gate.hold("op_tgm", wait=0):  # the same operator in a second tab
        pass
    assert exc.value.key == "ing_busy_user"
    with gate.hold("op_lsel", wait=0):  # another operator gets the second slot
        with pytest.raises(slots.Busy) as exc, gate.hold("admin", wait=0.1):  # ... a third user: server full
            pass
        assert exc.value.key == "ing_busy_server"
    release.set()
    first.join(10)
    with gate.hold("op_tgm", wait=0):  # free again
        assert gate.running == 1
    assert gate.running == 0
    assert slots.SLOTS.size == slots.server_slots() >= 1
