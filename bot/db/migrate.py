"""Schema migrations with Alembic, driven from code so no alembic.ini is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

from bot.db.models import metadata

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
OWN_TABLES = frozenset(metadata.tables)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave alone the tables that share the database but are not ours (Rasa's ``events``)."""
    if type_ == "table":
        return name in OWN_TABLES
    return True


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def revision(url: str, message: str) -> None:
    """Generate a new migration from the difference between the models and the database."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
