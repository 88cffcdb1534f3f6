"""Runtime settings, read once from the environment.

Every knob an operator can turn lives here with its default, so that the README, the command
line and the servers agree on one set of names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout the assistant runs from: config.yml, domain.yml and models/ live here."""

DEFAULT_DATABASE_PATH = PROJECT_ROOT / "var" / "ksm.db"


class SettingsError(ValueError):
    """An environment variable holds a value the assistant cannot start with."""


@dataclass(frozen=True)
class Settings:
    """The assistant's configuration.

    Attributes:
        database_url: SQLAlchemy URL of the member database, which also holds Rasa's
            tracker store (``KSM_DATABASE_URL``).
        bind_host: Interface the servers listen on (``KSM_BIND_HOST``). The action server and
            Rasa's HTTP API have no authentication of their own, so the default is loopback.
        rasa_port: Port of the Rasa server (``RASA_PORT``).
        actions_port: Port of the action server (``ACTIONS_PORT``).
        web_port: Port of the web app with widget and helpdesk (``WEB_PORT``).
        timezone: Time zone for service hours and "today" (``KSM_TIMEZONE``).
        identity_secret: HS256 secret the intranet signs ``user_token`` with
            (``KSM_IDENTITY_SECRET``). Unset means every user is anonymous, except on the
            demo pages, for which ``python -m bot run`` keeps a local secret in ``var/``.
        demo_pages: Serve the demo intranet pages under ``/demo`` (``KSM_DEMO_PAGES``). They
            sign tokens for a demo user, so by default they are on only while the servers
            listen on loopback.
        lock_store_url: Redis that several Rasa servers keep their conversation locks in
            (``KSM_LOCK_STORE_URL``, ``redis://host:port/db``). Unset, one Rasa server keeps
            them in memory, which is right for one server and wrong for more.
    """

    database_url: str
    bind_host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int = 8000
    timezone: str = "Europe/Berlin"
    identity_secret: str | None = field(default=None, repr=False)
    demo_pages: bool = True
    lock_store_url: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build the settings from ``environ`` (the process environment by default)."""
        env = os.environ if environ is None else environ
        bind_host = env.get("KSM_BIND_HOST") or cls.bind_host
        return cls(
            database_url=env.get("KSM_DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE_PATH}",
            bind_host=bind_host,
            rasa_port=_port(env, "RASA_PORT", cls.rasa_port),
            actions_port=_port(env, "ACTIONS_PORT", cls.actions_port),
            web_port=_port(env, "WEB_PORT", cls.web_port),
            timezone=env.get("KSM_TIMEZONE") or cls.timezone,
            identity_secret=_secret(env, "KSM_IDENTITY_SECRET"),
            demo_pages=_flag(env, "KSM_DEMO_PAGES", default=_is_loopback(bind_host)),
            lock_store_url=env.get("KSM_LOCK_STORE_URL") or None,
        )

    @property
    def local_host(self) -> str:
        """The address to reach the servers at from this machine."""
        return "127.0.0.1" if self.bind_host in ("0.0.0.0", "::") else self.bind_host  # noqa: S104

    @property
    def action_endpoint_url(self) -> str:
        """Where the Rasa server reaches the action server."""
        return f"http://{self.local_host}:{self.actions_port}/webhook"


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name} muss eine Portnummer sein, nicht {raw!r}.") from None
    if not 0 < port < 65536:
        raise SettingsError(f"{name} muss zwischen 1 und 65535 liegen, nicht {port}.")
    return port


TRUE_WORDS = frozenset({"1", "true", "yes", "ja", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "nein", "off"})


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise SettingsError(f"{name} muss 1 oder 0 sein, nicht {raw!r}.")


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


MIN_SECRET_LENGTH = 32
"""HS256 needs a key at least as long as its hash (256 bits); shorter ones are guessable."""


def _secret(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name)
    if not raw:
        return None
    if len(raw.encode()) < MIN_SECRET_LENGTH:
        raise SettingsError(f"{name} muss mindestens {MIN_SECRET_LENGTH} Bytes lang sein.")
    return raw


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment on first use."""
    return Settings.from_env()
