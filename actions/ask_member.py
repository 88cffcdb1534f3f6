"""A form asks which administration the ticket is for, with one button per member."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, KsmAction, Reply, in_session, member_buttons
from bot.db import queries

ASK_TICKET_MEMBER = "Für welche Verwaltung ist das?"


class ActionAskMember(KsmAction):
    def name(self) -> str:
        return "action_ask_member"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        buttons = await in_session(
            lambda session: member_buttons(queries.list_members(session=session))
        )
        Reply(ASK_TICKET_MEMBER, buttons).send(dispatcher)
        return []
