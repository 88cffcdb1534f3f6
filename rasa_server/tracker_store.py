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

It also keeps the tracker of a conversation in memory from one message to the next, instead
of reading all of the session's rows again, turning each into an event and applying every
event anew (and then replaying them all for the policies' dialogue states). A kept tracker
is handed out only if it is what reading the rows would give:

- At the save, the rows of the latest session before the insert were the ones the tracker
  was read from (the same stamp: number of rows, highest id, latest time), or there were
  none; and after the insert the latest session holds as many rows as the tracker has
  events. That fails when the save starts a new session (reading would begin at its
  ``session_started``), when an event's time lies before the session's start, or when
  another writer came in between.
- At the next message, the latest session has still the same stamp. Rows are only added or
  deleted, a session at a time or the whole conversation (``bot.privacy``), so any change
  of another server, an API call or a deletion shows in it. An added row has a higher id,
  except on SQLite after the table's last rows were deleted; then its later time shows.
- The tracker has not changed since its save (the same number of events, the very same
  last one): a message that failed after changing it is read again from the database.

The kept events are the ones Rasa made, the read ones come back from their JSON: the NLU's
token offsets, for instance, are tuples in one and lists in the other. Both give the same
JSON (for the action server) and the same dialogue states (``tests/e2e``).

A kept tracker leaves the memory when it is handed out (a caller that changes it and does
not save it cannot hand it on), ``KEPT_SECONDS`` after its save, or when more than
``KEPT_CONVERSATIONS`` are kept.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from time import monotonic
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
KEPT_CONVERSATIONS = 1000
"""Trackers kept in memory between messages at most, the longest unsaved dropped first.

More than a server's conversations within one pause for thought at the planned load
(``docs/BETRIEB.md``: 25 messages/s, a message every 20–30 s); 60–250 kB each."""
KEPT_SECONDS = 900.0
"""How long a kept tracker waits for the next message of its conversation."""

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
    sa.select(EVENTS.c.id, EVENTS.c.timestamp, EVENTS.c.data)
    .where(EVENTS.c.sender_id == _SENDER, _IN_LATEST_SESSION)
    .order_by(EVENTS.c.id)
)
ALL_EVENTS = (
    sa.select(EVENTS.c.id, EVENTS.c.timestamp, EVENTS.c.data)
    .where(EVENTS.c.sender_id == _SENDER)
    .order_by(EVENTS.c.id)
)
LATEST_SESSION_STAMP = (
    sa.select(sa.func.count(), sa.func.max(EVENTS.c.id), sa.func.max(EVENTS.c.timestamp))
    .select_from(EVENTS)
    .where(EVENTS.c.sender_id == _SENDER, _IN_LATEST_SESSION)
)
INSERT_EVENTS = EVENTS.insert()

Stamp = tuple[int, int | None, float | None]
"""Of the rows of a conversation's latest session: how many, the highest id, the latest time.

The time is there for SQLite, which gives the ids of the table's last rows again once they
have been deleted."""
STAMP = "_ksm_stamp"
"""Set on a tracker the store handed out or saved: the stamp of the rows it holds."""


@dataclass
class Kept:
    """A saved tracker, kept for the next message of its conversation."""

    tracker: DialogueStateTracker
    events: int
    last: Event
    until: float
    """``monotonic()`` after which it is dropped."""

    @property
    def stamp(self) -> Stamp | None:
        """The latest session's rows right after the save: as many as the tracker's events.

        The tracker carries it for its next save; ``save`` takes it off only when it drops
        the kept tracker too.
        """
        stamp: Stamp | None = self.tracker.__dict__.get(STAMP)
        return stamp

    def unchanged(self) -> bool:
        """Whether the tracker holds just the events it held when it was saved."""
        events = self.tracker.events
        return len(events) == self.events and events[-1] is self.last


class SQLTrackerStore(RasaSQLTrackerStore):
    """Rasa's ``SQLTrackerStore`` (same table, same results) without its per-message overhead."""

    engine: sa.engine.Engine

    def __init__(
        self, *args: Any, kept_conversations: int = KEPT_CONVERSATIONS, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kept_conversations = kept_conversations
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self._sweep: asyncio.TimerHandle | None = None
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
        if fetch_events_from_all_sessions:
            tracker, _ = await asyncio.to_thread(self._read_tracker, sender_id, ALL_EVENTS)
            return tracker
        kept = self._kept.pop(sender_id, None)
        if (
            kept is not None
            and kept.unchanged()
            and monotonic() < kept.until
            and await asyncio.to_thread(self._stamp, sender_id) == kept.stamp
        ):
            logger.debug("Kept tracker of a conversation handed out.")
            return kept.tracker
        tracker, stamp = await asyncio.to_thread(
            self._read_tracker, sender_id, LATEST_SESSION_EVENTS
        )
        if tracker is not None:
            tracker.__dict__[STAMP] = stamp
        return tracker

    def _read_tracker(
        self, sender_id: str, statement: Any
    ) -> tuple[DialogueStateTracker | None, Stamp]:
        with self.engine.connect() as connection:
            rows = connection.execute(statement, {"sender_id": sender_id}).all()
        if not self.domain or not rows:
            logger.debug("No stored tracker for this conversation.")
            return None, (0, None, None)
        tracker = DialogueStateTracker.from_dict(
            sender_id, [json.loads(row.data) for row in rows], self.domain.slots
        )
        return tracker, (len(rows), rows[-1].id, max(row.timestamp for row in rows))

    def _stamp(self, sender_id: str) -> Stamp:
        with self.engine.connect() as connection:
            return self._stamp_in(connection, sender_id)

    @staticmethod
    def _stamp_in(connection: sa.engine.Connection, sender_id: str) -> Stamp:
        count, top, latest = connection.execute(
            LATEST_SESSION_STAMP, {"sender_id": sender_id}
        ).one()
        return count, top, latest

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events of ``tracker`` that are not stored yet, and keep the tracker."""
        await self.stream_events(tracker)
        events = list(tracker.events)
        read = tracker.__dict__.pop(STAMP, None)
        self._kept.pop(tracker.sender_id, None)
        stamp = await asyncio.to_thread(self._write_new_events, tracker.sender_id, events, read)
        if stamp is None or tracker.events.maxlen is not None or not events:
            return
        tracker.__dict__[STAMP] = stamp
        self._kept[tracker.sender_id] = Kept(
            tracker, len(events), events[-1], monotonic() + KEPT_SECONDS
        )
        self._drop_old()

    def _drop_old(self) -> None:
        """Drop the kept trackers beyond the limit or past their time.

        Comes back when the next one is due, also when no message arrives to do it.
        """
        now = monotonic()
        while self._kept:
            oldest = next(iter(self._kept.values()))
            if len(self._kept) <= self.kept_conversations and now < oldest.until:
                break
            self._kept.popitem(last=False)
        if self._kept and self._sweep is None:
            self._sweep = asyncio.get_running_loop().call_later(oldest.until - now, self._swept)

    def _swept(self) -> None:
        self._sweep = None
        self._drop_old()

    def _write_new_events(
        self, sender_id: str, events: list[Event], read: Stamp | None
    ) -> Stamp | None:
        """Insert the events beyond the stored ones.

        Returns the latest session's stamp afterwards if those rows are the tracker's events
        (see the module's docstring), else None.
        """
        with self.engine.begin() as connection:
            before = self._stamp_in(connection, sender_id)
            stored = before[0]
            rows = [row(sender_id, event) for event in itertools.islice(events, stored, None)]
            if rows:
                connection.execute(INSERT_EVENTS, rows)
            logger.debug("Stored %d new events of a conversation.", len(rows))
            if stored and before != read:
                return None
            after = self._stamp_in(connection, sender_id) if rows else before
        return after if after[0] == len(events) else None


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
