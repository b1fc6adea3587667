"""Writing validated uploads: staging, approval, rejection and exact rollback (no streamlit).

Each write is ONE transaction: all rows or none. An upload replaces, per *unit* (a village's stage, a
village's service from a start date, an officer, an event with its venues, an event's participants from one
village), the stored rows by the file's rows; units the file does not mention stay as they are. Identical
units are left alone, so re-uploading a file changes nothing. The rows an upload replaced are kept as its
"old" image and the rows it wrote as its "new" image; a rollback puts the old image back, exactly.

A real upload removes the demo rows it replaces: those of its kabupaten for adoption, services and status
reports (``PER_KAB``), the whole group's at the first real upload for officers and Bimtek. They are in the
old image too, so rolling that upload back brings the demo rows back, exactly.

A kabupaten status report (``utils.intake.report``) is one unit: the report of a kabupaten at a date with its
pekon rows and pillar flags. A corrected report of the same date replaces it; a report of another date is
another observation and leaves the earlier ones alone. Saving a mapping profile is recorded and can be
rolled back like any upload (``save_profile``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, delete, func, not_, or_, select, true, update

from utils.data import store
from utils.data.dataset import VIEW_DEMO_KEY

#: Columns identifying a unit, per table.
UNIT_KEYS: dict[str, tuple[str, ...]] = {
    "adoption": ("village_code", "stage"),
    "services": ("village_code", "service", "started_on"),
    "officers": ("officer_id",),
    "bimtek_events": ("event_id",),
    "bimtek_venues": ("event_id",),
    "bimtek_participants": ("event_id", "village_code"),
    "status_reports": ("kab_code", "report_date"),
    "status_report_rows": ("kab_code", "report_date"),
    "status_report_services": ("kab_code", "report_date"),
    "mapping_profiles": ("kab_code", "kind", "name"),
    "targets": ("year", "region_code", "indicator"),
}
#: Tables whose demo rows go when the first real upload of the kind is applied (children first).
DEMO_PURGE: dict[str, tuple[str, ...]] = {
    "adoption": ("adoption",),
    "services": ("services",),
    "officers": ("meeting_attendance", "officers"),
    "bimtek_events": ("bimtek_participants", "bimtek_venues", "bimtek_events"),
    "bimtek_participants": (),
    "status_report": ("adoption",),  # a status report says the adoption stage
    "mapping_profile": (),
    "targets": (),  # the demo targets of a year give way unit by unit
}
#: Uploads of one group must be rolled back newest first.
GROUP = {"adoption": "adoption", "services": "services", "officers": "officers",
         "bimtek_events": "bimtek", "bimtek_participants": "bimtek", "status_report": "adoption",
         "mapping_profile": "mapping_profile", "targets": "targets"}
KIND_TABLES = {"adoption": ("adoption",), "services": ("services",), "officers": ("officers",),
               "bimtek_events": ("bimtek_events", "bimtek_venues"), "bimtek_participants": ("bimtek_participants",),
               "status_report": ("status_reports", "status_report_rows", "status_report_services"),
               "mapping_profile": ("mapping_profiles",), "targets": ("targets",)}
#: Kinds whose changes are counted per row of a child table (a status report: per pekon, with its pillar flags)
#: rather than per unit: kind -> (table, its row key column, tables whose rows belong to that row).
COUNT_ROWS = {"status_report": ("status_report_rows", "village_code", ("status_report_services",))}
_SKIP = {"source", "participant_id", "file_row", "saved_at"}  # not part of a row's content when comparing


class ApplyError(Exception):
    """A write that cannot happen; ``key``/``kw`` make the message (utils/i18n/texts/data.py)."""

    def __init__(self, key: str, **kw: object) -> None:
        super().__init__(f"{key} {kw}")
        self.key = key
        self.kw = kw


@dataclass(frozen=True)
class Change:
    rows_added: int
    rows_changed: int
    rows_unchanged: int


# --------------------------------------------------------------------------------------------------
# Row images


def _jsonable(v: object) -> object:
    v = store.db_value(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _to_db(table: str, row: dict) -> dict:
    t = store.TABLES[table]
    out = {}
    for col in t.columns:
        if col.name not in row:
            continue
        v = row[col.name]
        if v is not None and isinstance(col.type, store.DateTime):
            v = dt.datetime.fromisoformat(str(v))
        elif v is not None and isinstance(col.type, store.Date):
            v = dt.date.fromisoformat(str(v)[:10])
        out[col.name] = v
    return out


def _rows(conn, table: str) -> list[dict]:
    t = store.TABLES[table]
    return [{k: _jsonable(v) for k, v in r.items()} for r in conn.execute(select(t)).mappings()]


def _frame_rows(table: str, frame: pd.DataFrame) -> list[dict]:
    cols = [c.name for c in store.TABLES[table].columns if c.name in frame]
    return [{c: _jsonable(v) for c, v in zip(cols, r, strict=True)} for r in frame[cols].itertuples(index=False)]


def _content(row: dict) -> tuple:
    return tuple(sorted((k, "" if v is None else str(v)) for k, v in row.items() if k not in _SKIP))


def _unit(table: str, row: dict) -> tuple:
    return tuple(str(row[k]) for k in UNIT_KEYS[table])


def _by_unit(table: str, rows: list[dict]) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for r in rows:
        out.setdefault(_unit(table, r), []).append(r)
    return out


#: Kinds whose demo rows give way per kabupaten (the table's rows name their village); the others (officers
#: with their meeting attendance, Bimtek events spanning kabupaten) give way for the whole province at their
#: first real upload. Either way the pages never mix the two (``dataset.real_only``).
PER_KAB = {"adoption", "services", "status_report"}


def _upload_kabs(kind: str, new: dict[str, list[dict]]) -> set[str]:
    """The kabupaten an upload's rows describe."""
    if kind == "status_report":
        return {str(r["kab_code"]) for r in new.get("status_reports", [])}
    return {str(r["village_code"])[:5] for t in KIND_TABLES[kind] for r in new.get(t, []) if r.get("village_code")}


def _demo_purge(conn, kind: str, new: dict[str, list[dict]]) -> dict[str, ColumnElement[bool]]:
    """Per table of ``DEMO_PURGE[kind]`` (children first) the condition selecting the demo rows this upload
    replaces: those of the kabupaten it reports on (``PER_KAB``), else all of them while the whole group is
    still demo. Empty: nothing goes."""
    names = DEMO_PURGE[kind]
    if kind in PER_KAB:
        kabs = sorted(_upload_kabs(kind, new))
        out: dict[str, ColumnElement[bool]] = {}
        for name in names:
            t = store.TABLES[name]
            cond = and_(t.c.source == "demo", or_(*[t.c.village_code.like(f"{k}.%") for k in kabs]))
            if kabs and conn.execute(select(func.count()).select_from(t).where(cond)).scalar():
                out[name] = cond
        return out
    rows = 0
    for name in names:
        t = store.TABLES[name]
        if "source" not in t.c:
            continue
        total = conn.execute(select(func.count()).select_from(t)).scalar()
        demo = conn.execute(select(func.count()).select_from(t).where(t.c.source == "demo")).scalar()
        if total != demo:
            return {}
        rows += total
    return {name: true() for name in names} if rows else {}


def _rows_where(conn, table: str, cond) -> list[dict]:
    t = store.TABLES[table]
    return [{k: _jsonable(v) for k, v in r.items()} for r in conn.execute(select(t).where(cond)).mappings()]


# --------------------------------------------------------------------------------------------------
# Diff


def _diff(conn, kind: str, new: dict[str, list[dict]]):
    """(stored rows per table and unit, changed units, counts, the demo rows that go: ``_demo_purge``)."""
    purge = _demo_purge(conn, kind, new)
    tables = KIND_TABLES[kind]
    main = tables[0]
    stored = {t: _by_unit(t, _rows_where(conn, t, not_(purge[t])) if t in purge else _rows(conn, t)) for t in tables}
    wanted = {t: _by_unit(t, new.get(t, [])) for t in tables}
    changed: set[tuple] = set()
    n_add = n_chg = n_same = 0
    # A target's source is the document it comes from: the same value from a decree replaces a demo target.
    content = (lambda r: (*_content(r), r.get("source"))) if kind == "targets" else _content
    for unit, rows in wanted[main].items():
        differs = any(sorted(map(content, stored[t].get(unit, []))) != sorted(map(content, wanted[t].get(unit, [])))
                      for t in tables)
        if not differs:
            n_same += len(rows)
        elif stored[main].get(unit):
            n_chg += len(rows)
            changed.add(unit)
        else:
            n_add += len(rows)
            changed.add(unit)
    if kind in COUNT_ROWS:
        n_add, n_chg, n_same = _row_counts(kind, stored, wanted)
    return stored, wanted, changed, Change(n_add, n_chg, n_same), purge


def _row_counts(kind: str, stored: dict, wanted: dict) -> tuple[int, int, int]:
    """Rows of ``COUNT_ROWS[kind]`` the upload adds, changes, leaves as they are (with their child rows)."""
    table, key, children = COUNT_ROWS[kind]

    def contents(images: dict) -> dict[tuple, tuple]:
        out: dict[tuple, list] = {}
        for unit, rows in images[table].items():
            for r in rows:
                out[(unit, r[key])] = [_content(r)]
        for child in children:
            for unit, rows in images[child].items():
                for r in rows:
                    out.setdefault((unit, r[key]), []).append(_content(r))
        return {k: tuple(sorted(v)) for k, v in out.items()}

    old, new = contents(stored), contents(wanted)
    added = sum(1 for k in new if k not in old)
    same = sum(1 for k, v in new.items() if old.get(k) == v)
    return added, len(new) - added - same, same


def preview(engine: Engine, kind: str, frames: dict[str, pd.DataFrame]) -> Change:
    """Rows the upload would add and change against the store as it is now (nothing is written)."""
    store.init_schema(engine)
    new = {t: _frame_rows(t, f) for t, f in frames.items()}
    with engine.connect() as conn:
        return _diff(conn, kind, new)[3]


# --------------------------------------------------------------------------------------------------
# Staging, approval, rejection


def _images(conn, upload_id: int, image: str) -> list[tuple[str, dict]]:
    rows = conn.execute(select(store.upload_rows.c.table_name, store.upload_rows.c.row_json)
                        .where(and_(store.upload_rows.c.upload_id == upload_id, store.upload_rows.c.image == image))
                        .order_by(store.upload_rows.c.seq)).all()
    return [(t, json.loads(j)) for t, j in rows]


def _save_images(conn, upload_id: int, image: str, rows: list[tuple[str, dict]]) -> None:
    start = conn.execute(select(func.coalesce(func.max(store.upload_rows.c.seq), 0))
                         .where(store.upload_rows.c.upload_id == upload_id)).scalar()
    if rows:
        conn.execute(store.upload_rows.insert(), [
            {"upload_id": upload_id, "seq": start + i + 1, "image": image, "table_name": t,
             "row_json": json.dumps(r, ensure_ascii=False, sort_keys=True)} for i, (t, r) in enumerate(rows)])


def staged_frames(engine: Engine, upload_id: int) -> dict[str, pd.DataFrame]:
    """An upload's staged rows per table (what approving it would write), typed like ``store.read_table``."""
    with engine.connect() as conn:
        up = _upload(conn, upload_id)
        rows = _images(conn, upload_id, "staged")
    out = {}
    for table in KIND_TABLES.get(up["kind"], ()):
        records = [r for t, r in rows if t == table]
        frame = pd.DataFrame(records) if records else store.empty_table(table)
        out[table] = store.normalise_types(frame, store.TABLES[table])
    return out


def pending_duplicate(engine: Engine, kind: str, sha: str, kab_code: str | None) -> int | None:
    """upload_id of a pending upload of the same file for the same kabupaten, if any."""
    store.init_schema(engine)
    u = store.uploads
    with engine.connect() as conn:
        q = select(u.c.upload_id).where(and_(u.c.kind == kind, u.c.sha256 == sha, u.c.status == "pending"))
        q = q.where(u.c.kab_code.is_(None) if kab_code is None else u.c.kab_code == kab_code)
        return conn.execute(q).scalar()


def submit(engine: Engine, report, operator) -> int:
    """Record a clean report: an operator's upload waits for approval; an administrator's is applied at once."""
    from utils.data.auth import may_upload_for

    if not report.ok:
        raise ApplyError("ing_apply_not_clean")
    if not may_upload_for(operator, report.scope):
        raise ApplyError("ing_apply_not_allowed")
    store.init_schema(engine)
    staged = [(t, r) for t in KIND_TABLES[report.kind] for r in _frame_rows(t, report.frames.get(t, pd.DataFrame()))]
    change = preview(engine, report.kind, report.frames)
    # One transaction for the record, its staged rows and (for an administrator) the apply: a failure at
    # any point leaves no trace, never a "pending" upload whose save failed.
    with engine.begin() as conn:
        upload_id = store.insert_upload(conn, kind=report.kind, file_name=report.file_name, sha256=report.sha256,
                                        uploader=operator.username, status="pending", kab_code=report.scope,
                                        rows_added=change.rows_added, rows_changed=change.rows_changed,
                                        as_of=getattr(report, "report_date", None),
                                        details=report.details_json() if hasattr(report, "details_json") else None,
                                        content=getattr(report, "content", b"") or None)
        _save_images(conn, upload_id, "staged", staged)
        if operator.role == "admin":
            _approve(conn, upload_id, operator)
    return upload_id


def _upload(conn, upload_id: int) -> dict:
    row = conn.execute(select(store.uploads).where(store.uploads.c.upload_id == upload_id)).mappings().first()
    if row is None:
        raise ApplyError("ing_apply_unknown", id=upload_id)
    return dict(row)


def _require_admin(operator) -> None:
    if operator.role != "admin":
        raise ApplyError("ing_apply_admin_only")


def _pending(conn, upload_id: int) -> dict:
    up = _upload(conn, upload_id)
    if up["status"] != "pending":
        raise ApplyError("ing_apply_not_pending", id=upload_id, status=up["status"])
    return up


def approve(engine: Engine, upload_id: int, operator) -> Change:
    """Apply a pending upload in one transaction (provincial administrators only)."""
    _require_admin(operator)
    with engine.begin() as conn:
        return _approve(conn, upload_id, operator)


def _approve(conn, upload_id: int, operator) -> Change:
    """``approve`` inside the caller's transaction."""
    _require_admin(operator)
    up = _pending(conn, upload_id)
    kind = up["kind"]
    new: dict[str, list[dict]] = {}
    for table, row in _images(conn, upload_id, "staged"):
        new.setdefault(table, []).append(row)
    if kind == "bimtek_participants":
        events = {r["event_id"]: r["source"] for r in _rows(conn, "bimtek_events")}
        if any(events.get(r["event_id"], "demo") == "demo" for r in new.get("bimtek_participants", [])):
            raise ApplyError("ing_apply_event_missing")
    stored, wanted, changed, change, purge = _diff(conn, kind, new)
    old_images: list[tuple[str, dict]] = []
    new_images: list[tuple[str, dict]] = []
    meta_before = dict(conn.execute(select(store.meta_table.c.key, store.meta_table.c.value)).all())
    old_images.append(("meta", {"is_demo": meta_before.get("is_demo"), VIEW_DEMO_KEY: meta_before.get(VIEW_DEMO_KEY),
                                "data_as_of": meta_before.get("data_as_of")}))
    for table, cond in purge.items():  # children first
        old_images += [(table, r) for r in _rows_where(conn, table, cond)]
        conn.execute(delete(store.TABLES[table]).where(cond))
    tables = KIND_TABLES[kind]
    units = sorted(changed)

    def single(table: str) -> bool:
        return UNIT_KEYS[table] == tuple(c.name for c in store.TABLES[table].primary_key.columns)

    def where(table: str, unit: tuple):
        t = store.TABLES[table]
        vals = _to_db(table, dict(zip(UNIT_KEYS[table], unit, strict=True)))
        return and_(*[t.c[k] == v for k, v in vals.items()])

    for table in reversed(tables):  # children first: remove what the file replaces
        for unit in units:
            old_rows = stored[table].get(unit, [])
            old_images += [(table, r) for r in old_rows]
            if old_rows and not (single(table) and wanted[table].get(unit)):
                conn.execute(delete(store.TABLES[table]).where(where(table, unit)))
    for table in tables:  # parents first: write the file's rows
        t = store.TABLES[table]
        next_id = None
        if "participant_id" in t.c:
            next_id = conn.execute(select(func.coalesce(func.max(t.c.participant_id), 0))).scalar() + 1
        for unit in units:
            rows = wanted[table].get(unit, [])
            if single(table) and rows and stored[table].get(unit):  # UPDATE keeps references valid
                conn.execute(update(t).where(where(table, unit)).values(**_to_db(table, rows[0])))
                new_images.append((table, rows[0]))
                continue
            for r in rows:
                if next_id is not None:
                    r = {**r, "participant_id": next_id}
                    next_id += 1
                conn.execute(t.insert().values(**_to_db(table, r)))
                new_images.append((table, r))
    _save_images(conn, upload_id, "old", old_images)
    _save_images(conn, upload_id, "new", new_images)
    meta_after: dict[str, object] = {"is_demo": "0", VIEW_DEMO_KEY: None}
    if up.get("as_of") and str(up["as_of"])[:10] > str(meta_before.get("data_as_of") or ""):
        meta_after["data_as_of"] = str(up["as_of"])[:10]  # the data now describes a later day
    store.upsert_meta(conn, meta_after)
    conn.execute(update(store.uploads).where(store.uploads.c.upload_id == upload_id).values(
        status="applied", rows_added=change.rows_added, rows_changed=change.rows_changed,
        approved_by=operator.username, approved_at=store.utcnow()))
    store.bump_generation(conn)
    return change


def reject(engine: Engine, upload_id: int, operator, reason: str = "") -> None:
    """Refuse a pending upload (administrators only); nothing reaches the data."""
    _require_admin(operator)
    with engine.begin() as conn:
        _pending(conn, upload_id)
        conn.execute(update(store.uploads).where(store.uploads.c.upload_id == upload_id).values(
            status="rejected", approved_by=operator.username, approved_at=store.utcnow(), message=reason[:500]))
        store.bump_generation(conn)


# --------------------------------------------------------------------------------------------------
# Rollback


def rollback(engine: Engine, upload_id: int, operator) -> None:
    """Restore exactly the state before an applied upload (administrators only), in one transaction.

    Refused while a later applied upload of the same table group exists (roll that back first), or when
    the upload's rows were changed since.
    """
    from sqlalchemy.exc import IntegrityError

    _require_admin(operator)
    u = store.uploads
    try:
        with engine.begin() as conn:
            up = _upload(conn, upload_id)
            if up["status"] != "applied" or up["kind"] not in GROUP:
                raise ApplyError("ing_rb_not_applied", id=upload_id)
            kinds = [k for k, g in GROUP.items() if g == GROUP[up["kind"]]]
            later = conn.execute(select(func.min(u.c.upload_id)).where(and_(
                u.c.upload_id > upload_id, u.c.status == "applied", u.c.kind.in_(kinds)))).scalar()
            if later is not None:
                raise ApplyError("ing_rb_later", id=upload_id, later=later)
            new_rows = _images(conn, upload_id, "new")
            old_rows = _images(conn, upload_id, "old")
            for table, row in new_rows:  # still exactly as written?
                t = store.TABLES[table]
                key = [c.name for c in t.primary_key.columns]
                got = conn.execute(select(t).where(and_(*[t.c[k] == v for k, v in _to_db(table, {k: row[k] for k in key}).items()]))).mappings().first()
                if got is None or _content({k: _jsonable(v) for k, v in got.items()}) != _content(row):
                    raise ApplyError("ing_rb_changed", id=upload_id)
            order = list(store.TABLES)  # parents before children (data and configuration tables)
            for table, row in sorted(new_rows, key=lambda tr: -order.index(tr[0])):  # children first
                t = store.TABLES[table]
                key = [c.name for c in t.primary_key.columns]
                conn.execute(delete(t).where(and_(*[t.c[k] == v for k, v in _to_db(table, {k: row[k] for k in key}).items()])))
            meta_rows = [r for t, r in old_rows if t == "meta"]
            for table, row in sorted([tr for tr in old_rows if tr[0] != "meta"], key=lambda tr: order.index(tr[0])):
                conn.execute(store.TABLES[table].insert().values(**_to_db(table, row)))
            if meta_rows:
                store.upsert_meta(conn, meta_rows[0])
            conn.execute(update(u).where(u.c.upload_id == upload_id).values(
                status="rolled_back", rolled_back_by=operator.username, rolled_back_at=store.utcnow()))
            store.bump_generation(conn)
    except IntegrityError as exc:
        raise ApplyError("ing_rb_conflict", id=upload_id) from exc


def set_demo_view(engine: Engine, on: bool, operator) -> None:
    """The switch back to the demo set (administrators only; recorded in the history)."""
    _require_admin(operator)
    store.init_schema(engine)
    with engine.begin() as conn:
        store.upsert_meta(conn, {VIEW_DEMO_KEY: "1" if on else None})
        store.insert_upload(conn, kind="demo_view", file_name="—", sha256="", uploader=operator.username,
                            status="applied", message="on" if on else "off", approved_by=operator.username)


def save_profile(engine: Engine, kab_code: str, kind: str, name: str, spec: str, operator) -> int | None:
    """Save (or replace) a mapping profile of one kabupaten: recorded in the history as kind
    ``mapping_profile`` with the profile it replaced, so it can be rolled back. Operators save for their own
    kabupaten, administrators for any. Returns the upload_id, or None when the stored profile is identical."""
    from utils.data.auth import may_upload_for

    if not may_upload_for(operator, kab_code):
        raise ApplyError("ing_apply_not_allowed")
    name = " ".join(name.split())[:100]
    if not name:
        raise ApplyError("rep_err_profile_name")
    store.init_schema(engine)
    t = store.mapping_profiles
    row = {"kab_code": kab_code, "kind": kind, "name": name, "spec": spec, "saved_by": operator.username,
           "saved_at": store.utcnow()}
    image = {k: (v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v) for k, v in row.items()}
    with engine.begin() as conn:
        key = and_(t.c.kab_code == kab_code, t.c.kind == kind, t.c.name == name)
        old = conn.execute(select(t).where(key)).mappings().first()
        if old is not None and old["spec"] == spec:
            return None
        upload_id = store.insert_upload(conn, kind="mapping_profile", file_name=name, sha256=_sha(spec),
                                        uploader=operator.username, status="applied", kab_code=kab_code,
                                        rows_added=0 if old else 1, rows_changed=1 if old else 0,
                                        approved_by=operator.username)
        if old is not None:
            _save_images(conn, upload_id, "old", [("mapping_profiles", {k: (v.isoformat(sep=" ") if isinstance(
                v, dt.datetime) else v) for k, v in old.items()})])
            conn.execute(delete(t).where(key))
        conn.execute(t.insert().values(**row))
        _save_images(conn, upload_id, "new", [("mapping_profiles", image)])
    return upload_id


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()



#: ``meta`` key of the day of the following month by which a month's kabupaten report is due.
REPORT_DUE_DAY_KEY = "report_due_day"


def set_report_due_day(engine: Engine, day: int, operator) -> None:
    """The day of the following month by which a kabupaten's monthly report is due (administrators only,
    1..28; recorded in the history with the value it replaced)."""
    _require_admin(operator)
    if not 1 <= int(day) <= 28:
        raise ApplyError("trk_err_due_day", day=day)
    store.init_schema(engine)
    with engine.begin() as conn:
        old = dict(conn.execute(select(store.meta_table.c.key, store.meta_table.c.value)).all()).get(REPORT_DUE_DAY_KEY)
        store.upsert_meta(conn, {REPORT_DUE_DAY_KEY: str(int(day))})
        store.insert_upload(conn, kind="report_due_day", file_name="—", sha256="", uploader=operator.username,
                            status="applied", message=f"{old or '-'} -> {int(day)}", approved_by=operator.username)
