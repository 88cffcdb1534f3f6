"""Shared fixtures: the member database on SQLite and on the PostgreSQL server.

Database tests take ``db_url`` (an empty, migrated database) or ``seeded`` (the reference
data set loaded) and run once per backend. The PostgreSQL backend is a throw-away database
created for this test run and dropped at its end.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot import clock
from bot import settings as settings_module
from bot.db import migrate
from bot.db import session as db_session
from bot.db.seed import seed

pytest_plugins = ["tests.utils.web"]  # the `browser` fixture

# Property tests draw the same examples on every run, so `make test` passes or fails alike
# each time; KSM_HYPOTHESIS_PROFILE=explore searches further with fresh random examples.
hypothesis_settings.register_profile(
    "ci", derandomize=True, database=None, max_examples=200, deadline=None
)
hypothesis_settings.register_profile("explore", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("KSM_HYPOTHESIS_PROFILE", "ci"))

POSTGRES_URL = os.environ.get(
    "KSM_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)
"""A PostgreSQL server the tests may create and drop databases on (PostgreSQL backend)."""


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """URL of a throw-away PostgreSQL database, dropped when the test run ends."""
    server = create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    name = f"ksm_test_{uuid.uuid4().hex[:12]}"
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        pytest.fail(
            f"PostgreSQL unter {POSTGRES_URL} nicht erreichbar ({exc.orig}). "
            "Die Tests brauchen ihn (siehe README); KSM_TEST_POSTGRES_URL zeigt auf einen anderen."
        )
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    db_session.configure("sqlite://")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database without any tables, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ksm.db'}"
    url: str = request.getfixturevalue("postgres_database")
    _reset_postgres(url)
    return url


@pytest.fixture
def db_url(empty_db_url: str) -> Iterator[str]:
    """A migrated, empty database; the process's session factory is bound to it."""
    migrate.upgrade(empty_db_url)
    db_session.configure(empty_db_url)
    yield empty_db_url
    db_session.get_engine().dispose()


@pytest.fixture
def seeded(db_url: str) -> str:
    """A migrated database holding the reference data set."""
    with db_session.transaction() as session:
        seed(session=session)
    return db_url


@pytest.fixture(scope="module")
def seeded_sqlite_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """A session on a seeded SQLite database of its own, for tests that only read.

    Property tests call the code under test hundreds of times in one test function, where a
    fresh database per call would cost minutes; they share this one and roll back at the end.
    """
    url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'ksm.db'}"
    migrate.upgrade(url)
    engine = db_session.create_db_engine(url)
    with Session(engine, future=True) as session:
        seed(session=session)
        session.commit()
        yield session
        session.rollback()
    engine.dispose()


@pytest.fixture
def session(seeded: str) -> Iterator[Session]:
    """A session on the seeded database, rolled back at the end."""
    with db_session.get_sessionmaker()() as session:
        yield session
        session.rollback()


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Change the environment the settings are read from; settings are re-read after."""
    settings_module.get_settings.cache_clear()
    yield monkeypatch
    settings_module.get_settings.cache_clear()


REFERENCE_DAY = dt.date(2026, 11, 25)
"""The day the reference data set describes: Musterland is mid-onboarding."""


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Freeze the assistant's "today" at ``REFERENCE_DAY``."""
    monkeypatch.setattr(clock, "today", lambda: REFERENCE_DAY)
    return REFERENCE_DAY
