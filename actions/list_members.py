"""Which administrations belong to the KSM-Verbund."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, KsmAction, in_session, render_member_list
from bot.db import queries


class ActionListMembers(KsmAction):
    def name(self) -> str:
        return "action_list_members"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        text = await in_session(
            lambda session: render_member_list(queries.list_members(session=session))
        )
        dispatcher.utter_message(text=text)
        return []
