"""The assistant as `make run` starts it: real Rasa server, real action server, real database.

Slow (the Rasa server loads its model in about a minute on two cores), so `make test` runs
these after training, as `pytest -m e2e`.
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

from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

READY_TIMEOUT = 300.0


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
        }
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "bot", *args], env=self.env, cwd=PROJECT_ROOT, check=True
        )

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
    if not any((PROJECT_ROOT / "models").glob("*.tar.gz")):
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


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """One running assistant for the tests that need no restart; its service desk has the
    administrator's own number (tests/e2e/desk_phone.yml)."""
    assistant = _prepared(tmp_path_factory.mktemp("running"))
    assistant.cli("db", "import", str(PROJECT_ROOT / "tests" / "e2e" / "desk_phone.yml"))
    assistant.start()
    yield assistant
    assistant.stop()


def test_members_question_is_answered_from_the_database_and_survives_a_restart(assistant):
    assistant.start()

    members = assistant.say("staff-1", "Welche Verwaltungen gehören zum KSM-Verbund?")
    for name in (
        "Landeshauptstadt Schwerin",
        "Stadt Grabow",
        "Amt Parchimer Umland",
        "Amt Musterland",
    ):
        assert name in members
    assert "Stadt Grabow ist seit dem 01.01.2019" in assistant.say(
        "staff-1", "Seit wann ist Grabow dabei?"
    )
    assert "kenne ich nicht" in assistant.say("staff-2", "Gehört Hagenow zum Verbund?")

    assert assistant.stop() == 0
    assistant.start()

    # The tracker store kept staff-1's conversation, with the member it named.
    assert "Stadt Grabow ist seit dem 01.01.2019" in assistant.say(
        "staff-1", "Seit wann betreut uns die KSM?"
    )
    assert "Zu welcher Verwaltung" in assistant.say("staff-3", "Seit wann betreut uns die KSM?")


def test_member_is_asked_once_then_the_question_is_answered(running):
    first = running.say("staff-5", "Seit wann betreut uns die KSM?")
    assert "Hinweis zum Datenschutz" in first
    assert "Zu welcher Verwaltung gehören Sie?" in first
    answer = running.say("staff-5", '/inform_member{"member": "grabow"}')
    assert "Stadt Grabow ist seit dem 01.01.2019" in answer


def test_member_from_the_page_and_contact_data_from_the_database(running):
    status = running.say(
        "staff-4", "Wie weit ist die Umstellung bei uns?", metadata={"member": "musterland"}
    )
    assert "Stand des Beitritts von Amt Musterland" in status
    assert "Migration der Arbeitsplätze: 14.12.2026–18.12.2026" in status
    # FAQ answers take the hotline from the database (imported by the fixture), not the text.
    assert "0385 99 99 99" in running.say("staff-4", "Ich habe mein Passwort vergessen")
