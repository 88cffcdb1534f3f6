"""Who is chatting: the intranet's signed ``user_token``.

The intranet page passes the logged-in user as message metadata ``user_token``: a JWT signed
with HS256 and the shared secret ``KSM_IDENTITY_SECRET``, with the claims ``sub`` (user id),
``name``, ``member`` (member key) and ``exp``. Only a token that passes every check is an
identity; an expired, forged, malformed or oversized token, or one signed with any other
algorithm, counts as no token at all, and the user is anonymous.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

logger = logging.getLogger(__name__)

ALGORITHM = "HS256"
"""The only algorithm accepted; pinned so a token cannot choose ``none`` or RS256."""
MAX_TOKEN_LENGTH = 4096
"""Longer strings are not decoded at all."""
MAX_CLAIM_LENGTH = 200


@dataclass(frozen=True)
class Identity:
    """A user the intranet vouches for."""

    sub: str
    name: str | None = None
    member: str | None = None


def decode_user_token(token: object, secret: str | None, *, now: dt.datetime) -> Identity | None:
    """The identity in ``token``, or ``None`` when it is missing or fails any check."""
    claims = _signed_claims(token, secret)
    if claims is None:
        return None
    if not _still_valid(claims.get("exp"), now):
        logger.info("user_token rejected: expired")
        return None
    return _identity(claims)


def token_owner(token: object, secret: str | None) -> Identity | None:
    """The user a token was issued to, whether or not it has expired since.

    For the privacy commands: a conversation held in the tracker store belongs to the user
    whose token its messages carried, also long after the token ran out. Everything else is
    checked as in ``decode_user_token`` (secret, pinned algorithm, ``sub`` and ``exp``
    present), so a forged or unsigned token still belongs to nobody.
    """
    claims = _signed_claims(token, secret)
    return None if claims is None else _identity(claims)


def _signed_claims(token: object, secret: str | None) -> dict[str, Any] | None:
    """The claims of ``token`` if its signature is valid under ``secret``; expiry unchecked."""
    if not secret or not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        return None
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"], "verify_exp": False},
        )
    except jwt.PyJWTError as exc:
        logger.info("user_token rejected: %s", type(exc).__name__)
        return None
    return claims


def _identity(claims: dict[str, Any]) -> Identity | None:
    sub = _claim(claims, "sub")
    if sub is None:
        return None
    return Identity(sub=sub, name=_claim(claims, "name"), member=_claim(claims, "member"))


def create_user_token(
    identity: Identity, secret: str, *, now: dt.datetime, lifetime: dt.timedelta
) -> str:
    """Sign a token as the intranet does (for the demo pages and tests)."""
    claims: dict[str, Any] = {"sub": identity.sub, "exp": int((now + lifetime).timestamp())}
    if identity.name:
        claims["name"] = identity.name
    if identity.member:
        claims["member"] = identity.member
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def local_secret(path: Path) -> str:
    """A secret of this installation alone, made on first use and kept in ``path`` (mode 0600).

    ``python -m bot run`` uses it when ``KSM_IDENTITY_SECRET`` is unset and the demo pages are
    on, so their tokens are signed and checked like the intranet's without any configuration.
    """
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secret + "\n")
    return secret


def _still_valid(exp: object, now: dt.datetime) -> bool:
    """``exp`` checked against the assistant's clock, which tests can set."""
    if isinstance(exp, bool) or not isinstance(exp, (int, float)) or not math.isfinite(exp):
        return False
    return now.timestamp() < exp


def _claim(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if 0 < len(value) <= MAX_CLAIM_LENGTH else None
