"""Text for property tests: anything a user, a client or an attacker could send.

``user_text`` mixes arbitrary unicode (control characters included, surrogates excluded as
no JSON message can carry them) with German-looking words, digits and punctuation, so that
Hypothesis reaches the parsers' patterns as well as their edges. ``hostile_examples`` adds
the inputs every parser must survive on every run: NUL, control and invisible characters,
emoji and 10,000 characters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import example
from hypothesis import strategies as st

F = TypeVar("F", bound=Callable[..., Any])

HOSTILE_TEXTS = (
    "",
    " ",
    "\x00",
    "Anna\x00Schmidt 0385\x00123456",
    "\t\r\n\x0b\x0c\x1b[31m\x7f\x85",
    "\u202e\u200b\ufeff\u2028",
    "🙂👩‍💻🇩🇪",
    "x" * 10_000,
    "1." * 5_000,
    "ä" * 10_000,
    "a@" * 5_000,
    "KSM-2026-" * 1_000,
)
"""Inputs that once broke parsers somewhere, kept as explicit examples."""

_WORDS = st.sampled_from(
    (
        "ich", "bin", "am", "ab", "dem", "nächsten", "Montag", "Ticket", "KSM", "Nr.", "Tel.",
        "Telefon", "E-Mail", "Frau", "Herr", "Dr.", "Anna", "Schmidt", "Müller-Lüdenscheidt",
        "Grabow", "Amt", "Stadt", "Parchimer", "Umland", "Drucker", "geht", "nicht", "ganze",
        "Verwaltung", "dringend", "warten", "Phishing", "ja", "nein", "ändern", "Notebook",
        "Diensthandy", "fertig", "2026", "0385", "123456", "1.3.", "17", "@", "-", "/", ",",
        "ß", "Straße", "Noël", "ue", "oe", "ae", "\x00", "🙂",
    )
)  # fmt: skip

user_text = st.one_of(
    st.text(),
    st.text(st.characters(max_codepoint=0x17F), max_size=200),
    st.lists(_WORDS, max_size=12).map(" ".join),
)
"""Anything typed, pasted or sent by a client."""


def hostile_examples(into: str = "text", **others: Any) -> Callable[[F], F]:
    """Run the test on each of ``HOSTILE_TEXTS`` as argument ``into``, with ``others`` as the rest."""

    def add_examples(test: F) -> F:
        for text in HOSTILE_TEXTS:
            test = example(**{into: text}, **others)(test)
        return test

    return add_examples
