"""UI strings of stage evidence (``evid_``): a reported stage beside what other sources hold (metrics.evidence)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "qual_rule_stage_without_evidence": ("Tahap tanpa bukti", "Stage without evidence"),
    "qual_rule_stage_before_evidence": ("Tahap sebelum buktinya", "Stage before its evidence"),
    "qual_rule_evidence_without_stage": ("Bukti tanpa tahap", "Evidence without the stage"),
    "evid_kind_stage_without_evidence": ("{stage} dilaporkan {date}, tetapi {absent}",
                                         "{stage} reported {date}, but {absent}"),
    "evid_kind_stage_before_evidence": ("{stage} dilaporkan {date}, sebelum buktinya: {present}",
                                        "{stage} reported {date}, before its evidence: {present}"),
    "evid_kind_evidence_without_stage": ("{present}, tetapi tahap {stage} belum dilaporkan",
                                         "{present}, but the stage {stage} is not reported"),
    "evid_bimtek_operator_present": ("{n} operator dilatih (Bimtek selesai {date})",
                                     "{n} operator(s) trained (Bimtek ended {date})"),
    "evid_bimtek_operator_absent": ("tidak ada operator dalam data Bimtek", "no operator in the Bimtek records"),
    "evid_services_present": ("{n} layanan dipakai (pertama mulai {date})", "{n} service(s) in use (first started {date})"),
    "evid_services_absent": ("tidak ada layanan yang dipakai", "no service in use"),
    "evid_col": ("Bukti dari sumber lain", "Evidence from other sources"),
    "evid_agrees": ("sesuai", "agrees"),
    "evid_none_source": ("–", "–"),
    "evid_flag": ("bukti tidak cocok, lihat Kualitas Data", "evidence disagrees, see Data quality"),
    "evid_planted": ("ditanam sengaja dalam data contoh", "planted on purpose in the sample data"),
    "qual_col_note": ("Catatan", "Remark"),
}
