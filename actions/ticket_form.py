"""What the two ticket forms (Störung, Antrag) share: forgiving answers, member, contact, summary.

Every answer is read by a parser from ``bot.tickets`` first, whatever intent the NLU gave it,
so a button title or "nur ich" always counts. Only when the parser cannot place the answer and
the NLU is sure it is a side question ("Wie ist die Hotline?") or "abbrechen", the form takes
nothing from the message: Rasa then rejects the form, a rule answers the side question (or
cancels) and the form asks again. Anything else is kept for validation, which explains what
is wrong and asks again. Nothing is written to the database before the user confirms.
"""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import (
    TECHNICAL_PROBLEM,
    in_session,
    latest_question,
    log_failure,
    member_label,
    message_metadata,
    reporter_identity,
)
from actions.member_context import resolve_context_member
from bot.db import queries
from bot.tickets.confirmation import Decision, Field, parse_confirmation
from bot.tickets.contact import find_reach, parse_contact, parse_name

REQUESTED_SLOT = "requested_slot"
CONFIRMED = "ticket_confirmed"
CONTACT_SLOTS = ("contact_name", "contact_reach")

SIDE_QUESTION_INTENTS = frozenset(
    {
        "faq",
        "contact_servicedesk",
        "customer_team",
        "help",
        "bot_challenge",
        "privacy",
        "human_handoff",
    }
)
"""Questions answered in the middle of a form (see data/rules/ticket_forms.yml)."""
SIDE_QUESTION_CONFIDENCE = 0.7
CANCEL_INTENT = "cancel"
MAX_TEXT_LENGTH = 2000
"""Longer answers are cut; a ticket field is not a document store."""

TICKET_SLOTS = (
    "fault_description",
    "fault_category",
    "fault_impact",
    "fault_urgency",
    "employee_name",
    "org_unit",
    "start_date",
    "equipment",
    "equipment_choice",
    "fachverfahren_access",
    "security_advice_given",
    *CONTACT_SLOTS,
    CONFIRMED,
)
"""What the forms fill; emptied when a ticket is opened or the form is cancelled."""


def clean_text(text: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """The user's text without control characters, whitespace collapsed, at most ``limit``."""
    printable = "".join(
        char if unicodedata.category(char)[0] != "C" else " " for char in text[: limit * 2]
    )
    return " ".join(printable.split())[:limit]


def reset_ticket_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in TICKET_SLOTS]


class TicketFormValidation(FormValidationAction, ABC):
    """Base of ``validate_fault_form`` and ``validate_new_employee_form``. Abstract."""

    fields: Mapping[str, Field]
    """The form's fields, as the user can name them when changing one before confirming."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            return await super().run(dispatcher, tracker, domain)
        except Exception as exc:  # noqa: BLE001 - the user must always get an answer
            log_failure(self.name(), exc)
            dispatcher.utter_message(response=TECHNICAL_PROBLEM)
            return []

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        skip = set(self.skipped_slots(tracker))
        if reporter_identity(tracker) is not None:
            skip.update(CONTACT_SLOTS)
        return [slot for slot in domain_slots if slot not in skip]

    def skipped_slots(self, tracker: Tracker) -> list[str]:
        """Slots this conversation does not need (e.g. Fachverfahren when none were chosen)."""
        return []

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Slots from the latest message: what the form asked for, or what it already knows."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        text = clean_text(latest_question(tracker).text)
        if requested is None:
            values = await self.prefill(tracker, text)
        elif self.is_understood(requested, text, tracker) or not self.is_side_step(tracker):
            values = await self.take_answer(requested, text, tracker)
        else:
            values = {}
        return [SlotSet(slot, value) for slot, value in values.items()]

    def is_side_step(self, tracker: Tracker) -> bool:
        """Whether the message is "abbrechen" or a side question rather than an answer."""
        intent = (tracker.latest_message or {}).get("intent") or {}
        name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
        if name == CANCEL_INTENT:
            return True
        return name in SIDE_QUESTION_INTENTS and confidence >= SIDE_QUESTION_CONFIDENCE

    def is_understood(self, slot: str, text: str, tracker: Tracker) -> bool:
        """Whether a parser reads ``text`` as an answer for ``slot`` (whatever the intent)."""
        if slot == CONFIRMED:
            return parse_confirmation(text, self.fields) is not None
        if slot == "contact_reach":
            return find_reach(text) is not None
        if slot == "member":
            return latest_question(tracker).entity("member") is not None
        return False

    async def prefill(self, tracker: Tracker, text: str) -> dict[str, Any]:
        """What the form knows when it starts: the member from the token or the page."""
        if tracker.get_slot("member"):
            return {}
        identity = reporter_identity(tracker)
        from_token = identity.member if identity else None
        from_page = message_metadata(tracker).get("member")

        def work(session: Session) -> str | None:
            member = resolve_context_member(from_token, from_page, session=session)
            return member.key if member else None

        key = await in_session(work)
        return {"member": key} if key else {}

    async def take_answer(self, slot: str, text: str, tracker: Tracker) -> dict[str, Any]:
        """The raw answer for ``slot``; ``validate_<slot>`` decides whether it is valid."""
        if slot == "member":
            return {"member": latest_question(tracker).entity("member") or text}
        if slot == "contact_name":
            contact = parse_contact(text)
            if contact.reach and contact.name:
                return {"contact_name": contact.name, "contact_reach": contact.reach}
        return {slot: text}

    async def validate_member(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        def work(session: Session) -> str | None:
            named = str(value)[:200]
            member = queries.member_by_key(named, session=session) or queries.find_member(
                named, session=session
            )
            return member.key if member else None

        key = await in_session(work)
        if key is None:
            dispatcher.utter_message(response="utter_invalid_member")
        return {"member": key}

    async def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = parse_name(str(value))
        if name is None:
            dispatcher.utter_message(response="utter_invalid_contact_name")
        return {"contact_name": name}

    async def validate_contact_reach(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reach = find_reach(str(value))
        if reach is None:
            dispatcher.utter_message(response="utter_invalid_contact_reach")
        return {"contact_reach": reach}

    async def validate_ticket_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes opens the ticket; a named field is emptied, so the form asks for it again."""
        answer = parse_confirmation(str(value), self.fields)
        if answer is not None and answer.decision is Decision.CONFIRM:
            return {CONFIRMED: True}
        if answer is not None and answer.slot is not None:
            cleared: dict[str, Any] = {CONFIRMED: None, answer.slot: None}
            if answer.slot == "equipment":
                cleared["equipment_choice"] = None
            return cleared
        return {CONFIRMED: None}

    @abstractmethod
    def summary_lines(self, tracker: Tracker, *, session: Session) -> list[str]:
        """The form's own answers as "Label: value" lines for the summary."""

    def summary(self, tracker: Tracker, *, session: Session) -> list[str]:
        """Everything the ticket will say, as the user confirms it."""
        lines = self.summary_lines(tracker, session=session)
        identity = reporter_identity(tracker)
        if identity is not None:
            lines.append(f"Gemeldet von: {identity.name or identity.sub} (angemeldet)")
        else:
            lines.append(f"Ihr Name: {tracker.get_slot('contact_name') or '–'}")
            lines.append(f"Telefon oder E-Mail: {tracker.get_slot('contact_reach') or '–'}")
        return lines


def member_name(key: Any, *, session: Session) -> str | None:
    if not isinstance(key, str):
        return None
    member = queries.member_by_key(key, session=session)
    return member_label(member) if member else None
