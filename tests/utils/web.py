"""Helpers to test the web app as it runs: a real uvicorn process, an agent, real Chromium.

Reusable from any test that has a migrated database URL (``db_url``/``seeded`` fixtures)::

    add_agent(database_url, "erika", display_name="Erika Muster")
    with running_web_app(database_url) as base_url, chromium() as browser:
        page = browser.new_page()
        log_in(page, base_url, "erika")
        page.goto(f"{base_url}/helpdesk/tickets/KSM-2026-00001")
        page.get_by_label("Status", exact=True).select_option("in Bearbeitung")
        page.get_by_role("button", name="Status ändern").click()
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from bot.db.session import create_db_engine
from bot.settings import PROJECT_ROOT
from bot.web import accounts

AGENT_PASSWORD = "ein-langes-test-passwort"
"""Password of the agents ``add_agent`` creates (long enough for the password policy)."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT_SECONDS = 30.0


def add_agent(
    database_url: str,
    name: str = "erika",
    *,
    display_name: str = "Erika Muster",
    password: str = AGENT_PASSWORD,
) -> None:
    """Create an agent account in the database at ``database_url``."""
    engine = create_db_engine(database_url)
    try:
        with sessionmaker(bind=engine, future=True).begin() as session:
            accounts.create_agent(
                name,
                password,
                display_name=display_name,
                now=dt.datetime.now(dt.timezone.utc),
                session=session,
            )
    finally:
        engine.dispose()


def issue_api_token(database_url: str, name: str = "erika") -> str:
    """A fresh API token for the agent ``name``."""
    engine = create_db_engine(database_url)
    try:
        with sessionmaker(bind=engine, future=True).begin() as session:
            agent = accounts.agent_by_name(name, session=session)
            assert agent is not None, name
            return accounts.issue_api_token(
                agent, now=dt.datetime.now(dt.timezone.utc), session=session
            )
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_web_app(database_url: str, **environment: str) -> Iterator[str]:
    """Serve the web app with uvicorn on a free port, as ``python -m bot run`` does.

    Yields the base URL (``http://127.0.0.1:PORT``); the server stops when the block ends.
    """
    port = free_port()
    env = {**os.environ, "KSM_DATABASE_URL": database_url, **environment}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "bot.web.app:app_from_env",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--ws",
        "none",
    ]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(process, f"{base_url}/health")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen[Any], url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"web app exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"web app not ready at {url} after {STARTUP_TIMEOUT_SECONDS:.0f} s")


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for a test module; a test opens its own context (cookies, storage) in it.

    Registered for all tests by ``tests/conftest.py``. Playwright's sync API runs one instance
    per thread at a time, so a module that uses this fixture does not also call ``chromium()``.
    """
    with chromium() as browser:
        yield browser


def log_in(page: Any, base_url: str, name: str = "erika", password: str = AGENT_PASSWORD) -> None:
    """Log in through the login form; afterwards the page shows the ticket queue."""
    page.goto(f"{base_url}/helpdesk/login")
    page.get_by_label("Anmeldename").fill(name)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base_url}/helpdesk")
