"""How far a member's onboarding is: milestones done, in progress and planned."""

from __future__ import annotations

from sqlalchemy.orm import Session

from actions.common import Question, Reply, member_label
from actions.member_context import MemberAction
from bot import clock
from bot.db import queries
from bot.db.models import Member
from bot.formatting import bullet_list, german_date
from bot.onboarding import MilestoneView, Onboarding, Phase, onboarding


class ActionOnboardingStatus(MemberAction):
    def name(self) -> str:
        return "action_onboarding_status"

    def answer(self, member: Member, question: Question, *, session: Session) -> list[Reply]:
        status = onboarding(queries.onboarding_milestones(member, session=session), clock.today())
        return [Reply(render_onboarding(member, status))]


def render_onboarding(member: Member, status: Onboarding) -> str:
    name = member_label(member)
    if not status.milestones:
        return f"Für {name} liegen mir keine Beitrittsschritte vor."
    handover = status.get("betriebsuebergang")
    if status.is_complete:
        since = f" am {german_date(handover.done_on)}" if handover and handover.done_on else ""
        return (
            f"Der Beitritt von {name} ist abgeschlossen: Alle Schritte sind erledigt, "
            f"der Betriebsübergang war{since}."
        )
    sections = [f"Stand des Beitritts von {name}:"]
    for phase, heading in (
        (Phase.DONE, "Erledigt"),
        (Phase.IN_PROGRESS, "In Arbeit"),
        (Phase.PLANNED, "Geplant"),
    ):
        milestones = status.in_phase(phase)
        if milestones:
            sections.append(f"{heading}:\n{bullet_list(describe(m) for m in milestones)}")
    if handover and handover.phase is not Phase.DONE and handover.end:
        sections.append(f"Der Betriebsübergang an die KSM ist am {german_date(handover.end)}.")
    if any(m.is_example for m in status.milestones):
        sections.append("(Beispieldaten)")
    return "\n\n".join(sections)


def describe(milestone: MilestoneView) -> str:
    """One milestone with its date: "Migration der Arbeitsplätze: 14.12.2026–18.12.2026"."""
    if milestone.phase is Phase.DONE:
        return (
            f"{milestone.name}: {german_date(milestone.done_on)}"
            if milestone.done_on
            else (milestone.name)
        )
    if milestone.start and milestone.end and milestone.start != milestone.end:
        return f"{milestone.name}: {german_date(milestone.start)}–{german_date(milestone.end)}"
    if milestone.end:
        word = "bis" if milestone.phase is Phase.IN_PROGRESS else "am"
        return f"{milestone.name}: {word} {german_date(milestone.end)}"
    return milestone.name
