"""Indonesian number and date formats as a Dinas reader expects them; English when switched."""

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from utils.domain import indeks_desa, programme
from utils.domain.filters import parse_lang
from utils.domain.idm import SIGNAL_LABELS
from utils.i18n import (
    fmt_date,
    fmt_int,
    fmt_num,
    fmt_pct,
    label,
    label_column,
    number_separators,
    signal_label,
    t,
)

ROOT = Path(__file__).resolve().parents[2]


def test_indonesian_numbers_use_dot_thousands_and_comma_decimals():
    assert fmt_int(2651) == "2.651"
    assert fmt_num(1234.5) == "1.234,5"
    assert fmt_pct(97.5) == "97,5%"
    assert fmt_pct(100, 0) == "100%"


def test_english_numbers_switch_separators():
    assert fmt_int(2651, "en") == "2,651"
    assert fmt_pct(97.5, 1, "en") == "97.5%"


def test_missing_values_show_a_dash_not_nan():
    assert fmt_int(None) == "–"
    assert fmt_pct(float("nan")) == "–"


def test_dates_spell_the_month():
    assert fmt_date(dt.date(2024, 12, 17)) == "17 Desember 2024"
    assert fmt_date(dt.date(2024, 12, 17), "en") == "17 December 2024"


def test_strings_exist_in_both_languages():
    assert t("not_applicable") == "tidak berlaku"
    assert t("not_applicable", "en") == "not applicable"
    assert t("data_as_of", "id", date="17 Desember 2024") == "Data per 17 Desember 2024"


def test_vocabulary_words_follow_the_language_switch():
    items = [*programme.STAGES, *programme.PILLARS, *programme.PARTICIPANT_ROLES,
             *programme.TARGET_INDICATORS.values(), *indeks_desa.DIMENSIONS]
    assert [label(i, "id") for i in items] == [i.label_id for i in items]
    assert [label(i, "en") for i in items] == [i.label_en for i in items]
    assert label(programme.STAGES[2], "id") == "Bergabung" and label(programme.STAGES[2], "en") == "Joined"
    frame = pd.DataFrame({"label_id": [s.label_id for s in programme.STAGES],
                          "label_en": [s.label_en for s in programme.STAGES]})
    assert frame[label_column("en")].tolist() == [s.label_en for s in programme.STAGES]
    assert frame[label_column("id")].tolist() == [s.label_id for s in programme.STAGES]


def test_chart_separators_are_the_ones_the_tables_print():
    for lang in ("id", "en"):
        decimal, group = number_separators(lang)
        assert fmt_num(1234567.5, 1, lang) == f"1{group}234{group}567{decimal}5"
    assert number_separators("id") != number_separators("en")


def test_signal_words_are_translated_and_missing_is_a_dash():
    for stored, (idn, en) in SIGNAL_LABELS.items():
        assert signal_label(stored, "id") == idn and signal_label(stored, "en") == en
    assert signal_label("lemah", "en") == "weak"
    assert signal_label(None, "en") == "–" and signal_label(float("nan"), "id") == "–"


def test_the_address_picks_english_only_when_it_asks_for_it():
    assert parse_lang("en") == "en" and parse_lang("id") == "id"
    assert [parse_lang(v) for v in (None, "", "EN", "fr", ["en"])] == ["id"] * 5


def test_the_language_is_chosen_only_in_utils_i18n():
    """Every `lang == "en"` choice goes through utils.i18n (t, pick, label, label_column, ...)."""
    inline = re.compile(r"""\blang\s*[!=]=\s*["'](en|id)["']""")
    found = []
    for path in [*ROOT.joinpath("utils").rglob("*.py"), *ROOT.joinpath("pages").rglob("*.py"),
                 *ROOT.joinpath("bench").rglob("*.py"), ROOT / "app.py"]:
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("utils/i18n/"):
            continue
        found += [f"{rel}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1) if inline.search(line)]
    assert found == []
