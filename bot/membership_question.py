"""The place a membership question names, when the NLU did not mark it.

DIET finds member names mostly through the lookup table of members, so it rarely marks a
name it has never seen: "Ist Hintertupfingen eigentlich auch Mitglied im Verbund?" came
without a ``member`` entity, and the assistant asked which administration the user works
for instead of saying that it does not know Hintertupfingen. This reads the name from the
shapes such questions take ("Ist X … Mitglied/dabei/im Verbund?", "Seit wann ist X
Träger?", "Gehört X zur KSM?"). Pure functions, no Rasa.
"""

from __future__ import annotations

import re

_WORD = r"[A-ZÄÖÜ][a-zäöüß]+"
_QUESTION = re.compile(
    r"^\s*(?i:(?:seit|ab)\s+wann\s+)?(?i:ist|gehört|gehoert)\s+"
    r"(?i:(?:die|das|der)\s+)?"
    r"(?i:(?:stadt|hansestadt|gemeinde|amt|landkreis|kreis)\s+)?"
    rf"(?P<name>{_WORD}(?:(?:-|\s+){_WORD})*)"
    r"(?P<rest>(?:\s.*|[?!.,].*)?)$"
)
_MEMBERSHIP = re.compile(
    r"mitglied|dabei|träger|traeger|verbund|ksm|beigetreten|angeschlossen", re.IGNORECASE
)
_NOT_NAMES = frozenset({"Mitglied", "Träger", "Traeger", "Teil", "Verbund", "Kunde"})
"""Nouns that follow the name in these questions ("Seit wann ist Hamburg Mitglied?")."""


def named_in_membership_question(text: str) -> str | None:
    """The name in a question whether (or since when) a place belongs to the Verbund."""
    match = _QUESTION.match(text[:300])
    if match is None:
        return None
    words = re.split(r"(\s+)", match["name"])
    while words and words[-1] in _NOT_NAMES:
        words = words[:-2]
    name = "".join(words).strip()
    dropped = match["name"][len(name) :]
    if not name or not _MEMBERSHIP.search(dropped + match["rest"]):
        return None
    return name
