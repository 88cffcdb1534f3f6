"""Compare whole database contents: import and seed tests assert "nothing changed"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db import session as db_session
from bot.db.models import metadata


def database_contents() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of ours, without surrogate ids, in a stable order."""
    contents: dict[str, list[tuple[Any, ...]]] = {}
    with db_session.get_engine().connect() as connection:
        for table in metadata.sorted_tables:
            columns = [column for column in table.columns if column.name != "id"]
            rows = connection.execute(select(*columns)).all()
            contents[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return contents
