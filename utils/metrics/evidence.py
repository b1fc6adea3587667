"""Each reported stage beside its evidence from other sources; no source overrides another.

A stage is stored and shown as reported (``adoption``). Some stages have evidence kept elsewhere: a trained
operator is a Bimtek participant with the ``operator`` role whose event has ended; services in use are
service rows started and not ended. Each evidence source is one ``EvidenceSource`` in ``SOURCES``: a later
source (the operator counts and pillar flags of kabupaten status reports) is one more collect function and
one more entry. ``disagreements`` compares every source with the stage it supports at a period end:

- ``stage_without_evidence``: the stage is reported by then, the source has nothing for the desa;
- ``stage_before_evidence``: the stage is dated before the source's first evidence;
- ``evidence_without_stage``: the source has evidence for a desa that has joined, the stage is not reported.

Every disagreement is a Kualitas Data finding (``metrics.quality``) and is shown beside the stage wherever
the stage is shown (desa history on Ringkasan and Adopsi, map tooltips, the Evaluasi village list).
Desa only: kelurahan are outside adoption. Pure pandas, no streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from utils.domain.codes import among
from utils.domain.programme import STAGE_ORDER

JOINED = STAGE_ORDER["bergabung"]
KINDS = ("stage_without_evidence", "stage_before_evidence", "evidence_without_stage")
COLUMNS = ["village_code", "stage", "source", "kind", "stage_on", "evidence_on", "evidence_n"]
#: ``collect`` result: one row per desa with evidence by the period end (index village_code): ``first_on``
#: (date of the first evidence) and ``n`` (how much evidence there is at the period end, e.g. operators
#: trained, services in use; 0 = the evidence has lapsed, e.g. every service ended).
Collect = Callable[[Mapping[str, pd.DataFrame], pd.Timestamp], pd.DataFrame]


@dataclass(frozen=True)
class EvidenceSource:
    """One source of evidence for one stage. ``key`` names it in findings and in i18n keys
    (``evid_<key>_present`` / ``evid_<key>_absent``)."""

    key: str
    stage: str
    collect: Collect


def joined_days(adoption: pd.DataFrame, desa: pd.Index | set[str]) -> pd.Series:
    """The day each desa joined: its first stage row at Bergabung or deeper (index village_code). Desa only."""
    rows = adoption[adoption["stage"].map(STAGE_ORDER).ge(JOINED)]
    first = rows.groupby("village_code")["reached_on"].min()
    return first[among(first.index, desa)]


def operators_trained(tables: Mapping[str, pd.DataFrame], end: pd.Timestamp) -> pd.DataFrame:
    """Bimtek participants with the operator role at events ended by ``end``: first end date, how many."""
    events = tables["bimtek_events"]
    # An event without an end date lasted one day; participation rows without a role name no operator.
    last = events["end_date"] if "end_date" in events else events["start_date"]
    ended = pd.DataFrame({"event_id": events["event_id"], "end_date": last})
    ended = ended[ended["end_date"] <= end]
    parts = tables["bimtek_participants"]
    if "role" not in parts:
        return pd.DataFrame({"first_on": pd.Series(dtype="datetime64[us]"), "n": pd.Series(dtype="int64")})
    ops = parts[parts["role"].eq("operator")].merge(ended, on="event_id")
    grouped = ops.groupby("village_code")
    return pd.DataFrame({"first_on": grouped["end_date"].min(), "n": grouped.size()})


def services_in_use(tables: Mapping[str, pd.DataFrame], end: pd.Timestamp) -> pd.DataFrame:
    """Service rows started by ``end``: first start, how many still in use at ``end`` (not ended by then)."""
    services = tables["services"]
    started = services[services["started_on"] <= end]
    in_use = started["ended_on"].isna() | (started["ended_on"] > end)
    grouped = started.groupby("village_code")
    return pd.DataFrame({"first_on": grouped["started_on"].min(),
                         "n": in_use.groupby(started["village_code"]).sum().astype(int)})


SOURCES: tuple[EvidenceSource, ...] = (
    EvidenceSource("bimtek_operator", "operator_terlatih", operators_trained),
    EvidenceSource("services", "layanan_aktif", services_in_use),
)


def disagreements(tables: Mapping[str, pd.DataFrame], desa: pd.Index | set[str], as_of: dt.date,
                  sources: tuple[EvidenceSource, ...] = SOURCES) -> pd.DataFrame:
    """Every stage-evidence disagreement at the end of ``as_of`` over the desa ``desa`` (COLUMNS)."""
    end = pd.Timestamp(as_of)
    adoption = tables["adoption"]
    adoption = adoption[adoption["reached_on"] <= end]
    desa_list = list(desa)
    joined = joined_days(adoption, desa_list)
    frames = []
    for src in sources:
        stage = adoption[adoption["stage"] == src.stage].groupby("village_code")["reached_on"].min()
        stage = stage[among(stage.index, desa_list)]
        ev = src.collect(tables, end)
        ev = ev[among(ev.index, desa_list)]
        present = ev[ev["n"] > 0]
        codes = stage.index.union(ev.index)
        frame = pd.DataFrame({"stage_on": stage.reindex(codes), "evidence_on": ev["first_on"].reindex(codes),
                              "evidence_n": ev["n"].reindex(codes).fillna(0).astype(int)}, index=codes)
        has_stage = frame["stage_on"].notna()
        has_evidence = among(frame.index, present.index)
        kind = pd.Series(pd.NA, index=codes, dtype="object")
        kind[has_stage & ~has_evidence] = "stage_without_evidence"
        kind[has_stage & has_evidence & (frame["stage_on"] < frame["evidence_on"])] = "stage_before_evidence"
        kind[~has_stage & has_evidence & among(codes, joined.index)] = "evidence_without_stage"
        hit = frame[kind.notna()].assign(kind=kind[kind.notna()], stage=src.stage, source=src.key)
        frames.append(hit.rename_axis("village_code").reset_index())
    if not any(len(f) for f in frames):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out = pd.concat([f for f in frames if len(f)], ignore_index=True)
    return out[COLUMNS].sort_values(["village_code", "stage"], ignore_index=True)


def village_evidence(tables: Mapping[str, pd.DataFrame], village: str, as_of: dt.date,
                     sources: tuple[EvidenceSource, ...] = SOURCES) -> pd.DataFrame:
    """One desa's evidence per stage that has a source: stage, source, first_on, n, kind (None: agrees)."""
    end = pd.Timestamp(as_of)
    found = disagreements(tables, {village}, as_of, sources).set_index(["stage", "source"])
    rows = []
    for src in sources:
        ev = src.collect(tables, end)
        first = ev["first_on"].get(village, pd.NaT)
        n = int(ev["n"].get(village, 0))
        kind = found["kind"].get((src.stage, src.key)) if len(found) else None
        rows.append({"stage": src.stage, "source": src.key, "first_on": first, "n": n, "kind": kind})
    return pd.DataFrame(rows)
