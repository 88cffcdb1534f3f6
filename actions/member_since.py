"""Since when a member belongs to the Verbund, and when it signed its contract."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import Events, KsmAction, in_session, member_label, render_member_list
from bot import clock
from bot.db import queries
from bot.db.models import Member
from bot.formatting import before_phrase, german_date
from bot.membership import Membership, membership


class ActionMemberSince(KsmAction):
    def name(self) -> str:
        return "action_member_since"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        named = next(tracker.get_latest_entity_values("member"), None) or tracker.get_slot("member")

        def answer(session: Session) -> tuple[str, str | None]:
            if not named:
                return _ASK_MEMBER + "\n\n" + render_member_list(
                    queries.list_members(session=session)
                ), None
            member = queries.find_member(str(named), session=session)
            if member is None:
                members = render_member_list(queries.list_members(session=session))
                return f"Die Verwaltung „{named}“ kenne ich nicht. {members}", None
            return render_member_since(member), member.key

        text, member_key = await in_session(answer)
        dispatcher.utter_message(text=text)
        return [SlotSet("member", member_key)] if member_key else []


_ASK_MEMBER = "Zu welcher Verwaltung möchten Sie das wissen? Nennen Sie mir bitte den Namen."


def render_member_since(member: Member) -> str:
    state = membership(member, clock.today())
    name = member_label(member)
    contract = (
        f" Der Vertrag wurde am {german_date(member.contract_signed_on)} unterzeichnet."
        if member.contract_signed_on
        else ""
    )
    if state is Membership.MEMBER:
        return f"{name} ist seit dem {german_date(member.joined_on)} Träger der KSM.{contract}"
    if state is Membership.JOINING:
        return f"{name} tritt der KSM am {german_date(member.joined_on)} bei.{contract}"
    if state is Membership.MEMBER_BEFORE:
        return (
            f"{name} war schon vor {before_phrase(member.joined_before)} Träger der KSM; "
            "das genaue Beitrittsdatum liegt mir nicht vor."
        )
    return f"{name} gehört zum KSM-Verbund; ein Beitrittsdatum liegt mir nicht vor."
