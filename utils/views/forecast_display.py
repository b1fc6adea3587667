"""The joining forecast (``utils.metrics.forecast``) in words, as the Adopsi page, the deck, the PPTX and the PDF
print it (no streamlit): the estimate and its range, the stalled sentence, the KPI tile and the forecast table.
"""

from __future__ import annotations

import pandas as pd

from utils.i18n import fmt_int, fmt_month, fmt_num, t
from utils.metrics.forecast import NO_DESA, ON_PACE, REACHED, STALLED, WINDOW_MONTHS, Forecast


def _get(fc: pd.Series | Forecast):
    return fc.get if isinstance(fc, pd.Series) else fc.__dict__.get


def _month(value: object, lang: str) -> str:
    return fmt_month(pd.Timestamp(value).date(), lang) if value is not None and pd.notna(value) else ""


def _span(early: object, late: object, lang: str) -> str:
    a, b = _month(early, lang), _month(late, lang) or t("prog_fc_open", lang)
    return "" if not a or a == b else f"{a} – {b}"


def stalled_text(fc: pd.Series | Forecast, lang: str, short: bool = False) -> str:
    """"5 desa di 5 kecamatan tanpa kemajuan 12 bulan terakhir" (one part: "1 desa tanpa kemajuan ...")."""
    get = _get(fc)
    n = fmt_int(get("stalled_desa"), lang)
    if get("single"):
        return t("prog_fc_stalled_one", lang, n=n, window=WINDOW_MONTHS)
    return t("prog_fc_stalled_short" if short else "prog_fc_stalled", lang, n=n,
             k=fmt_int(get("stalled_parts"), lang), window=WINDOW_MONTHS)


def rest_text(fc: pd.Series | Forecast, lang: str) -> str:
    """"sisanya Jul 2027" for a stalled forecast whose progressing parts still need desa ("" when none)."""
    get = _get(fc)
    if not get("rest_desa"):
        return ""
    when = _month(get("rest_eta"), lang) or t("prog_fc_beyond", lang)
    return t("prog_fc_rest", lang, month=when)


def forecast_text(fc: pd.Series | Forecast, lang: str) -> tuple[str, str]:
    """(estimate, range) as tables and slides print them, e.g. ("Mar 2027", "Jan 2027 – Jul 2027")."""
    get = _get(fc)
    status = get("status")
    if status == REACHED:
        return t("prog_fc_reached", lang, month=_month(get("reached_on"), lang)), ""
    if status == NO_DESA:
        return t("not_applicable", lang), ""
    if status == STALLED:
        rest = rest_text(fc, lang)
        text = stalled_text(fc, lang) + (f"; {rest}" if rest else "")
        return text, (_span(get("rest_early"), get("rest_late"), lang) if get("rest_eta") is not None else "")
    eta = _month(get("eta"), lang)
    if not eta:  # beyond the horizon: only the fast end of the range can still say something
        early = _month(get("eta_early"), lang)
        return t("prog_fc_beyond", lang), (t("prog_fc_earliest", lang, month=early) if early else "")
    return eta, _span(get("eta_early"), get("eta_late"), lang)


def forecast_kpi(fc: Forecast, lang: str) -> tuple[str, str]:
    """(value, note) for a headline figure: short enough for a KPI tile at 1366 px ("Tercapai" / "sejak
    Des 2023"; "Mei 2031" / "Okt 2030 – Mar 2032"; "Terhambat" / "5 desa di 5 kec. …; sisanya Jul 2027")."""
    if fc.status == REACHED:
        return t("prog_fc_kpi_reached", lang), t("prog_fc_kpi_since", lang, month=_month(fc.reached_on, lang))
    if fc.status == NO_DESA:
        return t("not_applicable", lang), ""
    if fc.status == STALLED:
        rest = rest_text(fc, lang)
        return t("prog_fc_kpi_stalled", lang), stalled_text(fc, lang, short=True) + (f"; {rest}" if rest else "")
    return forecast_text(fc, lang)


def forecast_display(fcs: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The forecast table: region, joined / desa, target, pace, estimate, range."""
    texts = [forecast_text(r, lang) for _, r in fcs.iterrows()]
    has = fcs["status"] != NO_DESA
    return pd.DataFrame({
        t("prog_col_region", lang): fcs["code"].map(names),
        t("adp_col_joined_of", lang): [f"{fmt_int(j, lang)} / {fmt_int(d, lang)}" if ok else "–"
                                       for j, d, ok in zip(fcs["current"], fcs["desa"], has, strict=True)],
        t("adp_col_target", lang): [fmt_int(v, lang) if ok else "–" for v, ok in zip(fcs["target"], has, strict=True)],
        t("adp_col_pace", lang): [fmt_num(p, 1, lang) if s in (ON_PACE, STALLED) else "–"
                                  for p, s in zip(fcs["pace"], fcs["status"], strict=True)],
        t("adp_col_eta", lang): [a for a, _ in texts],
        t("adp_col_range", lang): [b for _, b in texts],
    })
