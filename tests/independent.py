"""Expected values counted straight from the store's rows and code prefixes (never via utils.metrics.indicators)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

JOINED_OR_DEEPER = ("bergabung", "operator_terlatih", "layanan_aktif", "data_terintegrasi")
DAYS_PER_MONTH = 365.25 / 12


def joined_desa(store_frames: dict[str, pd.DataFrame], as_of: dt.date, prefix: str = "18") -> int:
    """Desa (4th code segment 2xxx) in region ``prefix`` at ``bergabung`` or deeper by ``as_of``."""
    a = store_frames["adoption"]
    rows = a[a["stage"].isin(JOINED_OR_DEEPER) & (a["reached_on"] <= pd.Timestamp(as_of))]
    codes = rows["village_code"].drop_duplicates()
    if prefix != "18":
        codes = codes[codes.str.startswith(prefix + ".") | (codes == prefix)]
    return int(codes.str.split(".").str[3].str.startswith("2").sum())


def desa_count(regions: pd.DataFrame, prefix: str = "18") -> int:
    """Desa in region ``prefix``, from the code list alone."""
    codes = regions.loc[regions["code"].str.count(r"\.") == 3, "code"]
    if prefix != "18":
        codes = codes[codes.str.startswith(prefix + ".") | (codes == prefix)]
    return int(codes.str.split(".").str[3].str.startswith("2").sum())


def kecamatan_paces(store_frames, regions, as_of: dt.date) -> pd.DataFrame:
    """Per kecamatan: desa, joined now, whether it gained desa in the 12 months, fitted pace (np.polyfit)."""
    codes = regions.loc[regions["code"].str.count(r"\.") == 3, "code"]
    desa = codes[codes.str.split(".").str[3].str.startswith("2")]
    a = store_frames["adoption"]
    joined = a[a["stage"].isin(JOINED_OR_DEEPER) & a["village_code"].isin(desa)].groupby("village_code")["reached_on"].min()
    points = pd.date_range(end=pd.Timestamp(as_of), periods=13, freq="ME")
    kec = desa.str[:8]
    rows = []
    for k, members in desa.groupby(kec):
        days = joined.reindex(members.to_numpy())
        y = np.array([(days <= p).sum() for p in points], dtype=float)
        slope = np.polyfit(np.arange(13, dtype=float), y, 1)[0] if y[-1] > y[0] else 0.0
        rows.append({"kec": k, "kab": k[:5], "desa": len(members), "current": int(y[-1]), "pace": max(slope, 0.0)})
    return pd.DataFrame(rows).set_index("kec")


def forecast_month(as_of: dt.date, months: float) -> tuple[int, int] | None:
    """(year, month) ``months`` after ``as_of`` (30,44-day months for the fraction); None beyond ten years."""
    if months > 120:  # beyond ten years the page says "lebih dari 10 tahun", not a month
        return None
    whole = int(round(months, 6))
    day = pd.Timestamp(as_of) + pd.DateOffset(months=whole) + pd.Timedelta(days=(months - whole) * DAYS_PER_MONTH)
    return day.year, day.month


def expected_forecast(parts: pd.DataFrame, as_of: dt.date) -> dict:
    """The forecast of a region whose target is all its desa (the demo's 100 % from 2024 on)."""
    short = parts[parts["current"] < parts["desa"]]
    if short.empty:
        return {"status": "reached"}
    stalled = short[short["pace"] <= 1e-9]
    moving = short[short["pace"] > 1e-9]
    finish = ((moving["desa"] - moving["current"]) / moving["pace"]).max() if len(moving) else None
    if stalled.empty:
        return {"status": "on_pace", "month": forecast_month(as_of, finish)}
    return {"status": "stalled", "stalled_desa": int((stalled["desa"] - stalled["current"]).sum()),
            "stalled_parts": len(stalled), "rest_month": None if finish is None else forecast_month(as_of, finish)}
