"""The agents' pages under ``/helpdesk``: login, queue, ticket with history, and the forms.

Pages are server-rendered HTML without scripts, so every control is a real link, button or
form field and works by keyboard alone. Jinja escapes everything a ticket holds (users type
it); changes go through POST forms with a CSRF token and answer with a redirect.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from bot.db.models import Ticket, TicketEvent, TicketEventKind, TicketStatus
from bot.tickets import desk
from bot.tickets.priority import PRIORITY_NAMES, priority_label
from bot.web import accounts, csrf, lockout
from bot.web.auth import (
    SESSION_COOKIE,
    AgentIdentity,
    clear_session_cookie,
    current_agent,
    now,
    safe_next_path,
    set_session_cookie,
    transaction,
)

logger = logging.getLogger(__name__)

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
"""HTML templates; Starlette turns Jinja's autoescaping on."""

router = APIRouter(prefix="/helpdesk", include_in_schema=False)

SAVED_MESSAGES = {
    "status": "Der Status wurde geändert.",
    "zuweisung": "Die Zuweisung wurde gespeichert.",
    "notiz": "Die Notiz wurde gespeichert.",
}


def _local_time(value: dt.datetime | None, request: Request) -> str:
    if value is None:
        return ""
    zone = ZoneInfo(request.app.state.settings.timezone)
    return value.astimezone(zone).strftime("%d.%m.%Y, %H:%M Uhr")


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    context = {
        "request": request,
        "local_time": lambda value: _local_time(value, request),
        "priority_label": priority_label,
        **context,
    }
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    return render(
        request, "error.html", {"title": title, "message": message, "agent": None}, status_code
    )


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    token = request.cookies.get(csrf.LOGIN_COOKIE) or csrf.new_token()
    return _login_page(request, token, safe_next_path(next))


def _login_page(
    request: Request, token: str, next_path: str, error: str | None = None, status_code: int = 200
) -> Response:
    response = render(
        request,
        "login.html",
        {"csrf_token": token, "next": next_path, "error": error, "agent": None},
        status_code,
    )
    response.set_cookie(
        csrf.LOGIN_COOKIE, token, path="/", secure=True, httponly=True, samesite="strict"
    )
    return response


@dataclass(frozen=True)
class _LoginAttempt:
    """How a login attempt ended: a session token, or how long to wait and any lock."""

    token: str | None = None
    delay_seconds: float = 0.0
    locked_until: dt.datetime | None = None


def _attempt_login(request: Request, name: str, password: str) -> _LoginAttempt:
    """Check the lock, the password and count a failure, all under the name's row lock."""
    moment = now()
    with transaction(request) as session:
        record = lockout.hold(name, session=session)
        until = lockout.locked_until(record, now=moment)
        if until is not None:
            return _LoginAttempt(locked_until=until)
        agent = accounts.authenticate(lockout.normalize_name(name), password, session=session)
        if agent is not None:
            lockout.clear(name, session=session)
            token = accounts.open_login_session(agent, now=moment, session=session)
            return _LoginAttempt(token=token)
        failure = lockout.record_failure(record, now=moment)
        return _LoginAttempt(delay_seconds=failure.delay_seconds, locked_until=failure.locked_until)


def _lock_message(until: dt.datetime, request: Request) -> str:
    local = until.astimezone(ZoneInfo(request.app.state.settings.timezone))
    if local.second or local.microsecond:  # "bis 14:35 Uhr" must not end before the lock does
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return (
        "Nach zu vielen fehlgeschlagenen Anmeldeversuchen ist die Anmeldung mit diesem Namen "
        f"bis {local:%H:%M} Uhr gesperrt. Bitte versuchen Sie es danach noch einmal."
    )


@router.post("/login")
async def login(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/helpdesk"),
) -> Response:
    """Log in; a failure answers later the more failures came before it (``bot.web.lockout``).

    The database work and argon2 run in a worker thread and the delay is an asynchronous
    sleep (``app.state.sleep``), so a slowed-down guesser holds up neither the event loop
    nor a worker thread.
    """
    csrf.require(request.cookies.get(csrf.LOGIN_COOKIE), csrf_token)
    attempt = await run_in_threadpool(_attempt_login, request, name, password)
    if attempt.token is not None:
        success = RedirectResponse(safe_next_path(next), status_code=303)
        set_session_cookie(success, attempt.token)
        success.delete_cookie(csrf.LOGIN_COOKIE, path="/", secure=True, httponly=True)
        return success
    if attempt.delay_seconds > 0:
        await request.app.state.sleep(attempt.delay_seconds)
    if attempt.locked_until is None:
        logger.info("helpdesk login refused")
        return _login_page(
            request,
            csrf_token,
            safe_next_path(next),
            error="Anmeldename oder Passwort ist falsch.",
            status_code=401,
        )
    logger.info("helpdesk login refused: name locked after repeated failures")
    response = _login_page(
        request,
        csrf_token,
        safe_next_path(next),
        error=_lock_message(attempt.locked_until, request),
        status_code=429,
    )
    retry_after = math.ceil((attempt.locked_until - now()).total_seconds())
    response.headers["Retry-After"] = str(max(retry_after, 1))
    return response


@router.post("/logout")
def logout(
    request: Request,
    agent: AgentIdentity = Depends(current_agent),  # noqa: B008
    csrf_token: str = Form(""),
) -> Response:
    csrf.require(agent.csrf_token, csrf_token)
    token = request.cookies.get(SESSION_COOKIE, "")
    with transaction(request) as session:
        accounts.close_login_session(token, now=now(), session=session)
    response = RedirectResponse("/helpdesk/login", status_code=303)
    clear_session_cookie(response)
    return response


def _status(value: str) -> TicketStatus | None:
    try:
        return TicketStatus(value)
    except ValueError:
        return None


def _priority(value: str) -> int | None:
    return int(value) if value in {str(p) for p in PRIORITY_NAMES} else None


@router.get("")
def queue_page(
    request: Request,
    agent: AgentIdentity = Depends(current_agent),  # noqa: B008
    member: str = "",
    category: str = "",
    priority: str = "",
    status: str = "",
    q: str = "",
) -> Response:
    filters = desk.QueueFilter(
        member=member or None,
        category=category or None,
        priority=_priority(priority),
        status=_status(status),
        text=q[: desk.MAX_SEARCH_LENGTH] or None,
    )
    with transaction(request) as session:
        page = desk.queue(filters, session=session)
        members = [(m.key, m.name) for m in desk.members(session=session)]
        categories = {s.key: s.name for s in desk.categories(session=session)}
        rows = [_row(ticket, categories) for ticket in page.tickets]
    return render(
        request,
        "queue.html",
        {
            "agent": agent,
            "filters": filters,
            "members": members,
            "categories": categories,
            "priorities": PRIORITY_NAMES,
            "statuses": list(TicketStatus),
            "rows": rows,
            "total": page.total,
        },
    )


def _row(ticket: Ticket, categories: dict[str, str]) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "title": ticket.title,
        "member": ticket.member.name if ticket.member else "",
        "category": categories.get(ticket.category, ticket.category),
        "priority": ticket.priority,
        "status": ticket.status.value,
        "assignee": ticket.assignee.display_name if ticket.assignee else "",
        "created_at": ticket.created_at,
    }


@router.get("/tickets/{number}")
def ticket_page(
    request: Request,
    number: str,
    agent: AgentIdentity = Depends(current_agent),  # noqa: B008
    gespeichert: str = "",
) -> Response:
    return _ticket_page(request, number, agent, saved=SAVED_MESSAGES.get(gespeichert))


def _ticket_page(
    request: Request,
    number: str,
    agent: AgentIdentity,
    *,
    saved: str | None = None,
    error: str | None = None,
    note: str = "",
    status_code: int = 200,
) -> Response:
    with transaction(request) as session:
        ticket = desk.ticket_by_number(number, session=session)
        if ticket is None:
            return _not_found(request)
        categories = {s.key: s.name for s in desk.categories(session=session)}
        agents = [(a.name, a.display_name) for a in accounts.list_agents(session=session)]
        context = {
            "agent": agent,
            "ticket": ticket,
            "category": categories.get(ticket.category, ticket.category),
            "history": [_history_entry(event) for event in ticket.events],
            "statuses": list(TicketStatus),
            "agents": agents,
            "saved": saved,
            "error": error,
            "note": note,
        }
        return render(request, "ticket.html", context, status_code)


def _not_found(request: Request) -> HTMLResponse:
    return error_page(
        request, 404, "Ticket nicht gefunden", "Ein Ticket mit dieser Nummer gibt es nicht."
    )


def _history_entry(event: TicketEvent) -> dict[str, Any]:
    if event.kind == TicketEventKind.CREATED:
        what = "Ticket angelegt"
    elif event.kind == TicketEventKind.STATUS:
        what = f"Status von „{event.old_value}“ auf „{event.new_value}“ geändert"
    elif event.kind == TicketEventKind.ASSIGNED:
        what = f"Zugewiesen an {event.text}" if event.text else "Zuweisung aufgehoben"
    elif event.kind == TicketEventKind.PUBLIC_NOTE:
        what = "Öffentliche Notiz (auch für die meldende Person)"
    else:
        what = "Interne Notiz (nur Servicedesk)"
    return {
        "at": event.at,
        "actor": event.actor,
        "what": what,
        "text": event.text if event.kind in _NOTE_KINDS else None,
        "kind": event.kind.value,
    }


_NOTE_KINDS = (TicketEventKind.INTERNAL_NOTE, TicketEventKind.PUBLIC_NOTE)


def _saved(number: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/helpdesk/tickets/{number}?gespeichert={what}", status_code=303)


@router.post("/tickets/{number}/status")
def change_status(
    request: Request,
    number: str,
    agent: AgentIdentity = Depends(current_agent),  # noqa: B008
    status: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    csrf.require(agent.csrf_token, csrf_token)
    new_status = _status(status)
    if new_status is None:
        return _ticket_page(
            request, number, agent, error="Bitte wählen Sie einen Status.", status_code=422
        )
    with transaction(request) as session:
        ticket = desk.ticket_by_number(number, session=session)
        if ticket is None:
            return _not_found(request)
        desk.change_status(ticket, new_status, actor=agent.display_name, now=now(), session=session)
    return _saved(number, "status")


@router.post("/tickets/{number}/assignee")
def assign(
    request: Request,
    number: str,
    agent: AgentIdentity = Depends(current_agent),  # noqa: B008
    assignee: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    csrf.require(agent.csrf_token, csrf_token)
    with transaction(request) as session:
        ticket = desk.ticket_by_number(number, session=session)
        if ticket is None:
            return _not_found(request)
        target = accounts.agent_by_name(assignee, session=session) if assignee else None
        if assignee and target is None:
            error = "Diese Bearbeiterin oder diesen Bearbeiter gibt es nicht."
        else:
            error = None
            desk.assign(ticket, target, actor=agent.display_name, now=now(), session=session)
    if error:
        return _ticket_page(request, number, agent, error=error, status_code=422)
    return _saved(number, "zuweisung")


@router.post("/tickets/{number}/notes")
def add_note(
    request: Request,
    number: str,
    agent: AgentIdentity = Depends(current_agent),  # noqa: B008
    text: str = Form(""),
    visibility: str = Form("intern"),
    csrf_token: str = Form(""),
) -> Response:
    csrf.require(agent.csrf_token, csrf_token)
    with transaction(request) as session:
        ticket = desk.ticket_by_number(number, session=session)
        if ticket is None:
            return _not_found(request)
        try:
            desk.add_note(
                ticket,
                text,
                public=visibility == "oeffentlich",
                actor=agent.display_name,
                now=now(),
                session=session,
            )
        except desk.DeskError as exc:
            error: str | None = str(exc)
        else:
            error = None
    if error:
        return _ticket_page(request, number, agent, error=error, note=text, status_code=422)
    return _saved(number, "notiz")
