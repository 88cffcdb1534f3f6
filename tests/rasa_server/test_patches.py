"""The patched action-response validation accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from rasa_server import patches

ORIGINAL = RemoteAction._validate_action_result

VALID = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "member", "value": "grabow", "timestamp": None},
            {"event": "active_loop", "name": "fault_form"},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"text": "Guten Tag", "buttons": [{"title": "Ja", "payload": "/ja"}]}],
    },
    {},
]
INVALID = [
    {"events": [{"event": "slot"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [1, 2]},
    [],
]


@pytest.mark.parametrize("response", VALID)
def test_valid_action_responses_pass_as_with_rasa(response):
    assert ORIGINAL(RemoteAction, response) is True
    assert patches.validate_action_result(RemoteAction, response) is True


@pytest.mark.parametrize("response", INVALID)
def test_invalid_action_responses_fail_with_rasa_s_error(response):
    with pytest.raises(ValidationError) as rasa_error:
        ORIGINAL(RemoteAction, response)
    with pytest.raises(ValidationError) as patched_error:
        patches.validate_action_result(RemoteAction, response)
    assert patched_error.value.message == rasa_error.value.message
    assert "Failed to validate Action server response" in patched_error.value.message


def test_apply_replaces_rasa_s_method_once(monkeypatch):
    from rasa.core.actions.forms import FormAction
    from rasa.utils.tensorflow.models import RasaModel

    # monkeypatch puts back whatever apply() replaces, so later tests meet Rasa's own code.
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    monkeypatch.setattr(FormAction, "run", FormAction.run)
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])
    monkeypatch.setattr(patches, "_applied", False)
    patches.apply()
    patches.apply()
    assert RemoteAction._validate_action_result is patches.validate_action_result


def rasa_events() -> list[dict[str, object]]:
    """One event of each kind the action server sends, as Rasa serialises them."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        BotUttered,
        FollowupAction,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    parse_data = {
        "intent": {"name": "inform_member", "confidence": 0.9},
        "entities": [{"entity": "member", "value": "grabow", "start": 0, "end": 6}],
        "intent_ranking": [{"name": "inform_member", "confidence": 0.9}],
    }
    events = [
        SlotSet("member", "grabow"),
        SlotSet("ticket_summary", {"Bereich": "Drucker"}),
        ActionExecuted("action_listen"),
        ActiveLoop("fault_form"),
        ActiveLoop(None),
        BotUttered("Guten Tag", {"buttons": [{"title": "Ja", "payload": "/ja"}]}),
        FollowupAction("action_listen"),
        SessionStarted(),
        Restarted(),
        UserUttered("Grabow", parse_data=parse_data),
    ]
    return [event.as_dict() for event in events]


WRONG_VALUES: list[object] = [None, 1, 1.5, "x", True, [], {}, [{"a": 1}]]


def variants(event: dict[str, object], names: list[str]) -> list[dict[str, object]]:
    """``event`` renamed to every event name, and with each key dropped or of a wrong type."""
    found = [{**event, "event": name} for name in names]
    for key in event:
        found.append({k: v for k, v in event.items() if k != key})
        found += [{**event, key: wrong} for wrong in WRONG_VALUES]
    return found


def test_the_lookup_by_event_name_accepts_exactly_what_the_whole_schema_accepts():
    fast = patches.valid_action_response()
    assert fast is not None, "Rasa's event schema no longer has the shape the lookup needs"
    schema = RemoteAction.action_response_format_spec()
    names = [
        s["properties"]["event"]["const"] for s in schema["properties"]["events"]["items"]["oneOf"]
    ]
    whole = patches.action_response_validator()
    responses = [*VALID, *INVALID, {"events": None}, {"events": [{}]}, {"events": [None]}]
    for event in rasa_events():
        responses += [{"events": [variant]} for variant in variants(event, [*names, "nix"])]
    verdicts = {True: 0, False: 0}
    for response in responses:
        expected = whole.is_valid(response)
        assert fast(response) == expected, response
        verdicts[expected] += 1
    assert min(verdicts.values()) > 50, verdicts  # both answers well represented
