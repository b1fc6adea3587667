# ruff: noqa: F811 - pytest fixtures from conftest
"""Every CSV and spreadsheet the app writes neutralises formulas: one walk over the source finds every writer
(download buttons, ``to_csv``, workbooks), and each writer is fed formula payloads in its text cells.

A cell is safe when no text cell of the file starts with ``= + - @``, a tab or a carriage return (a spreadsheet
would run it as a formula); the payload must still be there, after a leading apostrophe.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.reliability.pages_helper import open_page
from utils.data import paths
from utils.data.dataset import load_dataset
from utils.domain.filters import FilterState
from utils.i18n import inert
from utils.intake import templates
from utils.views.exports import excel

PAYLOADS = ['=HYPERLINK("http://evil.test/p","Baros")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
FORMULA = tuple(inert.FORMULA_PREFIXES)
SOURCES = [*sorted((paths.ROOT / "utils").rglob("*.py")), *sorted((paths.ROOT / "pages").glob("*.py")),
           paths.ROOT / "app.py"]
#: What a download button may hand out: the one CSV writer, the workbook writers, and the binary documents
#: (PNG, PDF, PPTX) that hold no spreadsheet cells. A new button must use one of these (or be added here with
#: a test of its own).
DOWNLOAD_DATA = ("inert.csv_bytes(", "excel.csv_bytes(", "excel.workbook_bytes(", "partial(templates.build_template,", "peta.png_bytes(",
                 "peta.values_csv(", "uie.pdf(", "saved[1]", "templates.targets_template(", "excel.table_xlsx(",
                 # Riwayat: an uploaded file handed back byte for byte to an administrator (audit copy; the bytes
                 # match the recorded SHA-256: tests/unit/test_upload_files.py), deliberately not rewritten.
                 "kept_file[1]")
WORKBOOK_MODULES = {"utils/views/exports/excel.py", "utils/intake/templates.py"}


def _rel(path: Path) -> str:
    return path.relative_to(paths.ROOT).as_posix()


def test_every_writer_goes_through_the_known_ones():
    """The walk: ``to_csv`` only in utils/i18n/inert.py, workbooks only in the two workbook writers, and every
    download button's data from a known writer."""
    buttons = []
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            where = f"{_rel(path)}:{node.lineno}"
            if name == "to_csv":
                assert _rel(path) == "utils/i18n/inert.py", f"{where}: write CSV with inert.csv_bytes"
            if name in ("to_excel", "ExcelWriter", "Workbook"):
                assert _rel(path) in WORKBOOK_MODULES, f"{where}: a workbook writer this test does not cover"
            if name == "download_button":
                data = node.args[1] if len(node.args) > 1 else next(k.value for k in node.keywords if k.arg == "data")
                text = ast.get_source_segment(source, data) or ""
                if text.startswith("lambda"):  # built when clicked: the lambda's body is the writer
                    text = ast.get_source_segment(source, data.body) or ""
                buttons.append((where, text))
                assert text.startswith(DOWNLOAD_DATA), f"{where}: download of {text!r} from an unknown writer"
    assert len(buttons) >= 10, buttons  # the walk really found the app's buttons


def _cells(frame: pd.DataFrame) -> list[str]:
    return [v for v in frame.astype(object).to_numpy().ravel() if isinstance(v, str)] + [str(c) for c in frame.columns]


def _assert_inert_csv(data: bytes, payloads: list[str]) -> list[str]:
    text = data.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    bad = [c for c in cells if c.startswith(FORMULA)]
    assert not bad, bad
    for p in payloads:
        assert "'" + p in cells, p
    return cells


def test_the_csv_writer_neutralises_cells_and_headers():
    frame = pd.DataFrame({"=judul": PAYLOADS, "n": range(len(PAYLOADS)), "ok": ["Bimtek"] * len(PAYLOADS)})
    data = inert.csv_bytes(frame)
    cells = _assert_inert_csv(data, [*PAYLOADS, "=judul"])
    assert "Bimtek" in cells and "3" in cells  # ordinary text and numbers are untouched
    # a CR inside a cell is quoted: unquoted, a spreadsheet would start a new row with "=1+1" in it
    assert "\"'\r=1+1\"" in data.decode("utf-8-sig")


def _book_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _assert_inert_book(data: bytes, payloads: list[str]) -> None:
    cells = _book_cells(data)
    assert all(c.data_type != "f" for c in cells), [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA)]
    for p in payloads:
        assert "'" + p in texts, p


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_the_labelled_csv_writer_is_the_csv_writer_with_its_data_contoh_column(dataset):
    """``excel.csv_bytes`` (every page's CSV: a "Keterangan" = "Data contoh" column while demo rows are in the
    data) writes through ``inert.csv_bytes``: the same payloads come out neutralised, the CR cell quoted."""
    assert dataset.is_demo
    frame = pd.DataFrame({"=judul": PAYLOADS, "n": range(len(PAYLOADS))})
    data = excel.csv_bytes(frame, dataset, "id")
    cells = _assert_inert_csv(data, [*PAYLOADS, "=judul"])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "Keterangan" and {r[0] for r in rows[1:]} == {"Data contoh"}
    assert "\"'\r=1+1\"" in data.decode("utf-8-sig") and "3" in cells


def test_excel_export_neutralises_every_user_text_column(dataset):
    """Service names, officer names and roles, event titles, organisers and venues: all typed by operators."""
    tables = {k: v.copy() for k, v in dataset.tables.items()}
    village = tables["officers"].loc[tables["officers"]["village_code"].str.startswith("18.06."), "village_code"].iloc[0]
    tables["officers"].loc[tables["officers"]["village_code"] == village, ["name", "role"]] = [PAYLOADS[0], PAYLOADS[1]]
    tables["services"].loc[tables["services"].index[0], "service"] = PAYLOADS[2]
    events = tables["bimtek_events"]
    events.loc[events.index[0], ["title", "organiser"]] = [PAYLOADS[3], PAYLOADS[4]]
    venues = tables["bimtek_venues"]
    venues.loc[venues["event_id"] == events["event_id"].iloc[0], "venue"] = PAYLOADS[5]
    doctored = dataclasses.replace(dataset, tables=tables)
    data = excel.workbook_bytes(doctored, FilterState(), dataset.data_as_of, dt.datetime(2025, 1, 1, 8, 0))
    _assert_inert_book(data, PAYLOADS)


def test_upload_template_neutralises_region_names(dataset):
    regions = dataset.regions.copy()
    village = regions.index[(regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")][0]
    regions.loc[village, "name"] = PAYLOADS[0]
    for kind in ("adoption", "officers"):
        _assert_inert_book(templates.build_template(kind, regions, "18.06", "id"), [PAYLOADS[0]])


def test_one_table_workbook_neutralises_cells_and_headers():
    """The tracker's Excel download (``excel.table_xlsx``): payloads in cells and in a header stay text."""
    frame = pd.DataFrame({PAYLOADS[1]: PAYLOADS, "n": range(len(PAYLOADS))})
    _assert_inert_book(excel.table_xlsx(frame, "Pelacak", "id"), [*PAYLOADS, PAYLOADS[1]])


def test_target_template_writes_no_formula(dataset):
    """The prefilled target workbook (``templates.targets_template``): codes, indicators and numbers only; a
    region code that looks like a formula stays text."""
    regions = dataset.regions.copy()
    kab = regions.index[regions["level"] == "kabupaten"][0]
    regions.loc[kab, "code"] = PAYLOADS[0]
    data = templates.targets_template(regions, 2026, dataset["targets"])
    _assert_inert_book(data, [PAYLOADS[0]])
    cells = _book_cells(data)
    assert sum(1 for c in cells if c.value == 2026) > 15  # a row per region and indicator for the year


def test_map_values_csv_neutralises_names():
    from utils.ui import peta
    from utils.views.maps.choropleth import Classed

    classed = Classed(title="t", cls=pd.Series([0, 1], index=["18.06", "18.01"]),
                      value=pd.Series(["1", "2"], index=["18.06", "18.01"]), legend=[("#fff", "rendah"), ("#000", "tinggi")])
    view = type("View", (), {"classed": classed})()
    _assert_inert_csv(peta.values_csv(view, {"18.06": PAYLOADS[0], "18.01": "Lampung Selatan"}, "id"), [PAYLOADS[0]])


@pytest.fixture
def media(monkeypatch) -> list[bytes]:
    """Every file a page hands to the browser in the run (download buttons built at once)."""
    seen: list[bytes] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes):
            seen.append(path_or_data)
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


def test_quality_findings_csv_is_inert_for_anonymous_visitors(tmp_store, regions, media):
    """The issue's case: an officer named =HYPERLINK(...) in a kelurahan and a service whose name is a formula,
    both in Kualitas Data's findings, downloaded without logging in."""
    kel = regions[(regions["kab_code"] == "18.71") & (regions["village_type"] == "kelurahan")]["code"].iloc[0]
    desa = regions[(regions["kab_code"] == "18.71") & (regions["village_type"] == "desa")]["code"]
    with tmp_store.begin() as conn:
        conn.execute(sa.text("INSERT INTO officers (officer_id, village_code, name, role, source) "
                             "VALUES ('OSV-X', :v, :n, 'Official Smart Village', 'uji')"), {"v": kel, "n": PAYLOADS[0]})
        if len(desa):
            conn.execute(sa.text("INSERT INTO services (village_code, pillar, service, started_on, source) "
                                 "VALUES (:v, 'pemerintahan', :s, '2024-01-02', 'uji')"), {"v": desa.iloc[0], "s": PAYLOADS[2]})
    at = open_page("pages/9_Kualitas.py", {"kab": "18.71"})
    listings = [m for m in media if b"HYPERLINK" in m]  # CSV doubles the payload's quotes: parse, then compare
    assert listings, "the findings CSV with the officer was not produced"
    for data in listings:
        _assert_inert_csv(data, [PAYLOADS[0]])
    assert not at.exception
