"""Versioned schema: a store written before migrations existed is upgraded in place with every row intact,
a new store gets the current schema (on SQLite and PostgreSQL), and the migrations describe exactly ``store.metadata``."""

from __future__ import annotations

import lzma
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tests.postgres import clone
from utils.data import migrate, store
from utils.data.dataset import load_dataset

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store_before_migrations.sqlite.xz"


def legacy_store(tmp_path: Path) -> Path:
    """The SQLite store as the code before migrations wrote it (demo rows of two kabupaten, one applied and
    one pending upload with their row images), unpacked into tmp."""
    db = tmp_path / "legacy.db"
    db.write_bytes(lzma.decompress(FIXTURE.read_bytes()))
    return db


#: The tables of revision 0001 (the schema before migrations) and the columns each had then.
BASELINE_TABLES = ("adoption", "bimtek_events", "bimtek_participants", "bimtek_venues", "meeting_attendance",
                   "meetings", "meta", "officers", "services", "targets", "upload_rows", "uploads")


def raw_rows(db: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every user table, read with sqlite3 (not through the code under test), sorted; with
    ``columns``, only those columns of those tables (what an older revision had)."""
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        if columns is not None:
            names = [n for n in names if n in columns]
        return {n: sorted(con.execute(
                    f'SELECT {", ".join(columns[n]) if columns else "*"} FROM "{n}"').fetchall(), key=repr)
                for n in names if n != "alembic_version"}
    finally:
        con.close()


def raw_columns(db: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: [r[1] for r in con.execute(f'PRAGMA table_info("{n}")')] for n in names}
    finally:
        con.close()


def schema_diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), store.metadata)


def test_fixture_is_a_store_from_before_migrations(tmp_path):
    rows = raw_rows(legacy_store(tmp_path))
    assert "alembic_version" not in sqlite3.connect(legacy_store(tmp_path)).execute(
        "SELECT group_concat(name) FROM sqlite_master WHERE type='table'").fetchone()[0]
    assert set(rows) == set(BASELINE_TABLES)  # every table of revision 0001, no version table
    assert rows["upload_rows"] and rows["adoption"] and rows["uploads"]


def test_store_from_before_migrations_is_upgraded_in_place_keeping_every_row(tmp_path, capsys):
    db = legacy_store(tmp_path)
    before, baseline_columns = raw_rows(db), raw_columns(db)
    assert migrate.main(["--url", f"sqlite:///{db}", "--check"]) == 1  # an upgrade is due

    assert migrate.main(["--url", f"sqlite:///{db}"]) == 0
    out = capsys.readouterr().out
    assert "recognised as 0001, every row kept" in out and "-> " + migrate.head_revision() in out

    assert raw_rows(db, baseline_columns) == before  # every table, every row, every value it had
    added = {n: rows for n, rows in raw_rows(db).items() if n not in BASELINE_TABLES}
    assert added and all(rows == [] for rows in added.values())  # later tables start empty
    new_columns = set(raw_columns(db)["uploads"]) - set(baseline_columns["uploads"])
    con = sqlite3.connect(db)
    assert all(con.execute(f"SELECT COUNT(*) FROM uploads WHERE {c} IS NOT NULL").fetchone()[0] == 0
               for c in new_columns)  # added columns are empty on the old rows
    con.close()
    engine = store.get_engine(f"sqlite:///{db}")
    assert migrate.is_current(engine)
    assert schema_diff(engine) == []
    # The app reads the upgraded store: its applied upload and its pending one are still there.
    uploads = store.read_uploads(engine)
    assert sorted(uploads["status"]) == sorted(r[7] for r in before["uploads"])
    ds = load_dataset(f"sqlite:///{db}")
    assert len(ds["adoption"]) == len(before["adoption"])
    engine.dispose()


def test_upgrade_twice_changes_nothing(tmp_path, capsys):
    db = legacy_store(tmp_path)
    migrate.main(["--url", f"sqlite:///{db}"])
    first = raw_rows(db)
    capsys.readouterr()
    assert migrate.main(["--url", f"sqlite:///{db}"]) == 0
    assert "sudah terbaru" in capsys.readouterr().out
    assert raw_rows(db) == first
    assert migrate.main(["--url", f"sqlite:///{db}", "--check"]) == 0


def test_new_store_gets_exactly_the_current_schema(tmp_path):
    engine = store.get_engine(f"sqlite:///{tmp_path / 'new.db'}")
    done = migrate.upgrade(engine)
    assert (done.before, done.after, done.stamped_baseline) == (None, migrate.head_revision(), False)
    assert schema_diff(engine) == []
    assert set(sa.inspect(engine).get_table_names()) == set(store.TABLES) | {"alembic_version"}
    engine.dispose()


def test_a_drifted_schema_is_noticed(tmp_path):
    """The schema comparison used above does see a difference (so an empty diff means something)."""
    engine = store.get_engine(f"sqlite:///{tmp_path / 'drift.db'}")
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE meetings ADD COLUMN extra TEXT"))
    assert any("extra" in repr(d) for d in schema_diff(engine))
    engine.dispose()


def test_writes_migrate_a_store_from_before_migrations(tmp_path):
    """The app's own write path (init_schema) upgrades too, so a Dinas that only runs the app is covered."""
    db = legacy_store(tmp_path)
    engine = store.get_engine(f"sqlite:///{db}")
    store.set_meta(engine, {"note": "x"})
    assert migrate.is_current(engine)
    engine.dispose()


@pytest.mark.parametrize("args", [["--help"]])
def test_migrate_command_has_help(args, capsys):
    with pytest.raises(SystemExit) as exc:
        migrate.main(args)
    assert exc.value.code == 0 and "--check" in capsys.readouterr().out


# --------------------------------------------------------------------------- PostgreSQL
# A store from before migrations (the tables of revision 0001, no ``alembic_version``) is upgraded in place
# with every row intact; a new store gets exactly ``store.metadata``.


def rows_of(engine: sa.Engine, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table but alembic_version, via reflection (not the store's own metadata), sorted;
    with ``columns``, only those tables and columns (what an older revision had)."""
    md = sa.MetaData()
    md.reflect(engine)
    with engine.connect() as conn:
        return {name: sorted((tuple(r) for r in conn.execute(
                    sa.select(*(t.c[c] for c in columns[name])) if columns else sa.select(t))), key=repr)
                for name, t in md.tables.items() if name != "alembic_version" and (columns is None or name in columns)}


def columns_of(engine: sa.Engine) -> dict[str, list[str]]:
    md = sa.MetaData()
    md.reflect(engine)
    return {name: [c.name for c in t.columns] for name, t in md.tables.items()}


def make_legacy_pg_store(pg_cluster, tmp_path) -> sa.Engine:
    """The fixture's rows in a PostgreSQL database laid out as before migrations (revision 0001, unstamped)."""
    engine = store.get_engine(clone(pg_cluster, None))
    with engine.begin() as conn:
        command.upgrade(migrate.config(conn), migrate.BASELINE_REVISION)
        conn.execute(sa.text("DROP TABLE alembic_version"))
    source = sa.create_engine(f"sqlite:///{legacy_store(tmp_path)}")
    src_md, dst_md = sa.MetaData(), sa.MetaData()
    src_md.reflect(source)
    dst_md.reflect(engine)
    with source.connect() as src, engine.begin() as dst:
        for table in dst_md.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(sa.select(src_md.tables[table.name]))]
            if rows:
                dst.execute(table.insert(), rows)
    source.dispose()
    return engine


def test_postgres_store_from_before_migrations_keeps_every_row(pg_cluster, tmp_path):
    engine = make_legacy_pg_store(pg_cluster, tmp_path)
    before, baseline = rows_of(engine), columns_of(engine)
    assert before["upload_rows"] and before["adoption"]
    done = migrate.upgrade(engine)
    assert done.stamped_baseline and done.after == migrate.head_revision()
    assert rows_of(engine, baseline) == before  # every row and value the old tables had
    added = {n: rows for n, rows in rows_of(engine).items() if n not in baseline}
    assert added and all(rows == [] for rows in added.values())  # later tables start empty
    assert schema_diff(engine) == []
    assert not migrate.upgrade(engine).changed
    engine.dispose()


def test_postgres_new_store_gets_the_current_schema(pg_cluster):
    engine = store.get_engine(clone(pg_cluster, None))
    migrate.upgrade(engine)
    assert schema_diff(engine) == []
    engine.dispose()
