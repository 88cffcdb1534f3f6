"""The bots the benchmark measures, trained and started the same way.

- ``projekt``: the assistant as ``make run`` starts it (the model in use, its action server,
  the SQL tracker store on a fresh copy of the member database).
- ``minimal``: one intent, one rule, one response (``bench/references/minimal``), served by
  Rasa as shipped (``python -m rasa run``, Rasa's SQL tracker store on the same kind of
  database, Rasa's REST channel): what the framework itself costs per message.
- ``minimal-ksm``: the same bot on the project's Rasa server (``python -m rasa_server`` with
  its patches, tracker store and channels): how much of the framework's cost the project's
  server changes take away.
- ``rasa-init``: Rasa's default pipeline, as ``rasa init`` writes it, trained on the
  project's domain and data and served like the project (its Rasa server and action
  server): what the project's own pipeline costs or saves compared with the default.

Reference models are trained into ``build/bench/<name>/`` once per data state.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bot import supervisor
from bot.nlu import trained_models
from bot.settings import PROJECT_ROOT, Settings

BENCH_BUILD = PROJECT_ROOT / "build" / "bench"
REFERENCES = PROJECT_ROOT / "bench" / "references"


@dataclass(frozen=True)
class System:
    name: str
    config: Path
    domain: Path
    data: Path
    uses_actions: bool
    """Whether the bot calls custom actions, so the action server must run beside it."""
    heldout: bool
    """Whether the held-out NLU test set applies (the bot knows the project's intents)."""
    stock: bool = False
    """Served by Rasa as shipped instead of the project's Rasa server (``rasa_server``)."""

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        files = [self.config, self.domain, *sorted(self.data.rglob("*.yml"))]
        for path in files:
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
        return digest.hexdigest()[: trained_models.FINGERPRINT_LENGTH]


PROJECT = System(
    "projekt",
    PROJECT_ROOT / "config.yml",
    PROJECT_ROOT / "domain.yml",
    PROJECT_ROOT / "data",
    uses_actions=True,
    heldout=True,
)
MINIMAL = System(
    "minimal",
    REFERENCES / "minimal" / "config.yml",
    REFERENCES / "minimal" / "domain.yml",
    REFERENCES / "minimal" / "data",
    uses_actions=False,
    heldout=False,
    stock=True,
)
MINIMAL_KSM = replace(MINIMAL, name="minimal-ksm", stock=False)
RASA_INIT = System(
    "rasa-init",
    REFERENCES / "rasa-init-config.yml",
    PROJECT_ROOT / "domain.yml",
    PROJECT_ROOT / "data",
    uses_actions=True,
    heldout=True,
)
SYSTEMS = {system.name: system for system in (PROJECT, MINIMAL, MINIMAL_KSM, RASA_INIT)}
STOCK_FILES = BENCH_BUILD / "stock"
"""Endpoints and credentials of Rasa as shipped: its SQL tracker store and REST channel."""


def train(system: System, out: Path, *, cache: Path | None = None) -> tuple[Path, float]:
    """Train ``system`` into ``out``; the model and the seconds it took.

    ``cache`` is Rasa's training cache directory; an empty one trains from scratch. Rasa
    writes the defaults it chose into a configuration that leaves them out, as ``rasa init``'s
    does, so it trains from a copy in ``out`` and the committed file stays as it is.
    """
    out.mkdir(parents=True, exist_ok=True)
    config = out / "config.yml"
    shutil.copyfile(system.config, config)
    name = f"{system.name}-{system.fingerprint()}"
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    if cache is not None:
        env["RASA_CACHE_DIRECTORY"] = str(cache)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed rasa command line
        [
            *rasa_command(system), "train",
            "--config", str(config),
            "--domain", str(system.domain),
            "--data", str(system.data),
            "--out", str(out),
            "--fixed-model-name", name,
        ],
        cwd=PROJECT_ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return out / f"{name}.tar.gz", time.perf_counter() - started


def model_for(system: System) -> Path:
    """The model to measure: the one in use for the project, a cached one for references."""
    if system is PROJECT:
        return supervisor.latest_model(PROJECT_ROOT / "models")
    out = BENCH_BUILD / system.name
    model = out / f"{system.name}-{system.fingerprint()}.tar.gz"
    if not model.exists():
        print(f"Trainiere Referenz {system.name} …", flush=True)
        for old in out.glob("*.tar.gz"):
            old.unlink()
        model, _ = train(system, out)
    return model


def rasa_command(system: System) -> list[str]:
    """``rasa`` as the system is served: through the project's patches, or as shipped."""
    return [sys.executable, "-m", "rasa"] if system.stock else supervisor.rasa_command()


def stock_rasa_server(settings: Settings, model: Path) -> supervisor.Server:
    """``rasa run`` as shipped, with Rasa's SQL tracker store and its REST channel."""
    STOCK_FILES.mkdir(parents=True, exist_ok=True)
    endpoints = STOCK_FILES / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: SQL\n  url: ${KSM_DATABASE_URL}\n"
        "action_endpoint:\n  url: ${KSM_ACTION_ENDPOINT}\n",
        encoding="utf-8",
    )
    credentials = STOCK_FILES / "credentials.yml"
    credentials.write_text("rest:\n", encoding="utf-8")
    local = f"http://{settings.local_host}:{settings.rasa_port}"
    command = [
        *rasa_command(MINIMAL), "run",
        "--model", str(model),
        "--interface", settings.bind_host,
        "--port", str(settings.rasa_port),
        "--endpoints", str(endpoints),
        "--credentials", str(credentials),
    ]  # fmt: skip
    return supervisor.Server(
        name="Rasa-Server (Rasa 3.6 wie ausgeliefert)",
        command=command,
        ready_url=f"{local}/",
        public_url=local,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    """A started system: its servers, its database and how long it took to answer."""

    system: System
    settings: Settings
    rasa: list[supervisor.Server]
    actions: supervisor.Server | None
    ready_seconds: float

    @property
    def webhook_urls(self) -> list[str]:
        return [f"{server.public_url}/webhooks/rest/webhook" for server in self.rasa]

    def pids(self) -> dict[str, int]:
        """The process id of each server that runs."""
        named = [(f"rasa:{server.public_url}", server) for server in self.rasa]
        if self.actions is not None:
            named.append(("actions", self.actions))
        return {name: server.process.pid for name, server in named if server.process}

    def stop(self) -> None:
        for server in [*self.rasa, *([self.actions] if self.actions else [])]:
            server.stop()


def prepare_database(url: str) -> None:
    """A fresh member database with the reference data set (and room for Rasa's events)."""
    env = {**os.environ, "KSM_DATABASE_URL": url}
    for command in (["db", "upgrade"], ["db", "seed"]):
        subprocess.run(  # noqa: S603 - fixed command line
            [sys.executable, "-m", "bot", *command],
            cwd=PROJECT_ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip


def fresh_database(system: System, server_url: str | None, *, name: str | None = None) -> str:
    """An empty database for one system: a new SQLite file, or the server's database emptied.

    The file is named after the system, or ``name`` for a second copy of it.
    """
    if server_url is None:
        path = BENCH_BUILD / "run" / f"{name or system.name}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in path.parent.glob(f"{path.name}*"):
            leftover.unlink()
        return f"sqlite:///{path}"
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url, future=True)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return server_url


def start(
    system: System,
    model: Path,
    *,
    database_url: str,
    instances: int = 1,
    lock_store_url: str | None = None,
    timeout: float = 300.0,
) -> Running:
    """Start the system's servers; return once every Rasa server answers a real message.

    ``ready_seconds`` is the time from starting the Rasa servers until the last of them
    answered "Hallo": model loading included, not only an open port.
    """
    settings = Settings(
        database_url=database_url,
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
        demo_pages=False,
        lock_store_url=lock_store_url,
    )
    env = supervisor.rasa_environment(settings)
    actions = supervisor.action_server(settings) if system.uses_actions else None
    if actions is not None:
        actions.start(env)
        supervisor.wait_until_ready([actions])
    if system.stock and instances != 1:
        raise ValueError(f"{system.name} läuft wie ausgeliefert nur als ein Rasa-Server")
    serve = stock_rasa_server if system.stock else supervisor.rasa_server
    rasa = [
        serve(replace(settings, rasa_port=free_port()) if i else settings, model)
        for i in range(instances)
    ]
    running = Running(system, settings, rasa, actions, 0.0)
    started = time.perf_counter()
    try:
        for server in rasa:
            server.start(env)
        pending = list(rasa)
        while pending:
            if time.perf_counter() - started > timeout:
                raise supervisor.StartupError(f"{system.name}: nach {timeout:.0f} s nicht bereit")
            for server in list(pending):
                if not server.is_running():
                    raise supervisor.StartupError(f"{system.name}: Rasa-Server beendet")
                if answers(f"{server.public_url}/webhooks/rest/webhook"):
                    pending.remove(server)
            time.sleep(0.2)
    except BaseException:
        running.stop()
        raise
    running.ready_seconds = time.perf_counter() - started
    return running


def answers(webhook: str) -> bool:
    """Whether the Rasa server at ``webhook`` answers a greeting (the model is loaded)."""
    import json
    import urllib.request

    request = urllib.request.Request(  # noqa: S310 - our own server's http URL
        webhook,
        data=json.dumps({"sender": "bench-ready", "message": "Hallo"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local
            return bool(response.status == 200 and json.load(response))
    except (OSError, ValueError):
        return False
