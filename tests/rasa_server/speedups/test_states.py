"""Past states kept for the events a tracker holds are the states Rasa replays them into."""

from __future__ import annotations

import copy
import itertools
import warnings
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server.speedups import states

RASA_PAST_STATES = DialogueStateTracker.past_states

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Slot auto-fill has been removed", UserWarning)
    # Rasa's schema validation loads pkg_resources on first use.
    warnings.filterwarnings("ignore", "pkg_resources is deprecated", DeprecationWarning)
    DOMAIN = Domain.from_yaml(
        """
version: "3.1"
intents: [greet, faq, report_fault, affirm]
entities: [device]
slots:
  description:
    type: text
    mappings: [{type: from_text, conditions: [{active_loop: fault_form}]}]
  member:
    type: categorical
    values: [grabow, musterland]
    influence_conversation: true
    mappings: [{type: custom}]
forms:
  fault_form:
    required_slots: [description]
responses:
  utter_greet: [{text: "Guten Tag!"}]
  utter_confirm: [{text: "Danke"}]
  utter_ask_description: [{text: "Was ist passiert?"}]
"""
    )

EVENTS: list[Event] = [
    ActionExecuted("action_session_start"),
    SessionStarted(),
    SlotSet("member", "grabow"),
    ActionExecuted("action_listen"),
    UserUttered("Hallo", {"name": "greet", "confidence": 0.98}),
    ActionExecuted("utter_greet"),
    BotUttered("Guten Tag!"),
    ActionExecuted("action_listen"),
    UserUttered("Störung melden", {"name": "report_fault", "confidence": 0.9}),
    ActionExecuted("fault_form"),
    ActiveLoop("fault_form"),
    SlotSet("requested_slot", "description"),
    ActionExecuted("action_listen"),
    UserUttered(
        "Der Drucker druckt nicht",
        {"name": "faq", "confidence": 0.6},
        [{"entity": "device", "value": "Drucker", "start": 4, "end": 11}],
    ),
    ActionExecuted("fault_form"),
    SlotSet("description", "Der Drucker druckt nicht"),
    ActiveLoop(None),
    SlotSet("requested_slot", None),
    ActionExecuted("utter_confirm", policy="RulePolicy", confidence=1.0, hide_rule_turn=True),
    ActionExecuted("action_listen", hide_rule_turn=True),
]
RULE_ONLY_DATA = {"slots": ["description"], "loops": ["fault_form"]}
ARGUMENTS = [
    {"omit_unset_slots": omit, "ignore_rule_only_turns": ignore, "rule_only_data": data}
    for omit, ignore, data in itertools.product(
        [False, True], [False, True], [None, RULE_ONLY_DATA]
    )
]


@pytest.fixture(autouse=True)
def applied(monkeypatch):
    """The speedup applied; Rasa's own past states back in place after the test."""
    monkeypatch.setattr(DialogueStateTracker, "past_states", DialogueStateTracker.past_states)
    monkeypatch.setattr(states, "_rasa_past_states", None)
    states.apply()


class Replayed:
    """Counts the events replayed for past states, apart from the trackers' own updates."""

    def __init__(self) -> None:
        self.own: list[DialogueStateTracker] = []
        self.events = 0

    def tracker(self, sender: str, events: Sequence[Event] = ()) -> DialogueStateTracker:
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        self.own.append(tracker)
        for event in events:
            tracker.update(event, DOMAIN)
        return tracker


@pytest.fixture
def replayed(monkeypatch) -> Replayed:
    counter = Replayed()
    rasa_update = DialogueStateTracker.update

    def counting(tracker: DialogueStateTracker, event: Event, domain: Any = None) -> None:
        if tracker.sender_id == "kept" and not any(tracker is own for own in counter.own):
            counter.events += 1
        rasa_update(tracker, event, domain)

    monkeypatch.setattr(DialogueStateTracker, "update", counting)
    return counter


def rasa_s(events: list[Event], **arguments: Any) -> Any:
    tracker = DialogueStateTracker.from_events("rasa", events, DOMAIN.slots)
    return RASA_PAST_STATES(tracker, DOMAIN, **arguments)


def applied_count(events: list[Event]) -> int:
    return len(DialogueStateTracker.from_events("rasa", events, DOMAIN.slots).applied_events())


def test_the_states_are_rasa_s_as_the_conversation_goes_on(replayed):
    tracker = replayed.tracker("kept")
    for count, event in enumerate(EVENTS, start=1):
        tracker.update(event, DOMAIN)
        for arguments in ARGUMENTS:
            for _ in range(2):
                assert tracker.past_states(DOMAIN, **arguments) == rasa_s(
                    EVENTS[:count], **arguments
                )

    replayed_from_scratch = sum(applied_count(EVENTS[:n]) for n in range(1, len(EVENTS) + 1))
    assert 0 < replayed.events < replayed_from_scratch * len(ARGUMENTS) / 3


def test_without_a_form_each_event_is_replayed_once_per_set_of_arguments(replayed):
    session, before_form = EVENTS[:2], EVENTS[2:9]
    tracker = replayed.tracker("kept", session)
    for count, event in enumerate(before_form, start=1):
        tracker.update(event, DOMAIN)
        for arguments in ARGUMENTS:
            assert tracker.past_states(DOMAIN, **arguments) == rasa_s(
                session + before_form[:count], **arguments
            )

    assert replayed.events == len(before_form) * len(ARGUMENTS)


def test_a_form_that_takes_back_earlier_events_replays_from_the_start(replayed):
    answered = EVENTS.index(ActionExecuted("fault_form"), 10)  # the form runs on an answer
    tracker = replayed.tracker("kept", EVENTS[:answered])
    tracker.past_states(DOMAIN)
    before = replayed.events
    applied_before = tracker.applied_events()

    tracker.update(EVENTS[answered], DOMAIN)  # its question and the answer are taken back
    applied = tracker.applied_events()
    assert not states._continues(applied, applied_before)

    assert tracker.past_states(DOMAIN) == rasa_s(EVENTS[: answered + 1])
    assert replayed.events - before == len(applied)


def test_each_caller_gets_its_own_states(replayed):
    tracker = replayed.tracker("kept", EVENTS)
    for _ in range(3):  # replayed, then kept, then kept again
        mine = tracker.past_states(DOMAIN)
        assert mine == rasa_s(EVENTS)
        mine[-1].clear()
        mine[-2]["user"]["intent"] = "changed"
        mine.append({})

    assert replayed.events == applied_count(EVENTS)


@pytest.mark.filterwarnings("ignore:Slot auto-fill has been removed:UserWarning")
def test_other_rule_only_data_or_another_domain_replay_from_the_start(replayed):
    tracker = replayed.tracker("kept", EVENTS)
    tracker.past_states(DOMAIN, ignore_rule_only_turns=True, rule_only_data=RULE_ONLY_DATA)
    other = {"slots": [], "loops": ["fault_form"]}

    theirs = rasa_s(EVENTS, ignore_rule_only_turns=True, rule_only_data=other)
    assert tracker.past_states(DOMAIN, ignore_rule_only_turns=True, rule_only_data=other) == theirs
    tracker.past_states(copy.deepcopy(DOMAIN), ignore_rule_only_turns=True, rule_only_data=other)
    assert replayed.events == 3 * applied_count(EVENTS)


def test_an_event_replaced_by_another_is_noticed(replayed):
    tracker = replayed.tracker("kept", EVENTS[:5])
    tracker.past_states(DOMAIN)
    tracker.events.pop()
    replaced = UserUttered("Hilfe", {"name": "faq", "confidence": 0.7})
    tracker.events.append(replaced)

    assert tracker.past_states(DOMAIN) == rasa_s([*EVENTS[:4], replaced])
    assert replayed.events == 2 * applied_count(EVENTS[:5])


POOL: list[Event] = [
    ActionExecuted("action_listen"),
    UserUttered("Hallo", {"name": "greet", "confidence": 0.98}),
    UserUttered("Störung", {"name": "report_fault", "confidence": 0.9}),
    UserUttered(
        "Drucker", {"name": "faq", "confidence": 0.6}, [{"entity": "device", "value": "Drucker"}]
    ),
    ActionExecuted("utter_greet"),
    ActionExecuted("utter_confirm", policy="RulePolicy", confidence=1.0, hide_rule_turn=True),
    ActionExecuted("action_listen", hide_rule_turn=True),
    ActionExecuted("fault_form"),
    ActionExecuted("fault_form", hide_rule_turn=True),
    ActiveLoop("fault_form"),
    ActiveLoop(None),
    SlotSet("requested_slot", "description"),
    SlotSet("description", "Der Drucker druckt nicht"),
    SlotSet("member", "grabow"),
    SlotSet("member", None),
    BotUttered("Guten Tag!"),
    FollowupAction("utter_greet"),
    ActionReverted(),
    UserUtteranceReverted(),
    ActionExecutionRejected("fault_form"),
    LoopInterrupted(True),
    Restarted(),
    SessionStarted(),
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(POOL), max_size=25))
def test_any_conversation_has_rasa_s_states_at_every_event(events: list[Event]):
    tracker = DialogueStateTracker("kept", DOMAIN.slots)
    for count, event in enumerate(events, start=1):
        tracker.update(copy.copy(event), DOMAIN)
        for arguments in ARGUMENTS:
            assert tracker.past_states(DOMAIN, **arguments) == rasa_s(
                list(tracker.events), **arguments
            ), (count, arguments)
