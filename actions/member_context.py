"""Questions about one member: which member the user means, asked for once and remembered.

The member comes, in this order, from the latest message ("Seit wann ist Grabow dabei?"),
from the conversation (slot ``member``), or from the page the widget is embedded in (message
metadata ``member``). Without any, the assistant asks with one button per member; the answer
(intent ``inform_member``) makes ``action_set_member`` answer the waiting question, so the
user never repeats it.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import (
    Events,
    KsmAction,
    Question,
    Reply,
    in_session,
    latest_question,
    member_buttons,
    message_metadata,
    render_member_list,
)
from bot.db import queries
from bot.db.models import Member

ASK_MEMBER = "Zu welcher Verwaltung gehören Sie? Dann kann ich Ihnen das genau sagen."


FEEDBACK_QUESTION = "utter_ask_feedback"
"""Asked after an answer: the two buttons the review inbox counts (``python -m bot review``)."""


@dataclass
class Outcome:
    replies: list[Reply]
    member_key: str | None = None
    events: Events = field(default_factory=list)
    answered: bool = False
    """The replies answer the user's question (rather than ask which member they mean)."""


class MemberAction(KsmAction, ABC):
    """An answer about one member. Subclasses implement ``answer``; this class finds the member."""

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        question = latest_question(tracker)
        named = question.entity("member") or self.named_in_text(question.text)
        remembered = tracker.get_slot("member")
        from_page = message_metadata(tracker).get("member")

        def work(session: Session) -> Outcome:
            if named:
                member = queries.find_member(named, session=session)
                if member is None:
                    return unknown_member(named, session=session)
            else:
                member = resolve_context_member(remembered, from_page, session=session)
            if member is None:
                return ask_for_member(session=session)
            return Outcome(
                self.answer(member, question, session=session), member.key, answered=True
            )

        outcome = await in_session(work)
        return deliver(outcome, dispatcher, tracker)

    def named_in_text(self, text: str) -> str | None:
        """A member name the NLU did not mark, for questions whose shape gives it away."""
        return None

    @abstractmethod
    def answer(self, member: Member, question: Question, *, session: Session) -> list[Reply]:
        """The answer to ``question`` about ``member`` (in a worker thread, session open)."""


def resolve_context_member(remembered: Any, from_page: Any, *, session: Session) -> Member | None:
    """The member from the conversation, else from the page; unknown values count as none."""
    for candidate in (remembered, from_page):
        if isinstance(candidate, str) and candidate.strip():
            member = queries.member_by_key(candidate, session=session) or queries.find_member(
                candidate[:200], session=session
            )
            if member is not None:
                return member
    return None


def unknown_member(named: str, *, session: Session) -> Outcome:
    members = queries.list_members(session=session)
    text = f"Die Verwaltung „{named[:100]}“ kenne ich nicht. {render_member_list(members)}"
    return Outcome([Reply(text, member_buttons(members))])


def ask_for_member(*, session: Session) -> Outcome:
    return Outcome([Reply(ASK_MEMBER, member_buttons(queries.list_members(session=session)))])


def deliver(outcome: Outcome, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """Send the replies, ask for feedback on an answer (not inside a form), remember the member."""
    for reply in outcome.replies:
        reply.send(dispatcher)
    if outcome.answered and not tracker.active_loop_name:
        dispatcher.utter_message(response=FEEDBACK_QUESTION)
    events = list(outcome.events)
    remembered = tracker.get_slot("member")
    if outcome.member_key and outcome.member_key != remembered:
        events.append(SlotSet("member", outcome.member_key))
    return events


@lru_cache(maxsize=1)
def member_actions() -> dict[str, MemberAction]:
    """Every member question the assistant answers, by action name (found once)."""
    import actions

    for module in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"actions.{module.name}")
    found: dict[str, MemberAction] = {}
    pending: list[type[MemberAction]] = list(MemberAction.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        instance = cls()
        found[instance.name()] = instance
    return found
