"""The contact of an anonymous reporter: a name plus a telephone number or an e-mail address."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NAME_LENGTH = 100
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?:\+|\(|\b)\d[\d ()/-]{4,}\d")
_NAME = re.compile(r"[^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_][^\W\d_ .'-]*)*")
_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 6, 15
_NAME_INTRO = re.compile(r"^(ich bin|ich heisse|ich heiße|mein name ist|name:?)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Contact:
    """What the service desk needs to call or write back."""

    name: str | None = None
    reach: str | None = None


def find_reach(text: str) -> str | None:
    """The first e-mail address or plausible telephone number in ``text``."""
    email = _EMAIL.search(text)
    if email:
        return email.group(0).lower()
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if _MIN_PHONE_DIGITS <= len(digits) <= _MAX_PHONE_DIGITS:
            return re.sub(r"\s+", " ", match.group(0)).strip()
    return None


def parse_name(text: str) -> str | None:
    """A person's name ("Anna Schmidt", "Müller-Lüdenscheidt"), or ``None``.

    A name is letters with spaces, hyphens, apostrophes or dots between them, at least two
    letters, and contains no digits or markup.
    """
    candidate = _NAME_INTRO.sub("", " ".join(text.split())).strip(" ,;:")
    if not 2 <= len(candidate) <= MAX_NAME_LENGTH or not _NAME.fullmatch(candidate):
        return None
    return candidate


def parse_contact(text: str) -> Contact:
    """Name and telephone/e-mail as far as ``text`` gives them ("Anna Schmidt, 03871 1234")."""
    reach = find_reach(text)
    rest = text
    if reach:
        rest = _EMAIL.sub(" ", rest) if "@" in reach else _PHONE.sub(" ", rest)
        rest = re.sub(
            r"\b(tel|telefon|e-?mail|mail|erreichbar unter|unter)\b\.?:?",
            " ",
            rest,
            flags=re.IGNORECASE,
        )
    return Contact(name=parse_name(rest.strip(" ,;:-")), reach=reach)
