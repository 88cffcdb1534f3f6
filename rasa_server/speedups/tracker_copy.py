"""A conversation copied by its state instead of by replaying every event.

Before every action it runs, Rasa's message processor hands the action a copy of the
conversation (``DialogueStateTracker.copy``), so that it can drop the events of a rejected
prediction. Rasa makes that copy by replaying every event of the conversation on a fresh
tracker (``travel_back_in_time`` to the end of time), one to four times per message.

Rasa's trackers keep the rule that their state is exactly what their events make of it: a
tracker is only ever changed by applying an event (``DialogueStateTracker.update``), and the
replay applies the same events, in the same order, to a tracker with the same slots reset to
their initial values. So the copy can take the state itself: the same events in a new
deque, each slot copied with its value, the active loop copied (events change it in place),
the latest action, message and bot utterance and the follow-up action taken over as they
are; what the replay does not carry over (the model and assistant ids, the sender source,
anything else set on the tracker) is left out as in Rasa's copy. Rasa's replay is kept for
trackers of other classes, for slot dictionaries that make slots up on demand
(``AnySlotDict``), for a tracker whose bounded history (``max_event_history``) may have
dropped events whose effect the replay would lose, and for events whose timestamps the
replay would stop at.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections import deque
from typing import Any

from rasa_server import originals


def tracker_copy(self: Any) -> Any:
    """``DialogueStateTracker.copy``: the same tracker state, without replaying the events."""
    from rasa.shared.constants import DEFAULT_SENDER_ID
    from rasa.shared.core.trackers import DialogueStateTracker

    events = self.events
    if (
        type(self) is not DialogueStateTracker
        or type(self.slots) is not dict
        or (events.maxlen is not None and len(events) >= events.maxlen)
        or not all(event.timestamp <= math.inf for event in events)
    ):
        return rasa_copy()(self)
    copied: Any = object.__new__(DialogueStateTracker)
    copied._max_event_history = self._max_event_history
    copied.events = deque(events, self._max_event_history)
    copied.sender_id = self.sender_id or DEFAULT_SENDER_ID
    copied.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    copied.sender_source = None
    copied.is_rule_tracker = self.is_rule_tracker
    copied._paused = self._paused
    copied.followup_action = self.followup_action
    copied.latest_action = self.latest_action
    copied.latest_message = self.latest_message
    copied.latest_bot_utterance = self.latest_bot_utterance
    copied.active_loop = dataclasses.replace(self.active_loop) if self.active_loop else None
    copied.model_id = None
    copied.assistant_id = None
    return copied


def rasa_copy() -> Any:
    """Rasa's own ``DialogueStateTracker.copy``, as it was before ``apply``."""
    from rasa.shared.core.trackers import DialogueStateTracker

    return originals.original(DialogueStateTracker, "copy")


def apply() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    originals.replace(DialogueStateTracker, "copy", tracker_copy)
