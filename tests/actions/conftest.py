"""Helpers to call actions the way the action server does: real Tracker, real dispatcher."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def tracker_for(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest user message is ``text``, classified as ``intent``."""
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.98},
        "entities": entities or [],
    }
    return Tracker(
        sender_id="test-conversation",
        slots=slots or {},
        latest_message=latest_message,
        events=[{"event": "user", "text": text, "parse_data": latest_message}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def member_entity(value: str) -> dict[str, Any]:
    return {"entity": "member", "value": value, "start": 0, "end": len(value)}


class Run:
    """Runs one action and keeps what it said."""

    def __init__(self) -> None:
        self.dispatcher = CollectingDispatcher()

    async def __call__(self, action: Action, tracker: Tracker) -> list[dict[str, Any]]:
        return await action.run(self.dispatcher, tracker, domain={})

    @property
    def texts(self) -> list[str]:
        return [message["text"] for message in self.dispatcher.messages if message.get("text")]

    @property
    def responses(self) -> list[str]:
        return [
            message["response"] for message in self.dispatcher.messages if message.get("response")
        ]


@pytest.fixture
def run() -> Run:
    return Run()
