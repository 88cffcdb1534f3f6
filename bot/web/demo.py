"""Demo intranet pages under ``/demo``: one per member, with the chat widget embedded.

Each page plays the intranet of one administration with a demo user who is signed in: it
signs a ``user_token`` for that user, exactly as a real intranet would (README, "Chat-Widget
einbinden"), so a new user can click and chat at once. Because the pages hand out valid
tokens, they are served only when ``settings.demo_pages`` is on (by default only on loopback).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from bot.db.queries import list_members, member_by_key
from bot.identity import Identity, create_user_token
from bot.settings import Settings
from bot.web.auth import transaction
from bot.web.helpdesk import templates

router = APIRouter(prefix="/demo", include_in_schema=False)

TOKEN_LIFETIME = dt.timedelta(hours=8)
"""As long as a working day: the page is reloaded long before, and then signs a fresh one."""

DEMO_USER_NAME = "Anna Schmidt"


@dataclass(frozen=True)
class DemoPage:
    slug: str
    title: str


PAGES = (DemoPage("", "Startseite"), DemoPage("it-hinweise", "IT-Hinweise"))


def rasa_url(request: Request, settings: Settings) -> str:
    """The Rasa server as the browser that asked for this page reaches it."""
    return f"{request.url.scheme}://{request.url.hostname}:{settings.rasa_port}"


def content_security_policy(server_url: str) -> str:
    """Scripts and styles from this app only; connections only to the Rasa server."""
    websocket_url = server_url.replace("http", "ws", 1)
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src {server_url} {websocket_url}; form-action 'none'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


@router.get("", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    with transaction(request) as session:
        members = [(member.key, member.name) for member in list_members(session=session)]
    return _render(request, "demo_index.html", {"members": members})


@router.get("/{member_key}", response_class=HTMLResponse)
def start_page(request: Request, member_key: str) -> HTMLResponse:
    return _member_page(request, member_key, PAGES[0])


@router.get("/{member_key}/{slug}", response_class=HTMLResponse)
def sub_page(request: Request, member_key: str, slug: str) -> HTMLResponse:
    page = next((page for page in PAGES if page.slug == slug), None)
    if page is None:
        raise HTTPException(404)
    return _member_page(request, member_key, page)


def _member_page(request: Request, key: str, page: DemoPage) -> HTMLResponse:
    with transaction(request) as session:  # the app's sessions keep loaded rows after commit
        member = member_by_key(key, session=session)
    if member is None:
        raise HTTPException(404)
    settings: Settings = request.app.state.settings
    token = None
    if settings.identity_secret:
        identity = Identity(sub=f"demo-{member.key}", name=DEMO_USER_NAME, member=member.key)
        token = create_user_token(
            identity,
            settings.identity_secret,
            now=dt.datetime.now(dt.timezone.utc),
            lifetime=TOKEN_LIFETIME,
        )
    context = {
        "member": member,
        "page": page,
        "pages": PAGES,
        "user_name": DEMO_USER_NAME,
        "user_token": token,
    }
    return _render(request, "demo.html", context)


def _render(request: Request, template: str, context: dict[str, object]) -> HTMLResponse:
    """The page with the Rasa server's address for the widget and a CSP that allows just it."""
    server_url = rasa_url(request, request.app.state.settings)
    response = templates.TemplateResponse(
        request, template, {"request": request, "server_url": server_url, **context}
    )
    response.headers["Content-Security-Policy"] = content_security_policy(server_url)
    return response
