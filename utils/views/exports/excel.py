"""Exports that follow the filter: file names, the filtered tables, and the Excel workbook.

No streamlit. Every download is named by ``download_name`` and the PPTX/PDF decks build on ``filtered_tables`` too, so every
export carries the same region, period and privacy rules.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from typing import TYPE_CHECKING

import pandas as pd

from utils.data.dataset import TABLE_GROUP, Dataset
from utils.domain.codes import PROVINCE_CODE, in_region
from utils.domain.filters import FilterState
from utils.domain.indeks_desa import DIMENSION_CODES
from utils.i18n import fmt_date, inert, label, t
from utils.metrics import development, indicators
from utils.views import index_display as ixv

if TYPE_CHECKING:
    from openpyxl import Workbook

#: MIME type of an .xlsx download.
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Columns never exported by default (UU 27/2022, minimisation): training participants' names, and events'
#: free-text notes, which can hold anything typed (a name, a phone number) and are not needed for the figures.
PERSONAL_COLUMNS = {"bimtek_participants": ("name",), "bimtek_events": ("notes",)}
#: Sheet order: the region list and indicators first, then IDM, then every programme table.
PROGRAMME_SHEETS = ("adoption", "services", "officers", "bimtek_events", "bimtek_venues",
                    "bimtek_participants", "meetings", "meeting_attendance", "targets")


def region_slug(ds: Dataset, code: str) -> str:
    """Short file-name part for a region: ``provinsi-lampung``, ``kab-tanggamus``, ``kec-gisting``."""
    if code == PROVINCE_CODE:
        return "provinsi-lampung"
    row = ds.regions.loc[ds.regions["code"] == code].iloc[0]
    prefix = {"kabupaten": "kab", "kecamatan": "kec", "desa": row["village_type"]}[row["level"]]
    if row["level"] == "kabupaten" and str(row["display_name"]).lower().startswith("kota"):
        prefix = "kota"
    ascii_name = unicodedata.normalize("NFKD", str(row["name"])).encode("ascii", "ignore").decode()
    name = re.sub(r"^(kota|kabupaten|kab)\s+", "", ascii_name.lower())
    name = re.sub(r"[^a-z0-9]+", "-", name).strip("-")
    return f"{prefix}-{name}"


def download_name(ds: Dataset, code: str, what: str, as_of: dt.date, ext: str) -> str:
    """The one file-name pattern of every download: ``smart-village_<what>_<region>_<period end>.<ext>``,
    with ``_data-contoh`` before the extension while the data shows demo rows, e.g.
    ``smart-village_adopsi-tahapan_kab-tanggamus_2026-10-31_data-contoh.csv``."""
    slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
    demo = "_data-contoh" if ds.is_demo else ""
    return f"smart-village_{slug}_{region_slug(ds, code)}_{as_of.isoformat()}{demo}.{ext}"


def demo_note(ds: Dataset, lang: str) -> str | None:
    """The marker every artefact carries while demo rows are in the data ("Data contoh"); None otherwise."""
    return t("artefact_demo", lang) if ds.is_demo else None


def csv_bytes(frame: pd.DataFrame, ds: Dataset, lang: str) -> bytes:
    """A table as CSV for Excel through the one CSV writer (``inert.csv_bytes``: UTF-8 with BOM, formula-like
    text neutralised, CRLF rows): while demo rows are in the data every row says so in a first column
    "Keterangan" = "Data contoh" (a column, not a comment line that would break spreadsheets)."""
    out = frame.copy()
    note = demo_note(ds, lang)
    if note:
        label = t("artefact_demo_col", lang)  # a table with a column of that name already keeps it: the mark is named apart
        out.insert(0, label if label not in out.columns else f"{label} ({note})", note)
    return inert.csv_bytes(out)


def filtered_tables(ds: Dataset, state: FilterState, as_of: dt.date,
                    include_personal: bool = False) -> dict[str, pd.DataFrame]:
    """Every table restricted to the filter's region and to records dated up to ``as_of``.

    Bimtek events and venues follow their participants (an event counts for a region when one of its
    participants comes from there); targets keep the province's and the region's kabupaten's rows.
    """
    code, end = state.region_code, pd.Timestamp(as_of)
    regions = ds.regions[in_region(ds.regions["code"], code) | (ds.regions["code"] == PROVINCE_CODE)]
    villages = set(regions.loc[regions["level"] == "desa", "code"])
    out: dict[str, pd.DataFrame] = {"regions": regions.reset_index(drop=True)}
    out["idm"] = ds.idm[ds.idm["code"].isin(villages)].reset_index(drop=True)

    def dated(frame: pd.DataFrame, col: str) -> pd.DataFrame:
        return frame[frame[col].isna() | (frame[col] <= end)] if col in frame else frame

    out["adoption"] = dated(ds["adoption"][ds["adoption"]["village_code"].isin(villages)], "reached_on")
    out["services"] = dated(ds["services"][ds["services"]["village_code"].isin(villages)], "started_on")
    out["officers"] = dated(ds["officers"][ds["officers"]["village_code"].isin(villages)], "appointed_on")
    events = ds["bimtek_events"][ds["bimtek_events"]["start_date"] <= end]
    parts = ds["bimtek_participants"]
    parts = parts[parts["village_code"].isin(villages) & parts["event_id"].isin(events["event_id"])]
    if code != PROVINCE_CODE:
        events = events[events["event_id"].isin(parts["event_id"])]
    out["bimtek_events"] = events
    out["bimtek_venues"] = ds["bimtek_venues"][ds["bimtek_venues"]["event_id"].isin(events["event_id"])]
    if not include_personal:  # UU PDP minimisation: names and free text stay out (docs/reliability.md)
        parts = parts.drop(columns=list(PERSONAL_COLUMNS["bimtek_participants"]), errors="ignore")
        out["bimtek_events"] = events.drop(columns=list(PERSONAL_COLUMNS["bimtek_events"]), errors="ignore")
    out["bimtek_participants"] = parts
    attendance = ds["meeting_attendance"]
    meetings = ds["meetings"][ds["meetings"]["date"] <= end]
    if code != PROVINCE_CODE:
        ours = set(out["officers"]["officer_id"])
        attendance = attendance[attendance["officer_id"].isin(ours)]
        meetings = meetings[meetings["meeting_id"].isin(attendance["meeting_id"])]
    out["meetings"] = meetings
    out["meeting_attendance"] = attendance[attendance["meeting_id"].isin(meetings["meeting_id"])]
    targets = ds["targets"]
    kab = state.kab or PROVINCE_CODE
    out["targets"] = targets[targets["region_code"].isin({PROVINCE_CODE, kab})]
    return {name: frame.reset_index(drop=True) for name, frame in out.items()}


def indeks_sheet(ds: Dataset, state: FilterState, as_of: dt.date, lang: str) -> pd.DataFrame | None:
    """The period's Indeks Desa round for the filter's desa, each row naming its source (None before any import)."""
    rnd = development.indeks_round(ds, as_of.year)
    if rnd is None:
        return None
    rows = rnd.desa[in_region(rnd.desa["code"], state.region_code)]
    src = {k: t(f"ix_sheet_src_{k}", lang, year=rnd.year) for k in ("file", "dashboard")}
    out = pd.DataFrame({"code": rows["code"], "year": rows["year"], "id_status": rows["status"],
                        "id_status_source": rows["status_source"], "id_total": rows["total"],
                        **{f"id_dim_{d}": rows[f"dim_{d}"] for d in DIMENSION_CODES},
                        "id_source": rows["total_source"].map(src)})
    return out.reset_index(drop=True)


def _header(col: str, lang: str) -> str:
    try:
        return t(f"col_{col}", lang)
    except KeyError:
        return col


def _sheet_is_demo(ds: Dataset, name: str) -> bool:
    """Whether a sheet holds (or is computed from) demo rows. Regions and IDM are public data, never demo;
    the indicators are computed from the programme tables."""
    if not ds.is_demo or name in ("regions", "idm"):
        return False
    if ds.demo_tables is None or name == "indicators":
        return True
    return TABLE_GROUP.get(name) in ds.demo_tables


def _labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Programme codes as the pages show them (stage, pillar, role and target indicator labels) and rates
    rounded as shown: a spreadsheet reader should not meet ``operator_terlatih`` or 84.61538461538461."""
    from utils.domain.programme import PARTICIPANT_ROLES, PILLARS, STAGES, TARGET_INDICATORS

    out = frame.copy()
    labels = {"stage": {s.code: label(s, lang) for s in STAGES},
              "pillar": {p.code: label(p, lang) for p in PILLARS},
              "role": {r.code: label(r, lang) for r in PARTICIPANT_ROLES},
              "indicator": {k: label(v, lang) for k, v in TARGET_INDICATORS.items()}}
    for col, mapping in labels.items():
        if col in out and out[col].dtype != "float64":
            out[col] = out[col].map(lambda v, m=mapping: m.get(v, v))
    for col in out.columns:
        if out[col].dtype == "float64":
            digits = 4 if col in ("idm_mean", "nilai") else 2 if col == "mean_stage" else 1
            out[col] = out[col].round(digits)
    return out


def _write_sheet(wb: Workbook, title: str, frame: pd.DataFrame, lang: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title[:31])
    ws.append([inert.cell(_header(c, lang)) for c in frame.columns])  # a header taken from data stays text
    for cell in ws[1]:
        cell.font = Font(bold=True)
    date_cols = [i for i, c in enumerate(frame.columns, 1) if pd.api.types.is_datetime64_any_dtype(frame[c])]
    for row in frame.itertuples(index=False):
        ws.append([None if (v is None or (not isinstance(v, str) and pd.isna(v))) else
                   (v.date() if isinstance(v, pd.Timestamp) else inert.cell(v)) for v in row])
    for i in date_cols:
        for cell in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            cell[0].number_format = "DD/MM/YYYY"
    for i, col in enumerate(frame.columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(40, max(10, len(_header(col, lang)) + 2))
    ws.freeze_panes = "A2"


def sheet_title(ds: Dataset, name: str, lang: str) -> str:
    """A sheet's tab title, "Adopsi (contoh)" while it holds demo rows (at most 31 characters)."""
    base = t(f"sheet_{name}", lang)
    return f"{base} ({t('artefact_demo_sheet', lang)})" if _sheet_is_demo(ds, name) else base


def workbook_bytes(ds: Dataset, state: FilterState, as_of: dt.date, generated_at: dt.datetime,
                   snapshot: pd.DataFrame | None = None) -> bytes:
    """The filtered data as an .xlsx: a README sheet, region list, indicators, IDM and each programme table.

    While demo rows are in the data the README says so first and every sheet holding them has "(contoh)"
    in its tab title. ``snapshot``: ``indicators.village_snapshot(ds, as_of)`` when the caller has it."""
    lang = state.lang
    tables = filtered_tables(ds, state, as_of)
    level_by = {"provinsi": "kab_code", "kabupaten": "kec_code"}.get(state.level, "code")
    snap = indicators.village_snapshot(ds, as_of) if snapshot is None else snapshot
    snap = indicators.select(snap, state.region_code)
    per_region = indicators.region_indicators(snap, level_by).reset_index()
    per_region.insert(1, "name", per_region["code"].map(ds.names))
    idm = tables.pop("idm")
    idm = idm.assign(edition=ixv.idm_labels(idm, lang)) if len(idm) else idm  # source named per desa
    sheets = {"regions": tables.pop("regions"), "indicators": per_region, "idm": idm,
              **({"indeks_desa": ix} if (ix := indeks_sheet(ds, state, as_of, lang)) is not None else {}),
              **{name: tables[name] for name in PROGRAMME_SHEETS}}

    # openpyxl (0.5 s of import) only when a workbook is written: every page's first run imports this module.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    readme.title = t("xlsx_readme", lang) + (f" ({t('artefact_demo_sheet', lang)})" if ds.is_demo else "")
    programme = t("programme_demo" if ds.is_demo else "programme_real", lang)
    note = demo_note(ds, lang)
    rows = [
        (t("xlsx_title", lang) + (f" — {note.upper()}" if note else ""), ""),
        *([(note, t("xlsx_demo_text", lang))] if note else []),
        (t("xlsx_region", lang), ds.names.get(state.region_code, t("province", lang))
         if state.region_code != PROVINCE_CODE else t("province", lang)),
        (t("xlsx_period", lang), fmt_date(as_of, lang)),
        (t("xlsx_data_as_of", lang), fmt_date(ds.data_as_of, lang)),
        (t("xlsx_programme", lang), programme + (f" — {note}" if note else "")),
        (t("xlsx_language", lang), t("xlsx_language_name", lang)),
        (t("xlsx_generated", lang), generated_at.strftime("%Y-%m-%d %H:%M")),
        (t("xlsx_sources", lang), t("sources", lang, programme=programme)),
        ("", t("xlsx_privacy", lang)),
        ("", t("xlsx_formula_note", lang)),
        ("", ""),
        (t("xlsx_sheets", lang), ""),
    ]
    rows += [(sheet_title(ds, name, lang), f"{len(frame)} {t('xlsx_rows', lang)}") for name, frame in sheets.items()]
    for row in rows:
        readme.append([inert.cell(v) for v in row])
    readme["A1"].font = Font(bold=True, size=14)
    if note:
        readme["A2"].font = Font(bold=True, color="B01E1E")
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["B"].width = 100
    for name, frame in sheets.items():
        _write_sheet(wb, sheet_title(ds, name, lang), _labelled(frame, lang), lang)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def table_xlsx(frame: pd.DataFrame, title: str, lang: str) -> bytes:
    """One already labelled table as an .xlsx of one sheet (formula-like text neutralised, bold header)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _write_sheet(wb, title, frame, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
