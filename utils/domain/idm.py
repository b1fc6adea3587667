"""Indeks Desa Membangun (IDM): the five statuses and the score bands that define them.

IDM (Kemendesa PDTT, to 2024) scores each desa 0..1 as the mean of IKS, IKE and IKL; the status follows
from the score (Permendesa PDTT 2/2016): Sangat Tertinggal ≤ 0.4907 < Tertinggal ≤ 0.5989 < Berkembang
≤ 0.7072 < Maju ≤ 0.8155 < Mandiri.
"""

from __future__ import annotations

#: Statuses from best to worst, as the workbooks spell them.
IDM_STATUSES: tuple[str, ...] = ("Mandiri", "Maju", "Berkembang", "Tertinggal", "Sangat Tertinggal")
#: Score band edges, worst to best: a score above IDM_BREAKS[i] and at most IDM_BREAKS[i+1] has status
#: ``tuple(reversed(IDM_STATUSES))[i]``.
IDM_BREAKS: tuple[float, ...] = (0.0, 0.4907, 0.5989, 0.7072, 0.8155, 1.0)


def status_column(status: str) -> str:
    """Indicator-table column counting desa of one status: ``Sangat Tertinggal`` → ``idm_sangat_tertinggal``."""
    return f"idm_{status.lower().replace(' ', '_')}"


# ---- IDM 2024 editions -------------------------------------------------------------------------------
# Two publications of IDM 2024 reach the dashboard (sources/README.md): Kemendesa's recommendation workbook
# (2,307 desa, with the recommendation rows and so the signal/internet facts) and the Satu Data Indonesia
# edition (all 2,446 desa, no recommendations). The build keeps the workbook's value where it exists and
# fills the rest from Satu Data; every value keeps the name of the edition it came from.

#: Edition codes, as stored in ``idm.parquet`` column ``edition``.
EDITION_WORKBOOK = "rekomendasi"
EDITION_SATUDATA = "satudata"
EDITIONS: tuple[str, ...] = (EDITION_WORKBOOK, EDITION_SATUDATA)
#: Satu Data's status numbers (1 best … 5 worst) and its flag for a value carried from the 2023 update.
SATUDATA_STATUS: dict[int, str] = dict(enumerate(IDM_STATUSES, start=1))
SATUDATA_CARRIED_FLAG = 2


#: IDM's mobile-signal values as stored (Bahasa Indonesia) with their labels (id, en): the English view must
#: never show "lemah" or "tidak ada" (``utils.i18n.signal_label`` picks one).
SIGNAL_LABELS: dict[str, tuple[str, str]] = {"kuat": ("kuat", "strong"), "lemah": ("lemah", "weak"),
                                             "tidak ada": ("tidak ada", "none")}
