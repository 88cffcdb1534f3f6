"""A conversation's past dialogue states worked out once, and then only for new events.

To predict the next action, the MemoizationPolicy, the RulePolicy and TED each turn the
conversation into one dialogue state per action taken: ``DialogueStateTracker.past_states``
replays every event applied so far on a fresh tracker (``Domain.states_for_tracker_history``).
Within one prediction they ask for the same tracker with the same arguments several times,
and each prediction of a message (two or three of them) replayed the whole conversation
again, although only the few events of the last action were new.

The states are kept with the tracker for the events it holds (as many events, the very same
last event), the domain and the arguments asked for; each caller gets its own copy, because
the featurizers change the last state in place. When events have been added, the replay
goes on from where it stopped, on the same replaying tracker, if the events the tracker
applies now begin with exactly the events it applied then. They need not: a form's later
``active_loop`` or a reverted action can remove earlier events from ``applied_events``, and
then the whole conversation is replayed, as Rasa does. Going on is the same as replaying
from the start, because the state before each action depends only on the events before it;
the loop below is Rasa's, split where the replay stops.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

KEPT = "_ksm_past_states"
"""Set on a tracker: per arguments, the replays so far and the states worked out by them."""
KEPT_REPLAYS = 4
"""Replays kept per arguments, for as many different ``rule_only_data`` (one in practice)."""

_rasa_past_states: Any = None


@dataclass
class Replay:
    """Rasa's replay of a tracker's applied events, stopped after the last of them."""

    domain: Any
    tracker: Any
    """The replaying tracker, with every event of ``applied`` applied."""
    rule_only_data: dict[str, Any] | None = None
    applied: list[Any] = field(default_factory=list)
    """The events replayed, in order: the tracker's ``applied_events()`` at the time."""
    states: list[Any] = field(default_factory=list)
    """The states before each action of ``applied``."""
    last_ml_action: Any = None
    turn_was_hidden: bool = False
    count: int = -1
    """How many events the tracker held when the states below were worked out."""
    last: Any = None
    """The tracker's last event then."""
    result: list[Any] | None = None
    """``states`` and the state after the last event: what ``past_states`` returned."""


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
    """``DialogueStateTracker.past_states``, replaying only the events not replayed yet."""
    if not _replayable(self, domain):
        return _rasa_past_states(
            self,
            domain,
            omit_unset_slots=omit_unset_slots,
            ignore_rule_only_turns=ignore_rule_only_turns,
            rule_only_data=rule_only_data,
        )
    events = self.events
    count = len(events)
    last = events[-1] if count else None
    arguments = (omit_unset_slots, ignore_rule_only_turns)
    kept: dict[tuple[bool, bool], list[Replay]] = self.__dict__.setdefault(KEPT, {})
    replays = kept.setdefault(arguments, [])
    replay = next(
        (r for r in replays if r.domain is domain and r.rule_only_data == rule_only_data), None
    )
    if replay is not None and replay.count == count and replay.last is last:
        return copied(replay.result)
    applied = self.applied_events()
    if replay is None or not _continues(applied, replay.applied):
        if replay is not None:
            replays.remove(replay)
        replay = Replay(domain, self.init_copy(), copy.deepcopy(rule_only_data))
        replays.append(replay)
        del replays[:-KEPT_REPLAYS]
    _go_on(replay, applied, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    replay.count, replay.last = count, last
    return copied(replay.result)


def _replayable(tracker: Any, domain: Any) -> bool:
    """Whether the tracker and the domain replay as Rasa's own classes do."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    return (
        type(domain).states_for_tracker_history is Domain.states_for_tracker_history
        and type(tracker).generate_all_prior_trackers
        is DialogueStateTracker.generate_all_prior_trackers
        and type(tracker).init_copy is DialogueStateTracker.init_copy
    )


def _continues(applied: list[Any], before: list[Any]) -> bool:
    """Whether ``applied`` begins with the very events of ``before``."""
    return len(applied) >= len(before) and all(
        now is then for now, then in zip(applied[: len(before)], before, strict=True)
    )


def _go_on(
    replay: Replay,
    applied: list[Any],
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> None:
    """Replay the events of ``applied`` after ``replay.applied``, as Rasa's loop does.

    ``Domain.states_for_tracker_history`` walks ``generate_all_prior_trackers``: the tracker
    before each ``ActionExecuted`` (with its ``hide_rule_turn``) and, at the end, the tracker
    after every event (not hidden). The end is worked out on a copy of the loop's variables,
    so that the next call goes on from the last event.
    """
    from rasa.shared.core.events import ActionExecuted

    for event in applied[len(replay.applied) :]:
        if isinstance(event, ActionExecuted):
            _visit(replay, event.hide_rule_turn, omit_unset_slots, ignore_rule_only_turns,
                   rule_only_data)  # fmt: skip
        replay.tracker.update(event)
    replay.applied = list(applied)
    ended = Replay(
        replay.domain,
        replay.tracker,
        states=list(replay.states),
        last_ml_action=replay.last_ml_action,
        turn_was_hidden=replay.turn_was_hidden,
    )
    _visit(ended, False, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    replay.result = ended.states


def _visit(
    replay: Replay,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> None:
    """One pass of the loop in ``Domain.states_for_tracker_history``, on ``replay.tracker``."""
    from rasa.shared.core.constants import PREVIOUS_ACTION

    domain, tracker, states = replay.domain, replay.tracker, replay.states
    if ignore_rule_only_turns:
        if not replay.turn_was_hidden:
            replay.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            replay.turn_was_hidden = hide_rule_turn
        if replay.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if replay.last_ml_action:
            state[PREVIOUS_ACTION] = replay.last_ml_action
    states.append(domain._clean_state(state))


def apply() -> None:
    global _rasa_past_states
    from rasa.shared.core.trackers import DialogueStateTracker

    if _rasa_past_states is None:
        _rasa_past_states = DialogueStateTracker.past_states
        DialogueStateTracker.past_states = past_states
