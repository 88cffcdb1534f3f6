"""The answer to "Soll ich das Ticket so anlegen?": yes, or which field to change.

Each form names its fields with the words users use for them ("Dringlichkeit", "Telefon");
"nein" or "ändern" without a field means the user still has to say which one.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.names import normalize

_YES = re.compile(
    r"^(ja|jo|jap|jawohl|genau|passt|stimmt|richtig|korrekt|ok|okay|alles (richtig|korrekt|ok)|"
    r"ja bitte|ja gerne|ja ticket anlegen|ticket anlegen|anlegen|absenden|abschicken|senden)\b"
)
_CHANGE = re.compile(r"\b(nein|ne|nee|andern|aendern|korrigieren|falsch|stimmt nicht|anders)\b")


class Decision(enum.Enum):
    CONFIRM = "confirm"
    CHANGE = "change"


@dataclass(frozen=True)
class Field:
    """A form field the user can change before confirming."""

    slot: str
    label: str
    words: Sequence[str]


@dataclass(frozen=True)
class Confirmation:
    decision: Decision
    slot: str | None = None


def parse_confirmation(text: str, fields: Mapping[str, Field]) -> Confirmation | None:
    """What the user answered to the summary, or ``None`` when it is neither yes nor a change."""
    words = normalize(text)
    named = _named_field(words, fields)
    if named or _CHANGE.search(words):
        return Confirmation(Decision.CHANGE, named)
    if _YES.match(words):
        return Confirmation(Decision.CONFIRM)
    return None


def _named_field(words: str, fields: Mapping[str, Field]) -> str | None:
    """The one field named in ``words``; the longest matching word wins ("ihr name")."""
    best: dict[str, int] = {}
    for field in fields.values():
        for word in field.words:
            if re.search(rf"\b{re.escape(normalize(word))}\b", words):
                best[field.slot] = max(best.get(field.slot, 0), len(word))
    if not best:
        return None
    longest = max(best.values())
    winners = [slot for slot, length in best.items() if length == longest]
    return winners[0] if len(winners) == 1 else None


def fields(*entries: tuple[str, str, Sequence[str]]) -> dict[str, Field]:
    return {slot: Field(slot, label, words) for slot, label, words in entries}


CONTACT_FIELDS = (
    ("contact_name", "Ihr Name", ("ihr name", "meinen namen", "mein name")),
    ("contact_reach", "Telefon oder E-Mail", ("telefon", "nummer", "mail", "e mail", "kontakt")),
)

FAULT_FIELDS = fields(
    ("fault_description", "Beschreibung", ("beschreibung", "problem", "text")),
    ("member", "Verwaltung", ("verwaltung", "trager", "amt", "stadt")),
    ("fault_category", "Bereich", ("bereich", "kategorie", "thema")),
    ("fault_impact", "Betroffen", ("betroffen", "betroffene", "betroffenen", "wer")),
    ("fault_urgency", "Dringlichkeit", ("dringlichkeit", "dringend", "eilig")),
    *CONTACT_FIELDS,
)

NEW_EMPLOYEE_FIELDS = fields(
    ("employee_name", "Name der neuen Person", ("name", "namen")),
    ("member", "Verwaltung", ("verwaltung", "trager")),
    ("org_unit", "Organisationseinheit", ("organisationseinheit", "abteilung", "amt", "bereich")),
    ("start_date", "Arbeitsbeginn", ("datum", "arbeitsbeginn", "beginn", "start", "termin")),
    ("equipment", "Ausstattung", ("ausstattung", "gerate", "geraete", "hardware")),
    ("fachverfahren_access", "Fachverfahren", ("fachverfahren", "zugange")),
    *CONTACT_FIELDS,
)
