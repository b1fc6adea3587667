"""Adoption and Bimtek progress as the pages show it (no streamlit): rupiah amounts, the tables of desa not yet
joined, a desa's stage history with its evidence, its latest status report and services, Bimtek events, villages
never trained, consistency flags and one village's participation, with localised headers and Indonesian number
and date formats.

The figures come from ``utils.metrics.progress`` (and ``evidence`` / ``reports``); this module only translates
and formats them.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from utils.data.dataset import Dataset
from utils.domain.programme import PARTICIPANT_ROLES, PILLARS, STAGES
from utils.i18n import fmt_date, fmt_int, fmt_num, label, label_column, signal_label, t
from utils.metrics import reports


def rupiah(value: float | None, lang: str) -> str:
    """Rp amounts as leaders read them: Rp15,9 miliar, Rp6 juta (EN: Rp15.9 billion, Rp6 million)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    for size, key in ((1e12, "prog_trillion"), (1e9, "prog_billion"), (1e6, "prog_million")):
        if abs(value) >= size:
            amount = value / size
            digits = 0 if float(amount).is_integer() else 1
            return f"Rp{fmt_num(amount, digits, lang)} {t(key, lang)}"
    return f"Rp{fmt_num(value, 0, lang)}"


# ------------------------------------------------------------------------------------------------
# Display tables: the frames the pages show, with localised headers and Indonesian number formats.


def _place(codes: pd.Series, names: dict[str, str], kab: pd.Series, kec: pd.Series) -> pd.Series:
    """"Pekon Trimulyo, Gedung Surian, Kab. Lampung Barat": village names repeat, so always say where."""
    return codes.map(names) + ", " + kec.map(names) + ", " + kab.map(names)


def laggard_display(lag: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Desa not yet joined: place, stage, IDM status, signal, internet and the kind of gap."""
    stage = {s.order: label(s, lang) for s in STAGES}

    def net(v: object) -> str:
        return "–" if pd.isna(v) else (t("yes", lang) if v else t("no", lang))

    return pd.DataFrame({
        t("prog_col_village", lang): _place(lag["code"], names, lag["kab_code"], lag["kec_code"]),
        t("adp_col_gap", lang): lag["gap"].map(lambda g: t(f"adp_gap_{g}", lang)),
        t("stage_col", lang): lag["stage_order"].map(stage),
        t("village_idm", lang): lag["status"].fillna(t("no_score", lang)),
        t("signal", lang): lag["signal"].map(lambda v: signal_label(v, lang)),
        t("adp_col_net_office", lang): lag["internet_kantor"].map(net),
    })


def stage_history_display(history: pd.DataFrame, lang: str, proof: pd.DataFrame | None = None) -> pd.DataFrame:
    """One desa's stage history (``indicators.stage_history``) as the page shows it: the exact day, or "by
    <report date> (report)" when only a status report says so, or "not yet"; with the evidence of other
    sources beside each stage that has one (``evidence.village_evidence``): what the source holds and, when it
    disagrees with the reported stage, the Kualitas Data finding it makes. No source overrides the stage: both
    are shown."""
    def when(exact: pd.Timestamp, by: pd.Timestamp) -> str:
        if pd.notna(exact):
            return fmt_date(exact.date(), lang)
        if pd.notna(by):
            return t("reached_by", lang, date=fmt_date(by.date(), lang))
        return t("not_yet", lang)

    by = history["reached_by"] if "reached_by" in history else pd.Series(pd.NaT, index=history.index)
    out = pd.DataFrame({
        t("stage_col", lang): history[label_column(lang)],
        t("reached_col", lang): [when(e, b) for e, b in zip(history["reached_on"], by, strict=True)],
    })
    if proof is not None:
        by_stage = proof.set_index("stage")
        out[t("evid_col", lang)] = [evidence_cell(by_stage.loc[s], lang) if s in by_stage.index
                                    else t("evid_none_source", lang) for s in history["stage"]]
    return out


def evidence_cell(row: pd.Series, lang: str) -> str:
    """"2 operator dilatih (Bimtek selesai 12 Oktober 2024)", with "⚠ Bukti tanpa tahap" when it disagrees."""
    if row["n"] > 0:
        text = t(f"evid_{row['source']}_present", lang, n=fmt_int(row["n"], lang),
                 date=fmt_date(pd.Timestamp(row["first_on"]).date(), lang))
    else:
        text = t(f"evid_{row['source']}_absent", lang)
    kind = row["kind"]
    return text if kind is None or pd.isna(kind) else f"{text} · \u26a0 {t(f'qual_rule_{kind}', lang)}"


def village_report_text(ds: Dataset, village: str, as_of: dt.date, lang: str) -> str:
    """"Latest report (31 March 2025): 2 trained operators; services active: Pemerintahan." ("" without one)."""
    rep = reports.village_report(ds.tables, village, as_of)
    if rep is None:
        return ""
    names = {p.code: label(p, lang) for p in PILLARS}
    ops = rep["operators_trained"]
    return t("rep_village_report", lang, date=fmt_date(pd.Timestamp(rep["report_date"]).date(), lang),
             operators="–" if pd.isna(ops) else fmt_int(ops, lang),
             pillars=", ".join(names[p] for p in rep["active"]) or "–")


def services_display(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``village_services`` as the page shows it."""
    pillar = {p.code: label(p, lang) for p in PILLARS}
    return pd.DataFrame({
        t("adp_col_pillar", lang): rows["pillar"].map(pillar),
        t("adp_col_service", lang): rows["service"],
        t("adp_col_started", lang): [fmt_date(d.date(), lang) for d in rows["started_on"]],
        t("adp_col_ended", lang): [fmt_date(d.date(), lang) if pd.notna(d) else t("adp_in_use", lang)
                                   for d in rows["ended_on"]],
    })


def event_display(events: pd.DataFrame, names: dict[str, str], lang: str, here: bool) -> pd.DataFrame:
    """Bimtek events: dates, title, venues, kabupaten covered, participants and villages (from the
    region too when ``here``)."""
    def kabs(codes: str) -> str:
        return ", ".join(names.get(k.strip(), k.strip()) for k in codes.split(","))

    # Short columns first: on a projector the long venue and title texts are the ones to scroll to.
    out = pd.DataFrame({
        t("btk_col_dates", lang): [date_range(s, e, lang) for s, e in zip(events["start_date"], events["end_date"],
                                                                           strict=True)],
        t("btk_col_kab", lang): events["kab_codes"].map(kabs),
        t("btk_participants", lang): events["participants"].map(lambda v: fmt_int(v, lang)),
        t("btk_col_villages", lang): events["villages"].map(lambda v: fmt_int(v, lang)),
    })
    if here:
        out[t("btk_col_here", lang)] = [f"{fmt_int(p, lang)} / {fmt_int(v, lang)}"
                                        for p, v in zip(events["participants_here"], events["villages_here"],
                                                        strict=True)]
    out[t("btk_col_venue", lang)] = events["venues"].to_numpy()
    out[t("btk_col_event", lang)] = events["title"].to_numpy()
    return out


def date_range(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> str:
    """"10–12 Oktober 2024"; across months or years the fuller form."""
    s, e = start.date(), end.date()
    if s == e:
        return fmt_date(s, lang)
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.day}–{fmt_date(e, lang)}"
    return f"{fmt_date(s, lang)} – {fmt_date(e, lang)}"


def never_display(never: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Villages never trained: place and type (desa/kelurahan)."""
    return pd.DataFrame({
        t("prog_col_village", lang): _place(never["code"], names, never["kab_code"], never["kec_code"]),
        t("btk_col_type", lang): never["village_type"],
    })


def flag_display(flags: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Consistency flags as sentences: event code (it carries the date), check, what was found."""
    def finding(f: pd.Series) -> str:
        if f["kind"] == "reported_mismatch":
            scope = f["scope"] if isinstance(f["scope"], str) and f["scope"] else None
            where = names.get(scope, scope) if scope else t("btk_whole_event", lang)
            return t("btk_flag_mismatch_text", lang, where=where,
                     rp=fmt_int(f["reported_participants"], lang), cp=fmt_int(f["counted_participants"], lang),
                     rv=fmt_int(f["reported_villages"], lang), cv=fmt_int(f["counted_villages"], lang))
        if f["kind"] == "outside_kab":
            return t("btk_flag_outside_text", lang, n=fmt_int(f["outside"], lang))
        return t("btk_flag_none_text", lang)

    return pd.DataFrame({
        t("btk_col_event_id", lang): flags["event_id"],
        t("btk_col_check", lang): flags["kind"].map(lambda k: t(f"btk_flag_{k}", lang)),
        t("btk_col_finding", lang): [finding(f) for _, f in flags.iterrows()],
    })


def participation_display(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One village's Bimtek participation rows: event, dates, venue, role. Never the participant's name: leadership
    pages show roles only (UU PDP 27/2022 data minimisation)."""
    role = {r.code: label(r, lang) for r in PARTICIPANT_ROLES}
    return pd.DataFrame({
        t("btk_col_dates", lang): [date_range(s, e, lang) for s, e in zip(rows["start_date"], rows["end_date"],
                                                                           strict=True)],
        t("btk_col_role", lang): rows["role"].map(role),
        t("btk_col_venue", lang): rows["venues"],
        t("btk_col_event", lang): rows["title"],
    })
