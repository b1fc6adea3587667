"""Versioned schema of the programme store: Alembic migrations, applied in place.

``python -m utils migrate`` (run by ``make run`` and ``make test``) and every write through
``store.init_schema`` bring a store to the current version:

- a new, empty store gets every table from the migrations;
- a store written before migrations existed (the tables of revision ``0001`` but no ``alembic_version``
  table) is stamped ``0001`` and upgraded from there, keeping every row;
- a store already at the newest revision is left alone (one small read).

Later changes of the schema are new files under ``migrations/versions/`` (see docs/schema.md), never edits
of ``store.py`` alone: a test compares the migrated schema with ``store.metadata``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from utils.data import paths

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: The revision that holds the schema written by ``metadata.create_all`` before migrations existed.
BASELINE_REVISION = "0001"
#: Tables every pre-migration store has; their presence without ``alembic_version`` means "baseline".
_BASELINE_MARKERS = ("meta", "adoption")
#: PostgreSQL advisory lock key: two app servers starting at once migrate one after the other.
_PG_LOCK_KEY = 7_331_001


def config(connection: Connection | None = None):
    """Alembic configuration pointing at ``migrations/`` (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def head_revision() -> str:
    """The newest revision in ``migrations/versions``."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config()).get_current_head()
    assert head is not None, f"no migrations in {MIGRATIONS_DIR}"
    return head


def current_revision(connection: Connection) -> str | None:
    """The store's revision: from ``alembic_version``; None for a new store or one from before migrations."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_current(engine: Engine) -> bool:
    """True when the store is at the newest revision (a read only)."""
    with engine.connect() as conn:
        return current_revision(conn) == head_revision()


@dataclass(frozen=True)
class Upgrade:
    """What ``upgrade`` did: the revision before (None: a new store or one from before migrations), after, and
    whether a store from before migrations was recognised and stamped with the baseline revision."""

    before: str | None
    after: str
    stamped_baseline: bool = False

    @property
    def changed(self) -> bool:
        return self.stamped_baseline or self.before != self.after


def upgrade(engine: Engine) -> Upgrade:
    """Bring the store to the newest revision in one transaction."""
    if is_current(engine):
        return Upgrade(head_revision(), head_revision())
    from alembic import command

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        before = current_revision(conn)
        if before == head_revision():  # another server migrated while we waited for the lock
            return Upgrade(before, before)
        cfg = config(conn)
        insp = inspect(conn)
        stamped = before is None and all(insp.has_table(t) for t in _BASELINE_MARKERS)
        if stamped:
            command.stamp(cfg, BASELINE_REVISION)  # written by metadata.create_all before migrations
        command.upgrade(cfg, "head")
        return Upgrade(before, current_revision(conn) or "", stamped)


def new_revision(message: str) -> Path:
    """Draft the next numbered revision: autogenerate against a throwaway SQLite store at the current head."""
    import tempfile

    from alembic import command
    from alembic.script import Script
    from sqlalchemy import create_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/draft.db")
        upgrade(engine)
        rev_id = f"{int(head_revision()) + 1:04d}"
        with engine.begin() as conn:
            script = command.revision(config(conn), message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()
    head_revision.cache_clear()
    assert isinstance(script, Script)  # one head and no revision hooks: alembic returns the one script it wrote
    return Path(script.path)


def main(argv: list[str] | None = None) -> int:
    """``python -m utils migrate``: upgrade the store named by SV_DATABASE_URL (or --url)."""
    ap = argparse.ArgumentParser(prog="python -m utils migrate", description=(main.__doc__ or "").split(":", 1)[-1].strip())
    ap.add_argument("--url", default=None, help="SQLAlchemy URL (default: SV_DATABASE_URL or data/programme.db)")
    ap.add_argument("--check", action="store_true", help="only report; exit 1 when the store needs an upgrade")
    ap.add_argument("--new-revision", metavar="MESSAGE",
                    help="developers: draft the next revision from the changes in store.py (autogenerate)")
    args = ap.parse_args(argv)
    if args.new_revision:
        print(f"Revisi baru / new revision: {new_revision(args.new_revision)}")
        return 0
    from utils.data import store

    engine = store.get_engine(args.url or paths.database_url())
    where = engine.url.render_as_string(hide_password=True)
    if args.check:
        with engine.connect() as conn:
            rev = current_revision(conn)
        ok = rev == head_revision()
        print(f"{where}: revisi {rev or '-'}, terbaru {head_revision()}" + ("" if ok else " (perlu migrate)"))
        return 0 if ok else 1
    done = upgrade(engine)
    engine.dispose()
    if not done.changed:
        print(f"Skema sudah terbaru / schema already current ({done.after}): {where}")
    elif done.stamped_baseline:
        print(f"Basis data dari sebelum migrasi dikenali sebagai {BASELINE_REVISION}, semua baris tetap / store from "
              f"before migrations recognised as {BASELINE_REVISION}, every row kept; -> {done.after}: {where}")
    else:
        print(f"Skema ditingkatkan / schema upgraded {done.before or '(baru / new)'} -> {done.after}: {where}")
    return 0
