"""The one-page Rakor PDF: one page, names the right kabupaten and its figures, builds in ≤ 5 s."""

from __future__ import annotations

import io
import re
import time

import pytest
from pypdf import PdfReader

from tests.independent import desa_count, joined_desa
from utils.data import paths
from utils.i18n.texts.evaluation import STRINGS as EVALUATION_STRINGS
from utils.metrics import evaluation as ev
from utils.metrics import indicators
from utils.views import evaluation_display as evc
from utils.views.deck import kab_slide
from utils.views.exports.report_pdf import _fonts, _styles, kab_report_pdf, scorecard_table, top_issues


@pytest.fixture(scope="module")
def reports(dataset):
    as_of = dataset.data_as_of

    def tables(day):
        snap = indicators.village_snapshot(dataset, day)
        return (snap, indicators.region_indicators(snap, "kab_code"), indicators.region_indicators(snap, "kec_code"),
                indicators.region_indicators(snap.assign(province="18"), "province").loc["18"])

    snap, kab, kec, province = tables(as_of)
    card = ev.build_scorecard(kab, province, lambda c, k: indicators.target_for(dataset, c, as_of.year, k), as_of)
    prev = ev.previous_quarter_end(as_of)
    _, kab_p, _, prov_p = tables(prev)
    card = ev.with_previous(card, ev.build_scorecard(kab_p, prov_p, lambda c, k: indicators.target_for(
        dataset, c, prev.year, k), prev))
    trend_tables = {day: tables(day)[1] for day in ev.trend_dates(as_of, quarters=3)}
    recs = ev.load_recommendations(paths.IDM_RECOMMENDATIONS)
    names = dataset.names
    return {code: ev.kab_report(card, code, names[code], ev.trend(trend_tables, code), kec, snap, recs, kab, province,
                                names) for code in ("18.06", "18.71")}, names


def read(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages)


@pytest.mark.serial  # a wall-clock bound: not beside other tests
def test_tanggamus_report_is_one_page_with_its_name_figures_and_follow_ups(reports, dataset, store_frames):
    built, names = reports
    start = time.perf_counter()
    pdf = kab_report_pdf(built["18.06"], "id", names)
    assert time.perf_counter() - start <= 5.0
    assert pdf.startswith(b"%PDF")
    pages, text = read(pdf)
    assert pages == 1
    assert "Evaluasi Program Smart Village: Kab. Tanggamus" in text
    assert "31 Oktober 2026" in text and "DATA CONTOH" in text
    pct = 100 * joined_desa(store_frames, dataset.data_as_of, "18.06") / desa_count(dataset.regions, "18.06")
    assert f"{pct:.1f}%".replace(".", ",") in text  # % desa joined, counted from the store, Indonesian format
    rep = built["18.06"]
    assert f"Skor komposit {rep.composite:.1f}".replace(".", ",") in text
    assert f"Peringkat {rep.rank} dari 15" in text
    assert "Tindak lanjut" in text and "Kabupaten" in text
    assert "Kota Bandar Lampung" not in text


def test_kota_report_says_adoption_does_not_apply(reports):
    built, names = reports
    pages, text = read(kab_report_pdf(built["18.71"], "id", names))
    assert pages == 1
    assert "Kota Bandar Lampung" in text and "tidak berlaku" in text
    assert "Cakupan Bimtek" in text


def test_english_report(reports):
    built, names = reports
    pages, text = read(kab_report_pdf(built["18.06"], "en", names, is_demo=False))
    assert pages == 1 and "Smart Village programme evaluation: Kab. Tanggamus" in text
    assert "October 2026" in text and "DATA CONTOH" not in text


def test_pdf_deck_and_screen_name_each_indicator_as_the_string_table_does(reports):
    """The Rakor PDF, the meeting deck and the Evaluasi page read their indicator names from one table."""
    built, names = reports
    rep = built["18.06"]
    assert rep.weakest  # Tanggamus has a weakest indicator: the issue sentence below names it
    _fonts()  # the PDF's own font, registered as kab_report_pdf does
    for n, lang in enumerate(("id", "en")):
        ids = [str(i) for i in rep.indicators.index]
        labels = [EVALUATION_STRINGS[f"ind_{i}_label"][n] for i in ids]
        shorts = [EVALUATION_STRINGS.get(f"ind_{i}_short", EVALUATION_STRINGS[f"ind_{i}_label"])[n] for i in ids]
        pdf_table = scorecard_table(rep, lang, 500, _styles())
        assert [row[0].text for row in pdf_table._cellvalues[1:]] == labels
        assert evc.indicator_frame(rep.indicators, lang).iloc[:, 0].tolist() == labels
        assert kab_slide(rep, lang, names).table.iloc[:, 0].tolist() == shorts
        assert EVALUATION_STRINGS[f"ind_{rep.weakest}_label"][n] in top_issues(rep, lang, names)[0]
