"""Masking personal data in user messages before a trainer sees or exports them.

Messages may hold e-mail addresses, telephone numbers and the names people gave in the
ticket forms (or that the intranet sent along). The trainer needs the wording, not the
person: each of these becomes a placeholder a reader recognises at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL_PLACEHOLDER = "<E-Mail>"
PHONE_PLACEHOLDER = "<Telefon>"
NAME_PLACEHOLDER = "<Name>"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A number that starts like a German or international telephone number and has at least six
# digits; ticket numbers ("KSM-2026-00017"), dates and years stay readable.
_PHONE = re.compile(r"(?<![\w-])(?:\+|00|0)\d[\d /()-]{4,}\d(?![\w-])")
# Any number given as a telephone number or extension ("Durchwahl 4711", "Tel.: 12-34").
_LABELLED_PHONE = re.compile(
    r"(?P<label>\b(?:Tel(?:efon)?|Telefonnummer|Durchwahl|Mobil|Handy|Fax|Nummer)\b\.?:?\s*)"
    r"\+?\d[\d /()-]*\d",
    re.IGNORECASE,
)
_SALUTATION = re.compile(
    r"\b(?P<salutation>Herrn?|Frau|Hr\.|Fr\.)\s+(?:Dr\.\s+)?[A-ZÄÖÜ][\w-]+(?:\s+[A-ZÄÖÜ][\w-]+)?"
)
_PLACEHOLDER = "|".join(map(re.escape, (EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER, NAME_PLACEHOLDER)))
MIN_NAME_LENGTH = 3
"""Shorter given names ("Al") are not masked as words: they match too much else."""
_NOT_NAMES = {"herr", "herrn", "frau", "dr.", "prof."}


def mask(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with e-mail addresses, telephone numbers and ``names`` replaced."""
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    text = _LABELLED_PHONE.sub(lambda match: match["label"] + PHONE_PLACEHOLDER, text)
    text = _PHONE.sub(lambda match: PHONE_PLACEHOLDER if _digits(match[0]) >= 6 else match[0], text)
    for name in sorted(_name_parts(names), key=len, reverse=True):
        # Placeholders are matched first and kept, so a name "Mail" leaves "<E-Mail>" whole.
        pattern = rf"({_PLACEHOLDER})|(?<!\w){re.escape(name)}(?!\w)"
        text = re.sub(pattern, lambda match: match[1] or NAME_PLACEHOLDER, text, flags=re.I)
    text = _SALUTATION.sub(lambda match: f"{match['salutation']} {NAME_PLACEHOLDER}", text)
    return re.sub(rf"{re.escape(NAME_PLACEHOLDER)}(\s+{re.escape(NAME_PLACEHOLDER)})+",
                  NAME_PLACEHOLDER, text)  # fmt: skip


def _digits(text: str) -> int:
    return sum(character.isdigit() for character in text)


def _name_parts(names: Iterable[str]) -> set[str]:
    """The full names and each of their words, so "Max Mustermann" also masks "Mustermann"."""
    parts = set()
    for name in names:
        name = " ".join(name.split())
        if len(name) < MIN_NAME_LENGTH or name.lower() in _NOT_NAMES:
            continue
        if "@" in name or _digits(name):
            continue
        parts.add(name)
        parts.update(
            word
            for word in re.split(r"[\s,]+", name)
            if len(word) >= MIN_NAME_LENGTH and word.lower() not in _NOT_NAMES
        )
    return parts
