"""Normalising the loose names users type.

"Neustadt Glewe", "neustadt-glewe" and "NEUSTADT GLEWE" compare equal, and so do
"Muenchen", "München" and "Munchen".

Pure functions without database or Rasa imports.
"""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_UMLAUT_SPELLINGS = re.compile(r"([aou])e+")
_NON_WORD = re.compile(r"[^0-9a-z]+")

KIND_PREFIXES: dict[str, frozenset[str]] = {
    "landeshauptstadt": frozenset({"kreisfreie Stadt"}),
    "lh": frozenset({"kreisfreie Stadt"}),
    "hansestadt": frozenset({"Stadt", "kreisfreie Stadt"}),
    "stadt": frozenset({"Stadt", "kreisfreie Stadt"}),
    "landkreis": frozenset({"Landkreis"}),
    "lk": frozenset({"Landkreis"}),
    "kreis": frozenset({"Landkreis"}),
    "amt": frozenset({"Amt"}),
    "gemeinde": frozenset({"Gemeinde"}),
}
"""Words that name the kind of administration in front of its name, and the kinds they allow."""

FILLER_WORDS = frozenset(
    {
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "ein",
        "eine",
        "einen",
        "vom",
        "von",
        "im",
        "in",
        "unser",
        "unsere",
        "unseren",
        "unserem",
        "unserer",
        "bei",
        "fur",
        "zum",
        "zur",
        "mit",
    }
)
"""Words around a name that do not change what it names ("die Telefonie", "unsere PCs")."""


def normalize(text: str) -> str:
    """Fold case, umlauts (written or spelt out) and punctuation into a comparable key.

    >>> normalize("Neustadt-Glewe")
    'neustadt glewe'
    >>> normalize("Parchimer Umland") == normalize("PARCHIMER  umland")
    True
    >>> normalize("Zurücksetzen") == normalize("zuruecksetzen") == normalize("zurucksetzen")
    True
    """
    text = unicodedata.normalize("NFC", text).casefold().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    # Accents go before spelt-out umlauts are folded, so "Noël" and "Noel" meet (as do the
    # keys of keys); "Uebersicht" and "Übersicht" meet at the start of a word too.
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _UMLAUT_SPELLINGS.sub(lambda match: match.group(1), text)
    return _NON_WORD.sub(" ", text).strip()


def split_kind_prefix(normalized: str) -> tuple[frozenset[str] | None, str]:
    """Separate a leading kind word ("amt", "stadt", "lh" …) from a normalised name.

    Returns the kinds the prefix allows (``None`` when there is no prefix) and the rest.

    >>> split_kind_prefix("amt parchimer umland")
    (frozenset({'Amt'}), 'parchimer umland')
    >>> split_kind_prefix("grabow")
    (None, 'grabow')
    """
    words = [word for word in normalized.split() if word not in FILLER_WORDS]
    kinds: frozenset[str] | None = None
    while len(words) > 1 and words[0] in KIND_PREFIXES:
        allowed = KIND_PREFIXES[words.pop(0)]
        kinds = allowed if kinds is None else (kinds & allowed) or allowed
    return kinds, " ".join(words)


def typo_distance(a: str, b: str) -> int:
    """Edits between ``a`` and ``b``: insert, delete, substitute or swap two neighbours.

    (The optimal string alignment distance, so "grabwo" is one swap from "grabow".)

    >>> typo_distance("grabwo", "grabow")
    1
    >>> typo_distance("parchimer umlnd", "parchimer umland")
    1
    """
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        previous_previous, previous = previous, current
    return previous[-1]


def within_typos(a: str, b: str, typos: int) -> bool:
    """Whether ``a`` is at most ``typos`` edits from ``b``.

    Strings whose lengths differ by more are ruled out before the quadratic comparison, so a
    pasted page of text costs no more than a name.

    >>> within_typos("grabwo", "grabow", 1)
    True
    """
    return abs(len(a) - len(b)) <= typos and typo_distance(a, b) <= typos


def allowed_typos(name: str) -> int:
    """How many typos a name of this length may carry and still be recognised."""
    if len(name) < 5:
        return 0
    return 1 if len(name) < 10 else 2
