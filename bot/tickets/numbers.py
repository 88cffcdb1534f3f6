"""Ticket numbers: ``KSM-<year>-<five digits>``, and reading the loose forms users type.

"KSM-2026-00017", "ksm 2026 17", "KSM2026/17" and "Ticket 17" (this year) all name
``KSM-2026-00017``. Anything else is not a ticket number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "KSM"
MAX_SEQUENCE = 99_999

_FULL = re.compile(r"(?i)\bksm\s*[-_/ ]?\s*(\d{4})\s*[-_/ ]\s*0*(\d{1,5})\b")
_COMPACT = re.compile(r"(?i)\bksm(\d{4})0*(\d{1,5})\b")
_SHORT = re.compile(r"(?i)\b(?:ticket|vorgang|nummer|nr\.?)\s*#?\s*0*(\d{1,5})\b")


@dataclass(frozen=True, order=True)
class TicketNumber:
    year: int
    sequence: int

    def __post_init__(self) -> None:
        if not 2000 <= self.year <= 2999 or not 1 <= self.sequence <= MAX_SEQUENCE:
            raise ValueError(f"no ticket number: {self.year}/{self.sequence}")

    def __str__(self) -> str:
        return f"{PREFIX}-{self.year}-{self.sequence:05d}"


def parse_ticket_number(text: str, *, current_year: int) -> TicketNumber | None:
    """The ticket number in ``text``, or ``None`` if there is none (or it is malformed)."""
    text = text[:500]
    for pattern in (_FULL, _COMPACT):
        match = pattern.search(text)
        if match:
            return _number(int(match.group(1)), int(match.group(2)))
    match = _SHORT.search(text)
    if match:
        return _number(current_year, int(match.group(1)))
    return None


def _number(year: int, sequence: int) -> TicketNumber | None:
    try:
        return TicketNumber(year, sequence)
    except ValueError:
        return None
