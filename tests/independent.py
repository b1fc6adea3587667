"""Expected values counted straight from the store's rows and code prefixes (never via utils.metrics.indicators)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

JOINED_OR_DEEPER = ("bergabung", "operator_terlatih", "layanan_aktif", "data_terintegrasi")


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
