"""Alembic environment: metadata from app.models, URL from settings (or the caller's config)."""

from __future__ import annotations

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


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_sync_engine(_database_url())
    try:
        with engine.connect() as connection:
            _configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
