"""Versioned schema on PostgreSQL: a store from before migrations (the tables of revision 0001, no
``alembic_version``) is upgraded in place with every row intact; a new store gets exactly ``store.metadata``."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from tests.unit.pg.conftest import clone
from tests.unit.test_migrations import legacy_store, schema_diff
from utils.data import migrate, store


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
