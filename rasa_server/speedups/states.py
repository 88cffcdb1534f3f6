"""A conversation's past dialogue states worked out once for the events it holds.

To predict the next action, the MemoizationPolicy, the RulePolicy and TED each turn the
conversation into one dialogue state per action taken: ``DialogueStateTracker.past_states``
replays every event so far on a fresh tracker. Within one prediction they ask for the same
tracker with the same arguments several times, and each time the whole replay ran again.

The states are kept with the tracker for the events it holds (as many events, the very same
last event), the domain and the arguments asked for. Each caller gets its own copy, because
the featurizers change the last state in place. When an event is added, the next request
replays the events again, as Rasa does.
"""

from __future__ import annotations

import copy
from typing import Any

KEPT = "_ksm_past_states"
"""Set on a tracker: the arguments, the events and the states worked out for them."""

_rasa_past_states: Any = None


def copied(value: Any) -> Any:
    """A copy of states whose dicts and lists are new; strings and tuples are shared."""
    if isinstance(value, dict):
        return {key: copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copied(item) for item in value]
    return value


def past_states(
    self: Any,
    domain: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> Any:
    """``DialogueStateTracker.past_states``, replayed only when the events have changed."""
    events = self.events
    count = len(events)
    last = events[-1] if count else None
    arguments = (omit_unset_slots, ignore_rule_only_turns)
    kept: dict[tuple[bool, bool], Any] = self.__dict__.setdefault(KEPT, {})
    found = kept.get(arguments)
    if (
        found is not None
        and found[0] == count
        and found[1] is last
        and found[2] is domain
        and found[3] == rule_only_data
    ):
        return copied(found[4])
    states = _rasa_past_states(
        self,
        domain,
        omit_unset_slots=omit_unset_slots,
        ignore_rule_only_turns=ignore_rule_only_turns,
        rule_only_data=rule_only_data,
    )
    kept[arguments] = (count, last, domain, copy.deepcopy(rule_only_data), copied(states))
    return states


def apply() -> None:
    global _rasa_past_states
    from rasa.shared.core.trackers import DialogueStateTracker

    if _rasa_past_states is None:
        _rasa_past_states = DialogueStateTracker.past_states
        DialogueStateTracker.past_states = past_states
