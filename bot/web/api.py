"""The JSON API under ``/api``: the helpdesk's operations for other tools of the service desk.

Every operation needs an API token (``Authorization: Bearer …``); without one it answers 401
and shows nothing. FastAPI documents the operations at ``/api/openapi.json``, including every
status code they answer with, so that the document can be checked against the app
(``tests/bot/web/test_api_schema.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.exceptions import HTTPException, RequestValidationError
from pydantic import BaseModel, Field, constr

from bot.db.models import Ticket, TicketEvent, TicketEventKind, TicketKind, TicketStatus
from bot.tickets import desk
from bot.tickets.priority import priority_label
from bot.web import accounts
from bot.web.auth import AgentIdentity, api_agent, now, transaction


class ApiModel(BaseModel):
    """A model whose optional fields are declared ``nullable`` in the OpenAPI 3.0 document."""

    class Config:  # noqa: D106 - pydantic's configuration
        @staticmethod
        def schema_extra(schema: dict[str, Any], model: type[BaseModel]) -> None:
            if schema.get("description") == ApiModel.__doc__:  # inherited, says nothing
                del schema["description"]
            for field in model.__fields__.values():
                declared = schema.get("properties", {}).get(field.alias)
                if field.allow_none and declared is not None:
                    declared["nullable"] = True


class Problem(ApiModel):
    detail: str = Field(..., description="Was nicht stimmt, auf Deutsch")


class AgentOut(ApiModel):
    name: str = Field(..., description="Anmeldename")
    display_name: str


class TicketSummary(ApiModel):
    number: str = Field(..., example="KSM-2026-00042")
    kind: TicketKind
    status: TicketStatus
    category: str = Field(..., description="Schlüssel aus dem Dienstkatalog, z. B. drucker")
    priority: int = Field(..., ge=1, le=4, description="1 (kritisch) bis 4 (niedrig)")
    priority_label: str = Field(..., example="2 (hoch)")
    title: str
    member: str | None = Field(None, description="Schlüssel der Verwaltung")
    member_name: str | None = None
    assignee: str | None = Field(None, description="Anmeldename der Bearbeitung")
    created_at: dt.datetime
    updated_at: dt.datetime


class TicketEventOut(ApiModel):
    at: dt.datetime
    actor: str
    kind: TicketEventKind
    old_value: str | None = None
    new_value: str | None = None
    text: str | None = None


class TicketDetail(TicketSummary):
    description: str
    details: str | None = None
    impact: int | None = None
    urgency: int | None = None
    reporter_name: str | None = None
    reporter_contact: str | None = None
    excerpt: str | None = Field(None, description="Auszug aus dem Gespräch mit dem Assistenten")
    events: list[TicketEventOut] = Field(..., description="Verlauf, älteste zuerst")


class TicketList(ApiModel):
    total: int = Field(..., description="Treffer insgesamt, unabhängig von limit und offset")
    items: list[TicketSummary]


class StatusChange(ApiModel):
    status: TicketStatus


AGENT_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,63}$"


class Assignment(ApiModel):
    agent: constr(regex=AGENT_NAME_PATTERN) | None = Field(  # type: ignore[valid-type]
        ..., description="Anmeldename der Bearbeitung; null hebt die Zuweisung auf"
    )


class NoteIn(ApiModel):
    text: constr(strip_whitespace=True, min_length=1, max_length=desk.MAX_NOTE_LENGTH)  # type: ignore[valid-type]
    public: bool = Field(
        False, description="true: auch für die meldende Person sichtbar; false: nur intern"
    )


UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Kein oder kein gültiges API-Token"}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Ticket nicht gefunden"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "Ungültige Eingabe"},
}

router = APIRouter(prefix="/api", tags=["Tickets"], responses=UNAUTHORIZED)

TICKET_NUMBER = Path(
    ..., pattern=r"^KSM-\d{4}-\d{5}$", description="Ticketnummer, z. B. KSM-2026-00042"
)
KEY_PATTERN = r"^[a-z0-9-]{1,64}$"


@router.get("/me", response_model=AgentOut, summary="Angemeldete Bearbeitung")
def me(agent: AgentIdentity = Depends(api_agent)) -> AgentOut:  # noqa: B008
    return AgentOut(name=agent.name, display_name=agent.display_name)


@router.get("/agents", response_model=list[AgentOut], summary="Bearbeiterinnen und Bearbeiter")
def agents(
    request: Request,
    _agent: AgentIdentity = Depends(api_agent),  # noqa: B008
) -> list[AgentOut]:
    with transaction(request) as session:
        return [
            AgentOut(name=a.name, display_name=a.display_name)
            for a in accounts.list_agents(session=session, active_only=True)
        ]


@router.get(
    "/tickets",
    response_model=TicketList,
    summary="Warteschlange",
    description="Tickets nach Filtern, dringendste zuerst, bei gleicher Priorität älteste zuerst.",
)
def tickets(
    request: Request,
    _agent: AgentIdentity = Depends(api_agent),  # noqa: B008
    member: str | None = Query(None, pattern=KEY_PATTERN, description="Schlüssel der Verwaltung"),
    category: str | None = Query(None, pattern=KEY_PATTERN, description="Kategorie"),
    priority: int | None = Query(None, ge=1, le=4),
    status_: TicketStatus | None = Query(None, alias="status"),  # noqa: B008
    q: str | None = Query(
        None, max_length=desk.MAX_SEARCH_LENGTH, description="Freitext: Nummer, Titel, Text"
    ),
    limit: int = Query(desk.QUEUE_PAGE_SIZE, ge=1, le=desk.MAX_QUEUE_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> TicketList:
    filters = desk.QueueFilter(
        member=member, category=category, priority=priority, status=status_, text=q
    )
    with transaction(request) as session:
        page = desk.queue(filters, session=session, limit=limit, offset=offset)
        return TicketList(total=page.total, items=[_summary(t) for t in page.tickets])


@router.get(
    "/tickets/{number}",
    response_model=TicketDetail,
    responses=NOT_FOUND,
    summary="Ticket mit Verlauf",
)
def ticket(
    request: Request,
    number: str = TICKET_NUMBER,
    _agent: AgentIdentity = Depends(api_agent),  # noqa: B008
) -> TicketDetail:
    with transaction(request) as session:
        return _detail(_ticket(number, session=session))


@router.post(
    "/tickets/{number}/status",
    response_model=TicketDetail,
    responses=NOT_FOUND,
    summary="Status ändern",
)
def change_status(
    request: Request,
    change: StatusChange,
    number: str = TICKET_NUMBER,
    agent: AgentIdentity = Depends(api_agent),  # noqa: B008
) -> TicketDetail:
    with transaction(request) as session:
        found = _ticket(number, session=session)
        desk.change_status(
            found, change.status, actor=agent.display_name, now=now(), session=session
        )
        return _detail(found)


@router.put(
    "/tickets/{number}/assignee",
    response_model=TicketDetail,
    responses=NOT_FOUND,
    summary="Zuweisen",
)
def assign(
    request: Request,
    assignment: Assignment,
    number: str = TICKET_NUMBER,
    agent: AgentIdentity = Depends(api_agent),  # noqa: B008
) -> TicketDetail:
    with transaction(request) as session:
        found = _ticket(number, session=session)
        target = None
        if assignment.agent is not None:
            target = accounts.agent_by_name(assignment.agent, session=session)
            if target is None or not target.is_active:
                raise RequestValidationError(
                    [
                        {
                            "loc": ("body", "agent"),
                            "msg": "Diese Bearbeitung gibt es nicht.",
                            "type": "value_error.unknown_agent",
                        }
                    ]
                )
        desk.assign(found, target, actor=agent.display_name, now=now(), session=session)
        return _detail(found)


@router.post(
    "/tickets/{number}/notes",
    response_model=TicketEventOut,
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND,
    summary="Notiz hinzufügen",
)
def add_note(
    request: Request,
    note: NoteIn,
    number: str = TICKET_NUMBER,
    agent: AgentIdentity = Depends(api_agent),  # noqa: B008
) -> TicketEventOut:
    with transaction(request) as session:
        found = _ticket(number, session=session)
        event = desk.add_note(
            found,
            note.text,
            public=note.public,
            actor=agent.display_name,
            now=now(),
            session=session,
        )
        return _event(event)


def _ticket(number: str, *, session: Any) -> Ticket:
    found = desk.ticket_by_number(number, session=session)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Ticket nicht gefunden.")
    return found


def _summary(ticket: Ticket) -> TicketSummary:
    return TicketSummary(**_summary_fields(ticket))


def _summary_fields(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "kind": ticket.kind,
        "status": ticket.status,
        "category": ticket.category,
        "priority": ticket.priority,
        "priority_label": priority_label(ticket.priority),
        "title": ticket.title,
        "member": ticket.member.key if ticket.member else None,
        "member_name": ticket.member.name if ticket.member else None,
        "assignee": ticket.assignee.name if ticket.assignee else None,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
    }


def _event(event: TicketEvent) -> TicketEventOut:
    return TicketEventOut(
        at=event.at,
        actor=event.actor,
        kind=event.kind,
        old_value=event.old_value,
        new_value=event.new_value,
        text=event.text,
    )


def _detail(ticket: Ticket) -> TicketDetail:
    return TicketDetail(
        **_summary_fields(ticket),
        description=ticket.description,
        details=ticket.details,
        impact=ticket.impact,
        urgency=ticket.urgency,
        reporter_name=ticket.reporter_name,
        reporter_contact=ticket.reporter_contact,
        excerpt=ticket.excerpt,
        events=[_event(e) for e in ticket.events],
    )
