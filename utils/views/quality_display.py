"""The data-quality findings as sentences (no streamlit): ``utils.metrics.quality`` returns each finding as a
string-table key with its raw values (``quality.Arg``: stage codes, ISO dates, numbers); this module words them
in a language for Kualitas Data, the status-report check (upload, approval, ``check-upload``) and the exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from utils.domain.programme import PILLARS, STAGES
from utils.i18n import fmt_date, fmt_int, fmt_num, label, t
from utils.metrics.quality import Message, evidence_message


def _stage_label(code: object, lang: str) -> str:
    stage = next((s for s in STAGES if s.code == code), None)
    if stage is None:
        return "–"
    return label(stage, lang)


def _pillar_label(code: object, lang: str) -> str:
    pillar = next(p for p in PILLARS if p.code == code)
    return label(pillar, lang)


def value_text(arg: Sequence[Any], lang: str) -> str:
    """One ``quality.Arg`` (or the list it becomes in JSON) in ``lang``."""
    kind, digits = arg[0], (arg[2] if len(arg) > 2 else 0)
    value: Any = arg[1]
    if kind == "stage":
        return _stage_label(value, lang)
    if kind == "stages":
        return ", ".join(_stage_label(c, lang) for c in value)
    if kind == "pillars":
        return ", ".join(_pillar_label(c, lang) for c in value)
    if kind == "date":
        return fmt_date(dt.date.fromisoformat(str(value)), lang) if value is not None else t("qual_not_joined", lang)
    if kind == "int":
        return fmt_int(value, lang)
    if kind == "count":
        return "–" if value is None else str(value)
    if kind == "num":
        return fmt_num(value, digits, lang)
    if kind == "text":
        return str(value)
    if kind == "phrase":
        return message_text(value, lang)
    raise ValueError(f"unknown kind of finding value: {kind!r}")


def message_text(message: Sequence[Any], lang: str) -> str:
    """A ``quality.Message`` (key, args; or the list it becomes in JSON) as its sentence in ``lang``."""
    key, args = Message(*message)
    return text(key, args, lang)


def text(key: str, args: Mapping[str, Sequence[Any]], lang: str) -> str:
    """The sentence ``key`` with its ``args`` worded in ``lang``."""
    return t(key, lang, **{name: value_text(arg, lang) for name, arg in args.items()})


def describe(findings: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Findings (``quality.find_issues`` or ``quality.report_issues``) with their ``key`` and ``args`` worded
    as one ``detail`` column in ``lang``, in the place of the two (the other columns as they are)."""
    details = pd.Series([text(k, a, lang) for k, a in zip(findings["key"], findings["args"], strict=True)],
                        index=findings.index, dtype="str")
    out = findings.drop(columns=["args"]).rename(columns={"key": "detail"})
    out["detail"] = details
    return out


def evidence_detail(row: Any, lang: str) -> str:
    """One stage-evidence disagreement (an ``evidence.disagreements`` row) as a sentence: "Operator terlatih
    dilaporkan 5 Maret 2023, tetapi tidak ada operator dalam data Bimtek"."""
    return message_text(evidence_message(row), lang)
