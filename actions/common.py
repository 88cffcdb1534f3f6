"""What every action shares.

A German answer when anything fails, and database work off the event loop in one short
session.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from bot import clock
from bot.db.models import Member
from bot.db.session import transaction
from bot.formatting import before_phrase, bullet_list, german_date
from bot.membership import Membership, membership

logger = logging.getLogger(__name__)

T = TypeVar("T")
Events = list[dict[str, Any]]

TECHNICAL_PROBLEM = "utter_technical_problem"


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
            # The exception text may quote what the user typed; log its type and place only.
            logger.error(
                "Action %s failed with %s at\n%s",
                self.name(),
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            dispatcher.utter_message(response=TECHNICAL_PROBLEM)
            return []

    @abstractmethod
    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        """Answer the user; return the events to apply."""


async def in_session(work: Callable[[Session], T]) -> T:
    """Run ``work(session)`` in a worker thread inside one short transaction."""

    def call() -> T:
        with transaction() as session:
            return work(session)

    return await asyncio.to_thread(call)


def member_label(member: Member) -> str:
    """The member's name, marked when it is fictional example data."""
    return f"{member.name} (Beispiel)" if member.is_example else member.name


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
