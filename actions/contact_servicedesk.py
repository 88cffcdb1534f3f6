"""How to reach the service desk, its hours, and whether it is open right now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import Events, KsmAction, in_session
from bot import clock
from bot.db import queries
from bot.db.models import Contact, OpeningHours
from bot.formatting import german_date
from bot.service_hours import DeskStatus, desk_status

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
SHORT_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
NO_DESK = "Zum Servicedesk liegen mir leider keine Kontaktdaten vor."


class ActionContactServicedesk(KsmAction):
    def name(self) -> str:
        return "action_contact_servicedesk"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        def work(session: Session) -> str:
            desk = queries.service_desk(session=session)
            return render_contact(desk, clock.now()) if desk else NO_DESK

        dispatcher.utter_message(text=await in_session(work))
        return []


def render_contact(desk: Contact, now: dt.datetime) -> str:
    lines = [f"So erreichen Sie den {desk.name}:"]
    if desk.phone:
        lines.append(f"- Telefon: {desk.phone}")
    if desk.email:
        lines.append(f"- E-Mail: {desk.email}")
    if desk.portal_url:
        lines.append(f"- Self-Service-Portal: {desk.portal_url}")
    if desk.opening_hours:
        lines.append(f"Servicezeiten: {render_hours(desk.opening_hours)}, nicht an Feiertagen.")
        lines.append(render_status(desk_status(now, desk.opening_hours), now))
    if desk.is_example:
        lines.append("(Beispieldaten)")
    return "\n".join(lines)


def render_hours(hours: list[OpeningHours]) -> str:
    """Render hours as "Mo–Do 07:00–16:00 Uhr, Fr 07:00–13:00 Uhr", joining equal days."""
    groups: list[tuple[list[int], dt.time, dt.time]] = []
    for interval in sorted(hours, key=lambda h: (h.weekday, h.opens)):
        last = groups[-1] if groups else None
        if (
            last
            and (last[1], last[2]) == (interval.opens, interval.closes)
            and (last[0][-1] == interval.weekday - 1)
        ):
            last[0].append(interval.weekday)
        else:
            groups.append(([interval.weekday], interval.opens, interval.closes))
    parts = []
    for days, opens, closes in groups:
        span = SHORT_WEEKDAYS[days[0]] + (f"–{SHORT_WEEKDAYS[days[-1]]}" if len(days) > 1 else "")
        parts.append(f"{span} {opens:%H:%M}–{closes:%H:%M} Uhr")
    return ", ".join(parts)


def render_status(status: DeskStatus, now: dt.datetime) -> str:
    if status.is_open and status.closes_at:
        return f"Der Servicedesk ist gerade besetzt (heute bis {status.closes_at:%H:%M} Uhr)."
    reason = f" (heute ist {status.holiday})" if status.holiday else ""
    if status.opens_next is None:
        return f"Der Servicedesk ist gerade nicht besetzt{reason}."
    return (
        f"Der Servicedesk ist gerade nicht besetzt{reason}; wieder erreichbar "
        f"{_when(status.opens_next, now)}."
    )


def _when(moment: dt.datetime, now: dt.datetime) -> str:
    days = (moment.date() - now.date()).days
    if days == 0:
        return f"heute ab {moment:%H:%M} Uhr"
    if days == 1:
        return f"morgen ab {moment:%H:%M} Uhr"
    weekday = WEEKDAYS[moment.weekday()]
    return f"am {weekday}, {german_date(moment.date())}, ab {moment:%H:%M} Uhr"
