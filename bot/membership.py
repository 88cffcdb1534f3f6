"""What a member's dates mean on a given day: already a Träger, joining soon, or since when."""

from __future__ import annotations

import datetime as dt
import enum

from bot.db.models import Member


class Membership(enum.Enum):
    MEMBER = "member"
    """KSM has taken over; ``joined_on`` is known and past."""
    MEMBER_BEFORE = "member_before"
    """A Träger since before ``joined_before``; the exact date is not in the data."""
    JOINING = "joining"
    """The Betriebsübergang (``joined_on``) is still ahead."""
    UNDATED = "undated"
    """Listed, but no date is recorded at all."""


def membership(member: Member, today: dt.date) -> Membership:
    if member.joined_on is not None:
        return Membership.MEMBER if member.joined_on <= today else Membership.JOINING
    if member.joined_before is not None:
        return Membership.MEMBER_BEFORE
    return Membership.UNDATED
