"""Understanding the answers of a fault report: impact, urgency, description, phishing.

The buttons say it in plain words ("nur ich", "mehrere Kolleginnen und Kollegen", "die ganze
Verwaltung"); users also type their own. Each parser returns ``None`` for what it cannot
place, so the form can explain instead of guessing.
"""

from __future__ import annotations

import re

from bot.names import FILLER_WORDS, normalize
from bot.tickets.priority import Impact, Urgency

IMPACT_CHOICES = {
    Impact.PERSON: "nur ich",
    Impact.GROUP: "mehrere Kolleginnen und Kollegen",
    Impact.ORGANISATION: "die ganze Verwaltung",
}
"""Button titles, in the order shown; each is also understood when typed."""

URGENCY_CHOICES = {
    Urgency.BLOCKED: "Ich kann gar nicht arbeiten",
    Urgency.RESTRICTED: "Ich kann eingeschränkt arbeiten",
    Urgency.CAN_WAIT: "Es kann warten",
}

_GROUP = re.compile(r"\b(mehrere|einige|paar|kollege\w*|kolleg\w*|abteilung\w*|team\w*|wir)\b")
_ORGANISATION = re.compile(
    r"\b(ganze\w*|gesamte\w*|komplette\w*|alle|allen|verwaltung|rathaus|haus|niemand|keiner)\b"
)
_PERSON = re.compile(r"\b(ich|mich|mir|nur ich|eine person|einzelplatz|allein\w*)\b")

_CAN_WAIT = re.compile(
    r"\b(warten|hat zeit|keine eile|nicht (so )?(dringend|eilig)|spater|irgendwann)\b"
)
_RESTRICTED = re.compile(
    r"\b(eingeschrankt\w*|teilweise|bedingt|umstandlich\w*|langsam\w*|notdurftig|"
    r"einschrankung\w*|geht so|halbwegs)\b"
)
_BLOCKED = re.compile(
    r"\b(gar nicht|gar nichts|nichts|nicht arbeiten|stillstand|sofort|dringend|eilig|"
    r"blockiert|kann nicht)\b"
)

_REPORT_WORDS = frozenset(
    {
        "ich",
        "mochte",
        "mochten",
        "will",
        "wurde",
        "gerne",
        "gern",
        "bitte",
        "hallo",
        "eine",
        "einen",
        "ein",
        "storung",
        "storungen",
        "stoerung",
        "melden",
        "aufnehmen",
        "ticket",
        "aufmachen",
        "anlegen",
        "eroffnen",
        "problem",
        "probleme",
        "fehler",
        "habe",
        "hab",
        "haben",
        "wir",
        "es",
        "gibt",
        "da",
        "ist",
        "mal",
        "noch",
        "und",
        "kaputt",
        "defekt",
    }
)
"""Words of "I want to report a fault" that say nothing about what is broken."""

_PHISHING = re.compile(
    r"(phishing|fishing|verdachtig\w* (e )?mail|spam mail|link (an)?geklickt|"
    r"anhang (ge)?offnet|zugangsdaten eingegeben|passwort eingegeben|trojaner|virus|viren|"
    r"schadsoftware|ransomware|erpress\w*|gehackt|hacker|sicherheitsvorfall)"
)


def parse_impact(text: str) -> Impact | None:
    """How many people the fault affects, from a button title or the user's words."""
    words = normalize(text)
    for impact, title in IMPACT_CHOICES.items():
        if words == normalize(title):
            return impact
    if _GROUP.search(words):
        return Impact.GROUP
    if _ORGANISATION.search(words):
        return Impact.ORGANISATION
    if _PERSON.search(words):
        return Impact.PERSON
    return None


def parse_urgency(text: str) -> Urgency | None:
    """How badly the fault stops work, from a button title or the user's words."""
    words = normalize(text)
    for urgency, title in URGENCY_CHOICES.items():
        if words == normalize(title):
            return urgency
    for pattern, urgency in (
        (_CAN_WAIT, Urgency.CAN_WAIT),
        (_RESTRICTED, Urgency.RESTRICTED),
        (_BLOCKED, Urgency.BLOCKED),
    ):
        if pattern.search(words):
            return urgency
    return None


def describes_fault(text: str) -> bool:
    """Whether ``text`` says what is wrong, not just that something is.

    >>> describes_fault("Ich möchte eine Störung melden")
    False
    >>> describes_fault("Mein Drucker druckt nicht")
    True
    """
    words = [
        word
        for word in normalize(text).split()
        if word not in _REPORT_WORDS and word not in FILLER_WORDS and len(word) > 2
    ]
    return len(words) >= 2


def looks_like_phishing(text: str) -> bool:
    """Whether the report suggests phishing or another security incident."""
    return bool(_PHISHING.search(normalize(text)))
