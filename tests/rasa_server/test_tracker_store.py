"""The project's SQL tracker store reads and writes exactly what Rasa's does, without
blocking the event loop; on SQLite and on the PostgreSQL server.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import warnings
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.core.tracker_store import TrackerStore, create_tracker_store
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, event, text

from bot.settings import PROJECT_ROOT
from rasa_server.tracker_store import SQLTrackerStore

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Slot auto-fill has been removed", UserWarning)
    DOMAIN = Domain.from_dict(
        {
            "intents": ["greet", "member_since"],
            "slots": {"member": {"type": "text", "mappings": [{"type": "custom"}]}},
            "responses": {"utter_greet": [{"text": "Guten Tag!"}]},
        }
    )
ROWS = text(
    "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
    "FROM events WHERE sender_id = :sender_id ORDER BY id"
)


def session_start() -> list[Event]:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]


def turn(text: str, intent: str, **slots: Any) -> list[Event]:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.97}, "entities": []}
    return [
        UserUttered(text, parse["intent"], [], parse),
        *(SlotSet(name, value) for name, value in slots.items()),
        ActionExecuted("utter_greet"),
        BotUttered("Guten Tag!", metadata={"utter_action": "utter_greet"}),
        ActionExecuted("action_listen"),
    ]


STEPS = [
    session_start() + turn("Hallo", "greet"),
    turn("Seit wann ist Grabow dabei?", "member_since", member="grabow"),
    # a new session in the middle of a message, as action_session_start adds it
    session_start() + turn("Hallo nochmal", "greet"),
    turn("Und Lübz?", "member_since", member="Lübz ' OR 1=1 --"),
]


async def converse(store: TrackerStore, sender_id: str) -> None:
    """Each step as the processor does it: get the tracker, add the step's events, save."""
    for events in STEPS:
        tracker = await store.retrieve(sender_id) or DialogueStateTracker(sender_id, DOMAIN.slots)
        for event_ in events:
            time.sleep(0.001)  # distinct timestamps, as between real events
            tracker.update(event_, DOMAIN)
        await store.save(tracker)


def rows(url: str, sender_id: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        found = connection.execute(ROWS, {"sender_id": sender_id}).all()
    engine.dispose()
    return [tuple(r) for r in found]


def without_timestamps(found: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [(s, t, i, a) for s, t, _, i, a, _ in found]


@pytest.fixture
def stores(empty_db_url: str) -> tuple[RasaSQLTrackerStore, SQLTrackerStore]:
    return RasaSQLTrackerStore(DOMAIN, host=empty_db_url), SQLTrackerStore(
        DOMAIN, host=empty_db_url
    )


async def test_a_conversation_is_stored_in_the_rows_rasa_writes(stores, empty_db_url):
    rasa, mine = stores
    await converse(rasa, "rasa")
    await converse(mine, "mine")

    theirs, ours = rows(empty_db_url, "rasa"), rows(empty_db_url, "mine")
    assert len(ours) == sum(len(step) for step in STEPS)
    assert without_timestamps(ours) == [
        ("mine", *columns[1:]) for columns in without_timestamps(theirs)
    ]


@pytest.mark.parametrize("writer", ["rasa", "mine"])
async def test_each_store_reads_what_the_other_wrote(stores, writer):
    rasa, mine = stores
    await converse(rasa if writer == "rasa" else mine, "conversation")

    for full in (False, True):
        read = mine.retrieve_full_tracker if full else mine.retrieve
        expected = rasa.retrieve_full_tracker if full else rasa.retrieve
        ours, theirs = await read("conversation"), await expected("conversation")
        assert ours is not None
        assert theirs is not None
        assert list(ours.events) == list(theirs.events)
        assert ours.current_slot_values() == theirs.current_slot_values()
    latest = await mine.retrieve("conversation")
    assert latest is not None
    # from the second session start on; ``action_session_start`` came just before it
    assert len(latest.events) == len(STEPS[2]) - 1 + len(STEPS[3])
    assert latest.get_slot("member") == "Lübz ' OR 1=1 --"


async def test_an_unknown_conversation_has_no_tracker(stores):
    _, mine = stores
    assert await mine.retrieve("nobody") is None
    assert await mine.retrieve_full_tracker("nobody") is None


async def test_saving_the_same_tracker_twice_adds_nothing(stores, empty_db_url):
    _, mine = stores
    await converse(mine, "twice")
    tracker = await mine.retrieve("twice")
    assert tracker is not None
    before = rows(empty_db_url, "twice")

    await mine.save(tracker)

    assert rows(empty_db_url, "twice") == before


async def test_while_the_database_is_busy_other_conversations_go_on(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    mine = SQLTrackerStore(DOMAIN, host=url)
    blocker = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process writing, e.g. the action server
    ticks = 0

    async def ticking() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def release_later() -> None:
        await asyncio.sleep(0.3)
        blocker.execute("COMMIT")

    ticker = asyncio.create_task(ticking())
    tracker = DialogueStateTracker("busy", DOMAIN.slots)
    for event_ in session_start():
        tracker.update(event_)
    await asyncio.gather(mine.save(tracker), release_later())
    ticker.cancel()
    blocker.close()

    assert ticks >= 10  # the event loop ran while the save waited for the lock
    stored = await mine.retrieve("busy")
    assert stored is not None
    assert [e.type_name for e in stored.events] == ["session_started", "action"]


async def test_sqlite_connections_are_kept_open_between_messages(tmp_path):
    mine = SQLTrackerStore(DOMAIN, host=f"sqlite:///{tmp_path / 'pool.db'}")
    connects = []
    event.listen(mine.engine, "connect", lambda *_: connects.append(1))

    await converse(mine, "pooled")
    await converse(mine, "pooled-too")

    assert len(connects) == 1


@pytest.mark.filterwarnings("ignore:pkg_resources is deprecated:DeprecationWarning")
def test_rasa_builds_this_store_from_endpoints_yml(tmp_path, monkeypatch):
    monkeypatch.setenv("KSM_DATABASE_URL", f"sqlite:///{tmp_path / 'ksm.db'}")
    monkeypatch.setenv("KSM_ACTION_ENDPOINT", "http://127.0.0.1:5055/webhook")

    config = read_endpoints_from_path(PROJECT_ROOT / "endpoints.yml").tracker_store
    store = create_tracker_store(config, DOMAIN)

    assert type(store) is SQLTrackerStore
