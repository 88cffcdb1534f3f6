"""The request for a new colleague (Antrag): name, member, unit, start date, equipment.

Equipment is multiple choice: each button adds one item and the assistant asks again with
"Fertig"; a typed answer may name several at once ("Notebook und Diensthandy"). Access to
Fachverfahren asks which ones. A start date within the lead time is accepted with a clear
warning (PRODUCT.md, section 3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.ticket_form import TicketFormValidation, clean_text, member_name
from bot import clock
from bot.dates import parse_german_date
from bot.formatting import german_date
from bot.tickets.confirmation import NEW_EMPLOYEE_FIELDS
from bot.tickets.contact import parse_name
from bot.tickets.new_employee import Equipment, latest_request_day, lead_time_kept, parse_equipment

MAX_DAYS_AHEAD = 366
NO_EQUIPMENT = "keine"
MIN_ORG_UNIT_LENGTH = 2
MAX_ORG_UNIT_LENGTH = 120


def chosen_equipment(tracker: Tracker) -> list[Equipment]:
    chosen = tracker.get_slot("equipment_choice") or []
    return [item for item in Equipment if item.value in chosen]


class ValidateNewEmployeeForm(TicketFormValidation):
    fields = NEW_EMPLOYEE_FIELDS

    def name(self) -> str:
        return "validate_new_employee_form"

    def skipped_slots(self, tracker: Tracker) -> list[str]:
        equipment = tracker.get_slot("equipment") or ""
        return [] if Equipment.FACHVERFAHREN.value in equipment else ["fachverfahren_access"]

    def is_understood(self, slot: str, text: str, tracker: Tracker) -> bool:
        if slot == "start_date":
            return parse_german_date(text, today=clock.today()) is not None
        if slot == "equipment":
            return parse_equipment(text).understood
        if slot == "employee_name":
            return parse_name(text) is not None
        return super().is_understood(slot, text, tracker)

    async def validate_employee_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = parse_name(str(value))
        if name is None or " " not in name:
            dispatcher.utter_message(response="utter_invalid_employee_name")
            return {"employee_name": None}
        return {"employee_name": name}

    async def validate_org_unit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        unit = clean_text(str(value), MAX_ORG_UNIT_LENGTH + 1)
        if not MIN_ORG_UNIT_LENGTH <= len(unit) <= MAX_ORG_UNIT_LENGTH:
            dispatcher.utter_message(response="utter_invalid_org_unit")
            return {"org_unit": None}
        return {"org_unit": unit}

    async def validate_start_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        today = clock.today()
        start = parse_german_date(str(value), today=today)
        if start is None:
            dispatcher.utter_message(response="utter_invalid_start_date")
            return {"start_date": None}
        if not today <= start <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
            dispatcher.utter_message(
                response="utter_start_date_out_of_range", start_date=german_date(start)
            )
            return {"start_date": None}
        if not lead_time_kept(start, today=today):
            dispatcher.utter_message(
                response="utter_lead_time_missed",
                start_date=german_date(start),
                latest_day=german_date(latest_request_day(start)),
            )
        return {"start_date": start.isoformat()}

    async def validate_equipment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Adds what the answer names; "Fertig" (or "nichts") completes the choice."""
        answer = parse_equipment(str(value))
        chosen = chosen_equipment(tracker)
        if not answer.understood:
            dispatcher.utter_message(response="utter_invalid_equipment")
            return {"equipment": None}
        if answer.nothing:
            return {"equipment": NO_EQUIPMENT, "equipment_choice": []}
        chosen += [item for item in answer.items if item not in chosen]
        chosen.sort(key=list(Equipment).index)
        names = [item.value for item in chosen]
        if answer.done:
            return {"equipment": ", ".join(names) or NO_EQUIPMENT, "equipment_choice": names}
        return {"equipment": None, "equipment_choice": names}

    async def validate_fachverfahren_access(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        which = clean_text(str(value), 500)
        if len(which) < MIN_ORG_UNIT_LENGTH:
            dispatcher.utter_message(response="utter_ask_fachverfahren_access")
            return {"fachverfahren_access": None}
        return {"fachverfahren_access": which}

    def summary_lines(self, tracker: Tracker, *, session: Session) -> list[str]:
        start = tracker.get_slot("start_date")
        lines = [
            f"Name: {tracker.get_slot('employee_name')}",
            f"Verwaltung: {member_name(tracker.get_slot('member'), session=session) or '–'}",
            f"Organisationseinheit: {tracker.get_slot('org_unit')}",
            f"Arbeitsbeginn: {german_date(dt.date.fromisoformat(start)) if start else '–'}",
            f"Ausstattung: {tracker.get_slot('equipment') or '–'}",
        ]
        if tracker.get_slot("fachverfahren_access"):
            lines.append(f"Fachverfahren: {tracker.get_slot('fachverfahren_access')}")
        return lines
