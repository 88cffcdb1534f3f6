"""Whether KSM runs one named service at a member, and since when."""

from __future__ import annotations

from sqlalchemy.orm import Session

from actions.common import Question, Reply, member_label
from actions.member_context import MemberAction
from bot import clock
from bot.db import queries
from bot.db.models import Contact, Member, MemberService, Service, TransferStatus
from bot.formatting import german_date


class ActionServiceAtMember(MemberAction):
    def name(self) -> str:
        return "action_service_at_member"

    def answer(self, member: Member, question: Question, *, session: Session) -> list[Reply]:
        named = question.entity("service")
        service = queries.find_service(named, session=session) if named else None
        if service is None:
            catalogue = ", ".join(s.name for s in queries.list_services(session=session))
            asked = (
                f"„{named}“ finde ich nicht im Leistungskatalog."
                if named
                else "Welchen Dienst meinen Sie?"
            )
            return [Reply(f"{asked} Die KSM bietet: {catalogue}.")]
        transfer = queries.service_at_member(member, service, session=session)
        team = queries.customer_team(member, session=session)
        return [Reply(render_service_at_member(member, service, transfer, team_hint(team)))]


def team_hint(team: Contact | None) -> str:
    """Who to ask instead: the member's customer team at KSM."""
    if team is None:
        return ""
    return f" Fragen dazu beantwortet Ihre {team.name}" + (
        f" ({team.email})." if team.email else "."
    )


def render_service_at_member(
    member: Member, service: Service, transfer: MemberService | None, hint: str
) -> str:
    name = member_label(member)
    if transfer is None:
        return (
            f"Nein, {service.name} betreut die KSM für {name} nicht – dafür ist {name} "
            f"selbst zuständig.{hint}"
        )
    example = " (Beispieldaten)" if transfer.is_example else ""
    since = transfer.since
    if transfer.status is TransferStatus.UEBERNOMMEN:
        when = f" seit dem {german_date(since)}" if since else ""
        return f"Ja, die KSM betreut {service.name} für {name}{when}.{example}"
    if transfer.status is TransferStatus.IN_MIGRATION:
        return f"{service.name} wird für {name} gerade an die KSM übergeben.{example}{hint}"
    if since and since > clock.today():
        return (
            f"Noch nicht: Die KSM übernimmt {service.name} für {name} "
            f"ab dem {german_date(since)}.{example}"
        )
    return f"Die Übernahme von {service.name} für {name} ist geplant.{example}{hint}"
