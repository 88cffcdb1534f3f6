"""In ``rasa run`` the action server is reached over kept-alive connections, with the answers
and errors of Rasa's own requests.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from typing import Any

import pytest
import rasa.core.run
from aiohttp import web
from aiohttp.test_utils import TestServer
from hypothesis import given
from hypothesis import strategies as st
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from rasa_server.speedups import action_server


@pytest.fixture(autouse=True)
def applied(monkeypatch):
    """The speedup applied; Rasa's own functions back in place after the test."""
    monkeypatch.setattr(EndpointConfig, "request", EndpointConfig.request)
    monkeypatch.setattr(rasa.core.run, "serve_application", rasa.core.run.serve_application)
    monkeypatch.setattr(rasa.core.run, "close_resources", rasa.core.run.close_resources)
    for name in ("_rasa_request", "_rasa_serve_application", "_rasa_close_resources"):
        monkeypatch.setattr(action_server, name, None)
    monkeypatch.setattr(action_server, "_open", [])
    monkeypatch.setattr(action_server, "_serving", False)
    action_server.apply()


class FakeActionServer:
    """Answers like the action server; counts the connections it was asked on."""

    def __init__(self) -> None:
        self.connections: set[int] = set()
        self.bodies: list[Any] = []

    async def webhook(self, request: web.Request) -> web.Response:
        assert request.transport is not None
        self.connections.add(id(request.transport))
        body = await request.json()
        self.bodies.append(body)
        if body["next_action"] == "action_reject":
            return web.json_response({"action_name": "action_reject", "error": "nein"}, status=400)
        if body["next_action"] == "action_text":
            return web.Response(text="kein JSON")
        return web.json_response({"events": [], "responses": [{"text": body["next_action"]}]})


@pytest.fixture
async def server() -> AsyncIterator[tuple[FakeActionServer, str]]:
    fake = FakeActionServer()
    app = web.Application()
    app.router.add_post("/webhook", fake.webhook)
    test_server = TestServer(app)
    await test_server.start_server()
    yield fake, str(test_server.make_url("/webhook"))
    await test_server.close()


async def call(endpoint: EndpointConfig, action: str) -> Any:
    return await endpoint.request(json={"next_action": action}, method="post", timeout=10)


async def outcome(endpoint: EndpointConfig, action: str) -> Any:
    try:
        return await call(endpoint, action)
    except ClientResponseError as error:
        return (error.status, error.text)


async def test_rasa_run_keeps_one_connection_for_consecutive_calls(server, monkeypatch):
    fake, url = server
    monkeypatch.setattr(action_server, "_serving", True)
    endpoint = EndpointConfig(url=url)

    for _ in range(5):
        assert await call(endpoint, "action_a") == {
            "events": [],
            "responses": [{"text": "action_a"}],
        }

    assert len(fake.connections) == 1
    await rasa.core.run.close_resources(app_with_agent(), None)
    assert action_server._open == []


async def test_other_commands_take_rasa_s_way(server):
    fake, url = server
    endpoint = EndpointConfig(url=url)

    for _ in range(3):
        await call(endpoint, "action_a")

    assert len(fake.connections) == 3
    assert action_server._open == []


@pytest.mark.parametrize("action", ["action_a", "action_reject", "action_text"])
async def test_answers_and_errors_are_rasa_s(server, monkeypatch, action):
    _, url = server
    theirs = await outcome(EndpointConfig(url=url), action)
    monkeypatch.setattr(action_server, "_serving", True)

    assert await outcome(EndpointConfig(url=url), action) == theirs
    await rasa.core.run.close_resources(app_with_agent(), None)


async def test_an_idle_connection_is_given_up_before_the_server_closes_it(server, monkeypatch):
    import asyncio

    fake, url = server
    monkeypatch.setattr(action_server, "_serving", True)
    monkeypatch.setattr(action_server, "IDLE_SECONDS", 0.1)
    endpoint = EndpointConfig(url=url)

    await call(endpoint, "action_a")
    await asyncio.sleep(0.5)
    await call(endpoint, "action_a")

    assert len(fake.connections) == 2
    assert action_server.IDLE_SECONDS < 5  # Sanic's keep-alive timeout on the action server
    await rasa.core.run.close_resources(app_with_agent(), None)


def app_with_agent() -> Any:
    """What ``close_resources`` gets from Sanic: an app whose agent has no event broker."""

    class Ctx:
        agent = None

    class App:
        ctx = Ctx()

    return App()


def test_serving_is_what_rasa_run_starts(monkeypatch):
    started = []
    monkeypatch.setattr(action_server, "_rasa_serve_application", lambda **kw: started.append(kw))

    rasa.core.run.serve_application(port=5005)

    assert action_server._serving
    assert started == [{"port": 5005}]


def test_rasa_run_s_arguments_reach_rasa_s_serve_application():
    from rasa.shared.utils.common import minimal_kwargs

    passed = minimal_kwargs(
        {"port": 5005, "interface": "127.0.0.1", "unknown": 1}, rasa.core.run.serve_application
    )

    assert passed == {"port": 5005, "interface": "127.0.0.1"}


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_requests_are_written_with_json_s_values(value):
    assert json.loads(action_server.dumps(value)) == json.loads(json.dumps(value))


def test_nan_and_infinity_are_written_as_json_writes_them():
    written = json.loads(action_server.dumps({"nan": math.nan, "limits": [math.inf, -math.inf]}))

    assert math.isnan(written["nan"])
    assert written["limits"] == [math.inf, -math.inf]


def test_what_ujson_refuses_is_left_to_json():
    with pytest.raises(TypeError, match="is not JSON serializable"):
        action_server.dumps({"when": object()})


async def test_the_action_server_reads_what_rasa_sent(server, monkeypatch):
    fake, url = server
    monkeypatch.setattr(action_server, "_serving", True)
    endpoint = EndpointConfig(url)
    sent = {
        "next_action": "action_session_start",
        "tracker": {
            "text": "Drucker im Bürgerbüro 🖨 kaputt / bitte",
            "confidence": 0.9904590845108032,
        },
        "events": [{"timestamp": 1764998400.123456, "parse_data": None, "entities": []}],
    }

    await endpoint.request(json=sent, method="post", timeout=10)

    assert fake.bodies == [sent]
    await rasa.core.run.close_resources(app_with_agent(), None)
