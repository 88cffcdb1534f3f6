"""Who is asking: the logged-in agent of a helpdesk page, the token holder of an API call.

Pages read the login cookie and send a stranger to the login form; API calls read an
``Authorization: Bearer`` token and answer a stranger with 401. Both look the secret up by
its hash (``bot.web.accounts``) inside the request's own short transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from bot import clock
from bot.web import accounts, csrf

SESSION_COOKIE = "__Host-ksm_helpdesk"
"""Cookie with the login-session token (the ``__Host-`` prefix forbids Domain and demands
Secure and Path=/)."""
LOGIN_PATH = "/helpdesk/login"


def now() -> dt.datetime:
    """The assistant's clock (``bot.clock``, which tests can set), in UTC."""
    return clock.now().astimezone(dt.timezone.utc)


@contextmanager
def transaction(request: Request) -> Iterator[Session]:
    """A session in one transaction on the app's database, committed when the block ends."""
    factory: sessionmaker = request.app.state.sessionmaker
    with factory.begin() as session:
        yield session


@dataclass(frozen=True)
class AgentIdentity:
    """The agent behind a request, detached from any database session."""

    id: int
    name: str
    display_name: str
    csrf_token: str | None = None


class LoginRequired(Exception):
    """A helpdesk page was asked for without a valid login; the app redirects to the form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def login_redirect_url(next_path: str) -> str:
    return f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"


def safe_next_path(value: str | None) -> str:
    """Where to go after logging in: only a path of the helpdesk, never another site."""
    if value and value.startswith("/helpdesk") and "//" not in value and "\\" not in value:
        return value
    return "/helpdesk"


def current_agent(request: Request) -> AgentIdentity:
    """Dependency of the helpdesk pages: the logged-in agent, or off to the login form."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with transaction(request) as session:
            agent = accounts.agent_for_login_session(token, now=now(), session=session)
            if agent is not None:
                return AgentIdentity(
                    agent.id, agent.name, agent.display_name, csrf.token_for_login_session(token)
                )
    if request.method != "GET":  # a form sent without login: back to the queue afterwards
        raise LoginRequired("/helpdesk")
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise LoginRequired(path)


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(accounts.LOGIN_SESSION_LIFETIME.total_seconds()),
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiToken",
    description="API-Token aus `python -m bot agents token NAME`",
)


def api_agent(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
) -> AgentIdentity:
    """Dependency of the API: the agent whose bearer token came with the call, else 401."""
    if credentials is not None and credentials.credentials:
        with transaction(request) as session:
            agent = accounts.agent_for_api_token(credentials.credentials, session=session)
            if agent is not None:
                return AgentIdentity(agent.id, agent.name, agent.display_name)
    raise HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Gültiges API-Token erforderlich.",
        headers={"WWW-Authenticate": "Bearer"},
    )
