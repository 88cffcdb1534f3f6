"""The request for a new colleague's IT: equipment choices and the lead-time rule.

PRODUCT.md, section 3: the request must reach KSM at least ten working days (Monday to
Friday, without public holidays in Mecklenburg-Vorpommern) before the start date. A later
request is still accepted, but the user is told that the account may not be ready on the
first day.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from bot.names import normalize
from bot.workdays import public_holiday

LEAD_TIME_WORKING_DAYS = 10


class Equipment(str, enum.Enum):
    """What a new colleague can get; the values are what users read."""

    COMPUTER = "PC oder Notebook"
    PHONE = "Telefon"
    MOBILE = "Diensthandy"
    FACHVERFAHREN = "Zugänge zu Fachverfahren"


_EQUIPMENT_WORDS = {
    Equipment.COMPUTER: r"pc|pcs|computer|rechner|notebook|laptop|arbeitsplatz|thin ?client",
    Equipment.MOBILE: r"diensthandy|handy|smartphone|mobiltelefon|iphone|mobil\w*",
    Equipment.PHONE: r"telefon|festnetz|tischtelefon|telefonanschluss|durchwahl",
    Equipment.FACHVERFAHREN: r"fachverfahren|fachanwendung\w*|zugang zu|zugange|verfahren",
}
_DONE = re.compile(r"^(fertig|das wars|das ist alles|nichts weiter|nein danke|weiter|ok|reicht)$")
_NOTHING = re.compile(r"^(nichts|keins|keine|nix|gar nichts|nichts davon)$")


@dataclass(frozen=True)
class EquipmentAnswer:
    """What one answer to "Was braucht sie/er?" said."""

    items: tuple[Equipment, ...] = ()
    done: bool = False
    nothing: bool = False

    @property
    def understood(self) -> bool:
        return bool(self.items) or self.done or self.nothing


def parse_equipment(text: str) -> EquipmentAnswer:
    """The equipment named in ``text`` ("Notebook und Diensthandy"), or "fertig"/"nichts"."""
    words = normalize(text)
    if _DONE.match(words):
        return EquipmentAnswer(done=True)
    if _NOTHING.match(words):
        return EquipmentAnswer(nothing=True)
    items = tuple(
        equipment
        for equipment, pattern in _EQUIPMENT_WORDS.items()
        if re.search(rf"\b({pattern})\b", words)
    )
    if Equipment.MOBILE in items and Equipment.PHONE in items and "telefon" not in words.split():
        items = tuple(item for item in items if item is not Equipment.PHONE)
    return EquipmentAnswer(items=tuple(sorted(items, key=list(Equipment).index)))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and public_holiday(day) is None


def working_days_before(start: dt.date, *, today: dt.date) -> int:
    """Working days from ``today`` (counted if it is one) up to the day before ``start``."""
    count, day = 0, today
    while day < start:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


def latest_request_day(start: dt.date) -> dt.date:
    """The last day a request for ``start`` keeps the lead time."""
    count, day = 0, start
    while count < LEAD_TIME_WORKING_DAYS:
        day -= dt.timedelta(days=1)
        count += is_working_day(day)
    return day


def lead_time_kept(start: dt.date, *, today: dt.date) -> bool:
    return working_days_before(start, today=today) >= LEAD_TIME_WORKING_DAYS
