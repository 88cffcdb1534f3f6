"""Past states kept for the events a tracker holds are the states Rasa replays them into."""

from __future__ import annotations

import copy
import itertools
import warnings
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
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


@pytest.fixture
def replays(monkeypatch) -> list[int]:
    """The number of events of each replay that was not taken from what is kept."""
    counted: list[int] = []

    def counting(tracker: DialogueStateTracker, *args: Any, **kwargs: Any) -> Any:
        counted.append(len(tracker.events))
        return RASA_PAST_STATES(tracker, *args, **kwargs)

    monkeypatch.setattr(states, "_rasa_past_states", counting)
    return counted


def rasa_s(events: list[Event], **arguments: Any) -> Any:
    tracker = DialogueStateTracker.from_events("rasa", events, DOMAIN.slots)
    return RASA_PAST_STATES(tracker, DOMAIN, **arguments)


def test_the_states_are_rasa_s_as_the_conversation_goes_on(replays):
    tracker = DialogueStateTracker("kept", DOMAIN.slots)
    for count, event in enumerate(EVENTS, start=1):
        tracker.update(event, DOMAIN)
        for arguments in ARGUMENTS:
            for _ in range(2):
                assert tracker.past_states(DOMAIN, **arguments) == rasa_s(
                    EVENTS[:count], **arguments
                )

    assert len(replays) == len(EVENTS) * len(ARGUMENTS)


def test_each_caller_gets_its_own_states(replays):
    tracker = DialogueStateTracker.from_events("kept", EVENTS, DOMAIN.slots)
    for _ in range(3):  # replayed, then kept, then kept again
        mine = tracker.past_states(DOMAIN)
        assert mine == rasa_s(EVENTS)
        mine[-1].clear()
        mine[-2]["user"]["intent"] = "changed"
        mine.append({})

    assert len(replays) == 1


@pytest.mark.filterwarnings("ignore:Slot auto-fill has been removed:UserWarning")
def test_other_rule_only_data_or_another_domain_replay_again(replays):
    tracker = DialogueStateTracker.from_events("kept", EVENTS, DOMAIN.slots)
    tracker.past_states(DOMAIN, ignore_rule_only_turns=True, rule_only_data=RULE_ONLY_DATA)
    other = {"slots": [], "loops": ["fault_form"]}

    theirs = rasa_s(EVENTS, ignore_rule_only_turns=True, rule_only_data=other)
    assert tracker.past_states(DOMAIN, ignore_rule_only_turns=True, rule_only_data=other) == theirs
    tracker.past_states(copy.deepcopy(DOMAIN), ignore_rule_only_turns=True, rule_only_data=other)
    assert len(replays) == 3


def test_an_event_replaced_by_another_is_noticed(replays):
    tracker = DialogueStateTracker.from_events("kept", EVENTS[:5], DOMAIN.slots)
    tracker.past_states(DOMAIN)
    tracker.events.pop()
    replaced = UserUttered("Hilfe", {"name": "faq", "confidence": 0.7})
    tracker.events.append(replaced)

    assert tracker.past_states(DOMAIN) == rasa_s([*EVENTS[:4], replaced])
    assert len(replays) == 2
