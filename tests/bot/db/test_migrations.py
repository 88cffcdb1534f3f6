"""The migrations build exactly the models' schema, and can be undone and redone."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, inspect

from bot.db import migrate
from bot.db.migrate import include_object
from bot.db.models import metadata


def _tables(url):
    engine = create_engine(url, future=True)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _schema_differences(url):
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object, "compare_type": True}
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_upgrade_from_empty_builds_the_models_schema(empty_db_url):
    migrate.upgrade(empty_db_url)
    assert _tables(empty_db_url) == set(metadata.tables) | {"alembic_version"}
    assert _schema_differences(empty_db_url) == []


def test_downgrade_to_base_and_upgrade_again(empty_db_url):
    migrate.upgrade(empty_db_url)
    migrate.downgrade(empty_db_url, "base")
    assert _tables(empty_db_url) == {"alembic_version"}
    migrate.upgrade(empty_db_url)
    assert _schema_differences(empty_db_url) == []


def test_migrations_leave_rasas_tracker_table_alone(empty_db_url):
    engine = create_engine(empty_db_url, future=True)
    events = Table(
        "events", MetaData(), Column("id", Integer, primary_key=True), Column("data", String(10))
    )
    events.create(engine)
    engine.dispose()

    migrate.upgrade(empty_db_url)
    assert _schema_differences(empty_db_url) == []
    migrate.downgrade(empty_db_url, "base")
    assert "events" in _tables(empty_db_url)
