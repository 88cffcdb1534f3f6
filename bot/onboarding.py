"""Where a member stands in its onboarding on a given day."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from bot.db.models import MemberMilestone, MilestoneStatus


class Phase(enum.Enum):
    DONE = "erledigt"
    IN_PROGRESS = "in Arbeit"
    PLANNED = "geplant"


@dataclass(frozen=True)
class MilestoneView:
    """One milestone as users read it: name, phase and the dates that go with it."""

    key: str
    name: str
    phase: Phase
    start: dt.date | None
    end: dt.date | None
    done_on: dt.date | None
    is_example: bool


@dataclass(frozen=True)
class Onboarding:
    milestones: tuple[MilestoneView, ...]

    def in_phase(self, phase: Phase) -> list[MilestoneView]:
        return [milestone for milestone in self.milestones if milestone.phase is phase]

    def get(self, key: str) -> MilestoneView | None:
        return next((m for m in self.milestones if m.key == key), None)

    @property
    def is_complete(self) -> bool:
        return bool(self.milestones) and all(m.phase is Phase.DONE for m in self.milestones)


def onboarding(milestones: Iterable[MemberMilestone], today: dt.date) -> Onboarding:
    """The member's milestones with the phase each is in on ``today``.

    The stored status is what the project team reported; the calendar moves on without them:
    planned work whose period has begun counts as in progress. Nothing becomes "done" by
    date alone — only the team says that.
    """
    return Onboarding(tuple(_view(milestone, today) for milestone in milestones))


def _view(milestone: MemberMilestone, today: dt.date) -> MilestoneView:
    phase = Phase(milestone.status.value)
    if milestone.status is MilestoneStatus.GEPLANT:
        start = milestone.planned_start or milestone.planned_end
        if start is not None and start <= today:
            phase = Phase.IN_PROGRESS
    return MilestoneView(
        key=milestone.milestone.key,
        name=milestone.milestone.name,
        phase=phase,
        start=milestone.planned_start,
        end=milestone.planned_end,
        done_on=milestone.done_on,
        is_example=milestone.is_example,
    )
