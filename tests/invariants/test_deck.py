"""Contradiction 5: the deck and the screen from the same values (rounding, ranks with ties, colours, targets
and forecast), for every kabupaten and one kecamatan of each at the data date and four kabupaten at an
earlier period end.

Seen before: the ranking slide rounding to whole numbers (98 beside a bullet saying 97,6), ranking two equal
shown values 5 and 6 although the page gives ties one rank, promising "hijau ≥ 100, kuning ≥ 85" and colouring
every bar green; the adoption slide drawing a flat 2026 target line from 2020 and no forecast.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from pptx import Presentation

from tests.apptest.helpers import metric, open_page
from utils.domain.filters import FilterState, period_end
from utils.i18n import fmt_num
from utils.metrics import forecast
from utils.views import deck as deck_mod
from utils.views import evaluation_display as evc
from utils.views import forecast_display as fcd
from utils.views.exports.deck_pptx import deck_pptx

PERIODS = (dt.date(2026, 10, 31), dt.date(2025, 12, 31))
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def decks(dataset, kabupaten, snapshots):
    """The deck of every kabupaten/kota filter at each period, and of one kecamatan of every kabupaten/kota
    at the data date (no map picture: the map has its own checks), keyed by (region code, period end)."""
    out = {}
    for as_of in PERIODS:
        # Every kabupaten/kota at the data date; at the earlier period the three late kabupaten and a kota.
        for kab in kabupaten if as_of == PERIODS[0] else ["18.03", "18.06", "18.13", "18.71"]:
            state = FilterState(kab=kab)
            out[(kab, as_of)] = deck_mod.build_deck(dataset, state, as_of, "id", [kab], snapshot=snapshots(as_of),
                                                    boundaries=None, today=TODAY)
    for kec in _one_kecamatan_each(dataset, snapshots(PERIODS[0])):
        state = FilterState(kab=kec[:5], kec=kec)
        out[(kec, PERIODS[0])] = deck_mod.build_deck(dataset, state, PERIODS[0], "id", [kec[:5]],
                                                     snapshot=snapshots(PERIODS[0]), boundaries=None, today=TODAY)
    return out


def _one_kecamatan_each(dataset, snap) -> list[str]:
    """Per kabupaten/kota the kecamatan with the most desa not yet joined (the first one when none is short):
    the kecamatan a leader would ask about, with a forecast that is not simply "done"."""
    regions = dataset.regions
    kecs = regions.loc[regions["level"] == "kecamatan", "code"]
    desa = snap[snap["adoption_applies"]]
    short = (~desa["joined"]).groupby(desa["kec_code"]).sum()
    picked = []
    for _, members in kecs.groupby(kecs.str[:5]):
        ranked = short.reindex(members.to_numpy()).fillna(0).sort_values(ascending=False, kind="stable")
        picked.append(ranked.index[0])
    return picked


def _slide(d, key):
    found = [s for s in d.slides if s.key == key]
    return found[0] if found else None


def _trace_values(trace) -> list[float | None]:
    return [None if v is None or pd.isna(v) else float(v) for v in trace]


def test_chart_data_is_what_the_screen_draws(decks):
    """PPTX and PDF draw ``ChartData``; the Presentasi page and the Adopsi/Pelatihan/Evaluasi pages draw the
    plotly figure built by the same builders: categories, values (as shown), colours and series agree."""
    for (kab, as_of), d in decks.items():
        adoption = _slide(d, "adoption")
        if adoption is not None:
            chart, fig = adoption.chart, adoption.chart.figure
            by_name = {tr.name: tr for tr in fig.data}
            assert list(chart.series) == list(by_name), (kab, as_of)
            for name, values in chart.series.items():
                shown = [v for v in values if v is not None]
                assert shown == [round(v) for v in _trace_values(by_name[name].y)], (kab, as_of, name)
            targets = chart.series["Target (31 Desember)"]
            assert sum(v is not None for v in targets) >= 2  # yearly targets, not one flat line
        for key in ("bimtek", "ranking"):
            chart = _slide(d, key).chart
            bars = chart.figure.data[0]
            assert list(chart.categories) == list(bars.y)[::-1], (kab, key)
            values = list(chart.series.values())[0]
            assert values == [round(v, 1) for v in _trace_values(bars.x)][::-1], (kab, key)
            assert list(chart.colours) == list(bars.marker.color)[::-1], (kab, key)


def test_ranking_slide_matches_the_evaluation_scorecard(dataset, decks, snapshots):
    """Ranks and shown composites on the slide are the Evaluasi scorecard's (default weights), ties included,
    and each bar has the RAG colour of its value."""
    for as_of in PERIODS:
        d = decks[("18.06", as_of)]
        chart = _slide(d, "ranking").chart
        card, _, _ = deck_mod.scorecard(dataset, snapshots(as_of), as_of)
        display, _ = evc.scorecard_frame(card, dataset.names, "id")
        page = dict(zip(display["Kabupaten/Kota"], zip(display["Peringkat"], display["Skor komposit"], strict=True),
                        strict=True))
        for label, value, colour in zip(chart.categories, chart.series["Skor komposit"], chart.colours, strict=True):
            rank, name = label.split(". ", 1)
            assert page[name] == (rank, fmt_num(value, 1, "id")), (as_of, name)
            assert colour == evc.RAG_COLOURS[evc.composite_status(value)]
        shown = [fmt_num(v, 1, "id") for v in chart.series["Skor komposit"]]
        ranks = [label.split(".")[0] for label in chart.categories]
        for i in range(1, len(shown)):
            assert (shown[i] == shown[i - 1]) == (ranks[i] == ranks[i - 1]), (as_of, i)


def test_adoption_bullets_say_what_the_adopsi_table_says(decks, dataset, snapshots):
    for (kab, as_of), d in decks.items():
        slide = _slide(d, "adoption")
        if slide is None:
            assert kab[:5] in ("18.71", "18.72")  # a kota (or its kecamatan): adoption left out, not shown empty
            continue
        row = forecast.forecasts(dataset, snapshots(as_of), kab[:5], as_of).set_index("code").loc[kab]
        text, spread = fcd.forecast_text(row, "id")
        assert f"Perkiraan target tercapai: {text}" in slide.bullets, (kab, as_of)
        if spread:
            assert any(spread in b for b in slide.bullets), (kab, as_of)


def test_the_pptx_holds_the_chart_data_as_shown(decks):
    d = decks[("18.03", PERIODS[0])]
    prs = Presentation(io.BytesIO(deck_pptx(d)))
    for spec, slide in zip(d.slides, prs.slides, strict=True):
        charts = [s.chart for s in slide.shapes if s.has_chart]
        if spec.chart is None:
            continue
        plot = charts[0].plots[0]
        assert list(plot.categories) == list(spec.chart.categories)
        for series in plot.series:
            assert list(series.values) == spec.chart.series[series.name], (spec.key, series.name)
        if spec.chart.kind == "bar":
            fills = ["#" + str(p.format.fill.fore_color.rgb) for p in plot.series[0].points]
            assert [f.lower() for f in fills] == [c.lower() for c in spec.chart.colours], spec.key


@pytest.mark.parametrize("params", [{}, {"kab": "18.06"}, {"kab": "18.71"}, {"kec": "18.03.03"}])
def test_kpi_slide_values_are_the_ringkasan_values(dataset, params):
    """The KPI slide shows what Ringkasan shows for the same filter (a kota: no adoption or officer figure)."""
    at = open_page("pages/1_Ringkasan.py", **params)
    state = FilterState(kab=params.get("kab") or (params["kec"][:5] if "kec" in params else None),
                        kec=params.get("kec"))
    as_of = period_end(state, dataset.data_as_of)
    d = deck_mod.build_deck(dataset, state, as_of, "id", [], boundaries=None, today=TODAY)
    kpis = {k.label: k.value for k in _slide(d, "kpis").kpis}
    page = {m.label: m.value for m in at.metric}
    for label, value in kpis.items():
        if label.startswith("Target"):
            continue  # the page shows the target beside the joined figure
        assert page[label] == value, (params, label)
    if params.get("kab") == "18.71":
        assert "Desa bergabung" not in kpis and "Petugas Smart Village" not in kpis
        assert metric(at, "Petugas Smart Village") == "tidak berlaku"
