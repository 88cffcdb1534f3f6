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
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    monkeypatch.setattr(patches, "_applied", False)
    patches.apply()
    patches.apply()
    assert RemoteAction._validate_action_result is patches.validate_action_result
