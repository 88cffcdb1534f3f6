"""An unreachable tracker store stops ``python -m bot run`` and ``serve rasa`` with a clear message.

The commands run as an operator or systemd starts them: a child process, its exit code and
what it printed.
"""

import os
import socket
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("command", [["run"], ["serve", "rasa"]])
def test_unreachable_tracker_store_stops_the_start_with_a_german_message(command):
    env = {
        **os.environ,
        "KSM_DATABASE_URL": f"postgresql+psycopg2://ksm:geheim@127.0.0.1:{unused_port()}/ksm",
        "KSM_DEMO_PAGES": "0",
    }
    env.pop("KSM_LOCK_STORE_URL", None)

    result = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr.startswith(
        "Fehler: Die Datenbank für Gesprächsverläufe ist nicht erreichbar "
        "(postgresql+psycopg2://ksm:***@127.0.0.1:"
    )
    assert "Bitte KSM_DATABASE_URL prüfen." in result.stderr
    assert "geheim" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert "läuft" not in result.stdout  # no server was started
