"""The words the assistant was trained on, and whether a message uses any of them.

DIET always names some intent, and for a message made only of words it has never seen
("xqzv blorp wuggel") it often names one with high confidence: nothing in the message
contradicts it. Confidence thresholds cannot catch that; counting known words can. A word
counts as known when it, or a spelling of it close enough to be a typo, occurs in the
training data, so that "pasword vergesen" and "Stoerung" are still understood, and
compounds count by their known parts ("Druckertreiber" through "drucker").

Plain Python, no Rasa: ``rasa_server.unknown_words`` puts it into the NLU pipeline.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

FALLBACK_REASON_KEY = "nlu_fallback_reason"
"""The parse-data key that says why the NLU fell back; set by ``rasa_server.unknown_words``."""
UNKNOWN_WORDS = "unknown_words"
"""Its value when not one word of the message was known; ``action_suggest_intents`` reads it."""

WORD = re.compile(r"[^\W\d_]{2,}")
"""A word: two or more letters. Digits, punctuation and single letters say nothing here."""

SPELLINGS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

SIMILARITY = 0.75
"""How alike (difflib's ratio) a word and a known word must be to count as a typo of it."""

MIN_COMPOUND_PART = 5
"""The shortest known word that makes a compound known when it is a part of it."""

MAX_LENGTH_DIFFERENCE = 2
"""Typos compared only with known words this many letters longer or shorter."""


def words(text: str) -> list[str]:
    """The words of ``text``, lower case, with umlauts and ß written out ("stoerung")."""
    return [word.translate(SPELLINGS) for word in WORD.findall(text.lower())]


@dataclass(frozen=True)
class Vocabulary:
    """The known words, in the spelling of :func:`words`."""

    known: frozenset[str]
    _by_length: dict[int, list[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(self.known):
            by_length[len(word)].append(word)
        object.__setattr__(self, "_by_length", dict(by_length))

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        """The vocabulary of some texts: training examples, lemmas, lookup tables."""
        return cls(frozenset(word for text in texts for word in words(text)))

    def __len__(self) -> int:
        return len(self.known)

    def knows(self, word: str) -> bool:
        """Whether ``word`` (as :func:`words` spells it) is known, a typo or a compound."""
        return word in self.known or self._is_compound(word) or self._is_typo(word)

    def knows_any(self, candidates: Sequence[str]) -> bool:
        """Whether any of ``candidates`` is known; the exact look-ups first, they are cheap."""
        return any(word in self.known for word in candidates) or any(
            self.knows(word) for word in candidates
        )

    def _is_compound(self, word: str) -> bool:
        return any(
            word[start:end] in self.known
            for start in range(len(word) - MIN_COMPOUND_PART + 1)
            for end in range(start + MIN_COMPOUND_PART, len(word) + 1)
        )

    def _is_typo(self, word: str) -> bool:
        candidates = [
            known
            for length in range(
                len(word) - MAX_LENGTH_DIFFERENCE, len(word) + MAX_LENGTH_DIFFERENCE + 1
            )
            for known in self._by_length.get(length, ())
        ]
        return bool(difflib.get_close_matches(word, candidates, n=1, cutoff=SIMILARITY))
