"""Protection of the helpdesk's forms against cross-site request forgery.

Every form that changes something carries a hidden ``csrf_token`` field:

- Logged in, the token is an HMAC of the login-session token (which only the agent's
  browser holds in an HTTP-only cookie): a foreign page can neither read nor compute it.
- The login form, before there is a session, uses a double-submit token: a random value in
  its own ``Secure``, ``HttpOnly``, ``SameSite=Strict`` cookie and in the form.

Cookies are ``SameSite=Strict`` on top, so a cross-site POST arrives without them anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

FIELD = "csrf_token"
"""Name of the hidden form field."""
LOGIN_COOKIE = "__Host-ksm_login_csrf"
"""Cookie with the login form's double-submit token."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_for_login_session(session_token: str) -> str:
    """The form token of the login with ``session_token``."""
    return hmac.new(session_token.encode(), b"ksm-helpdesk-csrf", hashlib.sha256).hexdigest()


def matches(expected: str | None, given: str | None) -> bool:
    """Whether the submitted token is the expected one (compared in constant time)."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


class CsrfFailed(Exception):
    """A form came without the right token; the app answers 403 and changes nothing."""


def require(expected: str | None, given: str | None) -> None:
    if not matches(expected, given):
        raise CsrfFailed
