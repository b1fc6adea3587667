"""Development indices of the desa: IDM 2024 (its two editions) and the Indeks Desa (2025 onwards).

Pure functions, no streamlit. IDM (0..1, five statuses, to 2024) and the Indeks Desa (0..100, six
dimensions, from 2025) are different measures: they are compared only by status (a transition matrix),
never by subtracting scores. Every figure carries the name of its index, year and source.
"""

from __future__ import annotations

import pandas as pd

from utils.domain.codes import in_region
from utils.domain.idm import EDITION_SATUDATA, EDITION_WORKBOOK
from utils.i18n import fmt_int, t

# --------------------------------------------------------------------------------------------------
# IDM 2024: editions and source lines


def idm_label(edition: object, carried: object, year: int, lang: str) -> str:
    """The source of one desa's IDM value: ``IDM 2024 (Kemendesa, rekomendasi)``, ``IDM 2024 (Satu Data, nilai
    2023)`` …; an imported year without an edition column is Kemendesa's workbook."""
    carried = bool(carried) if pd.notna(carried) else False
    if edition == EDITION_SATUDATA:
        return t("idm_edition_satudata_2023" if carried else "idm_edition_satudata", lang, year=year)
    return t("idm_edition_rekomendasi_2023" if carried else "idm_edition_rekomendasi", lang, year=year)


def idm_labels(idm: pd.DataFrame, lang: str) -> pd.Series:
    """``idm_label`` per row of an IDM frame (index as the frame's)."""
    edition = idm["edition"] if "edition" in idm else pd.Series(EDITION_WORKBOOK, index=idm.index)
    carried = idm["carried_2023"] if "carried_2023" in idm else pd.Series(False, index=idm.index)
    return pd.Series([idm_label(e, c, int(y), lang) for e, c, y in zip(edition, carried, idm["year"], strict=True)],
                     index=idm.index, dtype="str")


def idm_source_counts(idm: pd.DataFrame, code: str) -> dict[str, int]:
    """Desa of region ``code`` per IDM edition and those Satu Data marks as carried from 2023."""
    rows = idm[in_region(idm["code"], code)]
    edition = rows["edition"] if "edition" in rows else pd.Series(EDITION_WORKBOOK, index=rows.index)
    carried = rows["carried_2023"].fillna(False).astype(bool) if "carried_2023" in rows else pd.Series(False, index=rows.index)
    return {"workbook": int((edition == EDITION_WORKBOOK).sum()), "satudata": int((edition == EDITION_SATUDATA).sum()),
            "carried": int(carried.sum())}


def idm_source_line(idm: pd.DataFrame, code: str, lang: str) -> str:
    """One sentence naming where region ``code``'s IDM values come from (edition counts)."""
    n = idm_source_counts(idm, code)
    return t("idm_sources", lang, workbook=fmt_int(n["workbook"], lang), satudata=fmt_int(n["satudata"], lang),
             carried=fmt_int(n["carried"], lang))


def source_line(source: str, idm: pd.DataFrame, code: str, lang: str) -> str:
    """The source sentence of a figure family in region ``code``: ``idm`` (values by edition) or ``idm_rec``
    (signal and internet: only desa with Kemendesa's recommendation rows)."""
    if source == "idm":
        return idm_source_line(idm, code, lang)
    rows = idm[in_region(idm["code"], code)]
    known = int(rows["signal"].notna().sum())
    return t("infra_sources", lang, known=fmt_int(known, lang), unknown=fmt_int(len(rows) - known, lang))
