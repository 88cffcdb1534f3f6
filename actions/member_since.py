"""Since when a member belongs to the Verbund, and when it signed its contract."""

from __future__ import annotations

from sqlalchemy.orm import Session

from actions.common import Question, Reply, member_label
from actions.member_context import MemberAction
from bot import clock
from bot.db.models import Member
from bot.formatting import before_phrase, german_date
from bot.membership import Membership, membership
from bot.membership_question import named_in_membership_question


class ActionMemberSince(MemberAction):
    def name(self) -> str:
        return "action_member_since"

    def named_in_text(self, text: str) -> str | None:
        return named_in_membership_question(text)

    def answer(self, member: Member, question: Question, *, session: Session) -> list[Reply]:
        return [Reply(render_member_since(member))]


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
