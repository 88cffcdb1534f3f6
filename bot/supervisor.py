"""Starting and stopping the assistant's server processes together.

``python -m bot run`` starts the action server, the Rasa server and the web app (helpdesk and
its API, served by uvicorn), waits until all of them answer,
prints their addresses and keeps them running until Ctrl-C (or SIGTERM), then stops all of
them. If one of them dies, the others are stopped too, so a half-running assistant never
looks healthy.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot import endpoints
from bot.db.session import create_db_engine
from bot.identity import local_secret
from bot.nlu import trained_models
from bot.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT_SECONDS = 180.0
"""How long the Rasa server may take to load its model before start-up counts as failed."""
SHUTDOWN_TIMEOUT_SECONDS = 15.0
"""How long a server may take to stop after SIGTERM before it is killed."""


class StartupError(RuntimeError):
    """The assistant cannot start; the message tells the operator why, in German."""


LOCAL_SECRET_PATH = PROJECT_ROOT / "var" / "identity-secret"
"""Where the demo pages' signing secret is kept when ``KSM_IDENTITY_SECRET`` is unset."""


def with_demo_identity(settings: Settings, secret_path: Path = LOCAL_SECRET_PATH) -> Settings:
    """``settings`` with a local identity secret if the demo pages need one and none is set."""
    if settings.demo_pages and not settings.identity_secret:
        return replace(settings, identity_secret=local_secret(secret_path))
    return settings


def rasa_environment(settings: Settings) -> dict[str, str]:
    """The environment ``endpoints.yml`` and the servers read their settings from."""
    env = dict(os.environ)
    env.update(
        KSM_DATABASE_URL=settings.database_url,
        KSM_ACTION_ENDPOINT=settings.action_endpoint_url,
        RASA_PORT=str(settings.rasa_port),
        ACTIONS_PORT=str(settings.actions_port),
        SANIC_HOST=settings.bind_host,
        RASA_TELEMETRY_ENABLED="false",
        KSM_DEMO_PAGES="1" if settings.demo_pages else "0",
    )
    if settings.identity_secret:
        env["KSM_IDENTITY_SECRET"] = settings.identity_secret
    env.update(endpoints.lock_store_environment(settings.lock_store_url))
    return env


def rasa_command() -> list[str]:
    """The ``rasa`` command line, started through ``rasa_server`` with the project's patches."""
    return [sys.executable, "-m", "rasa_server"]


def check_tracker_store(settings: Settings) -> None:
    """Refuse to start when the tracker store's database is unreachable.

    Rasa would otherwise fall back to an in-memory tracker store without a word and lose every
    conversation on the next restart.
    """
    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise StartupError(
            "Die Datenbank für Gesprächsverläufe ist nicht erreichbar "
            f"({engine.url.render_as_string(hide_password=True)}): {exc.__class__.__name__}. "
            "Bitte KSM_DATABASE_URL prüfen."
        ) from exc
    finally:
        engine.dispose()


def check_lock_store(settings: Settings) -> None:
    """Refuse to start when the shared lock store is configured but cannot be reached.

    Rasa would start and then fail each message with a connection error after the socket
    timeout, which a user sees as an assistant that never answers.
    """
    if settings.lock_store_url is None:
        return
    import redis

    location = endpoints.RedisLocation.from_url(settings.lock_store_url)
    client = redis.Redis(
        host=location.host,
        port=location.port,
        db=location.db,
        password=location.password,
        ssl=location.use_ssl,
        socket_timeout=5,
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        raise StartupError(
            f"Der Lock-Store (Redis {location.host}:{location.port}/{location.db}) ist nicht "
            f"erreichbar: {exc.__class__.__name__}. Bitte KSM_LOCK_STORE_URL prüfen."
        ) from exc
    finally:
        client.close()


def latest_model(models_dir: Path) -> Path:
    """The newest trained model (see ``bot.nlu.trained_models``)."""
    model = trained_models.current_model(models_dir)
    if model is None:
        raise StartupError(
            f"Kein trainiertes Modell in {models_dir}. Bitte 'make train' ausführen."
        )
    return model.path


def action_server_command(settings: Settings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rasa_sdk",
        "--actions",
        "actions",
        "--port",
        str(settings.actions_port),
    ]


def web_server_command(settings: Settings) -> list[str]:
    """Uvicorn serving ``bot.web.app``; no access log, since query strings may hold names."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "bot.web.app:app_from_env",
        "--host",
        settings.bind_host,
        "--port",
        str(settings.web_port),
        "--no-access-log",
        "--no-server-header",
        # No WebSockets in the web app; uvicorn's support needs a newer websockets than Rasa's.
        "--ws",
        "none",
    ]


def rasa_server_command(settings: Settings, model: Path) -> list[str]:
    return [
        *rasa_command(),
        "run",
        "--model",
        str(model),
        "--interface",
        settings.bind_host,
        "--port",
        str(settings.rasa_port),
        "--endpoints",
        str(endpoints.endpoints_file(settings.lock_store_url)),
        "--credentials",
        str(PROJECT_ROOT / "credentials.yml"),
        "--cors",
        "*",
    ]


@dataclass
class Server:
    """One child process and the URL that answers once it is ready."""

    name: str
    command: list[str]
    ready_url: str
    public_url: str
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument lists, no shell
            self.command, cwd=PROJECT_ROOT, env=env, start_new_session=True
        )

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def is_ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.ready_url, timeout=2) as response:  # noqa: S310
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(SHUTDOWN_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _local_url(settings: Settings, port: int, path: str = "") -> str:
    return f"http://{settings.local_host}:{port}{path}"


def action_server(settings: Settings) -> Server:
    return Server(
        name="Action-Server",
        command=action_server_command(settings),
        ready_url=_local_url(settings, settings.actions_port, "/health"),
        public_url=_local_url(settings, settings.actions_port, "/webhook"),
    )


def web_server(settings: Settings) -> Server:
    return Server(
        name="Web-Anwendung",
        command=web_server_command(settings),
        ready_url=_local_url(settings, settings.web_port, "/health"),
        public_url=_local_url(settings, settings.web_port),
    )


def rasa_server(settings: Settings, model: Path) -> Server:
    return Server(
        name="Rasa-Server",
        command=rasa_server_command(settings, model),
        ready_url=_local_url(settings, settings.rasa_port, "/"),
        public_url=_local_url(settings, settings.rasa_port),
    )


def wait_until_ready(servers: Sequence[Server]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    pending = list(servers)
    while pending:
        for server in list(pending):
            if not server.is_running():
                raise StartupError(f"{server.name} wurde beim Start beendet (siehe Ausgabe oben).")
            if server.is_ready():
                pending.remove(server)
        if pending and time.monotonic() > deadline:
            names = ", ".join(server.name for server in pending)
            raise StartupError(f"{names} nach {STARTUP_TIMEOUT_SECONDS:.0f} s nicht bereit.")
        time.sleep(0.5)


class _Stop(Exception):
    pass


def _raise_stop(_signum: int, _frame: object) -> None:
    raise _Stop


def run(settings: Settings) -> int:
    """Run the action server, the Rasa server and the web app until interrupted."""
    check_tracker_store(settings)
    check_lock_store(settings)
    settings = with_demo_identity(settings)
    servers = [
        action_server(settings),
        rasa_server(settings, latest_model(PROJECT_ROOT / "models")),
        web_server(settings),
    ]
    # Explicit handlers: a shell that starts us in the background ignores SIGINT otherwise.
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    env = rasa_environment(settings)
    try:
        for server in servers:
            server.start(env)
        wait_until_ready(servers)
        print("\nDer KSM-Servicedesk-Assistent läuft:")
        print(f"  Rasa-Server:    {servers[1].public_url}")
        print(f"  REST-Kanal:     {servers[1].public_url}/webhooks/rest/webhook")
        print(f"  Action-Server:  {servers[0].public_url}")
        print(f"  Helpdesk:       {servers[2].public_url}/helpdesk")
        print(f"  Helpdesk-API:   {servers[2].public_url}/api/openapi.json")
        if settings.demo_pages:
            print(f"  Chat (Demo):    {servers[2].public_url}/demo/grabow")
        print("Beenden mit Strg+C.\n", flush=True)
        while all(server.is_running() for server in servers):
            time.sleep(0.5)
        stopped = [server.name for server in servers if not server.is_running()]
        print(
            f"{', '.join(stopped)} unerwartet beendet; stoppe die übrigen Dienste.", file=sys.stderr
        )
        return 1
    except _Stop:
        print("\nStoppe die Dienste …", flush=True)
        return 0
    finally:
        for server in reversed(servers):
            server.stop()


COMPONENTS = ("rasa", "actions", "web")
"""What ``python -m bot serve`` runs: one server, for a service manager to supervise."""


def serve(settings: Settings, component: str) -> int:
    """Replace this process with one server, so a service manager signals it directly.

    Several ``serve rasa`` on other ports (``RASA_PORT``) sharing the database and the lock
    store (``KSM_LOCK_STORE_URL``) are the instances behind the load balancer of
    docs/BETRIEB.md.
    """
    settings = with_demo_identity(settings)
    if component == "rasa":
        check_tracker_store(settings)
        check_lock_store(settings)
        server = rasa_server(settings, latest_model(PROJECT_ROOT / "models"))
    elif component == "actions":
        server = action_server(settings)
    elif component == "web":
        server = web_server(settings)
    else:
        raise StartupError(f"Unbekannter Dienst {component!r}, erlaubt: {', '.join(COMPONENTS)}.")
    os.chdir(PROJECT_ROOT)
    sys.stdout.flush()
    os.execve(server.command[0], server.command, rasa_environment(settings))  # noqa: S606


def shell(settings: Settings, extra_args: Sequence[str] = ()) -> int:
    """Talk to the assistant in the terminal, with the action server running alongside."""
    check_tracker_store(settings)
    actions = action_server(settings)
    env = rasa_environment(settings)
    command = [
        *rasa_command(),
        "shell",
        "--model",
        str(latest_model(PROJECT_ROOT / "models")),
        "--endpoints",
        str(endpoints.endpoints_file(settings.lock_store_url)),
        *extra_args,
    ]
    try:
        actions.start(env)
        wait_until_ready([actions])
        return subprocess.call(command, cwd=PROJECT_ROOT, env=env)  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
        actions.stop()


def run_rasa(settings: Settings, args: Sequence[str]) -> int:
    """Run the ``rasa`` command line with the project's environment."""
    command = [*rasa_command(), *args]
    return subprocess.call(command, cwd=PROJECT_ROOT, env=rasa_environment(settings))  # noqa: S603
