from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from bot.db import session as db_session
from bot.db.models import Ticket, TicketStatus
from bot.review.conversations import events, tracker_metadata
from tests.utils.tracker import TrackerLog

SECRET = "privacy-test-secret-" + "s" * 32
NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def privacy_db(environment: pytest.MonkeyPatch, db_url: str) -> str:
    """The test database as the commands' database, with an identity secret configured."""
    environment.setenv("KSM_DATABASE_URL", db_url)
    environment.setenv("KSM_IDENTITY_SECRET", SECRET)
    return db_url


@pytest.fixture
def tracker(privacy_db: str) -> Iterator[TrackerLog]:
    """Rasa's ``events`` table in the test database; call ``tracker.session.commit()``."""
    tracker_metadata.create_all(db_session.get_engine())
    with db_session.get_sessionmaker()() as session:
        yield TrackerLog(session, now=NOW)


def stored_events() -> list[tuple[str, str, str | None]]:
    """Every row of ``events`` as (sender, type, action), in order."""
    with db_session.transaction() as session:
        rows = session.execute(
            select(events.c.sender_id, events.c.type_name, events.c.action_name).order_by(
                events.c.id
            )
        )
        return [tuple(row) for row in rows]


def finish(number: str, status: TicketStatus, *, ago: dt.timedelta) -> None:
    """Give a ticket ``status``, last changed ``ago`` before now."""
    with db_session.transaction() as session:
        session.execute(
            update(Ticket)
            .where(Ticket.number == number)
            .values(status=status, updated_at=NOW - ago)
        )


def ticket(number: str) -> Ticket:
    with db_session.transaction() as session:
        found = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        found.events  # load the history before the session ends  # noqa: B018
        return found
