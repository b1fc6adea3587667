"""Data-quality findings are language-free data (a string-table key and raw values); the view words them in
either language. Expected sentences are built here from the string table and the raw values of the store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json

import pandas as pd
import pytest
from babel.dates import get_month_names

from tests.helpers import dated_frame as frame
from tests.helpers import two_kab_regions
from utils.domain.programme import PILLARS, STAGES
from utils.i18n import fmt_date, fmt_int, fmt_num, has_text, t
from utils.metrics import evidence, quality
from utils.views import quality_display
from utils.views.quality_display import describe

AS_OF = dt.date(2026, 10, 31)
A, B, F, E, K = "18.01.01.2001", "18.01.01.2002", "18.01.01.2003", "18.01.01.2004", "18.01.01.1001"
D = "18.02.01.2001"
R1, R2, R3 = "18.01.01.2005", "18.01.01.2006", "18.01.01.2007"
LANGS = ("id", "en")


def label(code: str, lang: str) -> str:
    s = next(x for x in STAGES if x.code == code)
    return s.label_en if lang == "en" else s.label_id


def pillar(code: str, lang: str) -> str:
    p = next(x for x in PILLARS if x.code == code)
    return p.label_en if lang == "en" else p.label_id


def day(text: str, lang: str) -> str:
    return fmt_date(dt.date.fromisoformat(text), lang)


@pytest.fixture(scope="module")
def store():
    """A hand-built store where one village breaks each family of rules (region codes as in test_quality)."""
    villages = [(A, "desa"), (B, "desa"), (F, "desa"), (E, "desa"), (K, "kelurahan"), (D, "desa"), (R1, "desa"), (R2, "desa"),
                (R3, "desa")]
    regions = two_kab_regions(villages)
    adoption = frame([
        (A, "sosialisasi", "2024-01-10"), (A, "bergabung", "2024-01-05"),  # joined before the outreach
        (B, "sosialisasi", "2024-02-01"), (B, "bergabung", "2024-03-01"), (B, "layanan_aktif", "2024-05-01"),
        (F, "sosialisasi", "2024-01-01"), (F, "operator_terlatih", "2024-03-01"),  # Bergabung skipped
        (K, "sosialisasi", "2024-01-01"),  # a kelurahan
        (D, "sosialisasi", "2024-01-01"), (D, "bergabung", "2027-01-01"),  # after the data date
    ], ["village_code", "stage", "reached_on"], ("reached_on",))
    services = frame([(B, "pemerintahan", "Sistem Informasi Desa", "2024-02-15", None),  # before B joined
                      (E, "ekonomi_kreatif", "Pasar Desa", "2024-04-01", None)],  # E never joined
                     ["village_code", "pillar", "service", "started_on", "ended_on"], ("started_on", "ended_on"))
    officers = frame([("O1", K, "Budi", "Official Smart Village", None)],
                     ["officer_id", "village_code", "name", "role", "appointed_on"], ("appointed_on",))
    events = frame([("E1", "Bimtek 1", "2024-06-10", "2024-06-12", "Dinas", "18.01", 3, 2, None)],
                   ["event_id", "title", "start_date", "end_date", "organiser", "kab_codes", "reported_participants",
                    "reported_villages", "reported_scope"], ("start_date", "end_date"))
    parts = frame([(1, "E1", A, "operator", None), (2, "E1", D, "operator", None)],
                  ["participant_id", "event_id", "village_code", "role", "name"])
    rows = frame([
        ("18.01", "2025-03-31", R1, None, "layanan_aktif", 2), ("18.01", "2025-04-30", R1, None, "bergabung", 2),
        ("18.01", "2025-04-30", R2, "2025-01-15", "sosialisasi", 1500),  # joined, yet Sosialisasi; 1.500 operators
        ("18.01", "2025-04-30", R3, "2025-01-15", "bergabung", 0),
    ], ["kab_code", "report_date", "village_code", "joined_on", "stage", "operators_trained"],
        ("report_date", "joined_on"))
    flags = frame([("18.01", "2025-04-30", R3, "pemerintahan", True), ("18.01", "2025-04-30", R3, "pemberdayaan", True),
                   ("18.01", "2025-04-30", R3, "ekonomi_kreatif", False)],
                  ["kab_code", "report_date", "village_code", "pillar", "active"], ("report_date",))
    tables = {"adoption": adoption, "services": services, "officers": officers, "bimtek_events": events,
              "bimtek_participants": parts, "status_report_rows": rows, "status_report_services": flags}
    idm = pd.DataFrame({"code": [R1], "year": [2024], "edition": ["rekomendasi"], "status": ["MAJU"],
                        "nilai": [0.71234], "satudata_status": ["BERKEMBANG"], "satudata_nilai": [0.6987]})
    indeks = {2025: pd.DataFrame({"code": [R2], "status": ["Mandiri"], "status_source": ["file"], "total": [61.25],
                                  "total_source": ["dashboard"], "band_status": ["Berkembang"]})}
    return tables, regions, idm, indeks


@pytest.fixture(scope="module")
def found(store) -> pd.DataFrame:
    tables, regions, idm, indeks = store
    return quality.find_issues(tables, regions, AS_OF, idm=idm, indeks=indeks)


def leaves(value):
    """Every scalar inside a finding's args (through nested phrases)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from leaves(v)
    else:
        yield value


def test_findings_carry_no_language(store, found):
    assert "lang" not in inspect.signature(quality.find_issues).parameters
    assert "lang" not in inspect.signature(quality.report_issues).parameters
    assert "lang" not in {f.name for f in dataclasses.fields(quality.Inputs)}
    assert list(found.columns) == quality.ISSUE_COLUMNS and "detail" not in found
    # Every rule family of the store is found, so every kind of value is looked at below.
    assert {"stage_order", "stage_gap", "adoption_kelurahan", "service_not_joined", "officer_kelurahan",
            "bimtek_reported", "future_date", "idm_edition_status", "indeks_status_score", "report_stage_backwards",
            "report_join_stage", "report_operator_stage", "report_services_stage",
            "evidence_without_stage"} <= set(found["rule"])
    assert all(has_text(k) for k in found["key"])
    # No word of either language in the values: no stage or pillar label, month name or "not yet".
    words = {s.label_id for s in STAGES} | {s.label_en for s in STAGES} | {p.label_id for p in PILLARS} \
        | {p.label_en for p in PILLARS} | {t("qual_not_joined", lang) for lang in LANGS}
    months = {m for lang in LANGS for m in get_month_names("wide", locale=lang).values()}
    for args in found["args"]:
        for leaf in leaves(args):
            assert leaf is None or isinstance(leaf, (str, int, float)), leaf
            if isinstance(leaf, str):
                assert leaf not in words and not any(m in leaf for m in months), leaf
    dates = [a.value for args in found["args"] for a in args.values() if a.kind == "date" and a.value is not None]
    assert dates and all(dt.date.fromisoformat(d).isoformat() == d for d in dates)
    # The args are plain JSON: worded from their JSON form, the sentences are the same.
    for lang in LANGS:
        again = [quality_display.text(k, json.loads(json.dumps(a)), lang) for k, a in zip(found["key"], found["args"],
                                                                                            strict=True)]
        assert again == describe(found, lang)["detail"].tolist()


@pytest.mark.parametrize("lang", LANGS)
def test_the_view_words_each_finding_in_the_language(found, lang):
    shown = describe(found, lang)
    assert list(shown.columns) == ["village_code", "kab_code", "rule", "detail"]
    assert shown[["village_code", "kab_code", "rule"]].equals(found[["village_code", "kab_code", "rule"]])
    detail = shown.set_index(["village_code", "rule"])["detail"]
    assert detail[(A, "stage_order")] == t("qual_detail_stage_order", lang, stage=label("bergabung", lang),
                                           date=day("2024-01-05", lang), prev=label("sosialisasi", lang),
                                           prev_date=day("2024-01-10", lang))
    assert detail[(B, "stage_gap")] == t("qual_detail_stage_gap", lang, stage=label("layanan_aktif", lang),
                                         missing=label("operator_terlatih", lang))
    assert detail[(F, "stage_gap")] == t("qual_detail_stage_gap", lang, stage=label("operator_terlatih", lang),
                                         missing=label("bergabung", lang))
    assert detail[(K, "adoption_kelurahan")] == t("qual_detail_adoption_kelurahan", lang, stage=label("sosialisasi", lang))
    assert detail[(B, "service_not_joined")] == t("qual_detail_service_not_joined", lang, service="Sistem Informasi Desa",
                                                  date=day("2024-02-15", lang), joined=day("2024-03-01", lang))
    assert detail[(E, "service_not_joined")] == t("qual_detail_service_not_joined", lang, service="Pasar Desa",
                                                  date=day("2024-04-01", lang), joined=t("qual_not_joined", lang))
    assert detail[(K, "officer_kelurahan")] == "Budi"
    assert detail[(D, "future_date")] == t("qual_detail_future_date", lang, table="adoption", date=day("2027-01-01", lang))
    assert detail[(A, "bimtek_reported")] == t("qual_detail_bimtek_reported", lang, event="E1", reported=3,
                                               reported_v=2, rows=2, villages=2)
    assert detail[(R1, "idm_edition_status")] == t("qual_detail_idm_edition_status", lang, year=2024, status="MAJU",
                                                   nilai=fmt_num(0.71234, 4, lang), sd_status="BERKEMBANG",
                                                   sd_nilai=fmt_num(0.6987, 4, lang))
    assert detail[(R2, "indeks_status_score")] == t("qual_detail_indeks_status_score", lang, year=2025, status="Mandiri",
                                                    total=fmt_num(61.25, 2, lang), band="Berkembang",
                                                    source=t("qual_score_source_dashboard", lang))
    assert detail[(R1, "report_stage_backwards")] == t("qual_detail_report_backwards", lang, stage=label("bergabung", lang),
                                                       date=day("2025-04-30", lang), prev=label("layanan_aktif", lang),
                                                       prev_date=day("2025-03-31", lang))
    assert detail[(R2, "report_join_stage")] == t("qual_detail_report_join_stage", lang, date=day("2025-01-15", lang),
                                                  stage=label("sosialisasi", lang), report=day("2025-04-30", lang))
    # 1500 operators: grouped as the language writes thousands (1.500 / 1,500).
    assert detail[(R2, "report_operator_stage")] == t("qual_detail_report_operator_some", lang, n=fmt_int(1500, lang),
                                                      stage=label("sosialisasi", lang), report=day("2025-04-30", lang))
    assert fmt_int(1500, lang) in detail[(R2, "report_operator_stage")]
    assert detail[(R3, "report_services_stage")] == t(
        "qual_detail_report_services_early", lang, pillars=f"{pillar('pemerintahan', lang)}, {pillar('pemberdayaan', lang)}",
        stage=label("bergabung", lang), report=day("2025-04-30", lang))
    # A's operator trained at E1 (ended 12 June 2024) with no stage Operator terlatih reported.
    assert detail[(A, "evidence_without_stage")] == t(
        "evid_kind_evidence_without_stage", lang, stage=label("operator_terlatih", lang),
        present=t("evid_bimtek_operator_present", lang, n=1, date=day("2024-06-12", lang)))


def test_the_two_languages_differ_only_in_the_words(found):
    ids, ens = describe(found, "id"), describe(found, "en")
    assert ids.drop(columns="detail").equals(ens.drop(columns="detail"))
    same = ids[ids["detail"] == ens["detail"]]
    assert list(zip(same["village_code"], same["rule"], strict=True)) == [(K, "officer_kelurahan")]  # a name: "Budi"


def test_evidence_detail_is_the_finding_sentence(store, found):
    tables, regions, _, _ = store
    desa = regions.loc[regions["village_type"].eq("desa"), "code"]
    rows = evidence.disagreements(tables, pd.Index(desa), AS_OF)
    assert len(rows)
    detail = describe(found, "en").set_index(["village_code", "rule"])["detail"]
    for r in rows.itertuples(index=False):
        assert quality_display.evidence_detail(r, "en") == detail[(r.village_code, r.kind)]


def test_report_findings_keep_their_columns(store):
    tables = store[0]
    raw = quality.report_issues(tables)
    assert list(raw.columns) == quality.REPORT_COLUMNS
    assert list(describe(raw, "id").columns) == ["village_code", "rule", "detail"]
    empty = quality.report_issues({**tables, "status_report_rows": tables["status_report_rows"].iloc[0:0]})
    assert empty.empty and list(describe(empty, "en").columns) == ["village_code", "rule", "detail"]
