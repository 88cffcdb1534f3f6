"""What every action shares.

A German answer when anything fails, database work off the event loop in one short
session, and how members and their names are shown.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from bot import clock
from bot.db.models import Member
from bot.db.session import transaction
from bot.formatting import before_phrase, bullet_list, german_date
from bot.identity import Identity, decode_user_token
from bot.membership import Membership, membership
from bot.settings import get_settings

logger = logging.getLogger(__name__)

T = TypeVar("T")
Events = list[dict[str, Any]]

TECHNICAL_PROBLEM = "utter_technical_problem"


@dataclass
class Reply:
    """One message to the user, optionally with quick-reply buttons."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)

    def send(self, dispatcher: CollectingDispatcher) -> None:
        if self.buttons:
            dispatcher.utter_message(text=self.text, buttons=self.buttons)
        else:
            dispatcher.utter_message(text=self.text)


class KsmAction(Action, ABC):
    """Base of the project's actions. Abstract, so rasa-sdk does not register it.

    Subclasses implement ``act``. Whatever it raises, the user gets a German apology with the
    hotline: an exception escaping ``run`` would make rasa-sdk answer HTTP 500 (with the whole
    conversation in the body) and Rasa would say nothing at all.
    """

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        try:
            return await self.act(dispatcher, tracker, domain)
        except Exception as exc:  # noqa: BLE001 - the user must always get an answer
            log_failure(self.name(), exc)
            dispatcher.utter_message(response=TECHNICAL_PROBLEM)
            return []

    @abstractmethod
    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        """Answer the user; return the events to apply."""


def log_failure(action: str, exc: BaseException) -> None:
    """Log where an action failed; not the exception text, which may quote the user."""
    logger.error(
        "Action %s failed with %s at\n%s",
        action,
        type(exc).__name__,
        "".join(traceback.format_tb(exc.__traceback__)),
    )


async def in_session(work: Callable[[Session], T]) -> T:
    """Run ``work(session)`` in a worker thread inside one short transaction."""

    def call() -> T:
        with transaction() as session:
            return work(session)

    return await asyncio.to_thread(call)


@dataclass(frozen=True)
class Question:
    """A user message as the NLU understood it: its text and entities."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_parse_data(cls, message: dict[str, Any] | None) -> Question:
        message = message or {}
        entities = message.get("entities") or []
        return cls(
            str(message.get("text") or ""), tuple(e for e in entities if isinstance(e, dict))
        )

    def entity(self, name: str) -> str | None:
        """The first value of entity ``name``, stripped, if any."""
        for entity in self.entities:
            if entity.get("entity") == name and entity.get("value") is not None:
                value = str(entity["value"]).strip()
                if value:
                    return value[:200]
        return None


def latest_question(tracker: Tracker) -> Question:
    return Question.from_parse_data(tracker.latest_message)


def question_before_previous_action(tracker: Tracker) -> Question:
    """The user message that the assistant's previous action answered."""
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return Question.from_parse_data(event.get("parse_data"))
    return Question("")


def message_metadata(tracker: Tracker) -> dict[str, Any]:
    """The metadata the page sent with the latest message (``customData`` in the widget)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def previous_action(tracker: Tracker) -> str | None:
    """The last action the assistant ran before the user's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name not in ("action_listen", None):
                return str(name)
    return None


def member_label(member: Member) -> str:
    """The member's name, marked when it is fictional example data."""
    return f"{member.name} (Beispiel)" if member.is_example else member.name


def member_buttons(members: Iterable[Member]) -> list[dict[str, str]]:
    """Quick replies to choose a member; the payload names the member by its key."""
    return [
        {"title": member_label(member), "payload": f'/inform_member{{"member": "{member.key}"}}'}
        for member in members
    ]


def render_member_list(members: list[Member]) -> str:
    """All members with their membership, current ones first, then those about to join."""
    today = clock.today()
    current, joining = [], []
    for member in members:
        state = membership(member, today)
        if state is Membership.JOINING:
            joining.append(f"{member_label(member)}, Beitritt am {german_date(member.joined_on)}")
        elif state is Membership.MEMBER:
            current.append(f"{member_label(member)} (seit {german_date(member.joined_on)})")
        elif state is Membership.MEMBER_BEFORE:
            current.append(
                f"{member_label(member)} (schon vor {before_phrase(member.joined_before)})"
            )
        else:
            current.append(member_label(member))
    text = f"Zum KSM-Verbund gehören {len(current)} Verwaltungen:\n{bullet_list(current)}"
    if joining:
        text += f"\n\nDemnächst kommt hinzu:\n{bullet_list(joining)}"
    return text


def reporter_identity(tracker: Tracker) -> Identity | None:
    """The user the intranet vouches for with a valid ``user_token``, else ``None``.

    The token of the latest message counts; a page that sent one only when the session
    started is honoured too. Invalid tokens count as none (see ``bot.identity``).
    """
    candidates = [message_metadata(tracker).get("user_token")]
    session_metadata = tracker.get_slot("session_started_metadata")
    if isinstance(session_metadata, dict):
        candidates.append(session_metadata.get("user_token"))
    secret = get_settings().identity_secret
    for token in candidates:
        identity = decode_user_token(token, secret, now=clock.now())
        if identity is not None:
            return identity
    return None
