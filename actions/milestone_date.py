"""When one onboarding milestone happens at a member.

"Wann werden bei uns die Arbeitsplätze umgestellt?"
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from actions.common import Question, Reply, member_label
from actions.member_context import MemberAction
from actions.onboarding_status import render_onboarding
from bot import clock
from bot.db import queries
from bot.db.models import Member, Milestone
from bot.formatting import german_date
from bot.onboarding import MilestoneView, Phase, onboarding


class ActionMilestoneDate(MemberAction):
    def name(self) -> str:
        return "action_milestone_date"

    def answer(self, member: Member, question: Question, *, session: Session) -> list[Reply]:
        status = onboarding(queries.onboarding_milestones(member, session=session), clock.today())
        milestone = _named_milestone(question, session=session)
        if milestone is None:
            return [Reply(render_onboarding(member, status))]
        view = status.get(milestone.key)
        if view is None:
            return [Reply(f"Für {member_label(member)} ist „{milestone.name}“ nicht geplant.")]
        return [Reply(render_milestone(member, view))]


def _named_milestone(question: Question, *, session: Session) -> Milestone | None:
    for entity in ("milestone", "service"):
        named = question.entity(entity)
        if named:
            milestone = queries.find_milestone(named, session=session)
            if milestone is not None:
                return milestone
    return None


def render_milestone(member: Member, view: MilestoneView) -> str:
    name = member_label(member)
    example = " (Beispieldaten)" if view.is_example else ""
    if view.phase is Phase.DONE:
        when = f" am {german_date(view.done_on)}" if view.done_on else ""
        return f"{view.name} ist bei {name}{when} erledigt.{example}"
    if view.start and view.end and view.start != view.end:
        period = f"vom {german_date(view.start)} bis {german_date(view.end)}"
    elif view.end:
        period = (
            f"bis zum {german_date(view.end)}"
            if view.phase is Phase.IN_PROGRESS
            else (f"am {german_date(view.end)}")
        )
    else:
        return f"Für „{view.name}“ bei {name} steht noch kein Termin fest.{example}"
    if view.phase is Phase.IN_PROGRESS:
        return f"{view.name} bei {name} läuft gerade, geplant {period}.{example}"
    return f"{view.name} bei {name} ist {period} geplant.{example}"
