"""User turns read from Rasa's tracker store (the ``events`` table of ``SQLTrackerStore``).

Rasa creates and writes the table; this module only reads it, so it describes the table with
its own ``MetaData``, apart from the migrations of the member database. Each row is one
event with its JSON in ``data``. What the review needs of a conversation is each user
message with the intent ranking the NLU gave it, whether a ticket form was waiting for an
answer at the time, whether the dialogue fell back afterwards, and the personal names that
were given in it (to mask them).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, inspect, select
from sqlalchemy.orm import Session

tracker_metadata = MetaData()
events = Table(
    "events",
    tracker_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "action_suggest_intents"})
PERSONAL_SLOTS = frozenset({"employee_name", "contact_name", "contact_reach"})
"""Slots the ticket forms fill with names and ways to reach someone."""
_READ_TYPES = ("user", "action", "slot", "active_loop")


@dataclass
class UserTurn:
    text: str
    at: dt.datetime
    intent: str | None
    confidence: float
    ranking: tuple[tuple[str, float], ...]
    """The intents the NLU considered, most likely first (``nlu_fallback`` included)."""
    faq_topic: str | None = None
    """The topic the ResponseSelector chose (``faq/printer``), whatever the intent."""
    in_form: bool = False
    """A ticket form was waiting for this answer, so the text is form input, not a question."""
    fell_back: bool = False
    """The assistant did not know what to do with it (NLU or dialogue fallback)."""

    @property
    def suggested_intent(self) -> str | None:
        """The most likely intent other than the fallback: what the NLU would have said."""
        for name, _ in self.ranking:
            if name != FALLBACK_INTENT:
                return name
        return None if self.intent == FALLBACK_INTENT else self.intent

    @property
    def topic(self) -> str | None:
        """What the message asked about: the FAQ topic for the FAQ intent, else the intent."""
        if self.intent and self.faq_topic and self.faq_topic.startswith(f"{self.intent}/"):
            return self.faq_topic
        return self.intent


@dataclass
class Conversation:
    sender_id: str
    turns: list[UserTurn] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    """Personal names and contact details given in the conversation, to be masked."""


def has_tracker_store(session: Session) -> bool:
    """Whether Rasa has created its table yet (it does so at its first start)."""
    return bool(inspect(session.connection()).has_table("events"))


def read_conversations(since: dt.datetime, *, session: Session) -> list[Conversation]:
    """The conversations with events since ``since``, each with its user turns in order."""
    query = (
        select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.timestamp >= since.timestamp(), events.c.type_name.in_(_READ_TYPES))
        .order_by(events.c.sender_id, events.c.id)
        .execution_options(yield_per=500)
    )
    conversations: dict[str, _Reader] = {}
    for sender_id, type_name, timestamp, data in session.execute(query):
        reader = conversations.get(sender_id)
        if reader is None:
            reader = conversations[sender_id] = _Reader(Conversation(sender_id))
        reader.read(type_name, timestamp, event_data(data))
    return [reader.conversation for reader in conversations.values()]


class _Reader:
    """Follows one conversation's events: form state, fallbacks, names."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self.active_form: str | None = None
        self.requested_slot: str | None = None

    def read(self, type_name: str, timestamp: float | None, data: dict[str, Any]) -> None:
        if type_name == "user":
            self._user(timestamp, data)
        elif type_name == "action":
            if data.get("name") in FALLBACK_ACTIONS and self.conversation.turns:
                self.conversation.turns[-1].fell_back = True
        elif type_name == "active_loop":
            self.active_form = data.get("name") or None
            if self.active_form is None:
                self.requested_slot = None
        elif type_name == "slot":
            self._slot(data.get("name"), data.get("value"))

    def _slot(self, name: object, value: object) -> None:
        if name == "requested_slot":
            self.requested_slot = value if isinstance(value, str) else None
        elif name in PERSONAL_SLOTS and isinstance(value, str) and value.strip():
            self.conversation.names.add(value.strip())
        elif name == "session_started_metadata" and isinstance(value, dict):
            self._identity_name(value)

    def _user(self, timestamp: float | None, data: dict[str, Any]) -> None:
        text = str(data.get("text") or "")
        if not text:
            return
        parse = data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        ranking = tuple(
            (str(entry["name"]), float(entry.get("confidence") or 0.0))
            for entry in parse.get("intent_ranking") or []
            if isinstance(entry, dict) and entry.get("name")
        )
        self._identity_name(data.get("metadata") or {})
        self.conversation.turns.append(
            UserTurn(
                text=text,
                at=dt.datetime.fromtimestamp(timestamp or 0.0, dt.timezone.utc),
                intent=intent.get("name"),
                confidence=float(intent.get("confidence") or 0.0),
                ranking=ranking,
                faq_topic=_faq_topic(parse),
                in_form=self.active_form is not None and self.requested_slot is not None,
                fell_back=intent.get("name") == FALLBACK_INTENT,
            )
        )

    def _identity_name(self, metadata: object) -> None:
        """The ``name`` claim of the intranet's user token, read only to mask it.

        The signature is not checked: a forged name is masked just the same, and the token
        is trusted for nothing else here.
        """
        token = metadata.get("user_token") if isinstance(metadata, dict) else None
        if not isinstance(token, str) or token.count(".") != 2:
            return
        try:
            payload = token.split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            return
        name = claims.get("name") if isinstance(claims, dict) else None
        if isinstance(name, str) and name.strip():
            self.conversation.names.add(name.strip())


def _faq_topic(parse: dict[str, Any]) -> str | None:
    """The topic the ResponseSelector chose for the retrieval intent (``faq/printer``).

    It chooses one even when the intent is another: a selector trained on all retrieval
    intents reports under ``default``, one trained on a single one under its name.
    """
    selector = parse.get("response_selector") or {}
    for selected in selector.values():
        if isinstance(selected, dict):
            key = (selected.get("response") or {}).get("intent_response_key")
            if isinstance(key, str) and "/" in key:
                return key
    return None


def event_data(data: str | None) -> dict[str, Any]:
    """The ``data`` column of a tracker-store event as a dict; ``{}`` when it is not one."""
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def user_turns(conversations: list[Conversation]) -> Iterator[tuple[Conversation, UserTurn]]:
    for conversation in conversations:
        for turn in conversation.turns:
            yield conversation, turn
