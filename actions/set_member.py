"""The user says which administration they belong to ("Ich bin aus Schwerin", "nein, Grabow").

If the assistant's previous turn was a question about a member – one it could not answer
without knowing the member, or one the user now corrects – that question is answered for
the named member at once, so the user never has to repeat it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import (
    Events,
    KsmAction,
    Reply,
    in_session,
    latest_question,
    member_label,
    previous_action,
    question_before_previous_action,
)
from actions.member_context import Outcome, ask_for_member, deliver, member_actions, unknown_member
from bot.db import queries


class ActionSetMember(KsmAction):
    def name(self) -> str:
        return "action_set_member"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        message = latest_question(tracker)
        named = message.entity("member")
        waiting = member_actions().get(previous_action(tracker) or "")
        original = question_before_previous_action(tracker)

        def work(session: Session) -> Outcome:
            member = queries.find_member(named or message.text[:200], session=session)
            if member is None:
                return (
                    unknown_member(named, session=session)
                    if named
                    else ask_for_member(session=session)
                )
            if waiting is not None:
                answer = waiting.answer(member, original, session=session)
                return Outcome(answer, member.key, answered=True)
            text = f"Alles klar: {member_label(member)}. Wobei kann ich Ihnen helfen?"
            return Outcome([Reply(text)], member.key)

        return deliver(await in_session(work), dispatcher, tracker)
