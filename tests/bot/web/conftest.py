"""The web app on the seeded database of each backend, a logged-in client, ticket factories."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from bot import clock
from bot.settings import Settings
from bot.web.app import create_app
from tests.utils.web import AGENT_PASSWORD, add_agent, issue_api_token


@pytest.fixture
def agent(seeded):
    add_agent(seeded, "erika", display_name="Erika Muster")
    return "erika"


@pytest.fixture
def client(seeded):
    with TestClient(create_app(Settings(database_url=seeded)), base_url="https://testserver") as c:
        yield c


def csrf_token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(client, name="erika", password=AGENT_PASSWORD):
    form = client.get("/helpdesk/login")
    return client.post(
        "/helpdesk/login",
        data={"name": name, "password": password, "csrf_token": csrf_token(form.text)},
        follow_redirects=False,
    )


@pytest.fixture
def logged_in(client, agent):
    response = log_in(client)
    assert response.status_code == 303
    return client


@pytest.fixture
def api(client, agent, seeded):
    client.headers["Authorization"] = f"Bearer {issue_api_token(seeded, agent)}"
    return client


@pytest.fixture
def waits(client):
    """The delays failed logins asked for, recorded instead of slept."""
    recorded = []

    async def record(seconds):
        recorded.append(seconds)

    client.app.state.sleep = record
    return recorded


@pytest.fixture
def at(monkeypatch):
    """Set the assistant's clock: ``at(14, 20)`` is 25 November 2026, 14:20 in Berlin."""

    def set_clock(hour, minute, second=0):
        moment = dt.datetime(2026, 11, 25, hour, minute, second, tzinfo=ZoneInfo("Europe/Berlin"))
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return set_clock
