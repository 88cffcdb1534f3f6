from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.db import session as db_session
from bot.review.conversations import tracker_metadata
from tests.utils.tracker import TrackerLog


@pytest.fixture
def tracker(db_url: str) -> Iterator[TrackerLog]:
    """Rasa's ``events`` table in the test database, written through a committed session."""
    tracker_metadata.create_all(db_session.get_engine())
    with db_session.transaction() as session:
        log = TrackerLog(session)
        yield log
