"""Alembic environment: runs migrations online against the configured URL."""

from __future__ import annotations

from alembic import context

from bot.db.migrate import include_object
from bot.db.models import metadata
from bot.db.session import create_db_engine


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is set by bot.db.migrate.alembic_config")
    engine = create_db_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
