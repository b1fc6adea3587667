"""Alembic environment of the programme store (run by ``utils.data.migrate``, never imported directly).

The migration commands pass the open connection in ``config.attributes["connection"]``; a developer can
also run Alembic's own CLI with ``-x url=...`` (see docs/schema.md).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from utils.data import paths
from utils.data.store import metadata

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: later migrations use batch operations (copy and swap).
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or paths.database_url()
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run them against the store.")
run_migrations_online()
