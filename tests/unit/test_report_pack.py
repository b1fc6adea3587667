"""The report pack (issue 22) for two periods through the command line: the files a kabupaten and the
province receive, each PDF naming its region, period and data date, the one-pagers' figures counted
independently from the store, the Excel and index saying where the data comes from; bad input refused."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.independent import desa_count, joined_desa
from utils.__main__ import main as utils_main
from utils.data import paths
from utils.domain.filters import parse_period

PATTERN = re.compile(r"^smart-village_(presentasi|evaluasi|data)_(provinsi-lampung|kab-[a-z-]+|kota-[a-z-]+)_"
                     r"(\d{4}-\d{2}-\d{2})_data-contoh\.(pptx|pdf|xlsx)$")
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
#: Two periods: Q3 2026 (every kabupaten/kota) and Q4 2025 written another way, for two kabupaten/kota.
RUNS = {"2026Q3": (dt.date(2026, 9, 30), None), "2025-TW4": (dt.date(2025, 12, 31), ["18.71", "18.06"])}


def tanggal(day: dt.date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def pct(value: float) -> str:
    return f"{value:.1f}%".replace(".", ",")


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    out = {}
    for period, (_, kabs) in RUNS.items():
        folder = tmp_path_factory.mktemp(period)
        argv = ["reports", "--period", period, "--out", str(folder)] + (["--kab", *kabs] if kabs else [])
        assert utils_main(argv) == 0
        out[period] = folder
    return out


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages)


def kab_list(regions: pd.DataFrame, only: list[str] | None) -> dict[str, str]:
    rows = regions[regions["level"] == "kabupaten"]
    return {c: n for c, n in zip(rows["code"], rows["display_name"], strict=True) if only is None or c in only}


def bimtek_2plus(store_frames, regions: pd.DataFrame, as_of: dt.date, kab: str) -> tuple[int, int]:
    """Villages (desa and kelurahan) of ``kab`` with at least two participants of events begun by ``as_of``."""
    ev, pa = store_frames["bimtek_events"], store_frames["bimtek_participants"]
    started = set(ev.loc[ev["start_date"] <= pd.Timestamp(as_of), "event_id"])
    per_village = pa[pa["event_id"].isin(started)].groupby("village_code").size()
    villages = regions.loc[(regions["level"] == "desa") & regions["code"].str.startswith(kab + "."), "code"]
    return int((per_village.reindex(villages).fillna(0) >= 2).sum()), len(villages)


@pytest.mark.parametrize("period", list(RUNS))
def test_file_list_follows_the_one_pattern(packs, dataset, period):
    as_of, only = RUNS[period]
    names = sorted(p.name for p in packs[period].iterdir())
    assert "index.html" in names
    files = [n for n in names if n != "index.html"]
    matched = [PATTERN.match(n) for n in files]
    assert all(matched), [n for n, m in zip(files, matched, strict=True) if not m]
    assert {m.group(3) for m in matched} == {as_of.isoformat()}
    kabs = kab_list(dataset.regions, only)
    assert sorted((m.group(1), m.group(4)) for m in matched if m.group(2) == "provinsi-lampung") == [
        ("presentasi", "pdf"), ("presentasi", "pptx")]
    per_kab = [(m.group(1), m.group(4)) for m in matched if m.group(2) != "provinsi-lampung"]
    assert sorted(per_kab) == sorted([("data", "xlsx")] * len(kabs) + [("evaluasi", "pdf")] * len(kabs))
    assert len({m.group(2) for m in matched}) == len(kabs) + 1  # one file of each kind per kabupaten/kota


@pytest.mark.parametrize("period", list(RUNS))
def test_every_one_pager_names_its_kabupaten_period_data_date_and_counts_from_the_store(
        packs, dataset, store_frames, period):
    as_of, only = RUNS[period]
    regions = dataset.regions
    for code, name in kab_list(regions, only).items():
        slug = name.lower().replace("kab. ", "kab-").replace(" ", "-")  # "Kab. Way Kanan" -> kab-way-kanan
        path = packs[period] / f"smart-village_evaluasi_{slug}_{as_of.isoformat()}_data-contoh.pdf"
        pages, text = pdf_text(path)
        assert pages == 1, path.name
        assert f"Evaluasi Program Smart Village: {name}" in text, path.name
        assert f"Data s.d. {tanggal(as_of)}" in text  # the period
        assert f"Data per {tanggal(dataset.data_as_of)}" in text  # the data date
        assert "Sumber:" in text and "Kemendagri" in text and "DATA CONTOH" in text and "Data contoh" in text
        # Figures of the Evaluasi page's scorecard, counted straight from the store's rows.
        desa = desa_count(regions, code)
        joined_row = re.search(r"Desa bergabung (\S+)", text).group(1)
        if desa:
            assert joined_row == pct(100 * joined_desa(store_frames, as_of, code) / desa), (name, joined_row)
        else:  # a kota: adoption does not apply, never 0 %
            assert joined_row == "–", name
        two, villages = bimtek_2plus(store_frames, regions, as_of, code)
        row = re.search(r"Cakupan Bimtek \(≥ 2 peserta\) (\S+)", text).group(1)
        assert row == pct(100 * two / villages), (name, row)


@pytest.mark.parametrize("period", list(RUNS))
def test_deck_pdf_and_pptx_name_the_period_data_date_and_source(packs, dataset, period):
    from pptx import Presentation

    as_of, _ = RUNS[period]
    deck = next(packs[period].glob("smart-village_presentasi_*.pdf"))
    reader = PdfReader(deck)
    for page in reader.pages:
        text = re.sub(r"\s+", " ", page.extract_text())
        assert f"Provinsi Lampung · Periode: s.d. {tanggal(as_of)} · Data per {tanggal(dataset.data_as_of)}" in text
        assert "Data contoh" in text
    assert "Sumber: kode & batas wilayah Kemendagri" in reader.pages[0].extract_text()
    prs = Presentation(next(packs[period].glob("smart-village_presentasi_*.pptx")))
    assert len(prs.slides) == len(reader.pages)
    cover = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert f"Periode: s.d. {tanggal(as_of)}" in cover and "Sumber:" in cover and "Data contoh" in cover


def test_excel_per_kabupaten_is_filtered_and_says_period_data_date_and_source(packs, dataset, store_frames):
    as_of, only = RUNS["2025-TW4"]
    book = load_workbook(next(packs["2025-TW4"].glob("smart-village_data_kab-tanggamus_*.xlsx")), read_only=True)
    readme = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r[0]}
    assert readme["Filter wilayah"] == "Kab. Tanggamus"
    assert readme["Periode s.d."] == tanggal(as_of) and readme["Data per"] == tanggal(dataset.data_as_of)
    assert readme["Sumber"].startswith("Sumber: kode & batas wilayah Kemendagri")
    adoption = book["Adopsi (contoh)"]
    rows = list(adoption.iter_rows(values_only=True))
    codes = [r[0] for r in rows[1:]]
    a = store_frames["adoption"]
    expected = a[a["village_code"].str.startswith("18.06.") & (a["reached_on"] <= pd.Timestamp(as_of))]
    assert len(codes) == len(expected) and all(c.startswith("18.06.") for c in codes)


@pytest.mark.parametrize("period", list(RUNS))
def test_index_links_every_file_with_period_data_date_and_source(packs, dataset, period):
    as_of, _ = RUNS[period]
    html = (packs[period] / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', html)
    assert sorted(links) == sorted(p.name for p in packs[period].iterdir() if p.name != "index.html")
    assert f"s.d. {tanggal(as_of)}" in html and f"Data per {tanggal(dataset.data_as_of)}" in html
    assert "Sumber:" in html and "Data contoh" in html
    assert "http" not in html.replace('href="smart', "")  # nothing fetched, every link relative


def test_zip_holds_the_same_files(dataset):
    from utils.views.exports import pack

    built = pack.build_pack(dataset, 2026, 3, "en", ["18.72"])
    with zipfile.ZipFile(io.BytesIO(pack.zip_bytes(built))) as archive:
        assert sorted(archive.namelist()) == sorted(built.names())
        assert archive.read("index.html") == built.index
    assert built.names() == [
        "smart-village_presentasi_provinsi-lampung_2026-09-30_data-contoh.pptx",
        "smart-village_presentasi_provinsi-lampung_2026-09-30_data-contoh.pdf",
        "smart-village_evaluasi_kota-metro_2026-09-30_data-contoh.pdf",
        "smart-village_data_kota-metro_2026-09-30_data-contoh.xlsx", "index.html"]
    assert pack.zip_name(dataset, built.as_of) == "smart-village_paket-laporan_provinsi-lampung_2026-09-30_data-contoh.zip"
    _, text = pdf_text_bytes(next(f.data for f in built.files if f.kind == "report"))
    assert "Smart Village programme evaluation: Kota Metro" in text and "Sample data" in text


def pdf_text_bytes(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages)


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026Q3", (2026, 3)), ("2026-q3", (2026, 3)), ("2026 TW3", (2026, 3)), ("2026/3", (2026, 3)),
    ("tahun=2025&tw=4", (2025, 4)), ("2025-12-31", (2025, 4)), ("terkini", (2026, 4)), ("2020Q1", (2020, 1))])
def test_periods_as_typed(typed, expected):
    assert parse_period(typed, dt.date(2026, 10, 31)) == expected


@pytest.mark.parametrize("typed", ["2026Q5", "2027Q1", "2019Q4", "2026-09-29", "Q3", "", "triwulan tiga"])
def test_bad_periods_are_refused(typed):
    with pytest.raises(ValueError):
        parse_period(typed, dt.date(2026, 10, 31))


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2026Q7"], "Periode \u201c2026Q7\u201d tidak dikenal atau di luar data"),
    (["--period", "2027Q1"], "antara 2020Q1 dan 2026Q4"),
    (["--kab", "18.06", "18.99"], "Kode kabupaten/kota \u201c18.99\u201d tidak dikenal. Kode yang ada: 18.01 Kab. Lampung Selatan, 18.02 Kab. Lampung Tengah"),
])
def test_bad_input_is_one_indonesian_sentence_exit_2_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "paket"
    run = subprocess.run([sys.executable, "-m", "utils", "reports", *args, "--out", str(out)], cwd=paths.ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not out.exists()


def test_command_is_listed_with_help():
    run = subprocess.run([sys.executable, "-m", "utils", "reports", "--help"], cwd=paths.ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0 and "--period" in run.stdout and "--kab" in run.stdout and "--out" in run.stdout
    listing = subprocess.run([sys.executable, "-m", "utils"], cwd=paths.ROOT, capture_output=True, text=True,
                             timeout=120)
    assert re.search(r"^\s+reports\s+report pack", listing.stdout, re.M)
