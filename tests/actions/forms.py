"""Running the ticket forms' validation actions as the action server does, with the real domain."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import clock
from bot.identity import Identity, create_user_token
from bot.settings import PROJECT_ROOT
from tests.actions.conftest import parse_data

IDENTITY_SECRET = "test-identity-secret-of-32-bytes!"
GRABOW_USER = Identity(sub="u-4711", name="Anna Schmidt", member="grabow")


@lru_cache(maxsize=1)
def domain() -> dict[str, Any]:
    with (PROJECT_ROOT / "domain.yml").open(encoding="utf-8") as file:
        loaded: dict[str, Any] = yaml.safe_load(file)
    return loaded


def user_token(identity: Identity = GRABOW_USER, *, minutes: int = 30) -> str:
    """A token the intranet signed just now, by the assistant's (possibly frozen) clock."""
    return create_user_token(
        identity, IDENTITY_SECRET, now=clock.now(), lifetime=dt.timedelta(minutes=minutes)
    )


def form_tracker(
    form: str,
    text: str,
    intent: str = "inform",
    *,
    requested: str | None,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    confidence: float = 0.98,
    metadata: dict[str, Any] | None = None,
    sender_id: str = "conversation-1",
    message_id: str = "m-1",
    history: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker inside ``form`` whose latest message answers ``requested``."""
    message = parse_data(text, intent, entities, metadata, message_id=message_id)
    message["intent"]["confidence"] = confidence
    events = [
        *(history or []),
        {"event": "slot", "name": "requested_slot", "value": requested},
        {"event": "user", "text": text, "parse_data": message},
    ]
    return Tracker(
        sender_id=sender_id,
        slots={"requested_slot": requested, **(slots or {})},
        latest_message=message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form} if requested else {},
        latest_action_name="action_listen",
    )


class FormRun:
    """Runs an action with the real domain and keeps what it said and set."""

    def __init__(self) -> None:
        self.dispatcher = CollectingDispatcher()
        self.events: list[dict[str, Any]] = []

    async def __call__(self, action: Action, tracker: Tracker) -> dict[str, Any]:
        self.events = await action.run(self.dispatcher, tracker, domain())
        return {event["name"]: event["value"] for event in self.events if event["event"] == "slot"}

    @property
    def responses(self) -> list[str]:
        return [m["response"] for m in self.dispatcher.messages if m.get("response")]

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.dispatcher.messages if m.get("text")]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [b for m in self.dispatcher.messages for b in m.get("buttons") or []]
