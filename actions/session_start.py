"""The start of a conversation.

Carry the remembered slots over, take the service desk's contact data from the database and
the member from the page, and show the privacy notice once.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import Events, in_session, log_failure
from actions.member_context import resolve_context_member
from bot.db import queries

PRIVACY_NOTICE = "utter_privacy_notice"


class ActionSessionStart(Action):
    """Never fails: a conversation must start even when the database is down."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        events: Events = [SessionStarted()]
        events.extend(
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if name != "session_started_metadata" and value is not None
        )
        metadata = tracker.get_slot("session_started_metadata") or {}
        from_page = metadata.get("member") if isinstance(metadata, dict) else None
        try:
            events.extend(
                await in_session(lambda session: _from_database(session, tracker, from_page))
            )
        except Exception as exc:  # noqa: BLE001 - keep the shipped contact data, carry on
            log_failure(self.name(), exc)
        if not tracker.get_slot("privacy_notice_shown"):
            dispatcher.utter_message(response=PRIVACY_NOTICE)
            events.append(SlotSet("privacy_notice_shown", True))
        events.append(ActionExecuted("action_listen"))
        return events


def _from_database(session: Session, tracker: Tracker, from_page: Any) -> Events:
    events: Events = []
    desk = queries.service_desk(session=session, opening_hours=False)
    if desk is not None:
        for slot, value in (
            ("desk_phone", desk.phone),
            ("desk_email", desk.email),
            ("desk_portal", desk.portal_url),
        ):
            if value:
                events.append(SlotSet(slot, value))
    if tracker.get_slot("member") is None:
        member = resolve_context_member(None, from_page, session=session)
        if member is not None:
            events.append(SlotSet("member", member.key))
    return events
