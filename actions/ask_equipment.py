"""The new-employee form asks for equipment: multiple choice, one button per item, then "Fertig"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, KsmAction, Reply
from actions.validate_new_employee_form import chosen_equipment
from bot.tickets.new_employee import Equipment

ASK_EQUIPMENT = (
    "Was braucht die neue Person? Wählen Sie nacheinander alles Nötige aus "
    "oder schreiben Sie es auf einmal (z. B. „Notebook und Diensthandy“)."
)
DONE = "Fertig"


class ActionAskEquipment(KsmAction):
    def name(self) -> str:
        return "action_ask_equipment"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        chosen = chosen_equipment(tracker)
        open_items = [item for item in Equipment if item not in chosen]
        buttons = [{"title": item.value, "payload": item.value} for item in open_items]
        if chosen:
            text = (
                f"Ausgewählt: {', '.join(item.value for item in chosen)}. "
                "Noch etwas? Sonst wählen Sie „Fertig“."
            )
            buttons.append({"title": DONE, "payload": DONE})
        else:
            text = ASK_EQUIPMENT
            buttons.append({"title": "Nichts davon", "payload": "nichts"})
        Reply(text, buttons).send(dispatcher)
        return []
