"""Writing conversations into Rasa's tracker-store table as Rasa 3.6 does, for the review tests.

The JSON follows ``rasa.shared.core.events`` (``UserUttered.as_dict`` and friends); the
end-to-end test ``tests/e2e/test_review.py`` checks the review against the real Rasa server.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bot.review.conversations import FALLBACK_INTENT, events

FALLBACK_THRESHOLD = 0.55


@dataclass
class TrackerLog:
    session: Session
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    clock: float = 0.0

    def _add(
        self, sender: str, type_name: str, data: dict[str, Any], ago: dt.timedelta, **columns: Any
    ) -> None:
        self.clock += 0.001
        timestamp = (self.now - ago).timestamp() + self.clock
        data = {"event": type_name, "timestamp": timestamp, **data}
        self.session.execute(
            insert(events).values(
                sender_id=sender,
                type_name=type_name,
                timestamp=timestamp,
                data=json.dumps(data),
                **columns,
            )
        )

    def user(
        self,
        sender: str,
        text: str,
        intent: str,
        confidence: float = 0.97,
        *,
        others: tuple[tuple[str, float], ...] = (),
        faq: str | None = None,
        metadata: dict[str, Any] | None = None,
        ago: dt.timedelta = dt.timedelta(hours=1),
    ) -> None:
        """A user message; below the fallback threshold it becomes ``nlu_fallback``, as in Rasa."""
        ranking = [{"name": intent, "confidence": confidence}]
        ranking += [{"name": name, "confidence": value} for name, value in others]
        top = {"name": intent, "confidence": confidence}
        if confidence < FALLBACK_THRESHOLD:
            top = {"name": FALLBACK_INTENT, "confidence": FALLBACK_THRESHOLD}
            ranking.insert(0, top)
        parse_data: dict[str, Any] = {
            "text": text,
            "intent": top,
            "entities": [],
            "intent_ranking": ranking,
            "message_id": uuid.uuid4().hex,
            "metadata": metadata or {},
        }
        if faq:
            parse_data["response_selector"] = {
                "all_retrieval_intents": ["faq"],
                "default": {
                    "response": {
                        "responses": [{"text": "…"}],
                        "confidence": 0.9,
                        "intent_response_key": faq,
                        "utter_action": f"utter_{faq}",
                    },
                    "ranking": [],
                },
            }
        self._add(
            sender,
            "user",
            {
                "text": text,
                "parse_data": parse_data,
                "input_channel": "rest",
                "message_id": parse_data["message_id"],
                "metadata": metadata or {},
            },
            ago,
            intent_name=top["name"],
        )

    def action(self, sender: str, name: str, ago: dt.timedelta = dt.timedelta(hours=1)) -> None:
        self._add(
            sender,
            "action",
            {"name": name, "policy": None, "confidence": 1.0},
            ago,
            action_name=name,
        )

    def slot(
        self, sender: str, name: str, value: Any, ago: dt.timedelta = dt.timedelta(hours=1)
    ) -> None:
        self._add(sender, "slot", {"name": name, "value": value}, ago)

    def form(
        self, sender: str, name: str | None, ago: dt.timedelta = dt.timedelta(hours=1)
    ) -> None:
        self._add(sender, "active_loop", {"name": name}, ago)

    def session_start(
        self,
        sender: str,
        metadata: dict[str, Any] | None = None,
        ago: dt.timedelta = dt.timedelta(hours=1),
    ) -> None:
        """A new session as Rasa 3.6 stores it: start metadata, the action, ``session_started``."""
        if metadata:
            self.slot(sender, "session_started_metadata", metadata, ago)
        self.action(sender, "action_session_start", ago)
        self._add(sender, "session_started", {}, ago)
        self.action(sender, "action_listen", ago)

    def bot(self, sender: str, text: str, ago: dt.timedelta = dt.timedelta(hours=1)) -> None:
        self._add(sender, "bot", {"text": text, "data": {}, "metadata": {}}, ago)
