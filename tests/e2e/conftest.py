"""The assistant as `make run` starts it, for end-to-end tests: real Rasa server, real action
server, real web app, real database (SQLite in a temporary directory).

Slow (the Rasa server loads its model in about a minute on two cores), so `make test` runs
these after training, as `pytest -m e2e`; one running assistant is shared by the tests that
need no restart.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.nlu import trained_models
from bot.settings import PROJECT_ROOT

READY_TIMEOUT = 300.0
IDENTITY_SECRET = "e2e-identity-secret-with-32-bytes"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Assistant:
    """``python -m bot run`` in a child process, on its own ports and database."""

    def __init__(self, database: Path) -> None:
        self.rasa_port = _free_port()
        self.env = {
            **os.environ,
            "KSM_DATABASE_URL": f"sqlite:///{database}",
            "RASA_PORT": str(self.rasa_port),
            "ACTIONS_PORT": str(_free_port()),
            "WEB_PORT": str(_free_port()),
            "KSM_IDENTITY_SECRET": IDENTITY_SECRET,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """Run ``python -m bot ARGS`` against this assistant's database; its standard output."""
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=None if stdin is None else stdin.encode(),
            stdout=subprocess.PIPE,
            env=self.env,
            cwd=PROJECT_ROOT,
            check=True,
        )
        return result.stdout.decode()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=self.env,
            cwd=PROJECT_ROOT,
            start_new_session=True,
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "python -m bot run ended during start-up"
            if self._answers():
                return
            time.sleep(1)
        pytest.fail(f"assistant not ready after {READY_TIMEOUT:.0f} s")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.rasa_port}/", timeout=2
            ) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def stop(self) -> int | None:
        """Ctrl-C, as an operator would press it; the exit code of ``python -m bot run``."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(60)

    @property
    def database_url(self) -> str:
        return self.env["KSM_DATABASE_URL"]

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.env['WEB_PORT']}"

    def say(self, sender: str, text: str, metadata: dict[str, str] | None = None) -> str:
        payload: dict[str, object] = {"sender": sender, "message": text}
        if metadata is not None:
            payload["metadata"] = metadata
        body = json.dumps(payload).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return "\n".join(message.get("text", "") for message in json.load(response))


def _prepared(directory: Path) -> Assistant:
    if trained_models.current_model(PROJECT_ROOT / "models") is None:
        pytest.fail("no trained model: run 'make train' first")
    assistant = Assistant(directory / "ksm.db")
    assistant.cli("db", "upgrade")
    assistant.cli("db", "seed")
    return assistant


@pytest.fixture
def assistant(tmp_path: Path) -> Iterator[Assistant]:
    """A fresh assistant, not started yet."""
    assistant = _prepared(tmp_path)
    yield assistant
    assistant.stop()


@pytest.fixture(scope="session")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """One running assistant for the tests that need no restart; its service desk has the
    administrator's own number (tests/e2e/desk_phone.yml)."""
    assistant = _prepared(tmp_path_factory.mktemp("running"))
    assistant.cli("db", "import", str(PROJECT_ROOT / "tests" / "e2e" / "desk_phone.yml"))
    assistant.start()
    yield assistant
    assistant.stop()
