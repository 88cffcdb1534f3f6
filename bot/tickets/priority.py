"""Ticket priority from impact and urgency (PRODUCT.md, section 3).

impact 1 = whole administration or a Fachverfahren down for everyone, 2 = several people or
a department, 3 = one person; urgency 1 = work impossible, 2 = work restricted, 3 = can
wait. priority = min(4, impact + urgency - 1); a security incident is at least priority 2.
"""

from __future__ import annotations

import enum


class Impact(enum.IntEnum):
    ORGANISATION = 1
    GROUP = 2
    PERSON = 3


class Urgency(enum.IntEnum):
    BLOCKED = 1
    RESTRICTED = 2
    CAN_WAIT = 3


PRIORITY_NAMES = {1: "kritisch", 2: "hoch", 3: "mittel", 4: "niedrig"}
SECURITY_CATEGORY = "sicherheit"
LOWEST_SECURITY_PRIORITY = 2


def priority(impact: Impact, urgency: Urgency, category: str | None = None) -> int:
    """The priority, 1 (kritisch) to 4 (niedrig)."""
    value = min(4, int(impact) + int(urgency) - 1)
    if category == SECURITY_CATEGORY:
        value = min(value, LOWEST_SECURITY_PRIORITY)
    return value


def priority_label(value: int) -> str:
    """The priority as users and agents read it, e.g. "2 (hoch)"."""
    return f"{value} ({PRIORITY_NAMES[value]})"
