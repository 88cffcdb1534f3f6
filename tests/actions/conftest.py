"""Helpers to call actions the way the action server does: real Tracker, real dispatcher."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import clock

BERLIN = ZoneInfo("Europe/Berlin")


def parse_data(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.98},
        "entities": entities or [],
        **extra,
    }
    if metadata is not None:
        message["metadata"] = metadata
    return message


def tracker_for(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    *,
    metadata: dict[str, Any] | None = None,
    history: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    **extra: Any,
) -> Tracker:
    """A tracker whose latest user message is ``text``, classified as ``intent``.

    ``history`` holds earlier events (see ``user`` and ``bot_action``); ``active_loop`` names
    the form that is running, if any.
    """
    latest_message = parse_data(text, intent, entities, metadata, **extra)
    events = [*(history or []), {"event": "user", "text": text, "parse_data": latest_message}]
    return Tracker(
        sender_id="test-conversation",
        slots=slots or {},
        latest_message=latest_message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def user(text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": parse_data(text, intent, entities)}


def bot_action(name: str) -> list[dict[str, Any]]:
    """The events of the assistant running ``name`` and then listening."""
    return [{"event": "action", "name": name}, {"event": "action", "name": "action_listen"}]


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


def member_entity(value: str) -> dict[str, Any]:
    return entity("member", value)


class Run:
    """Runs actions and keeps what they said."""

    def __init__(self) -> None:
        self.dispatcher = CollectingDispatcher()

    async def __call__(self, action: Action, tracker: Tracker) -> list[dict[str, Any]]:
        return await action.run(self.dispatcher, tracker, domain={})

    @property
    def texts(self) -> list[str]:
        return [message["text"] for message in self.dispatcher.messages if message.get("text")]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def responses(self) -> list[str]:
        return [
            message["response"] for message in self.dispatcher.messages if message.get("response")
        ]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [
            button
            for message in self.dispatcher.messages
            for button in message.get("buttons") or []
        ]


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch):
    """Set the assistant's clock: ``at(2026, 11, 24, 10, 0)`` (Europe/Berlin)."""

    def set_clock(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
        moment = dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)
        monkeypatch.setattr(clock, "now", lambda: moment)
        monkeypatch.setattr(clock, "today", lambda: moment.date())
        return moment

    return set_clock


@pytest.fixture
def identity_secret(environment: pytest.MonkeyPatch) -> str:
    """The intranet's token secret, configured for this test."""
    from tests.actions.forms import IDENTITY_SECRET

    environment.setenv("KSM_IDENTITY_SECRET", IDENTITY_SECRET)
    return IDENTITY_SECRET


@pytest.fixture
def form_run():
    from tests.actions.forms import FormRun

    return FormRun()
