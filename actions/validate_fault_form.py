"""The fault report (Störung): description, member, category, impact, urgency, contact.

The category follows from the conversation: a service named in the first message or in the
description ("Drucker" → ``drucker``); it is asked only when unclear. A report that suggests
phishing or another security incident is ``sicherheit`` and gets immediate advice.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import in_session, latest_question
from actions.ticket_form import TicketFormValidation, clean_text, member_name
from bot.db import queries
from bot.tickets.confirmation import FAULT_FIELDS
from bot.tickets.fault import (
    IMPACT_CHOICES,
    URGENCY_CHOICES,
    describes_fault,
    looks_like_phishing,
    parse_impact,
    parse_urgency,
)
from bot.tickets.priority import SECURITY_CATEGORY, Impact, Urgency

MIN_DESCRIPTION_LENGTH = 10


async def category_of(text: str, named_service: str | None) -> str | None:
    """The catalogue key the report is about, if the words make it clear."""
    if looks_like_phishing(text):
        return SECURITY_CATEGORY

    def work(session: Session) -> str | None:
        for candidate in (named_service, text):
            if candidate:
                service = queries.find_service(candidate[:200], session=session)
                if service is not None:
                    return str(service.key)
        return None

    return await in_session(work)


class ValidateFaultForm(TicketFormValidation):
    fields = FAULT_FIELDS

    def name(self) -> str:
        return "validate_fault_form"

    def is_understood(self, slot: str, text: str, tracker: Tracker) -> bool:
        if slot == "fault_impact":
            return parse_impact(text) is not None
        if slot == "fault_urgency":
            return parse_urgency(text) is not None
        if slot == "fault_category":
            return latest_question(tracker).entity("service") is not None
        return super().is_understood(slot, text, tracker)

    def is_side_step(self, tracker: Tracker) -> bool:
        """A description is taken as said, unless the user cancels.

        Descriptions often read like how-to questions ("Outlook zeigt keine Mails"), and the
        user has just been asked to describe the fault.
        """
        if tracker.get_slot("requested_slot") == "fault_description":
            intent = (tracker.latest_message or {}).get("intent") or {}
            return intent.get("name") == "cancel"
        return super().is_side_step(tracker)

    async def prefill(self, tracker: Tracker, text: str) -> dict[str, Any]:
        values = await super().prefill(tracker, text)
        service = latest_question(tracker).entity("service")
        if text.startswith("/"):
            return values
        if describes_fault(text):
            values["fault_description"] = text
        category = await category_of(text, service)
        if category:
            values["fault_category"] = category
        return values

    async def take_answer(self, slot: str, text: str, tracker: Tracker) -> dict[str, Any]:
        if slot == "fault_category":
            return {slot: latest_question(tracker).entity("service") or text}
        return await super().take_answer(slot, text, tracker)

    async def validate_fault_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        description = clean_text(str(value))
        if len(description) < MIN_DESCRIPTION_LENGTH or not describes_fault(description):
            dispatcher.utter_message(response="utter_invalid_fault_description")
            return {"fault_description": None}
        values: dict[str, Any] = {"fault_description": description}
        if not tracker.get_slot("fault_category"):
            category = await category_of(description, None)
            if category:
                values.update(
                    await self.validate_fault_category(category, dispatcher, tracker, domain)
                )
        return values

    async def validate_fault_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value)[:200]

        def work(session: Session) -> str | None:
            service = queries.service_by_key(text, session=session) or queries.find_service(
                text, session=session
            )
            return str(service.key) if service else None

        key = SECURITY_CATEGORY if looks_like_phishing(text) else await in_session(work)
        if key is None:
            dispatcher.utter_message(response="utter_invalid_fault_category")
            return {"fault_category": None}
        values: dict[str, Any] = {"fault_category": key}
        if key == SECURITY_CATEGORY and not tracker.get_slot("security_advice_given"):
            dispatcher.utter_message(response="utter_security_incident_advice")
            values["security_advice_given"] = True
        return values

    async def validate_fault_impact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        impact = parse_impact(str(value))
        if impact is None:
            dispatcher.utter_message(response="utter_invalid_fault_impact")
        return {"fault_impact": None if impact is None else int(impact)}

    async def validate_fault_urgency(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        urgency = parse_urgency(str(value))
        if urgency is None:
            dispatcher.utter_message(response="utter_invalid_fault_urgency")
        return {"fault_urgency": None if urgency is None else int(urgency)}

    def summary_lines(self, tracker: Tracker, *, session: Session) -> list[str]:
        impact, urgency = tracker.get_slot("fault_impact"), tracker.get_slot("fault_urgency")
        category = tracker.get_slot("fault_category")
        service = queries.service_by_key(category, session=session) if category else None
        return [
            f"Beschreibung: {tracker.get_slot('fault_description')}",
            f"Verwaltung: {member_name(tracker.get_slot('member'), session=session) or '–'}",
            f"Bereich: {service.name if service else '–'}",
            f"Betroffen: {IMPACT_CHOICES[Impact(int(impact))] if impact else '–'}",
            f"Dringlichkeit: {URGENCY_CHOICES[Urgency(int(urgency))] if urgency else '–'}",
        ]
