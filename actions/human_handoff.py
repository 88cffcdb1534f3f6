"""The user wants a person: how to reach one now, or when."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import Events, KsmAction, in_session
from actions.contact_servicedesk import NO_DESK, render_contact
from bot import clock
from bot.db import queries


class ActionHumanHandoff(KsmAction):
    def name(self) -> str:
        return "action_human_handoff"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        def work(session: Session) -> str:
            desk = queries.service_desk(session=session)
            if desk is None:
                return NO_DESK
            return (
                "Ich kann Sie nicht direkt weiterverbinden, aber die Kolleginnen und Kollegen "
                "vom Servicedesk helfen Ihnen gern persönlich.\n"
                + render_contact(desk, clock.now())
            )

        dispatcher.utter_message(text=await in_session(work))
        return []
