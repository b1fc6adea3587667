"""The one filter state shared by every page: region (kabupaten → kecamatan → desa), period, language.

Pure functions only (no streamlit): parsing the URL's query parameters, validating codes against the
region list, and turning the state back into query parameters, so a link reproduces the view.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from utils.domain.codes import LINK_CODE_RE, PROVINCE_CODE, region_level

#: Languages of the interface, Bahasa Indonesia first.
LANGS = ("id", "en")
DEFAULT_LANG = "id"


@dataclass(frozen=True)
class FilterState:
    """Region and period selection. ``year``/``quarter`` give the period end (capped at the data date)."""

    kab: str | None = None
    kec: str | None = None
    desa: str | None = None
    year: int | None = None
    quarter: int | None = None
    lang: str = DEFAULT_LANG

    @property
    def region_code(self) -> str:
        """The most specific selected code, or the province's."""
        return self.desa or self.kec or self.kab or PROVINCE_CODE

    @property
    def level(self) -> str:
        """provinsi, kabupaten, kecamatan or desa."""
        return region_level(self.region_code)

    def with_region(self, code: str | None) -> FilterState:
        """The same state focused on ``code`` (any level); ancestors follow from the code itself."""
        if not code or code == PROVINCE_CODE:
            return replace(self, kab=None, kec=None, desa=None)
        parts = code.split(".")
        kab = ".".join(parts[:2])
        kec = ".".join(parts[:3]) if len(parts) >= 3 else None
        desa = code if len(parts) == 4 else None
        return replace(self, kab=kab, kec=kec, desa=desa)


def quarter_end(year: int, quarter: int) -> dt.date:
    """Last day of a quarter."""
    month = quarter * 3
    return (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()


def period_end(state: FilterState, data_as_of: dt.date) -> dt.date:
    """The date the figures are computed at: end of the chosen quarter, never after the data date."""
    if state.year is None or state.quarter is None:
        return data_as_of
    return min(quarter_end(state.year, state.quarter), data_as_of)


def default_period(data_as_of: dt.date) -> tuple[int, int]:
    """Year and quarter that contain the data date."""
    return data_as_of.year, (data_as_of.month - 1) // 3 + 1


def parse_lang(value: object) -> str:
    """The interface language a URL asks for (``?lang=en``); anything else is the default, Bahasa Indonesia."""
    return value if isinstance(value, str) and value in LANGS else DEFAULT_LANG


def parse_query(params: Mapping[str, str], known_codes: set[str], data_as_of: dt.date,
                first_year: int = 2020) -> tuple[FilterState, list[tuple[str, dict[str, str]]]]:
    """Read a FilterState from URL query parameters.

    Unknown or malformed values never raise: they fall back to the province / latest period and
    come back as notices ``(message_key, kwargs)`` for the page to show.
    """
    notices: list[tuple[str, dict[str, str]]] = []
    lang = parse_lang(params.get("lang"))

    # The most specific valid code wins; kab/kec only narrow when desa is absent.
    code = None
    for key in ("desa", "kec", "kab"):
        value = (params.get(key) or "").strip()
        if not value:
            continue
        if LINK_CODE_RE.match(value) and value in known_codes and region_level(value) == _level_for_key(key):
            code = value
            break
        notices.append(("bad_code", {"code": value[:40]}))
        break
    state = FilterState(lang=lang).with_region(code)

    year, quarter = default_period(data_as_of)
    raw_year, raw_q = params.get("tahun"), params.get("tw")
    if raw_year or raw_q:
        try:
            y = int(raw_year) if raw_year else year
            q = int(raw_q) if raw_q else 4
            year, quarter = checked_period(y, q, data_as_of, first_year)
        except ValueError:
            notices.append(("bad_period", {"value": f"{raw_year or ''}/{raw_q or ''}"[:40]}))
    return replace(state, year=year, quarter=quarter), notices


def checked_period(year: int, quarter: int, data_as_of: dt.date, first_year: int = 2020) -> tuple[int, int]:
    """``(year, quarter)`` when it is a quarter from ``first_year`` up to the one holding the data date; else
    ValueError (the rule of the URL's ``tahun``/``tw`` and of ``parse_period``)."""
    if not (first_year <= year <= data_as_of.year and 1 <= quarter <= 4) or quarter_end(year, quarter) > quarter_end(
            *default_period(data_as_of)):
        raise ValueError(f"period {year} Q{quarter} outside {first_year} Q1 .. {default_period(data_as_of)}")
    return year, quarter


#: A period as typed on the command line: ``2026Q3``, ``2026-Q3``, ``2026 TW3``, ``2026/3`` (tahun/tw, as the
#: filter's URL has them), ``tahun=2026&tw=3`` (the URL's own form) or a quarter's end date ``2026-09-30``.
_PERIOD_RES = (re.compile(r"^(\d{4})\s*[-/ ]?\s*(?:q|tw|triwulan)?\s*([1-4])$", re.IGNORECASE),
               re.compile(r"^tahun=(\d{4})&tw=([1-4])$", re.IGNORECASE))


def parse_period(text: str, data_as_of: dt.date, first_year: int = 2020) -> tuple[int, int]:
    """``(year, quarter)`` of a typed period (forms in ``_PERIOD_RES``, a quarter-end date, or ``terkini`` /
    ``latest`` for the quarter holding the data date); ValueError when it is not one or lies outside
    ``first_year`` .. the data date's quarter (``checked_period``)."""
    value = (text or "").strip()
    if value.lower() in ("terkini", "latest"):
        return default_period(data_as_of)
    for pattern in _PERIOD_RES:
        if m := pattern.match(value):
            return checked_period(int(m.group(1)), int(m.group(2)), data_as_of, first_year)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a period: {value[:40]!r}") from None
    quarter = (day.month - 1) // 3 + 1
    if day != quarter_end(day.year, quarter):
        raise ValueError(f"not a quarter end: {value}")
    return checked_period(day.year, quarter, data_as_of, first_year)


def _level_for_key(key: str) -> str:
    return {"kab": "kabupaten", "kec": "kecamatan", "desa": "desa"}[key]


def to_query(state: FilterState, data_as_of: dt.date) -> dict[str, str]:
    """Query parameters for ``state``; defaults are left out so links stay short."""
    query: dict[str, str] = {}
    if state.desa:
        query["desa"] = state.desa
    elif state.kec:
        query["kec"] = state.kec
    elif state.kab:
        query["kab"] = state.kab
    if (state.year, state.quarter) != default_period(data_as_of) and state.year and state.quarter:
        query["tahun"], query["tw"] = str(state.year), str(state.quarter)
    if state.lang != DEFAULT_LANG:
        query["lang"] = state.lang
    return query


def breadcrumb(state: FilterState, names: Mapping[str, str], province_label: str) -> list[tuple[str, str]]:
    """[(code, label)] from the province down to the selection, for headings and links."""
    crumbs = [(PROVINCE_CODE, province_label)]
    for code in (state.kab, state.kec, state.desa):
        if code:
            crumbs.append((code, names.get(code, code)))
    return crumbs


def region_options(regions: pd.DataFrame, parent: str, level: str) -> pd.DataFrame:
    """Children of ``parent`` at ``level`` (code, display_name), sorted by name for the select boxes."""
    rows = regions[(regions["level"] == level) & (regions["parent"] == parent)]
    return rows[["code", "display_name"]].sort_values("display_name")
