"""Who at KSM looks after the user's administration."""

from __future__ import annotations

from sqlalchemy.orm import Session

from actions.common import Question, Reply, member_label
from actions.member_context import MemberAction
from bot.db import queries
from bot.db.models import Member


class ActionCustomerTeam(MemberAction):
    def name(self) -> str:
        return "action_customer_team"

    def answer(self, member: Member, question: Question, *, session: Session) -> list[Reply]:
        team = queries.customer_team(member, session=session)
        name = member_label(member)
        if team is None:
            return [
                Reply(
                    f"Für {name} ist kein Kundenteam hinterlegt; "
                    "bitte wenden Sie sich an den Servicedesk."
                )
            ]
        contact = ", ".join(part for part in (team.email, team.phone) if part)
        example = " (Beispieldaten)" if team.is_example else ""
        return [
            Reply(
                f"Für {name} ist bei der KSM die {team.name} zuständig: {contact}.{example}\n"
                "Bei Störungen und dringenden Anliegen wenden Sie sich bitte an den Servicedesk."
            )
        ]
