"""What the evaluation tables and charts show a reader: formats, "tidak berlaku", colours, order."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from tests.unit.test_evaluation import AS_OF, TARGETS, ZERO, flat_targets, province_row, region_table
from utils.i18n.texts.evaluation import STRINGS as EVALUATION_STRINGS
from utils.metrics import evaluation as ev
from utils.views import evaluation_display as evc

NAMES = {"18.01": "Kab. A", "18.02": "Kab. B", "18.71": "Kota Bandar Lampung"}


def card() -> ev.Scorecard:
    table = region_table({
        "18.01": {"pct_joined": 100.0, "pct_2plus": 80.0, "last_update": pd.Timestamp(2026, 10, 30)},
        "18.02": {"pct_joined": 90.5, "pct_2plus": 90.0},
        "18.71": {"desa": 0, "pct_joined": np.nan, "pct_services_active": np.nan, "pct_svc_pemerintahan": np.nan,
                  "pct_svc_ekonomi_kreatif": np.nan, "pct_svc_pemberdayaan": np.nan, "pct_integrated": np.nan,
                  "pct_2plus": 50.0},
    })
    return ev.build_scorecard(table, province_row(), flat_targets(TARGETS), AS_OF, {**ZERO, "joined": 50, "bimtek": 50})


def test_scorecard_table_in_indonesian_formats_with_not_applicable_for_kota():
    display, status = evc.scorecard_frame(card(), NAMES, "id")
    assert display["Kabupaten/Kota"].tolist()[-1] == "Kota Bandar Lampung"  # lowest composite last
    kota = display.set_index("Kabupaten/Kota").loc["Kota Bandar Lampung"]
    assert kota["Desa bergabung"] == "tidak berlaku" and kota["Bimtek ≥ 2 peserta"] == "50,0%"
    b = display.set_index("Kabupaten/Kota").loc["Kab. B"]
    assert b["Desa bergabung"] == "90,5%" and b["Skor komposit"] == "90,2"
    assert status.set_index(display["Kabupaten/Kota"]).at["Kab. B", "Desa bergabung"] == ev.AMBER
    html = evc.scorecard_html(display, status, "id")
    assert html.count("<tr>") == 4 and 'title="tidak berlaku"' in html and evc.RAG_FILLS[ev.RED] in html


def test_gap_view_is_signed_and_days_are_words():
    display, _ = evc.scorecard_frame(card(), NAMES, "id", show="gap")
    row = display.set_index("Kabupaten/Kota").loc["Kab. B"]
    assert row["Desa bergabung"] == "\u22129,5 poin"
    assert display.set_index("Kabupaten/Kota").at["Kab. A", "Kesegaran (hari)"] == "+29 hari"
    assert evc.fmt_value("fresh", 1, "en") == "1 day" and evc.fmt_value("joined", 97.5, "en") == "97.5%"


def test_rank_change_marks():
    assert [evc.rank_change_text(v) for v in (2, -1, 0, pd.NA)] == ["\u25b2 2", "\u25bc 1", "=", "–"]


def test_trend_grid_labels_not_applicable_panels_and_draws_targets():
    rows = [{"date": pd.Timestamp(d), "indicator": i.id, "value": np.nan if i.adoption else 40.0}
            for d in (dt.date(2026, 6, 30), dt.date(2026, 9, 30)) for i in ev.INDICATORS]
    fig = evc.trend_grid(pd.DataFrame(rows), {"bimtek": 100.0}, "id")
    notes = [a.text for a in fig.layout.annotations]
    assert notes.count("tidak berlaku") == sum(i.adoption for i in ev.INDICATORS)
    dashed = [tr for tr in fig.data if tr.line.dash == "dash"]
    assert len(dashed) == 1 and list(dashed[0].y) == [100.0, 100.0]


def test_methodology_table_lists_every_indicator_with_weight():
    frame = evc.method_frame(ev.DEFAULT_WEIGHTS, "id")
    assert len(frame) == len(ev.INDICATORS)
    assert frame.set_index("Indikator").at["Desa bergabung", "Bobot"] == "20,0%"
    assert frame.set_index("Indikator").at["Keluasan layanan (ketiga pilar)", "Target"] == "rata-rata provinsi"


# ---- indicator names: string table (utils/i18n/texts/evaluation.py) → every view ----------------------------

LANGS = {"id": 0, "en": 1}


def table_text(key: str, lang: str) -> str | None:
    """The raw string-table entry (read directly, not through the view functions under test)."""
    pair = EVALUATION_STRINGS.get(key)
    return None if pair is None else pair[LANGS[lang]]


def expected_short(ind_id: str, lang: str) -> str:
    return table_text(f"ind_{ind_id}_short", lang) or table_text(f"ind_{ind_id}_label", lang) or ""


def test_every_indicator_has_its_name_and_definition_in_both_languages():
    for ind in ev.INDICATORS:
        for kind in ("label", "def"):
            idn, en = EVALUATION_STRINGS[f"ind_{ind.id}_{kind}"]
            assert idn.strip() and en.strip() and idn != en, (ind.id, kind)
        if f"ind_{ind.id}_short" in EVALUATION_STRINGS:
            idn, en = EVALUATION_STRINGS[f"ind_{ind.id}_short"]
            assert idn.strip() and en.strip(), ind.id
    # No name left behind for an indicator that no longer exists.
    ids = {i.id for i in ev.INDICATORS}
    named = {k.split("_")[1] for k in EVALUATION_STRINGS if k.startswith("ind_")}
    assert named == ids


def test_screen_charts_and_method_table_show_the_string_tables_names_in_both_languages():
    for lang in LANGS:
        expected = {i.id: expected_short(i.id, lang) for i in ev.INDICATORS}
        display, _ = evc.scorecard_frame(card(), NAMES, lang)
        assert [c for c in display.columns if c in expected.values()] == list(expected.values())
        grid = evc.trend_grid(pd.DataFrame({"date": [], "indicator": [], "value": []}), {}, lang)
        titles = [a.text for a in grid.layout.annotations][:len(ev.INDICATORS)]
        assert titles == list(expected.values())  # same names on the table and the small charts
        method = evc.method_frame(ev.DEFAULT_WEIGHTS, lang)
        assert method.iloc[:, 0].tolist() == [table_text(f"ind_{i.id}_label", lang) for i in ev.INDICATORS]
        definitions = {table_text(f"ind_{i.id}_def", lang) for i in ev.INDICATORS}
        assert definitions <= set(method.to_numpy().ravel())


def test_an_indicator_without_a_short_name_is_headed_by_its_name():
    bare = [i.id for i in ev.INDICATORS if f"ind_{i.id}_short" not in EVALUATION_STRINGS]
    assert bare  # "Desa bergabung" has no short form
    for lang in LANGS:
        for ind_id in bare:
            assert evc.indicator_short(ind_id, lang) == table_text(f"ind_{ind_id}_label", lang)
