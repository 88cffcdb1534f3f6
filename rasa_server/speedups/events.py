"""Event classes looked up once by name.

Rasa turns every stored or returned event into an object by searching all subclasses of
``Event`` for the one with the event's name (``Event.resolve_by_type``): it lists them
recursively and checks each for being abstract, for every single event. A conversation is
read back from the tracker store for every message and the action server's events are read
the same way, so this search took about a fifth of the Rasa server's time. The class found
for a name is remembered; an unknown name is searched (and fails, or gives the default) as
before and is not remembered.
"""

from __future__ import annotations

from typing import Any

_classes: dict[str, type] = {}
_rasa_resolve_by_type: Any = None


def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
    """``Event.resolve_by_type``, remembering the class found for each name."""
    found = _classes.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _classes[type_name] = found
    return found


def apply() -> None:
    global _rasa_resolve_by_type
    from rasa.shared.core.events import Event

    if _rasa_resolve_by_type is None:
        _rasa_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(resolve_by_type)
