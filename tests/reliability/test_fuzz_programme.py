"""Fuzzing the programme upload parser (utils.intake.reader + utils.intake.validation validation) with random and mutated
CSV and XLSX files: real templates filled with a few rows, then truncated, byte-flipped, zip entries broken,
random cells and random headers. Every case: no exception, a rejection carries messages from the string
tables in both languages, and the store and data/imports stay as they were."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re

import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reliability.fuzz_common import (
    FUZZ,
    RUN,
    byte_mutation,
    known_message,
    make_zip,
    zip_entries,
    zip_mutation,
)
from utils.data import paths, store
from utils.i18n import t
from utils.intake import templates, validation

REGIONS = pd.read_parquet(paths.REGIONS)
STORE_TABLES = {"bimtek_events": store.read_table(store.get_engine(paths.database_url()), "bimtek_events")}
TODAY = dt.date(2025, 6, 30)

CSV_SEEDS = {
    "adoption": b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n18.06.20.2002;Sosialisasi;01/11/2024\n",
    "bimtek_participants": b"id_kegiatan,kode_desa,peran,jumlah,nama\nBT-20241010-1806,18.06.20.2006,Sekdes,1,"
                           b"Yoga Setiawan\n",
    "officers": "kode_desa\tnama_petugas\tjabatan\n18.06.20.2006\tSiti Aminah\tOperator\n".encode("cp1252"),
    "bimtek_events": b"id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara\n"
                     b"BT-X;Bimtek Desa Digital;10 Oktober 2024;12 Oktober 2024;Dinas PMD\n",
    "services": b"kode_desa;pilar;layanan;tanggal_mulai\n18.06.20.2006;pemerintahan;SIPEDE;2024-11-01\n",
}


def filled_template(kind: str) -> bytes:
    """The real template of ``kind`` for Tanggamus with the first three prefilled villages filled in."""
    wb = openpyxl.load_workbook(io.BytesIO(templates.build_template(kind, REGIONS, "18.06")))
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    sample = {"tahap": "Bergabung", "tanggal": dt.date(2024, 12, 17), "pilar": "pemerintahan", "layanan": "SIPEDE",
              "tanggal_mulai": dt.date(2024, 11, 1), "nama_petugas": "Siti", "peran": "operator",
              "id_kegiatan": "BT-20241010-1806", "jumlah": 2, "judul": "Bimtek", "tanggal_selesai":
              dt.date(2024, 11, 3), "penyelenggara": "Dinas PMD"}
    for r in range(2, 5):
        for j, col in enumerate(header, start=1):
            if col in sample and ws.cell(r, j).value in (None, ""):
                ws.cell(r, j).value = sample[col]
    buf = io.BytesIO()
    wb.save(buf)
    return _without_clock(buf.getvalue())


def _without_clock(xlsx: bytes) -> bytes:
    """The saved workbook with the clock taken out (openpyxl stamps the save time into docProps/core.xml and
    the zip entries): the same draws must give the same bytes, or a slow run crossing a second makes
    Hypothesis replay a case whose byte-level draws no longer fit (FlakyStrategyDefinition)."""
    entries = [(name, re.sub(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                             rb"<dcterms:modified\1>2024-12-17T00:00:00Z</dcterms:modified>", content))
               for name, content in zip_entries(xlsx)]
    return make_zip(entries)


XLSX_SEEDS = {kind: filled_template(kind) for kind in validation.KINDS}
CELL = st.one_of(st.none(), st.text(max_size=30), st.integers(-10**6, 10**9), st.floats(allow_nan=True),
                 st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)), st.sampled_from(["=1/0", "=A1", "#REF!", "nan"]),
                 st.booleans())


@st.composite
def cell_mutation(draw, data: bytes) -> bytes:
    """Random cells and random header names in the Data sheet of an xlsx."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for _ in range(draw(st.integers(1, 12))):
        row = draw(st.sampled_from([1, 1, 2, 3, 4, 5, 40]))
        col = draw(st.integers(1, ws.max_column + 2))
        value = draw(st.text(max_size=20)) if row == 1 else draw(CELL)
        with contextlib.suppress(Exception):  # openpyxl refuses control characters: not a file Excel can make
            ws.cell(row, col).value = value
    buf = io.BytesIO()
    wb.save(buf)
    return _without_clock(buf.getvalue())


@st.composite
def csv_mutation(draw, data: bytes) -> bytes:
    """Random header, random cells, random separators and encodings in a CSV."""
    text = data.decode("utf-8", errors="replace") if not data.startswith(b"kode_desa\t") else data.decode("cp1252")
    lines = text.splitlines()
    how = draw(st.sampled_from(["header", "cell", "sep", "rows", "bom"]))
    if how == "header":
        lines[0] = draw(st.text(max_size=60))
    elif how == "cell":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i] + draw(st.sampled_from([";", ",", "\t", ""])) + draw(st.text(max_size=30))
    elif how == "sep":
        lines = [ln.replace(";", draw(st.sampled_from([",", "\t", "|", ";;", '"']))) for ln in lines]
    elif how == "rows":
        lines += draw(st.lists(st.text(max_size=40), max_size=5))
    out = "\n".join(lines)
    encoded = out.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), errors="replace")
    return (b"\xef\xbb\xbf" + encoded) if how == "bom" else encoded


@st.composite
def programme_file(draw) -> tuple[str, str, bytes]:
    kind = draw(st.sampled_from(sorted(validation.KINDS)))
    fmt = draw(st.sampled_from(["csv", "xlsx", "random"]))
    if fmt == "random":
        name = draw(st.sampled_from(["data.csv", "data.xlsx", "data.xls", "data.txt", "DATA.CSV", "data"]))
        return kind, name, draw(st.binary(max_size=2048))
    if fmt == "csv":
        data = draw(csv_mutation(CSV_SEEDS[kind]))
        return kind, "unggahan.csv", draw(byte_mutation(data))
    data = XLSX_SEEDS[kind]
    layer = draw(st.sampled_from(["cells", "zip", "bytes", "cells+bytes"]))
    if "cells" in layer:
        data = draw(cell_mutation(data))
    if layer == "zip":
        data = draw(zip_mutation(data))
    if "bytes" in layer:
        data = draw(byte_mutation(data))
    return kind, "unggahan.xlsx", data


def test_seeds_are_valid_uploads():
    """Guard: the unmutated seeds pass, so a rejection below is caused by the mutation."""
    seeds = [("adoption", "a.csv", CSV_SEEDS["adoption"]), ("adoption", "a.xlsx", XLSX_SEEDS["adoption"]),
             ("officers", "o.csv", CSV_SEEDS["officers"]), ("services", "s.xlsx", XLSX_SEEDS["services"])]
    for kind, name, data in seeds:
        report = validation.validate(kind, name, data, REGIONS, "18.06", STORE_TABLES, TODAY)
        assert report.ok, (name, report.issues)


@settings(FUZZ, max_examples=400)
@given(case=programme_file(), lang=st.sampled_from(["id", "en"]))
def test_programme_upload_never_crashes_and_explains_every_rejection(case, lang, unchanged):
    kind, name, data = case
    RUN["programme"] = RUN.get("programme", 0) + 1
    report = validation.validate(kind, name, data, REGIONS, "18.06", STORE_TABLES, TODAY)
    assert report.ok or report.errors  # a file is either clean or rejected with at least one reason
    for issue in report.issues:
        assert known_message(issue.key), issue.key
        assert t(issue.key, lang, **dict(issue.kw)).strip()
    shown = validation.issues_frame(report, lang)  # what the page shows: one message per problem
    assert len(shown) == len(report.issues)
    assert shown.iloc[:, 3].str.strip().astype(bool).all()
    if any(i.key == "ing_err_unreadable" for i in report.issues):  # the parser's catch-all: counted, reported
        RUN["programme_catch_all"] = RUN.get("programme_catch_all", 0) + 1
