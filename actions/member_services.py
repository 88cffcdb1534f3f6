"""What KSM is responsible for at a member: the transferred services."""

from __future__ import annotations

from sqlalchemy.orm import Session

from actions.common import Question, Reply, member_label
from actions.member_context import MemberAction
from bot.db import queries
from bot.db.models import Member, MemberService, TransferStatus
from bot.formatting import bullet_list, german_date


class ActionMemberServices(MemberAction):
    def name(self) -> str:
        return "action_member_services"

    def answer(self, member: Member, question: Question, *, session: Session) -> list[Reply]:
        transfers = queries.services_of_member(member, session=session)
        catalogue = queries.list_services(session=session)
        return [Reply(render_member_services(member, transfers, [s.name for s in catalogue]))]


def render_member_services(
    member: Member, transfers: list[MemberService], catalogue: list[str]
) -> str:
    name = member_label(member)
    if not transfers:
        return f"Für {name} betreut die KSM derzeit keine Dienste aus ihrem Leistungskatalog."
    running = [t for t in transfers if t.status is TransferStatus.UEBERNOMMEN]
    moving = [t for t in transfers if t.status is TransferStatus.IN_MIGRATION]
    planned = [t for t in transfers if t.status is TransferStatus.GEPLANT]
    parts: list[str] = []
    if running:
        whole = len(running) == len(catalogue)
        heading = (
            f"Die KSM betreibt für {name} die gesamte IT der Kernverwaltung"
            if whole
            else f"Die KSM betreut für {name}"
        )
        parts.append(f"{heading}{_since(running)}:\n{bullet_list(t.service.name for t in running)}")
    if moving:
        parts.append(f"In der Übernahme:\n{bullet_list(t.service.name for t in moving)}")
    if planned:
        parts.append(f"Geplant{_since(planned)}:\n{bullet_list(t.service.name for t in planned)}")
    transferred = {t.service.name for t in transfers}
    missing = [service for service in catalogue if service not in transferred]
    if missing:
        parts.append(f"Nicht bei der KSM, sondern bei {name} selbst:\n{bullet_list(missing)}")
    if any(t.is_example for t in transfers):
        parts.append("(Beispieldaten)")
    return "\n\n".join(parts)


def _since(transfers: list[MemberService]) -> str:
    dates = {t.since for t in transfers}
    if len(dates) == 1 and None not in dates:
        (since,) = dates
        return f" ab dem {german_date(since)}"
    return ""
