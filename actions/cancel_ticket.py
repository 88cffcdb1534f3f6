"""The user cancels a form ("abbrechen"): nothing was written, and the answers are forgotten."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, KsmAction
from actions.ticket_form import reset_ticket_slots


class ActionCancelTicket(KsmAction):
    def name(self) -> str:
        return "action_cancel_ticket"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        dispatcher.utter_message(response="utter_ticket_cancelled")
        return reset_ticket_slots()
