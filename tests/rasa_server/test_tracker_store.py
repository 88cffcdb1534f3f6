"""The project's SQL tracker store reads and writes exactly what Rasa's does, without
blocking the event loop; on SQLite and on the PostgreSQL server.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sqlite3
import time
import uuid
import warnings
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.tracker_store import AwaitableTrackerStore, TrackerStore, create_tracker_store
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
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
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from sqlalchemy import create_engine, event, text

from bot.settings import PROJECT_ROOT
from rasa_server import tracker_store
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


def held(tracker: DialogueStateTracker | None) -> Any:
    """What the policies, the actions and the next save see of a tracker."""
    if tracker is None:
        return None
    return {
        "events": [json.dumps(event.as_dict()) for event in tracker.events],
        "state": tracker.current_state(EventVerbosity.ALL),
        "past_states": tracker.past_states(DOMAIN),
        "slots": tracker.current_slot_values(),
    }


async def read_from_rows(url: str, sender_id: str) -> DialogueStateTracker | None:
    return await SQLTrackerStore(DOMAIN, host=url, kept_conversations=0).retrieve(sender_id)


async def test_a_saved_tracker_is_handed_out_again_without_reading_its_rows(empty_db_url):
    mine = SQLTrackerStore(DOMAIN, host=empty_db_url)
    await converse(mine, "kept")
    saved = await mine.retrieve("kept")
    assert saved is not None
    for event_ in turn("Danke", "greet"):
        saved.update(event_, DOMAIN)
    await mine.save(saved)
    statements: list[str] = []
    event.listen(mine.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    handed_out = await mine.retrieve("kept")

    assert handed_out is saved
    assert len(statements) == 1
    assert "data" not in statements[0]  # only the stamp of the rows, not their events
    assert held(handed_out) == held(await read_from_rows(empty_db_url, "kept"))


async def test_a_conversation_another_server_went_on_with_is_read_again(empty_db_url):
    first = SQLTrackerStore(DOMAIN, host=empty_db_url)
    second = SQLTrackerStore(DOMAIN, host=empty_db_url)
    await converse(first, "shared")
    on_second = await second.retrieve("shared")
    assert on_second is not None
    for event_ in turn("Und Crivitz?", "member_since", member="crivitz"):
        on_second.update(event_, DOMAIN)
    await second.save(on_second)

    on_first = await first.retrieve("shared")

    assert on_first is not None
    assert on_first.get_slot("member") == "crivitz"
    assert held(on_first) == held(await read_from_rows(empty_db_url, "shared"))


async def test_a_tracker_changed_after_its_save_is_read_again(empty_db_url):
    """As when ``create_tracker`` saved it and the message then failed before the next save."""
    mine = SQLTrackerStore(DOMAIN, host=empty_db_url)
    created = await AwaitableTrackerStore(mine).get_or_create_tracker("failed")
    for event_ in session_start():
        created.update(event_, DOMAIN)

    again = await mine.retrieve("failed")

    assert again is not created
    assert again is not None
    assert [e.type_name for e in again.events] == ["action"]


async def test_a_tracker_handed_out_is_not_handed_out_twice(empty_db_url):
    mine = SQLTrackerStore(DOMAIN, host=empty_db_url)
    await converse(mine, "twice")

    first, second = await mine.retrieve("twice"), await mine.retrieve("twice")

    assert first is not second
    assert held(first) == held(second)


async def test_after_a_new_session_the_tracker_is_read_from_its_start(empty_db_url):
    mine = SQLTrackerStore(DOMAIN, host=empty_db_url)
    for step, events in enumerate(STEPS[:3]):
        tracker = await mine.retrieve("sessions") or DialogueStateTracker("sessions", DOMAIN.slots)
        for event_ in events:
            time.sleep(0.001)
            tracker.update(event_, DOMAIN)
        await mine.save(tracker)

        handed_out = await mine.retrieve("sessions")

        assert (handed_out is tracker) == (step == 1)  # a save that started a session is not
        assert held(handed_out) == held(await read_from_rows(empty_db_url, "sessions"))
    assert handed_out is not None
    assert handed_out.events[0].type_name == "session_started"


async def test_a_deleted_conversation_is_not_handed_out(empty_db_url):
    mine = SQLTrackerStore(DOMAIN, host=empty_db_url)
    await converse(mine, "deleted")
    await converse(mine, "kept")
    with mine.engine.begin() as connection:
        connection.execute(text("DELETE FROM events WHERE sender_id = 'deleted'"))

    assert await mine.retrieve("deleted") is None
    assert await mine.retrieve("kept") is not None


async def test_a_conversation_whose_older_sessions_were_deleted_is_still_handed_out(empty_db_url):
    mine = SQLTrackerStore(DOMAIN, host=empty_db_url)
    await converse(mine, "old")
    kept = mine._kept["old"].tracker
    with mine.engine.begin() as connection:
        latest_start = connection.execute(
            text("SELECT max(id) FROM events WHERE sender_id = 'old' AND type_name = :t"),
            {"t": "session_started"},
        ).scalar()
        deleted = connection.execute(
            text("DELETE FROM events WHERE sender_id = 'old' AND id < :id"), {"id": latest_start}
        ).rowcount
    assert deleted == len(STEPS[0]) + len(STEPS[1]) + 1  # and the second action_session_start

    assert await mine.retrieve("old") is kept


async def test_only_the_latest_conversations_are_kept_and_only_for_a_while(
    empty_db_url, monkeypatch
):
    mine = SQLTrackerStore(DOMAIN, host=empty_db_url, kept_conversations=2)
    for sender_id in ("a", "b", "c"):
        await converse(mine, sender_id)
    assert list(mine._kept) == ["b", "c"]

    later = time.monotonic() + tracker_store.KEPT_SECONDS + 1
    monkeypatch.setattr(tracker_store, "monotonic", lambda: later)
    b = mine._kept["b"].tracker
    assert await mine.retrieve("b") is not b
    await mine.save(b)

    assert list(mine._kept) == ["b"]  # c waited too long


async def test_kept_trackers_leave_the_memory_in_time_without_further_messages(
    empty_db_url, monkeypatch
):
    monkeypatch.setattr(tracker_store, "KEPT_SECONDS", 1.0)
    mine = SQLTrackerStore(DOMAIN, host=empty_db_url)
    await converse(mine, "a")
    await asyncio.sleep(0.4)
    await converse(mine, "b")
    assert list(mine._kept) == ["a", "b"]

    await asyncio.sleep(0.7)
    assert list(mine._kept) == ["b"]
    await asyncio.sleep(0.5)
    assert not mine._kept


KINDS = ["message", "new session", "failed message", "late event", "overtaken message",
         "delete old", "delete all"]  # fmt: skip
OPERATIONS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 1)), max_size=12)


async def take_turns(url: str, operations: list[tuple[str, int]]) -> Counter[str]:
    """Run the operations on one new conversation; which trackers were handed out how."""
    servers = [SQLTrackerStore(DOMAIN, host=url), SQLTrackerStore(DOMAIN, host=url)]
    sender_id = uuid.uuid4().hex
    clock = itertools.count(time.time())
    handed_out: Counter[str] = Counter()

    def stamped(events: list[Event], timestamp: float | None = None) -> list[Event]:
        for event_ in events:
            event_.timestamp = next(clock) if timestamp is None else timestamp
        return events

    async def message(store: SQLTrackerStore, operation: str) -> None:
        kept = store._kept.get(sender_id)
        tracker = await AwaitableTrackerStore(store).get_or_create_tracker(sender_id)
        assert held(tracker) == held(await read_from_rows(url, sender_id))
        handed_out["kept" if kept is not None and tracker is kept.tracker else "read"] += 1
        if operation == "overtaken message":  # the other server's message comes first
            await message(servers[1 - servers.index(store)], "message")
        if operation == "new session":
            events = stamped(session_start() + turn("Hallo", "greet"))
        elif operation == "late event":
            events = stamped([SlotSet("member", "spät")], timestamp=1.0)  # 0.0 reads as now
        else:
            events = stamped(turn("Und Lübz?", "member_since", member=f"lübz-{next(clock)}"))
        for event_ in events:
            tracker.update(event_, DOMAIN)
        if operation != "failed message":
            await store.save(tracker)

    for operation, server in operations:
        store = servers[server]
        if operation.startswith("delete"):
            with store.engine.begin() as connection:
                connection.execute(
                    text(
                        "DELETE FROM events WHERE sender_id = :s AND id < (SELECT max(id) "
                        "FROM events WHERE sender_id = :s AND type_name = 'session_started')"
                    )
                    if operation == "delete old"
                    else text("DELETE FROM events WHERE sender_id = :s"),
                    {"s": sender_id},
                )
            continue
        await message(store, operation)
    return handed_out


def test_every_tracker_handed_out_is_what_reading_its_rows_gives(tmp_path):
    """Two servers take turns with one conversation, messages fail after changing the
    tracker, events arrive with an earlier timestamp, the privacy commands delete sessions
    or the whole conversation: every tracker either server hands out, kept or not, is the one
    read from the rows at that moment."""
    url = f"sqlite:///{tmp_path / 'property.db'}"
    handed_out: Counter[str] = Counter()

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations=OPERATIONS)
    def conversation(operations: list[tuple[str, int]]) -> None:
        loop = asyncio.new_event_loop()  # not pytest-asyncio's, which stays as it is
        try:
            handed_out.update(loop.run_until_complete(take_turns(url, operations)))
        finally:
            loop.close()

    conversation()

    assert handed_out["kept"] > 20
    assert handed_out["read"] > 20
