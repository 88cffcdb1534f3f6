"""Before a ticket is opened, the user sees everything it will say and confirms or corrects it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, KsmAction, Reply, in_session, latest_question
from actions.ticket_form import CONFIRMED, REQUESTED_SLOT, TicketFormValidation
from actions.validate_fault_form import ValidateFaultForm
from actions.validate_new_employee_form import ValidateNewEmployeeForm
from bot.formatting import bullet_list
from bot.tickets.confirmation import Decision, parse_confirmation

FORMS: dict[str, TicketFormValidation] = {
    "fault_form": ValidateFaultForm(),
    "new_employee_form": ValidateNewEmployeeForm(),
}
CONFIRM_BUTTONS = [
    {"title": "Ja, so absenden", "payload": "Ja"},
    {"title": "Etwas ändern", "payload": "Etwas ändern"},
    {"title": "Abbrechen", "payload": "/cancel"},
]
CANCEL_BUTTON = {"title": "Abbrechen", "payload": "/cancel"}


def previously_requested(tracker: Tracker) -> str | None:
    """What the form had asked for before the user's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == REQUESTED_SLOT:
            value = event.get("value")
            return str(value) if value else None
    return None


class ActionAskTicketConfirmed(KsmAction):
    def name(self) -> str:
        return "action_ask_ticket_confirmed"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        form = FORMS.get((tracker.active_loop or {}).get("name") or "")
        if form is None:
            return []
        if previously_requested(tracker) == CONFIRMED:
            answer = parse_confirmation(latest_question(tracker).text, form.fields)
            if answer is not None and answer.decision is Decision.CHANGE:
                asked = await _which_field(form, tracker)
                Reply("Was möchten Sie ändern?", asked).send(dispatcher)
            else:
                Reply("Soll ich das so absenden?", CONFIRM_BUTTONS).send(dispatcher)
            return []
        lines = await in_session(lambda session: form.summary(tracker, session=session))
        text = f"Bitte prüfen Sie Ihre Angaben:\n{bullet_list(lines)}\n\nSoll ich das so absenden?"
        Reply(text, CONFIRM_BUTTONS).send(dispatcher)
        return []


async def _which_field(form: TicketFormValidation, tracker: Tracker) -> list[dict[str, str]]:
    required = await form.required_slots(list(form.fields), CollectingDispatcher(), tracker, {})
    buttons = [
        {"title": field.label, "payload": f"{field.label} ändern"}
        for slot, field in form.fields.items()
        if slot in required
    ]
    return [*buttons, CANCEL_BUTTON]
