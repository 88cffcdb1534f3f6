"""Service-desk agents: accounts, passwords, login sessions and API tokens.

Passwords are hashed with argon2. Login-session and API tokens are 256-bit random strings that
are shown once (cookie, command line) and stored only as their SHA-256 hash: a leaked
database opens no session. Both can be revoked. Like the other data functions, these take the
caller's session and never commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.models import Agent, AgentSession, ApiToken

MIN_PASSWORD_LENGTH = 12
"""Shortest password an agent may choose."""
MAX_PASSWORD_LENGTH = 1024
"""Longest password accepted; argon2 hashes anything, but a megabyte form field is no password."""
LOGIN_SESSION_LIFETIME = dt.timedelta(hours=10)
"""How long a login lasts: one working day, then the agent logs in again."""
COMMON_PASSWORDS = frozenset(
    {
        "passwort1234",
        "passwort12345",
        "passwort123!",
        "password1234",
        "password12345",
        "password123!",
        "123456789012",
        "1234567890123",
        "12345678901234",
        "098765432109",
        "qwertzuiop12",
        "qwertzuiopü+",
        "qwertyuiop12",
        "asdfghjklöä#",
        "abc123456789",
        "abcdefghijkl",
        "hallo1234567",
        "willkommen12",
        "willkommen123",
        "geheim123456",
        "passwortpasswort",
        "ksm-servicedesk",
        "servicedesk123",
        "helpdesk1234",
    }
)
"""Passwords long enough for the policy that guessers still try first (compared case-folded)."""
API_TOKEN_PREFIX = "ksm_"  # noqa: S105 - a prefix, not a secret
"""Marks an API token as ours when it turns up in a log or a secret scanner."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("no agent has this password, it only costs time")


class AccountError(ValueError):
    """An account cannot be created or changed; the message tells the operator why, in German."""


def hash_token(token: str) -> str:
    """The stored form of a session or API token."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_policy(password: str, *, name: str | None = None) -> None:
    """Refuse a password that is too short, too long or easy to guess.

    Easy to guess: one of ``COMMON_PASSWORDS``, one character repeated, or containing the
    login ``name`` (names of at least 3 characters).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen lang sein.")
    folded = password.casefold()
    if name and len(name) >= 3 and name.casefold() in folded:
        raise AccountError("Das Passwort darf den Anmeldenamen nicht enthalten.")
    if folded in COMMON_PASSWORDS or len(set(password)) == 1:
        raise AccountError(
            "Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein anderes, zum "
            "Beispiel mehrere Wörter, die nicht zusammengehören."
        )


def create_agent(
    name: str, password: str, *, display_name: str | None = None, now: dt.datetime, session: Session
) -> Agent:
    """Add an agent who logs in as ``name``; ``display_name`` is what the history shows."""
    if not _NAME.fullmatch(name):
        raise AccountError(
            "Der Anmeldename besteht aus 2 bis 64 Kleinbuchstaben, Ziffern, Punkt, Binde- oder "
            "Unterstrich und beginnt mit einem Buchstaben oder einer Ziffer."
        )
    check_password_policy(password, name=name)
    if agent_by_name(name, session=session) is not None:
        raise AccountError(f"Es gibt schon einen Zugang '{name}'.")
    display = (display_name or name).strip()
    if not display or len(display) > 200:
        raise AccountError("Der Anzeigename muss 1 bis 200 Zeichen lang sein.")
    agent = Agent(
        name=name,
        display_name=display,
        password_hash=_hasher.hash(password),
        is_active=True,
        created_at=now,
    )
    session.add(agent)
    session.flush()
    return agent


def agent_by_name(name: str, *, session: Session) -> Agent | None:
    if "\x00" in name:  # no agent's name has one, and PostgreSQL refuses it in a query
        return None
    return session.scalars(select(Agent).where(Agent.name == name)).one_or_none()


def list_agents(*, session: Session, active_only: bool = False) -> list[Agent]:
    query = select(Agent).order_by(Agent.display_name, Agent.name)
    if active_only:
        query = query.where(Agent.is_active.is_(True))
    return list(session.scalars(query))


def authenticate(name: str, password: str, *, session: Session) -> Agent | None:
    """The active agent ``name`` if ``password`` is theirs; an unknown name costs the same time."""
    agent = agent_by_name(name, session=session) if len(password) <= MAX_PASSWORD_LENGTH else None
    try:
        _hasher.verify(
            agent.password_hash if agent else _DUMMY_HASH, password[:MAX_PASSWORD_LENGTH]
        )
    except (VerificationError, InvalidHashError):
        return None
    if agent is None or not agent.is_active:
        return None
    if _hasher.check_needs_rehash(agent.password_hash):
        agent.password_hash = _hasher.hash(password)
    return agent


def open_login_session(agent: Agent, *, now: dt.datetime, session: Session) -> str:
    """Start a login for ``agent``; returns the token for the cookie (stored only hashed)."""
    token = secrets.token_urlsafe(32)
    session.add(
        AgentSession(
            agent=agent,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + LOGIN_SESSION_LIFETIME,
        )
    )
    session.flush()
    return token


def agent_for_login_session(token: str, *, now: dt.datetime, session: Session) -> Agent | None:
    """The agent logged in with ``token``, unless it expired, was revoked or they left."""
    login = session.scalars(
        select(AgentSession).where(AgentSession.token_hash == hash_token(token))
    ).one_or_none()
    if login is None or login.revoked_at is not None or login.expires_at <= now:
        return None
    return login.agent if login.agent.is_active else None


def close_login_session(token: str, *, now: dt.datetime, session: Session) -> None:
    """Log out: the token no longer opens anything."""
    session.execute(
        update(AgentSession)
        .where(AgentSession.token_hash == hash_token(token), AgentSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def issue_api_token(agent: Agent, *, now: dt.datetime, session: Session) -> str:
    """A new API token for ``agent``; the caller shows it once, the database keeps its hash."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(agent=agent, token_hash=hash_token(token), created_at=now))
    session.flush()
    return token


def agent_for_api_token(token: str, *, session: Session) -> Agent | None:
    """The agent ``token`` belongs to, unless it was revoked or the agent left."""
    row = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token))
    ).one_or_none()
    if row is None or row.revoked_at is not None or not row.agent.is_active:
        return None
    return row.agent


def revoke_api_tokens(agent: Agent, *, now: dt.datetime, session: Session) -> int:
    """Revoke every API token of ``agent``; returns how many were still valid."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.agent_id == agent.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount)


def active_api_tokens(agent: Agent, *, session: Session) -> int:
    tokens = session.scalars(
        select(ApiToken.id).where(ApiToken.agent_id == agent.id, ApiToken.revoked_at.is_(None))
    )
    return len(list(tokens))


def revoke_login_sessions(agent: Agent, *, now: dt.datetime, session: Session) -> int:
    """End every open login of ``agent``; returns how many were still open at ``now``."""
    result = session.execute(
        update(AgentSession)
        .where(
            AgentSession.agent_id == agent.id,
            AgentSession.revoked_at.is_(None),
            AgentSession.expires_at > now,
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount)
