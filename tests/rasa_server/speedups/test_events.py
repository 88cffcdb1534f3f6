"""Event classes looked up once by name are the classes Rasa's search finds."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.events import Event, deserialise_events
from rasa.shared.utils.common import all_subclasses

from rasa_server.speedups import events

RASA_RESOLVE = Event.resolve_by_type
EVENT_NAMES = sorted({cls.type_name for cls in all_subclasses(Event)})


@pytest.fixture(autouse=True)
def applied(monkeypatch):
    """The speedup applied; Rasa's own lookup back in place after the test."""
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    monkeypatch.setattr(events, "_rasa_resolve_by_type", None)
    monkeypatch.setattr(events, "_classes", {})
    events.apply()


@pytest.mark.parametrize("name", EVENT_NAMES)
def test_each_event_name_resolves_to_rasa_s_class(name):
    for _ in range(2):  # looked up, then remembered
        assert Event.resolve_by_type(name) is RASA_RESOLVE(name)


def test_unknown_event_names_are_treated_as_by_rasa():
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")  # the default was not remembered


def test_stored_events_come_back_as_rasa_s_events():
    dumped: list[dict[str, Any]] = [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {"event": "slot", "name": "member", "value": "grabow", "timestamp": 2.0},
        {"event": "user", "text": "Hallo", "parse_data": {"intent": {"name": "greet"}}},
    ]
    found = deserialise_events(dumped)
    assert [type(e) for e in found] == [RASA_RESOLVE(d["event"]) for d in dumped]
