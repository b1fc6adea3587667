"""Validating an uploaded programme table before anything is stored (no streamlit).

``validate(kind, file_name, data, regions, scope, store_tables)`` reads the file (``reader``), maps its
headers to the template's columns (Indonesian variants and near misses accepted), parses dates and numbers,
finds each row's village (``matching``), checks the rules with pandera (counts >= 0, allowed values,
dates in range, duplicates, the upload's kabupaten) and returns a ``Report``: every problem per row and
column, the proposed name matches, and the store rows ready for ``apply``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.domain import programme
from utils.intake.matching import Matcher
from utils.intake.reader import (
    IngestError,
    Sheet,
    cell_text,
    header_key,
    parse_date,
    parse_number,
    read_sheet,
)

FIRST_DATE = dt.date(2019, 1, 1)  # the programme started in 2020; earlier dates are typos
DEFAULT_OFFICER_ROLE = "Official Smart Village"


@dataclass(frozen=True)
class Col:
    """A template column: canonical name, value type, required, and header variants accepted."""

    name: str
    type: str  # code | text | date | int | stage | pillar | role | kabs
    required: bool = False
    aliases: tuple[str, ...] = ()


# Village identification, shared by the per-village tables: a code, a BPS code, or a name (+ kecamatan).
VILLAGE_COLS = (
    Col("kode_desa", "code", aliases=("kode", "kode desa", "kode desa/kelurahan", "kode wilayah", "kode kemendagri",
                                      "kd desa", "kode pekon", "kode kampung", "kode tiyuh", "kode kelurahan",
                                      "kode desa kemendagri", "kodedesa", "village code")),
    Col("kode_bps", "text", aliases=("kode bps", "kode desa bps", "id bps", "idbps", "bps")),
    Col("nama_desa", "text", aliases=("desa", "nama desa", "desa/kelurahan", "nama desa/kelurahan", "pekon",
                                      "nama pekon", "kampung", "nama kampung", "tiyuh", "nama tiyuh", "kelurahan",
                                      "desa/kel", "village")),
    Col("kecamatan", "text", aliases=("kec", "nama kecamatan", "kec.")),
    Col("kabupaten", "text", aliases=("kabupaten/kota", "kab/kota", "kab", "nama kabupaten", "kota")),
)


@dataclass(frozen=True)
class Kind:
    """One uploadable table."""

    code: str
    label_key: str
    cols: tuple[Col, ...]
    tables: tuple[str, ...]  # store tables written, parent first
    per_village: bool = True
    desa_only: bool = False
    example: dict[str, object] = field(default_factory=dict)

    def col(self, name: str) -> Col:
        return next(c for c in self.cols if c.name == name)


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("adoption", "ing_kind_adoption", VILLAGE_COLS + (
        Col("tahap", "stage", True, ("status", "tahapan", "tahap adopsi", "status adopsi", "stage")),
        Col("tanggal", "date", True, ("tanggal capai", "tgl", "tanggal tercapai", "tanggal status", "tgl capai",
                                      "date")),
    ), ("adoption",), desa_only=True),
    Kind("services", "ing_kind_services", VILLAGE_COLS + (
        Col("pilar", "pillar", True, ("pilar smart village", "pillar", "bidang")),
        Col("layanan", "text", True, ("nama layanan", "jenis layanan", "aplikasi", "service")),
        Col("tanggal_mulai", "date", True, ("mulai", "tgl mulai", "tanggal mulai digunakan", "sejak")),
        Col("tanggal_selesai", "date", False, ("selesai", "tgl selesai", "berhenti", "tanggal berhenti")),
    ), ("services",), desa_only=True),
    Kind("officers", "ing_kind_officers", (
        Col("id_petugas", "text", False, ("id", "nomor petugas", "no petugas", "kode petugas")),
    ) + VILLAGE_COLS + (
        Col("nama_petugas", "text", True, ("nama", "nama lengkap", "petugas", "nama official")),
        Col("jabatan", "text", False, ("peran", "tugas", "role")),
        Col("tanggal_pengangkatan", "date", False, ("tanggal sk", "tgl sk", "tanggal diangkat", "diangkat",
                                                    "tmt")),
    ), ("officers",)),
    Kind("bimtek_events", "ing_kind_events", (
        Col("id_kegiatan", "text", True, ("kode kegiatan", "id bimtek", "kode bimtek", "id")),
        Col("judul", "text", True, ("nama kegiatan", "kegiatan", "judul kegiatan")),
        Col("tanggal_mulai", "date", True, ("mulai", "tgl mulai", "tanggal")),
        Col("tanggal_selesai", "date", True, ("selesai", "tgl selesai", "sampai")),
        Col("penyelenggara", "text", True, ("pelaksana", "organiser", "instansi")),
        Col("kabupaten_kota", "kabs", False, ("kode kabupaten", "kabupaten", "kab/kota", "wilayah")),
        Col("tempat", "text", False, ("lokasi", "venue", "hotel")),
        Col("peserta_dilaporkan", "int", False, ("jumlah peserta", "peserta", "jml peserta")),
        Col("desa_dilaporkan", "int", False, ("jumlah desa", "jml desa", "desa peserta")),
        Col("catatan", "text", False, ("keterangan", "ket", "notes")),
    ), ("bimtek_events", "bimtek_venues"), per_village=False),
    Kind("bimtek_participants", "ing_kind_participants", (
        Col("id_kegiatan", "text", True, ("kode kegiatan", "id bimtek", "kode bimtek")),
    ) + VILLAGE_COLS + (
        Col("peran", "role", True, ("jabatan", "jabatan peserta", "peran peserta", "role", "unsur")),
        Col("jumlah", "int", False, ("jumlah peserta", "jml", "banyaknya", "orang")),
    ), ("bimtek_participants",)),
)}

#: The value lists a cell may hold (codes, labels and common variants, compared by ``header_key``).
_VALUES: dict[str, dict[str, str]] = {
    "stage": {**{header_key(s.code): s.code for s in programme.STAGES[1:]},
              **{header_key(s.label_id): s.code for s in programme.STAGES[1:]},
              **{header_key(s.label_en): s.code for s in programme.STAGES[1:]},
              "gabung": "bergabung", "terlatih": "operator_terlatih", "operatorsudahdilatih": "operator_terlatih",
              "aktif": "layanan_aktif", "terintegrasi": "data_terintegrasi", "integrasi": "data_terintegrasi"},
    "pillar": {**{header_key(p.code): p.code for p in programme.PILLARS},
               **{header_key(p.label_id): p.code for p in programme.PILLARS},
               **{header_key(p.label_en): p.code for p in programme.PILLARS},
               "ekonomi": "ekonomi_kreatif", "pemerintah": "pemerintahan"},
    "role": {**{header_key(r.code): r.code for r in programme.PARTICIPANT_ROLES},
             **{header_key(r.label_id): r.code for r in programme.PARTICIPANT_ROLES},
             **{header_key(r.label_en): r.code for r in programme.PARTICIPANT_ROLES},
             "kepaladesa": "kepala_desa", "kades": "kepala_desa", "peratin": "kepala_desa",
             "kepalapekon": "kepala_desa", "kepalakampung": "kepala_desa", "kepalatiyuh": "kepala_desa",
             "lurah": "kepala_desa", "sekdes": "sekretaris", "sekretarisdesa": "sekretaris",
             "jurutulis": "sekretaris", "jurutulispekon": "sekretaris", "sekretarispekon": "sekretaris", "sekretariskampung": "sekretaris", "operatordesa": "operator"},
}

#: Columns never stored even when present (data minimisation: participants are counted, not named).
NOT_STORED = {"nama", "namapeserta", "nik", "nohp", "telepon", "email"}


@dataclass(frozen=True)
class Issue:
    """One problem: ``row`` is the file's row number (None: the whole file), ``column`` the file header."""

    key: str
    row: int | None = None
    column: str | None = None
    value: str = ""
    kw: tuple[tuple[str, str], ...] = ()
    error: bool = True


@dataclass
class Report:
    """What the validation found, and the store rows to write when it is clean."""

    kind: str
    file_name: str
    sha256: str
    scope: str | None
    n_rows: int = 0
    n_skipped: int = 0  # prefilled template rows left empty
    issues: list[Issue] = field(default_factory=list)
    column_map: dict[str, str] = field(default_factory=dict)  # file header -> template column
    near_headers: dict[str, str] = field(default_factory=dict)  # misspelt header -> template column
    extra_columns: list[str] = field(default_factory=list)
    header_row: int = 1
    matches: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows matched by name, for confirmation
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: The file's bytes as received: kept with the upload in the store (``upload_files``) for audit.
    content: bytes = field(default=b"", repr=False, compare=False)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.error]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.frames)

    @property
    def needs_confirmation(self) -> bool:
        return not self.matches.empty

    def add(self, key: str, row: int | None = None, column: str | None = None, value: object = "",
            error: bool = True, **kw: object) -> None:
        self.issues.append(Issue(key, row, column, cell_text(value)[:80],
                                 tuple((k, str(v)) for k, v in kw.items()), error))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _known_headers(kind: Kind) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in kind.cols:
        for alias in (col.name, *col.aliases):
            out.setdefault(header_key(alias), col.name)
    return out


def map_headers(kind: Kind, headers: list[str], report: Report) -> dict[str, str]:
    """file header -> template column: exact variants first, then near misses (rapidfuzz >= 85)."""
    from rapidfuzz import fuzz, process

    known = _known_headers(kind)
    mapping: dict[str, str] = {}
    for h in headers:
        target = known.get(header_key(h))
        if target and target not in mapping.values():
            mapping[h] = target
    for h in headers:
        if h in mapping or header_key(h) in NOT_STORED:
            continue
        best = process.extractOne(header_key(h), list(known), scorer=fuzz.ratio)
        if best and best[1] >= 85 and known[best[0]] not in mapping.values():
            mapping[h] = known[best[0]]
            report.near_headers[h] = known[best[0]]
    report.extra_columns = [h for h in headers if h not in mapping]
    return mapping


def _parse_cells(kind: Kind, sheet: Sheet, mapping: dict[str, str], report: Report) -> pd.DataFrame:
    """Template columns with typed values; a cell that cannot be read is an issue and becomes NA."""
    by_col = {v: k for k, v in mapping.items()}
    out = pd.DataFrame(index=range(len(sheet.rows)))
    for col in kind.cols:
        header = by_col.get(col.name)
        raw = sheet.cells[header] if header else pd.Series([None] * len(sheet.rows))
        values: list[object] = []
        for i, v in enumerate(raw.tolist()):
            row = sheet.rows[i]
            if header and (row, header) in sheet.formula_cells:
                report.add("ing_err_formula", row, header, sheet.formula_cells[(row, header)])
                values.append(None)
                continue
            try:
                values.append(_parse_value(col.type, v))
            except ValueError:
                key = {"date": "ing_err_date", "int": "ing_err_number", "stage": "ing_err_stage",
                       "pillar": "ing_err_pillar", "role": "ing_err_role"}.get(col.type, "ing_err_value")
                report.add(key, row, header, v)
                values.append(None)
        out[col.name] = pd.Series(values, dtype=object)
    out["file_row"] = sheet.rows
    return out


def _parse_value(typ: str, v: object) -> object:
    if typ == "date":
        return parse_date(v)
    if typ == "int":
        n = parse_number(v)
        if n is None:
            return None
        if n != int(n):
            raise ValueError(str(v))
        return int(n)
    if typ in _VALUES:
        text = cell_text(v)
        if not text:
            return None
        code = _VALUES[typ].get(header_key(text))
        if code is None:
            raise ValueError(text)
        return code
    return cell_text(v) or None


def _checks(kind: Kind, df: pd.DataFrame, today: dt.date, report: Report, headers: dict[str, str]) -> None:
    """Rules over parsed values, with pandera; each failure becomes an issue on its row and column."""
    import pandera.pandas as pa

    def not_future(s: pd.Series) -> pd.Series:
        return s.map(lambda d: d is None or d <= today)

    def not_too_old(s: pd.Series) -> pd.Series:
        return s.map(lambda d: d is None or d >= FIRST_DATE)

    columns: dict[str, pa.Column] = {}
    for col in kind.cols:
        checks = []
        if col.type == "date":
            checks = [pa.Check(not_future, name="ing_err_future"), pa.Check(not_too_old, name="ing_err_too_old")]
        elif col.type == "int":
            checks = [pa.Check(lambda s: s.map(lambda n: n is None or n >= 0), name="ing_err_negative")]
        columns[col.name] = pa.Column(checks=checks, nullable=True, required=False)
    schema = pa.DataFrameSchema(columns)
    by_col = {v: k for k, v in headers.items()}
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples():
            if case.index is None or pd.isna(case.index):
                continue
            row = int(df.loc[case.index, "file_row"])
            report.add(str(case.check), row, by_col.get(case.column, case.column), case.failure_case)


def _required(kind: Kind, df: pd.DataFrame, report: Report, headers: dict[str, str]) -> None:
    """An empty required cell is an issue, unless the cell already has one (e.g. a date that is no date).

    Linear: the cells with an issue are looked up in a set, not searched for among all issues."""
    by_col = {v: k for k, v in headers.items()}
    flagged = {(x.row, x.column) for x in report.issues}
    for col in kind.cols:
        if not col.required or col.name not in by_col:
            continue
        header = by_col[col.name]
        for row in df.loc[df[col.name].isna(), "file_row"]:
            if (int(row), header) not in flagged:
                report.add("ing_err_required", int(row), header)


#: Store columns a template column's text is written to (table, column): their length limits are checked
#: in validation, naming the cell, so no backend ever gets a value it would refuse or silently keep.
STORED_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "services": {"layanan": ("services", "service")},
    "officers": {"id_petugas": ("officers", "officer_id"), "nama_petugas": ("officers", "name"),
                 "jabatan": ("officers", "role")},
    "bimtek_events": {"id_kegiatan": ("bimtek_events", "event_id"), "judul": ("bimtek_events", "title"),
                      "penyelenggara": ("bimtek_events", "organiser"), "tempat": ("bimtek_venues", "venue"),
                      "catatan": ("bimtek_events", "notes")},
    "bimtek_participants": {"id_kegiatan": ("bimtek_participants", "event_id")},
}
#: Columns holding several values separated by ";" (each value is stored on its own).
_LISTS_OF = {"tempat"}


def _text_limits(kind: Kind, df: pd.DataFrame, report: Report, headers: dict[str, str]) -> None:
    """Text longer than its store column allows, or holding a NUL character, is an issue on its cell."""
    from utils.data.store import text_limit

    by_col = {v: k for k, v in headers.items()}
    for name, (table, column) in STORED_TEXT.get(kind.code, {}).items():
        if name not in by_col:
            continue
        limit = text_limit(table, column)
        for value, row in zip(df[name], df["file_row"], strict=True):
            if value is None:
                continue
            parts = [p.strip() for p in str(value).split(";")] if name in _LISTS_OF else [str(value)]
            longest = max(len(p) for p in parts)
            if limit is not None and longest > limit:
                report.add("ing_err_too_long", int(row), by_col[name], value, n=longest, limit=limit)
            elif "\x00" in str(value):
                report.add("ing_err_nul", int(row), by_col[name], str(value).replace("\x00", " "))


def _match_villages(kind: Kind, df: pd.DataFrame, regions: pd.DataFrame, scope: str | None, report: Report,
                    headers: dict[str, str]) -> pd.Series:
    by_col = {v: k for k, v in headers.items()}
    matcher = Matcher(regions)
    vtype = regions.set_index("code")["village_type"]
    kab_of = regions.set_index("code")["kab_code"]
    names = regions.set_index("code")["name"]
    codes: list[str | None] = []
    proposals = []
    for r in df.itertuples():
        m = matcher.resolve(code=r.kode_desa or "", bps=r.kode_bps or "", name=r.nama_desa or "",
                            kec_name=r.kecamatan or "", kab_text=r.kabupaten or "", scope=scope)
        column = by_col.get("kode_desa") or by_col.get("kode_bps") or by_col.get("nama_desa")
        if m.code is None:
            report.add(m.error, r.file_row, column, r.kode_desa or r.kode_bps or r.nama_desa or "", detail=m.detail)
            codes.append(None)
            continue
        if scope and kab_of.get(m.code) != scope:
            report.add("ing_err_other_kab", r.file_row, column, m.code, kab=str(kab_of.get(m.code)), scope=scope)
            codes.append(None)
            continue
        if kind.desa_only and vtype.get(m.code) != "desa":
            report.add("ing_err_kelurahan", r.file_row, column, m.code)
            codes.append(None)
            continue
        if m.method in ("nama", "usulan", "kode_bps"):
            proposals.append({"row": r.file_row, "file_value": r.nama_desa or "", "kode_bps": r.kode_bps or "",
                              "code": m.code, "name": names.get(m.code, ""), "method": m.method,
                              "score": round(m.score)})
        codes.append(m.code)
    report.matches = pd.DataFrame(proposals, columns=["row", "file_value", "kode_bps", "code", "name", "method",
                                                      "score"])
    return pd.Series(codes, index=df.index, dtype=object)


def _duplicates(df: pd.DataFrame, key: list[str], report: Report, column: str | None) -> None:
    sub = df.dropna(subset=key)
    dup = sub[sub.duplicated(subset=key, keep=False)]
    for _, group in dup.groupby(key, sort=False):
        first = int(group["file_row"].iloc[0])
        for row in group["file_row"].iloc[1:]:
            report.add("ing_err_duplicate", int(row), column, " / ".join(str(group.iloc[0][k]) for k in key),
                       first=first)


def _frames(kind: Kind, df: pd.DataFrame, source: str, scope: str | None, report: Report,
            headers: dict[str, str], store_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Store rows of the clean file (called only when no error was found)."""
    by_col = {v: k for k, v in headers.items()}
    if kind.code == "adoption":
        out = pd.DataFrame({"village_code": df["village_code"], "stage": df["tahap"], "reached_on": df["tanggal"]})
        _duplicates(df.assign(stage=df["tahap"]), ["village_code", "stage"], report, by_col.get("tahap"))
        frames = {"adoption": out}
    elif kind.code == "services":
        for i in df.index:
            end, start = df.at[i, "tanggal_selesai"], df.at[i, "tanggal_mulai"]
            if end is not None and start is not None and end < start:
                report.add("ing_err_end_before_start", int(df.at[i, "file_row"]), by_col.get("tanggal_selesai"), end)
        out = pd.DataFrame({"village_code": df["village_code"], "pillar": df["pilar"], "service": df["layanan"],
                            "started_on": df["tanggal_mulai"], "ended_on": df["tanggal_selesai"]})
        _duplicates(df.assign(service=df["layanan"].str.lower()), ["village_code", "service", "tanggal_mulai"],
                    report, by_col.get("layanan"))
        frames = {"services": out}
    elif kind.code == "officers":
        ids = df["id_petugas"].copy()
        counter: dict[str, int] = {}
        for i in df.index[ids.isna()]:
            # Deterministic id from the village (the demo's form), so a re-upload finds the same officer.
            digits = str(df.at[i, "village_code"]).replace(".", "")
            counter[digits] = counter.get(digits, 0) + 1
            ids[i] = f"OSV-{digits}" + (f"-{counter[digits]}" if counter[digits] > 1 else "")
        df = df.assign(officer_id=ids)
        _duplicates(df, ["officer_id"], report, by_col.get("id_petugas"))
        out = pd.DataFrame({"officer_id": ids, "village_code": df["village_code"], "name": df["nama_petugas"],
                            "role": df["jabatan"].fillna(DEFAULT_OFFICER_ROLE),
                            "appointed_on": df["tanggal_pengangkatan"]})
        frames = {"officers": out}
    elif kind.code == "bimtek_events":
        _duplicates(df, ["id_kegiatan"], report, by_col.get("id_kegiatan"))
        kabs, venues = [], []
        kab_lookup = _kab_lookup(store_tables["_regions"])
        for i in df.index:
            row = int(df.at[i, "file_row"])
            if df.at[i, "tanggal_selesai"] and df.at[i, "tanggal_mulai"] and df.at[i, "tanggal_selesai"] < df.at[i, "tanggal_mulai"]:
                report.add("ing_err_end_before_start", row, by_col.get("tanggal_selesai"), df.at[i, "tanggal_selesai"])
            codes = _kab_codes(df.at[i, "kabupaten_kota"], kab_lookup)
            if codes is None:
                report.add("ing_err_kab_codes", row, by_col.get("kabupaten_kota"), df.at[i, "kabupaten_kota"])
                codes = []
            codes = codes or ([scope] if scope else [])
            if not codes:
                report.add("ing_err_kab_codes", row, by_col.get("kabupaten_kota"), "")
            if scope and any(c != scope for c in codes):
                report.add("ing_err_other_kab", row, by_col.get("kabupaten_kota"), ",".join(codes), scope=scope)
            kabs.append(",".join(codes))
            for venue in str(df.at[i, "tempat"] or "").split(";"):
                if venue.strip():
                    venues.append({"event_id": df.at[i, "id_kegiatan"], "venue": venue.strip()})
        events = pd.DataFrame({
            "event_id": df["id_kegiatan"], "title": df["judul"], "start_date": df["tanggal_mulai"],
            "end_date": df["tanggal_selesai"], "organiser": df["penyelenggara"], "kab_codes": kabs,
            "reported_participants": df["peserta_dilaporkan"], "reported_villages": df["desa_dilaporkan"],
            "reported_scope": None, "notes": df["catatan"]})
        venue_frame = pd.DataFrame(venues, columns=["event_id", "venue"]).drop_duplicates()
        frames = {"bimtek_events": events, "bimtek_venues": venue_frame}
    else:  # bimtek_participants: counted per village and role, never named
        events = store_tables.get("bimtek_events", pd.DataFrame(columns=["event_id", "source"]))
        real_events = set(events.loc[events["source"] != "demo", "event_id"])
        known_events = set(events["event_id"])
        for i in df.index:
            if df.at[i, "id_kegiatan"] and df.at[i, "id_kegiatan"] not in real_events:
                key = "ing_err_event_demo" if df.at[i, "id_kegiatan"] in known_events else "ing_err_event_unknown"
                report.add(key, int(df.at[i, "file_row"]), by_col.get("id_kegiatan"), df.at[i, "id_kegiatan"])
        _duplicates(df, ["id_kegiatan", "village_code", "peran"], report, by_col.get("peran"))
        n = df["jumlah"].fillna(1).astype(int)
        for i in df.index[n < 1]:
            report.add("ing_err_zero_count", int(df.at[i, "file_row"]), by_col.get("jumlah"), n[i])
        rep = df.loc[df.index.repeat(n.clip(lower=0))]
        frames = {"bimtek_participants": pd.DataFrame({
            "event_id": rep["id_kegiatan"].to_numpy(), "village_code": rep["village_code"].to_numpy(),
            "role": rep["peran"].to_numpy(), "name": None})}
    for frame in frames.values():
        frame["source"] = source
    return {k: v.reset_index(drop=True) for k, v in frames.items()}


def _kab_lookup(regions: pd.DataFrame) -> tuple[dict[str, str], set[str]]:
    """(normalised kabupaten name -> code, the kabupaten codes), built once per file."""
    from utils.data.wilayah import normalise_name

    kabs = regions[regions["level"] == "kabupaten"]
    return dict(zip(kabs["name"].map(normalise_name), kabs["code"], strict=True)), set(kabs["code"])


def _kab_codes(value: object, lookup: tuple[dict[str, str], set[str]]) -> list[str] | None:
    """"18.71, 18.72" or kabupaten names -> codes; None when one is unknown."""
    from utils.data.wilayah import normalise_name
    from utils.domain.codes import to_dotted

    text = cell_text(value)
    if not text:
        return []
    by_name, codes = lookup
    out = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            code = to_dotted(part)
        except ValueError:
            code = by_name.get(normalise_name(part), "")
        if code not in codes:
            return None
        out.append(code)
    return out


def _drop_unfilled(sheet: Sheet, headers: dict[str, str], report: Report) -> None:
    """Leave out template rows where only the prefilled village columns hold something."""
    ids = {c.name for c in VILLAGE_COLS}
    data_headers = [h for h, c in headers.items() if c not in ids]
    filled = sheet.cells[data_headers].map(lambda v: cell_text(v) != "").any(axis=1).to_numpy().copy()
    filled |= np.array([any((r, h) in sheet.formula_cells for h in data_headers) for r in sheet.rows], dtype=bool)
    report.n_skipped = int((~filled).sum())
    sheet.cells = sheet.cells[filled].reset_index(drop=True)
    sheet.rows = [r for r, f in zip(sheet.rows, filled, strict=True) if f]
    report.n_rows = len(sheet.rows)


def validate(kind_code: str, file_name: str, data: bytes, regions: pd.DataFrame, scope: str | None,
             store_tables: dict[str, pd.DataFrame] | None = None, today: dt.date | None = None) -> Report:
    """Validate one uploaded file for ``scope`` (a kabupaten code, None = whole province). Never raises."""
    report = Report(kind_code, file_name, sha256(data), scope, content=bytes(data))
    try:
        return _validate(report, KINDS[kind_code], data, regions, scope, store_tables, today)
    except Exception as exc:  # noqa: BLE001 - a file we failed to foresee still gets a message, not a traceback
        report.frames = {}
        report.add("ing_err_unreadable", detail=type(exc).__name__)
        return report


def _validate(report: Report, kind: Kind, data: bytes, regions: pd.DataFrame, scope: str | None,
              store_tables: dict[str, pd.DataFrame] | None, today: dt.date | None) -> Report:
    file_name = report.file_name
    today = today or dt.date.today()
    from utils.data.store import text_limit

    limit = text_limit(kind.tables[0], "source")  # the file name is stored as each row's source
    if limit is not None and len(file_name) > limit:
        report.add("ing_err_file_name", n=len(file_name), limit=limit)
        return report
    try:
        sheet = read_sheet(file_name, data, set(_known_headers(kind)))
    except IngestError as exc:
        # A whole-file problem: no row, column or value; exc.kw holds only the message's parameters.
        report.add(exc.key, None, None, "", True, **exc.kw)
        return report
    report.header_row = sheet.header_row
    report.n_rows = len(sheet.rows)
    headers = map_headers(kind, list(sheet.cells.columns), report)
    report.column_map = headers
    present = set(headers.values())
    missing = [c.name for c in kind.cols if c.required and c.name not in present]
    if kind.per_village and not present & {"kode_desa", "kode_bps", "nama_desa"}:
        missing.insert(0, "kode_desa")
    if missing:
        report.add("ing_err_missing_cols", cols=", ".join(missing),
                   expected=", ".join(c.name for c in kind.cols if c.required or c.name == "kode_desa"))
        return report
    if kind.per_village:
        _drop_unfilled(sheet, headers, report)
        if not sheet.rows:
            report.add("ing_err_no_rows")
            return report
    df = _parse_cells(kind, sheet, headers, report)
    _required(kind, df, report, headers)
    _text_limits(kind, df, report, headers)
    _checks(kind, df, today, report, headers)
    if kind.per_village:
        df["village_code"] = _match_villages(kind, df, regions, scope, report, headers)
    tables = dict(store_tables or {})
    tables["_regions"] = regions
    frames = _frames(kind, df, file_name, scope, report, headers, tables)
    if not report.errors:
        report.frames = frames
    return report


def message(issue: Issue, lang: str) -> str:
    """The issue's message in ``lang``; whole numbers in it formatted the Indonesian way (50.000)."""
    from utils.i18n import fmt_int, t

    kw = {k: fmt_int(int(v), lang) if v.isdigit() and len(v) > 3 else v for k, v in issue.kw}
    return t(issue.key, lang, **kw)


def issues_frame(report: Report, lang: str) -> pd.DataFrame:
    """The report's problems as a table for the page: row, column, cell value, message (sorted by row)."""
    from utils.i18n import t

    rows = [{t("ing_col_row", lang): i.row, t("ing_col_column", lang): i.column or "",
             t("ing_col_value", lang): i.value, t("ing_col_problem", lang): message(i, lang)}
            for i in sorted(report.issues, key=lambda i: (i.row or 0, i.column or ""))]
    frame = pd.DataFrame(rows, columns=[t(k, lang) for k in ("ing_col_row", "ing_col_column", "ing_col_value",
                                                                "ing_col_problem")])
    frame[t("ing_col_row", lang)] = frame[t("ing_col_row", lang)].astype("Int64")
    return frame


def matches_frame(report: Report, lang: str) -> pd.DataFrame:
    """Rows matched by name or BPS code, for the operator to confirm."""
    from utils.i18n import t

    m = report.matches
    return pd.DataFrame({
        t("ing_col_row", lang): m["row"],
        t("ing_col_file_value", lang): (m["file_value"] + m["kode_bps"].map(lambda b: f" ({b})" if b else "")),
        t("ing_col_code", lang): m["code"],
        t("ing_col_name", lang): m["name"],
        t("ing_col_method", lang): [t(f"ing_method_{x}", lang, score=s) for x, s in zip(m["method"], m["score"], strict=True)],
    })
