"""Alembic environment: metadata from app.models, URL from settings (or the caller's config)."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from alembic import context
from app.db import create_sync_engine
from app.models import metadata
from app.settings import get_settings

config = context.config


def _database_url() -> str:
    # `atlas db` and the tests pass the URL through the config; plain `alembic` uses settings.
    return config.attributes.get("database_url") or get_settings().database_url


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        **kwargs,  # type: ignore[arg-type]
    )


def run_migrations_offline() -> None:
    _configure(url=_database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    """Run the migrations on ``connection``. On SQLite, foreign keys are not enforced meanwhile:
    a batch migration rebuilds a table (copy, drop, rename), and dropping a table that other
    rows refer to would fail; the references are checked once the migrations are done."""
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:  # outside a transaction, or SQLite ignores the pragma
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()  # end the transaction SQLAlchemy began, so alembic begins its own
    try:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration broke {len(broken)} foreign key(s), "
                                       f"first: {broken[0]}")
    finally:
        if sqlite:
            connection.rollback()  # nothing is open after a commit; after a failure, end it
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_sync_engine(_database_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
