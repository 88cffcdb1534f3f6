"""The web app on the seeded database of each backend, a logged-in client, ticket factories."""

import re

import pytest
from fastapi.testclient import TestClient

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
