"""The purge against Rasa's own ``SQLTrackerStore``: the tracker Rasa reads stays the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.cli import main

# Rasa 3.6's tracker store is written against SQLAlchemy 1.3 and warns about it on import.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def rasa_store(privacy_db: str) -> Any:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    url = make_url(privacy_db)
    store = SQLTrackerStore(
        Domain.empty(),
        dialect=url.drivername,
        host=url.host,
        port=url.port,
        db=url.database,
        username=url.username,
        password=url.password,
    )
    yield store
    store.engine.dispose()


def _session(start: float, metadata: dict[str, Any] | None, text: str) -> list[Any]:
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    events: list[Any] = []
    if metadata:
        events.append(SlotSet("session_started_metadata", metadata, timestamp=start))
    return [
        *events,
        ActionExecuted("action_session_start", timestamp=start + 0.2),
        SessionStarted(timestamp=start + 0.1),
        ActionExecuted("action_listen", timestamp=start + 0.3),
        UserUttered(text, {"name": "help", "confidence": 0.9}, timestamp=start + 1),
        BotUttered(f"Antwort auf {text}", timestamp=start + 2),
        ActionExecuted("action_listen", timestamp=start + 3),
    ]


async def test_rasa_reads_the_same_current_session_after_the_purge(rasa_store):
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    now = dt.datetime.now(dt.timezone.utc).timestamp()
    days = 24 * 3600.0
    events = [
        ActionExecuted("action_listen", timestamp=now - 120 * days),
        *_session(now - 120 * days, {"member": "grabow"}, "alte Frage"),
        *_session(now - 100 * days, None, "ältere Frage"),
        *_session(now - 3600, {"member": "schwerin"}, "neue Frage"),
    ]
    tracker = DialogueStateTracker.from_events("a", events, slots=rasa_store.domain.slots)
    await rasa_store.save(tracker)
    before = await rasa_store.retrieve("a")

    assert main(["privacy", "purge"]) == 0

    after = await rasa_store.retrieve("a")
    assert [e.as_dict() for e in after.events] == [e.as_dict() for e in before.events]
    full = await rasa_store.retrieve_full_tracker("a")
    said = [event.text for event in full.events if isinstance(event, UserUttered)]
    assert said == ["neue Frage"]

    after.update(UserUttered("noch eine Frage", {"name": "help", "confidence": 0.9}))
    await rasa_store.save(after)
    again = await rasa_store.retrieve("a")
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in after.events]
