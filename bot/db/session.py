"""One engine and one session factory per process; sessions are short and owned by callers.

Callers write::

    with transaction() as session:
        member = queries.find_member(session=session, name="Grabow")

and the query functions never commit on their own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.settings import get_settings

_lock = threading.Lock()
_engine: Engine | None = None
_factory: sessionmaker | None = None


def create_db_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the settings every process of the assistant needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)

    if not parsed.database or parsed.database == ":memory:":
        engine = create_engine(url, future=True, connect_args={"timeout": 15})
    else:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLAlchemy 1.4 opens a new connection to a SQLite file for every session; that was
        # a third of the action server's work per message. A pool hands each connection to
        # one thread at a time (the actions run their queries in worker threads).
        engine = create_engine(
            url,
            future=True,
            poolclass=QueuePool,
            connect_args={"timeout": 15, "check_same_thread": False},
        )
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and let the Rasa server and the action server share the file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.close()


def configure(url: str | None = None) -> sessionmaker:
    """(Re)bind this process's engine and session factory, by default to the settings' URL."""
    global _engine, _factory
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = create_db_engine(url or get_settings().database_url)
        _factory = sessionmaker(bind=_engine, future=True, expire_on_commit=False)
        return _factory


def get_engine() -> Engine:
    """The process's engine, created on first use."""
    get_sessionmaker()
    return _engine  # set together with _factory


def get_sessionmaker() -> sessionmaker:
    """The process's session factory, created on first use."""
    return _factory if _factory is not None else configure()


@contextmanager
def transaction() -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back on error."""
    with get_sessionmaker().begin() as session:
        yield session
