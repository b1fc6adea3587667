"""Who has reported: real data per kabupaten and kind, what a total covers, and the reporting tracker's rows.

Once a kind holds real data (``Dataset.reporting``), a kabupaten without a real report of that kind reads
"belum melapor" (never 0, never the demo figure), and a total over several kabupaten covers only the desa
of those that reported: "1.234 desa dari 6 kabupaten yang sudah melapor". The sentences, the banner lines and the
tracker's table as shown are in ``utils.views.reporting_display``; this module returns codes and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from utils.data.dataset import REPORTING_GROUPS, TABLE_GROUP, Dataset
from utils.domain.codes import PROVINCE_CODE, region_level
from utils.intake.apply import REPORT_DUE_DAY_KEY

#: Adoption rates of the indicator table (``indicators.region_indicators``): rate column -> count column.
ADOPTION_RATES = {"pct_joined": "joined", "pct_operator_trained": "operator_trained",
                  "pct_services_active": "services_active", "pct_integrated": "integrated"}


def reported(ds: Dataset, group: str, kab_codes: pd.Series) -> pd.Series:
    """Per row of ``kab_codes``: True when that kabupaten's figures of ``group`` can be shown."""
    if group not in ds.reporting:
        return pd.Series(True, index=kab_codes.index)
    return kab_codes.isin(ds.reporting[group])


def mask_unreported(out: pd.DataFrame, snap: pd.DataFrame, by: str) -> pd.DataFrame:
    """``region_indicators``' table with the adoption rates over the desa of kabupaten that reported:
    NaN where none did (``adoption_reported`` False: "belum melapor"), and the number of those desa in
    ``desa_reported``. A region without desa stays "tidak berlaku" (``adoption_reported`` True)."""
    if "adoption_reported" not in snap:
        return out
    desa = snap[snap["adoption_applies"]]
    counted = desa[desa["adoption_reported"]]
    covered = counted.groupby(counted[by]).size().reindex(out.index).fillna(0).astype(int)
    out["desa_reported"] = covered
    out["adoption_reported"] = (covered > 0) | (out["desa"] == 0)
    for rate, count in ADOPTION_RATES.items():
        out[rate] = (100 * out[count] / covered).where(covered > 0)
    out["mean_stage"] = counted.groupby(counted[by])["stage_order"].mean().reindex(out.index)
    return out


@dataclass(frozen=True)
class Coverage:
    """What a region's adoption figures cover."""

    desa: int  # desa of the region in kabupaten that reported (all desa while nothing is missing)
    desa_total: int
    kab_reported: tuple[str, ...]  # kabupaten (with desa) of the region that reported
    kab_missing: tuple[str, ...]  # ... and those that have not

    @property
    def partial(self) -> bool:
        return bool(self.kab_missing)

    @property
    def none(self) -> bool:
        return not self.kab_reported and bool(self.kab_missing)


def coverage(ds: Dataset, snapshot: pd.DataFrame, code: str, group: str = "adoption") -> Coverage:
    """Coverage of ``code``'s figures of ``group`` (``snapshot``: ``indicators.village_snapshot``)."""
    rows = snapshot if code == PROVINCE_CODE else snapshot[snapshot.index.str.startswith(code + ".")
                                                           | (snapshot.index == code)]
    desa = rows[rows["adoption_applies"]]
    kabs = sorted(desa["kab_code"].unique())
    ok = reported(ds, group, pd.Series(kabs, dtype="str"))
    done = tuple(k for k, y in zip(kabs, ok, strict=True) if y)
    missing = tuple(k for k, y in zip(kabs, ok, strict=True) if not y)
    return Coverage(int(desa["kab_code"].isin(done).sum()), len(desa), done, missing)


@dataclass(frozen=True)
class ApprovalEffect:
    """What approving an upload changes on every page: its data group's first real report (every kabupaten
    without one then reads "belum melapor"), or the next kabupaten joining those already reporting."""

    group: str  # a DEMO_GROUPS key
    kab_code: str | None  # None: a province upload
    first: bool
    reporting: int  # kabupaten already reporting real rows of the group


def approval_effect(ds: Dataset, kind: str, kab_code: object) -> ApprovalEffect | None:
    """The effect of approving an upload of ``kind`` for ``kab_code``; None when nothing changes beyond its
    rows (the demo set is being viewed, a kind outside the reporting groups, a kabupaten already reporting)."""
    code = kab_code if isinstance(kab_code, str) and kab_code else None
    kab = code if code and region_level(code) == "kabupaten" else None
    group = TABLE_GROUP.get(kind)
    if group is None or group not in REPORTING_GROUPS or ds.viewing_demo:
        return None
    if group not in ds.reporting:
        return ApprovalEffect(group, kab, True, 0)
    if code and code not in ds.reporting[group]:
        return ApprovalEffect(group, kab, False, len(ds.reporting[group]))
    return None


def kabupaten_with_desa(ds: Dataset) -> list[str]:
    """Codes of the kabupaten that have desa (the two kota have only kelurahan: adoption does not apply)."""
    regions = ds.regions
    return sorted(regions.loc[regions["level"].eq("desa") & regions["village_type"].eq("desa"), "kab_code"].unique())


def target_is_demo(ds: Dataset, code: str, year: int, indicator: str = "pct_bergabung") -> bool:
    """True when the target in force for ``code`` (its kabupaten's own, else the province's, as
    ``indicators.target_for`` picks it) is still a demo row, not one the Dinas set."""
    rows = ds["targets"]
    rows = rows[(rows["year"] == year) & (rows["indicator"] == indicator)]
    kab = code[:5] if code != PROVINCE_CODE else PROVINCE_CODE
    for region in (kab, PROVINCE_CODE):
        hit = rows.loc[rows["region_code"] == region, "source"]
        if not hit.empty:
            return bool(hit.iloc[0] == "demo")
    return False


# --------------------------------------------------------------------------------------------------
# Reporting tracker: per month and kabupaten, which reports arrived, when, from whom, what they cover,
# their approval state, and whether they came after the due day the Dinas sets.

#: Upload kinds a kabupaten sends (programme templates and its status report).
TRACKED_KINDS = ("status_report", "adoption", "services", "officers", "bimtek_events", "bimtek_participants")
DUE_DAY_KEY = REPORT_DUE_DAY_KEY
DEFAULT_DUE_DAY = 10


def due_day(meta: dict[str, str]) -> int:
    """The due day the Dinas set (1..28), else DEFAULT_DUE_DAY."""
    try:
        day = int(meta.get(DUE_DAY_KEY) or DEFAULT_DUE_DAY)
    except ValueError:
        return DEFAULT_DUE_DAY
    return day if 1 <= day <= 28 else DEFAULT_DUE_DAY


def due_date(period: str, day: int):
    """``period`` "YYYY-MM": its report is due on ``day`` of the next month."""
    import datetime as dt

    year, month = map(int, period.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, day)


def upload_period(uploads: pd.DataFrame) -> pd.Series:
    """The month an upload reports on: its data date ("keadaan s.d."), else the month before it arrived
    (a report sent in early May is April's)."""
    arrived = pd.to_datetime(uploads["uploaded_at"])
    before = (arrived.dt.to_period("M") - 1).astype(str)
    as_of = pd.to_datetime(uploads["as_of"]) if "as_of" in uploads else pd.Series(pd.NaT, index=uploads.index)
    return as_of.dt.to_period("M").astype(str).where(as_of.notna(), before)


def tracker(uploads: pd.DataFrame, covered: dict[int, int], regions: pd.DataFrame, period: str, day: int,
            today) -> pd.DataFrame:
    """One row per report of ``period`` per kabupaten/kota, and one per kabupaten/kota without any:
    kab_code, kind (None: nothing arrived), upload_id, file_name, uploaded_at, uploader, status ("missing"
    when nothing arrived), pekon (villages the report names), pekon_total, due, late. Uploads carry
    ``store.read_uploads``' columns; ``covered``: upload_id -> villages named (``upload_coverage``)."""
    kabs = regions[regions["level"] == "kabupaten"]
    totals = regions[regions["level"] == "desa"].groupby("kab_code").size().to_dict()
    due = due_date(period, day)
    ups = uploads[uploads["kind"].isin(TRACKED_KINDS) & uploads["kab_code"].notna()
                  & ~uploads["status"].eq("failed")].copy()
    ups = ups[upload_period(ups) == period].sort_values("uploaded_at", kind="stable")
    # One pass over the uploads, then one over the kabupaten (filtering the uploads once per kabupaten cost
    # 9 s a rerun for the national set's 514).
    by_kab: dict[str, list[dict]] = {}
    for u in ups.to_dict("records"):
        by_kab.setdefault(u["kab_code"], []).append(u)
    rows = []
    for kab in kabs["code"]:
        mine = by_kab.get(kab, [])
        for u in mine:
            arrived = pd.Timestamp(u["uploaded_at"])
            rows.append({"kab_code": kab, "kind": u["kind"], "upload_id": int(u["upload_id"]),
                         "file_name": u["file_name"], "uploaded_at": arrived, "uploader": u["uploader"],
                         "status": u["status"], "pekon": covered.get(int(u["upload_id"]), 0),
                         "pekon_total": int(totals.get(kab, 0)), "due": due, "late": arrived.date() > due})
        if not mine:
            rows.append({"kab_code": kab, "kind": None, "upload_id": None, "file_name": None, "uploaded_at": pd.NaT,
                         "uploader": None, "status": "missing", "pekon": 0, "pekon_total": int(totals.get(kab, 0)),
                         "due": due, "late": today > due})
    return pd.DataFrame(rows)


def upload_coverage(engine, upload_ids: list[int]) -> dict[int, int]:
    """upload_id -> distinct villages its rows name (the rows it sent: staged image)."""
    import json

    from sqlalchemy import select

    from utils.data import store

    out: dict[int, set] = {i: set() for i in upload_ids}
    if not upload_ids:
        return {}
    t_ = store.upload_rows
    with engine.connect() as conn:
        for uid, row in conn.execute(select(t_.c.upload_id, t_.c.row_json).where(
                t_.c.upload_id.in_(upload_ids), t_.c.image == "staged")):
            code = json.loads(row).get("village_code")
            if code:
                out[uid].add(code)
    return {k: len(v) for k, v in out.items()}
