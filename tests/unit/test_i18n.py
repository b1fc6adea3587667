"""Indonesian number and date formats as a Dinas reader expects them; English when switched."""

import datetime as dt

from utils.i18n import fmt_date, fmt_int, fmt_num, fmt_pct, t


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
