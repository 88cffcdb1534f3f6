"""A tracker copied by its state is the tracker Rasa's replay of its events gives."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import AnySlotDict, DialogueStateTracker, EventVerbosity

from rasa_server.speedups import tracker_copy
from tests.rasa_server.speedups.test_states import DOMAIN, EVENTS, POOL

RASA_COPY = tracker_copy.rasa_copy()


@pytest.fixture(autouse=True)
def applied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DialogueStateTracker, "copy", RASA_COPY)
    tracker_copy.apply()
    assert DialogueStateTracker.copy is tracker_copy.tracker_copy


def state(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker holds, with slots and events compared by what they are."""
    held = dict(vars(tracker))
    held["events"] = [id(event) for event in tracker.events]
    held["events_maxlen"] = tracker.events.maxlen
    held["slots"] = {name: vars(slot) for name, slot in tracker.slots.items()}
    held["current_state"] = tracker.current_state(EventVerbosity.ALL)
    return held


def same_as_rasa(tracker: DialogueStateTracker) -> DialogueStateTracker:
    mine = tracker.copy()
    theirs = RASA_COPY(tracker)
    assert type(mine) is type(theirs)
    assert state(mine) == state(theirs)
    assert mine is not tracker
    assert mine.slots is not tracker.slots
    assert all(mine.slots[name] is not slot for name, slot in tracker.slots.items())
    assert mine.events is not tracker.events
    assert mine.active_loop is None or mine.active_loop is not tracker.active_loop
    return mine


def test_a_conversation_copies_as_rasa_replays_it():
    tracker = DialogueStateTracker("kept", DOMAIN.slots)
    tracker.model_id = "model"
    tracker.assistant_id = "ksm"
    tracker.sender_source = "tests"
    tracker.__dict__["_ksm_past_states"] = {}
    for event in EVENTS:
        tracker.update(event, DOMAIN)
        mine = same_as_rasa(tracker)
        assert mine.model_id is None
        assert "_ksm_past_states" not in vars(mine)


def test_changing_the_copy_leaves_the_tracker_as_it_was():
    tracker = DialogueStateTracker.from_events("kept", EVENTS[:11], DOMAIN.slots)
    before = state(tracker)

    mine = tracker.copy()
    mine.update(SlotSet("description", "anders"), DOMAIN)
    mine.interrupt_loop(True)
    mine.reject_action("fault_form")
    mine.update(UserUttered("noch was", {"name": "faq", "confidence": 0.5}), DOMAIN)

    assert state(tracker) == before


@pytest.mark.parametrize(
    "case", ["slots made up on demand", "a full bounded history", "a timestamp not a number"]
)
def test_rasa_s_replay_where_the_state_cannot_be_taken_over(case: str, monkeypatch):
    if case == "slots made up on demand":
        tracker = DialogueStateTracker.from_events("kept", EVENTS, None)
        assert isinstance(tracker.slots, AnySlotDict)
    elif case == "a full bounded history":
        tracker = DialogueStateTracker("kept", DOMAIN.slots, max_event_history=5)
        for event in EVENTS:
            tracker.update(event, DOMAIN)
        assert state(tracker.copy())["latest_message"] != tracker.latest_message
    else:
        events = copy.deepcopy(EVENTS)
        events[5].timestamp = math.nan
        tracker = DialogueStateTracker.from_events("kept", events, DOMAIN.slots)
    replayed: list[int] = []
    rasa_copy = tracker_copy.rasa_copy()

    def replaying(self: DialogueStateTracker) -> DialogueStateTracker:
        replayed.append(len(self.events))
        return rasa_copy(self)

    monkeypatch.setattr(tracker_copy, "rasa_copy", lambda: replaying)

    assert state(tracker.copy()) == state(RASA_COPY(tracker))
    assert replayed == [len(tracker.events)]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(POOL), max_size=30), st.sampled_from([None, 5]))
def test_any_conversation_copies_as_rasa_replays_it(events: list[Event], history: int | None):
    tracker = DialogueStateTracker("kept", DOMAIN.slots, max_event_history=history)
    tracker.model_id = "model"
    for event in events:
        tracker.update(copy.copy(event), DOMAIN)
        same_as_rasa(tracker)
