"""The fault form asks what the fault is about when the conversation did not make it clear."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, KsmAction, Reply, in_session
from bot.db import queries

ASK_CATEGORY = "Worum geht es? Bitte wählen Sie den passenden Bereich."


class ActionAskFaultCategory(KsmAction):
    def name(self) -> str:
        return "action_ask_fault_category"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        services = await in_session(
            lambda session: [
                (service.name, service.key) for service in queries.list_services(session=session)
            ]
        )
        buttons = [{"title": name, "payload": key} for name, key in services]
        Reply(ASK_CATEGORY, buttons).send(dispatcher)
        return []
