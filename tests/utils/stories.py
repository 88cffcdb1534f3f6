"""Conversations to predict on with the trained model: the conversation tests, the training
stories and turns no rule or story covers, each cut before every action the bot takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.settings import PROJECT_ROOT


def conversations(agent: Any) -> list[Any]:
    """The trackers of the conversation tests (``tests/``) and training stories (``data/``)."""
    from rasa.core.test import _create_data_generator

    trackers = []
    for resource, conversation_tests in (("tests", True), ("data/stories", False)):
        generator = _create_data_generator(
            str(PROJECT_ROOT / resource), agent, use_conversation_test_files=conversation_tests
        )
        trackers += generator.generate_story_trackers()
    return trackers


def off_script(agent: Any) -> list[Any]:
    """Each intent answered once and then said again: turns no rule or story covers."""
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    trackers = []
    for intent in agent.domain.intents:
        events = [ActionExecuted("action_session_start"), SessionStarted()]
        for _ in range(2):
            events += [
                ActionExecuted("action_listen"),
                UserUttered(intent, {"name": intent, "confidence": 1.0}),
                ActionExecuted("action_default_fallback"),
            ]
        trackers.append(DialogueStateTracker.from_events(f"off-script-{intent}", events))
    return trackers


def before_each_action(tracker: Any, domain: Any) -> Iterator[tuple[Any, str]]:
    """The conversation so far before each action the bot predicted, and that action.

    The trackers are plain ``DialogueStateTracker``s: the story generator's trackers refuse
    to be featurized with the loaded model's domain.
    """
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    partial = DialogueStateTracker(tracker.sender_id, domain.slots)
    for event in tracker.events:
        if isinstance(event, ActionExecuted) and (
            partial.events or event.action_name != ACTION_LISTEN_NAME
        ):
            yield partial, event.action_name
        partial.update(event)
