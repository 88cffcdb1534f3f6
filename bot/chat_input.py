"""What the chat channels accept before a message reaches the NLU.

A message is text of at most ``MAX_MESSAGE_LENGTH`` characters, from a conversation id of a
safe shape, with metadata that is a small JSON object, at a rate a person types. Text is
cleaned of characters that no person types on purpose (control and bidi-override
characters, lone surrogates, which no database encoding accepts) and normalised to NFC.
What fails a check is answered with a German hint (``Refusal``), never passed on: Rasa would
otherwise crash on some of it (a NUL in the sender id reaches PostgreSQL) and spend its NLU
on the rest.

Nothing here imports Rasa; ``rasa_server.channels`` applies it to the REST and Socket.IO
channels.
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot import limits

_SENDER = re.compile(rf"^[A-Za-z0-9._:@+-]{{1,{limits.MAX_SENDER_ID_LENGTH}}}$")
_KEPT_CONTROLS = frozenset("\n\t")
_DROPPED_FORMATS = frozenset(
    "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
"""Zero-width space, direction marks and overrides, byte-order mark: invisible characters that
make a text read differently from what it says. The zero-width joiner stays (emoji use it)."""

TOO_LONG = (
    "Ihre Nachricht ist zu lang: Ich kann höchstens {limit} Zeichen auf einmal lesen, Ihre "
    "hatte {length}. Bitte schildern Sie Ihr Anliegen kürzer oder in mehreren Nachrichten."
)
EMPTY = (
    "Ihre Nachricht war leer. Schreiben Sie mir einfach, wobei ich helfen kann – zum Beispiel "
    "„Der Drucker druckt nicht“ oder „Wie erreiche ich den Servicedesk?“."
)
NOT_TEXT = "Ich kann nur Textnachrichten lesen. Bitte schreiben Sie mir Ihr Anliegen."
TOO_FAST = (
    "Sie schreiben schneller, als ich antworten kann. Bitte warten Sie einen Moment und senden "
    "Sie Ihre Nachricht dann noch einmal."
)
BAD_SENDER = (
    "Die Nachricht braucht eine gültige Gesprächskennung: 1 bis {limit} Zeichen aus "
    "Buchstaben, Ziffern und . _ : @ + -."
)


@dataclass(frozen=True)
class Refusal:
    """Why a message is not passed on.

    ``reason`` is a log-safe keyword, ``status`` the HTTP status for the REST channel and
    ``text`` the German answer the user reads.
    """

    reason: str
    status: int
    text: str
    retry_after: int | None = None


def clean_text(text: str) -> str:
    """``text`` in NFC without control, bidi-override or unpaired surrogate characters.

    Line breaks become a single newline; tabs and line breaks are the only control characters kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs" or char in _DROPPED_FORMATS:
            continue
        if category == "Cc" and char not in _KEPT_CONTROLS:
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def plain_text(text: str) -> str:
    """``text`` cleaned, with ``<`` and ``>`` replaced by look-alike quotation marks.

    For what the project stores for others to show (tickets, notes): no HTML, Markdown-HTML
    or e-mail client can take the result for markup, whatever it does or forgets to escape,
    and an agent still reads what the user wrote.
    """
    return clean_text(text).replace("<", "\u2039").replace(">", "\u203a")


def sender_id(value: object) -> str | None:
    """The conversation id in ``value``, or ``None`` when it has an unsafe type or shape."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and _SENDER.match(value):
        return value
    return None


def metadata(value: object) -> dict[str, Any] | None:
    """``value`` if it is a JSON object of at most ``MAX_METADATA_BYTES``, else ``None``.

    A JSON string holding an object counts as that object (the Socket.IO channel allows it).
    """
    if isinstance(value, str) and len(value) <= limits.MAX_METADATA_BYTES:
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, dict):
        return None
    try:
        size = len(json.dumps(value, ensure_ascii=False).encode())
    except (TypeError, ValueError):
        return None
    return value if size <= limits.MAX_METADATA_BYTES else None


def check_text(value: object) -> tuple[str, Refusal | None]:
    """The cleaned message text, and the refusal if it cannot be passed on."""
    if not isinstance(value, str):
        return "", Refusal("not_text", 400, NOT_TEXT)
    if len(value) > 4 * limits.MAX_MESSAGE_LENGTH:  # not worth cleaning
        return "", _too_long(len(value))
    text = clean_text(value).strip()
    if not text:
        return "", Refusal("empty", 200, EMPTY)
    if len(text) > limits.MAX_MESSAGE_LENGTH:
        return "", _too_long(len(text))
    return text, None


def bad_sender() -> Refusal:
    return Refusal("bad_sender", 400, BAD_SENDER.format(limit=limits.MAX_SENDER_ID_LENGTH))


def _too_long(length: int) -> Refusal:
    return Refusal("too_long", 413, TOO_LONG.format(limit=limits.MAX_MESSAGE_LENGTH, length=length))


class RateLimiter:
    """A token bucket per conversation.

    A conversation may send ``burst`` messages at once, then one per ``refill`` seconds.
    It lives in the Rasa server process: behind several servers each counts its own share,
    and nginx limits each client address in front of all of them (docs/BETRIEB.md). Only the
    ``max_conversations`` most recently seen conversations are remembered.
    """

    def __init__(
        self,
        *,
        burst: int = limits.MESSAGE_BURST,
        refill: float = limits.MESSAGE_REFILL_SECONDS,
        max_conversations: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.refill = refill
        self.max_conversations = max_conversations
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def check(self, conversation: str) -> Refusal | None:
        """Take one message's token for ``conversation``; a refusal when none is left."""
        now = self._clock()
        tokens, since = self._buckets.pop(conversation, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) / self.refill)
        refusal = None
        if tokens >= 1:
            tokens -= 1
        else:
            wait = math.ceil((1 - tokens) * self.refill)
            refusal = Refusal("too_fast", 429, TOO_FAST, retry_after=wait)
        self._buckets[conversation] = (tokens, now)
        while len(self._buckets) > self.max_conversations:
            self._buckets.popitem(last=False)
        return refusal

    def check_message(self, conversation: str, value: object) -> tuple[str, Refusal | None]:
        """``check_text`` of ``value``, after taking the conversation's token.

        A refused message counts too, so a flood of empty or oversized ones is slowed down
        like any other.
        """
        too_fast = self.check(conversation)
        text, refusal = check_text(value)
        return text, too_fast or refusal
