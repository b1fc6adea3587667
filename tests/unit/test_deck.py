"""The meeting deck read back from its files: PPTX slides, titles and native chart values; PDF pages and text.

Expected chart values are counted from the store's rows (``store_frames``) and code prefixes, never taken
from the deck's own data; the joined/target line is checked against ``indicators.joined_monthly`` read
independently from the adoption rows.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from tests.independent import JOINED_OR_DEEPER, desa_count, joined_desa
from utils.data.dataset import load_boundaries
from utils.domain.filters import FilterState, period_end
from utils.views import deck as deck_mod
from utils.views.exports.deck_pdf import deck_pdf
from utils.views.exports.deck_pptx import deck_pptx

TODAY = dt.date(2026, 11, 22)
TANGGAMUS_TITLES = ["Smart Village Provinsi Lampung", "Capaian utama · Kab. Tanggamus", "Peta: desa bergabung",
                    "Adopsi terhadap target", "Cakupan Bimtek (≥ 2 peserta)",
                    "Peringkat kabupaten/kota (skor komposit)", "Kartu skor · Kab. Tanggamus",
                    "Kartu skor · Kab. Lampung Barat", "Desa tertinggal dan tindak lanjut"]


@pytest.fixture(scope="module")
def tanggamus(dataset):
    state = FilterState(kab="18.06")
    as_of = period_end(state, dataset.data_as_of)
    d = deck_mod.build_deck(dataset, state, as_of, "id", ["18.06", "18.04"], boundaries=load_boundaries, today=TODAY)
    return d, as_of


@pytest.fixture(scope="module")
def pptx(tanggamus):
    return Presentation(io.BytesIO(deck_pptx(tanggamus[0])))


def _texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def _chart(slide):
    charts = [s.chart for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    return charts[0]


def _villages_2plus(store_frames, regions, as_of: dt.date) -> pd.DataFrame:
    """Per kecamatan of Tanggamus: villages (desa + kelurahan) and those with ≥ 2 Bimtek participants."""
    events = store_frames["bimtek_events"]
    held = events.loc[pd.to_datetime(events["start_date"]) <= pd.Timestamp(as_of), "event_id"]
    parts = store_frames["bimtek_participants"]
    per_village = parts[parts["event_id"].isin(held)].groupby("village_code").size()
    villages = regions.loc[(regions["code"].str.count(r"\.") == 3) & regions["code"].str.startswith("18.06."), "code"]
    frame = pd.DataFrame({"code": villages, "kec": villages.str.rsplit(".", n=1).str[0]})
    frame["two"] = frame["code"].map(per_village).fillna(0) >= 2
    return frame.groupby("kec").agg(villages=("code", "size"), two=("two", "sum"))


def test_slide_count_titles_footer_and_demo_marker(pptx, tanggamus):
    assert len(pptx.slides) == 9
    titles = [_texts(s)[0] for s in pptx.slides]
    assert titles == TANGGAMUS_TITLES
    for n, slide in enumerate(pptx.slides, start=1):
        texts = _texts(slide)
        assert "Data contoh" in texts  # the demo marker on every slide
        assert f"{n} / 9" in texts
        footer = next(x for x in texts if x.startswith("Provinsi Lampung › Kab. Tanggamus"))
        assert "Periode: s.d. 31 Oktober 2026" in footer and "Data per 31 Oktober 2026" in footer
    assert "Tanggal: 22 November 2026" in " ".join(_texts(pptx.slides[0]))


def test_map_is_a_picture_and_the_charts_are_native(pptx):
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in pptx.slides[2].shapes)
    chart_slides = [i for i, s in enumerate(pptx.slides) if any(sh.has_chart for sh in s.shapes)]
    assert chart_slides == [3, 4, 5]


def test_kpi_slide_counts_match_the_store(pptx, dataset, store_frames):
    texts = _texts(pptx.slides[1])
    joined = joined_desa(store_frames, dataset.data_as_of, "18.06")
    desa = desa_count(dataset.regions, "18.06")
    assert any(f"{joined} / {desa}" in x for x in texts)


def test_adoption_chart_is_the_cumulative_joined_series_with_yearly_targets_and_the_forecast(
        pptx, dataset, store_frames, tanggamus):
    _, as_of = tanggamus
    chart = _chart(pptx.slides[3])
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert list(series) == ["Realisasi", "Target (31 Desember)", "Proyeksi laju 12 bulan", "Rentang perkiraan"]
    actual = [v for v in series["Realisasi"] if v is not None]
    # Month ends from the first record to the period end, each the desa joined by then (store rows).
    a = store_frames["adoption"]
    rows = a[a["stage"].isin(JOINED_OR_DEEPER) & a["village_code"].str.startswith("18.06.")
             & a["village_code"].str.split(".").str[3].str.startswith("2")]
    first_join = pd.to_datetime(rows.groupby("village_code")["reached_on"].min())
    assert actual[-1] == joined_desa(store_frames, as_of, "18.06")
    end = pd.Timestamp(as_of)
    months = pd.date_range(end=end, periods=len(actual), freq="ME")
    assert actual == [int((first_join <= min(m, end)).sum()) for m in months]
    # Yearly targets at 31 December (the targets table: a percent of Tanggamus' desa, rounded up), not one
    # flat line of the running year's target.
    categories = list(chart.plots[0].categories)
    tg = store_frames["targets"]
    tg = tg[(tg["region_code"] == "18.06") & (tg["indicator"] == "pct_bergabung")].set_index("year")["value"]
    n = desa_count(dataset.regions, "18.06")
    targets = {c: v for c, v in zip(categories, series["Target (31 Desember)"], strict=True) if v is not None}
    assert targets == {f"Des {y}": float(-(-v * n // 100)) for y, v in tg.items()}
    assert len(set(targets.values())) > 1
    # The forecast: a projection from the last joined count to the forecast month and its range.
    projection = [v for v in series["Proyeksi laju 12 bulan"] if v is not None]
    assert projection[0] == actual[-1] and projection == sorted(projection)
    assert any(v is not None for v in series["Rentang perkiraan"])


def test_bimtek_chart_values_are_the_coverage_per_kecamatan(pptx, dataset, store_frames, tanggamus):
    _, as_of = tanggamus
    chart = _chart(pptx.slides[4])
    names = list(chart.plots[0].categories)
    values = list(chart.plots[0].series[0].values)
    counts = _villages_2plus(store_frames, dataset.regions, as_of)
    expected = {dataset.names[k]: round(100 * r.two / r.villages, 1) for k, r in counts.iterrows()}  # as shown
    assert len(names) == 20 == len(expected)
    assert dict(zip(names, values, strict=True)) == expected
    assert values == sorted(values, reverse=True)  # ranked, best first


def test_ranking_chart_has_the_fifteen_kabupaten_by_composite(pptx, dataset):
    chart = _chart(pptx.slides[5])
    labels = list(chart.plots[0].categories)
    values = list(chart.plots[0].series[0].values)
    assert len(labels) == 15 and labels[0].startswith("1. ")
    assert values == sorted(values, reverse=True) and all(0 <= v <= 100 for v in values)
    assert all(v == round(v, 1) for v in values)  # as shown: one decimal
    assert {label.split(". ", 1)[1] for label in labels} == {dataset.names[c] for c in dataset.regions.loc[
        dataset.regions["level"] == "kabupaten", "code"]}
    # Equal shown values share a rank, the next rank skips (1, 2, 2, 4).
    ranks = [int(label.split(".", 1)[0]) for label in labels]
    for i in range(1, len(values)):
        assert (ranks[i] == ranks[i - 1]) == (values[i] == values[i - 1])
        if values[i] != values[i - 1]:
            assert ranks[i] == i + 1
    # Bars in their RAG colour (green 100, amber from 85, red below), as the subtitle promises.
    fills = [str(p.format.fill.fore_color.rgb) for p in chart.plots[0].series[0].points]
    want = ["1A9850" if v >= 100 else "F0A500" if v >= 85 else "D73027" for v in values]
    assert fills == want and len(set(fills)) > 1


def test_kota_deck_leaves_out_what_does_not_apply_and_keeps_bimtek(dataset):
    state = FilterState(kab="18.71")
    d = deck_mod.build_deck(dataset, state, period_end(state, dataset.data_as_of), "id", [],
                            boundaries=load_boundaries, today=TODAY)
    prs = Presentation(io.BytesIO(deck_pptx(d)))
    titles = [_texts(s)[0] for s in prs.slides]
    assert titles == ["Smart Village Provinsi Lampung", "Capaian utama · Kota Bandar Lampung", "Peta: cakupan Bimtek",
                      "Cakupan Bimtek (≥ 2 peserta)", "Peringkat kabupaten/kota (skor komposit)"]
    kpis = " ".join(_texts(prs.slides[1]))
    assert "Desa bergabung" not in kpis and "Petugas" not in kpis and "Peserta Bimtek" in kpis
    assert any("slide adopsi tidak disertakan" in x for x in _texts(prs.slides[1]))


def test_pdf_has_one_page_per_slide_with_titles_and_footer(tanggamus):
    reader = PdfReader(io.BytesIO(deck_pdf(tanggamus[0])))
    assert len(reader.pages) == 9
    for n, (page, title) in enumerate(zip(reader.pages, TANGGAMUS_TITLES, strict=True), start=1):
        text = page.extract_text()
        assert title in text and "Data contoh" in text and f"{n} / 9" in text
        assert "Data per 31 Oktober 2026" in text


def test_english_deck_and_a_missing_map(dataset):
    state = FilterState(kab="18.06", lang="en")
    d = deck_mod.build_deck(dataset, state, period_end(state, dataset.data_as_of), "en", [], boundaries=None,
                            today=TODAY)
    titles = [s.title for s in d.slides]
    assert titles[:2] == ["Smart Village, Lampung Province", "Headline figures · Kab. Tanggamus"]
    assert d.slides[2].bullets == ("Boundaries are not available: the map cannot be drawn.",)
    assert d.demo_label == "Sample data" and "Data as of 31 October 2026" in d.footer


def test_the_deck_from_the_pages_figures_is_the_deck_built_from_scratch(dataset, tanggamus, monkeypatch):
    # Presentasi passes the figures the Adopsi, Pelatihan and Evaluasi pages hold (the page's scorecard carries the
    # rank change against the previous quarter); every slide must read the same as when the deck computes them.
    from utils.domain.codes import PROVINCE_CODE
    from utils.metrics import evaluation as ev
    from utils.metrics import indicators, progress

    built, as_of = tanggamus
    snap = indicators.village_snapshot(dataset, as_of)

    def scored(day: dt.date) -> pd.DataFrame:
        s = snap if day == as_of else indicators.village_snapshot(dataset, day)
        return ev.score_indicators(indicators.region_indicators(s, "kab_code"),
                                   indicators.region_indicators(s.assign(province=PROVINCE_CODE), "province").iloc[0],
                                   lambda c, k: indicators.target_for(dataset, c, day.year, k), day)

    card = ev.period_scorecard(scored, as_of, ev.DEFAULT_WEIGHTS)
    assert card.summary["prev_rank"].notna().all()  # the page's card, not the deck's own
    kab = indicators.region_indicators(snap, "kab_code")
    province = indicators.region_indicators(snap.assign(province=PROVINCE_CODE), "province").iloc[0]
    figures = {"adoption": progress.adoption_view(dataset, snap, "18.06", as_of),
               "bimtek": progress.bimtek_view(dataset, snap, "18.06", as_of), "scored": (card, kab, province),
               "kec_table": indicators.region_indicators(snap, "kec_code")}

    def recomputed(*_args, **_kwargs):
        raise AssertionError("the deck recomputed a figure it was given")

    for module, name in [(progress, "adoption_view"), (progress, "bimtek_view"), (deck_mod, "scorecard")]:
        monkeypatch.setattr(module, name, recomputed)
    passed = deck_mod.build_deck(dataset, FilterState(kab="18.06"), as_of, "id", ["18.06", "18.04"],
                                 boundaries=load_boundaries, today=TODAY, snapshot=snap, **figures)
    assert [s.title for s in passed.slides] == TANGGAMUS_TITLES
    for mine, theirs in zip(passed.slides, built.slides, strict=True):
        assert (mine.key, mine.title, mine.subtitle, mine.kpis, mine.bullets) == (
            theirs.key, theirs.title, theirs.subtitle, theirs.kpis, theirs.bullets)
        assert (mine.table is None) == (theirs.table is None)
        if mine.table is not None:
            pd.testing.assert_frame_equal(mine.table, theirs.table)
        if mine.chart is not None:
            assert (mine.chart.categories, mine.chart.series, mine.chart.colours) == (
                theirs.chart.categories, theirs.chart.series, theirs.chart.colours)
