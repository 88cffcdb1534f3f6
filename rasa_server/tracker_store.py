"""Rasa's SQL tracker store, with its statements built once and its database work in a thread.

Rasa 3.6's ``SQLTrackerStore`` reads a conversation with an ORM query that it builds anew
for each message (SQLAlchemy then works out the query's cache key, the subquery for the
latest session start, the ORM's row loading), and writes through ORM objects after counting
the stored rows with another such query. It does this on the event loop, so every message
of every conversation waits while one of them reads, writes or waits for the disk
(``COMMIT`` on SQLite is an ``fsync``). On SQLite, SQLAlchemy 1.4 opens and closes a new
database connection for each of these sessions.

This store keeps Rasa's table, rows and semantics: the events since the latest
``session_started`` (by timestamp, as Rasa's subquery), ordered by id; the rows a save adds
are the tracker's events beyond the number stored since the latest session start, written
in one transaction. It builds each statement once, runs them in a worker thread (the event
loop goes on with other conversations meanwhile) and keeps SQLite connections in a pool.
``endpoints.yml`` names it as ``type: rasa_server.tracker_store.SQLTrackerStore``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.core.tracker_store import ensure_schema_exists
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.pool import QueuePool

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_SECONDS = 15
"""How long a write waits for the action server's transaction on the same SQLite file."""

EVENTS = RasaSQLTrackerStore.SQLEvent.__table__
_SENDER = sa.bindparam("sender_id")
_LATEST_SESSION_START = (
    sa.select(sa.func.max(EVENTS.c.timestamp))
    .where(EVENTS.c.sender_id == _SENDER, EVENTS.c.type_name == SessionStarted.type_name)
    .scalar_subquery()
)
_IN_LATEST_SESSION = sa.or_(
    EVENTS.c.timestamp >= _LATEST_SESSION_START, _LATEST_SESSION_START.is_(None)
)
LATEST_SESSION_EVENTS = (
    sa.select(EVENTS.c.data)
    .where(EVENTS.c.sender_id == _SENDER, _IN_LATEST_SESSION)
    .order_by(EVENTS.c.id)
)
ALL_EVENTS = sa.select(EVENTS.c.data).where(EVENTS.c.sender_id == _SENDER).order_by(EVENTS.c.id)
LATEST_SESSION_COUNT = (
    sa.select(sa.func.count())
    .select_from(EVENTS)
    .where(EVENTS.c.sender_id == _SENDER, _IN_LATEST_SESSION)
)
INSERT_EVENTS = EVENTS.insert()


class SQLTrackerStore(RasaSQLTrackerStore):
    """Rasa's ``SQLTrackerStore`` (same table, same results) without its per-message overhead."""

    engine: sa.engine.Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            pooled = sa.create_engine(
                self.engine.url,
                poolclass=QueuePool,
                connect_args={
                    "check_same_thread": False,  # one thread at a time, handed on by the pool
                    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                },
            )
            self.engine.dispose()
            self.engine = pooled
            self.sessionmaker = sa.orm.session.sessionmaker(bind=pooled)
        with self.sessionmaker() as session:
            ensure_schema_exists(session)  # Rasa checks it for every session

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        return await asyncio.to_thread(
            self._read_tracker, sender_id, fetch_events_from_all_sessions
        )

    def _read_tracker(self, sender_id: str, all_sessions: bool) -> DialogueStateTracker | None:
        statement = ALL_EVENTS if all_sessions else LATEST_SESSION_EVENTS
        with self.engine.connect() as connection:
            rows = connection.execute(statement, {"sender_id": sender_id}).scalars().all()
        if not self.domain or not rows:
            logger.debug("No stored tracker for this conversation.")
            return None
        return DialogueStateTracker.from_dict(
            sender_id, [json.loads(row) for row in rows], self.domain.slots
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events of ``tracker`` that are not stored yet."""
        await self.stream_events(tracker)
        await asyncio.to_thread(self._write_new_events, tracker.sender_id, list(tracker.events))

    def _write_new_events(self, sender_id: str, events: list[Event]) -> None:
        with self.engine.begin() as connection:
            stored = connection.execute(LATEST_SESSION_COUNT, {"sender_id": sender_id}).scalar()
            rows = [row(sender_id, event) for event in itertools.islice(events, stored, None)]
            if rows:
                connection.execute(INSERT_EVENTS, rows)
        logger.debug("Stored %d new events of a conversation.", len(rows))


def row(sender_id: str, event: Event) -> dict[str, Any]:
    """The ``events`` row of one event, with the columns Rasa fills."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }
