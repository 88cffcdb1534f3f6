"""The project's REST and Socket.IO channels check every message before Rasa sees it."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.run import create_http_input_channels
from sanic import Sanic

from bot import chat_input, limits
from bot.settings import PROJECT_ROOT
from rasa_server import channels


class Rasa:
    """Stands in for Rasa's message handler: records messages and answers each one."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Guten Tag!")


@pytest.fixture
def rasa() -> Rasa:
    return Rasa()


def test_rasa_builds_the_project_channels_from_credentials_yml():
    built = create_http_input_channels(None, str(PROJECT_ROOT / "credentials.yml"))
    assert sorted(type(c).__qualname__ for c in built) == ["RestInput", "SocketIOInput"]
    assert all(type(c).__module__ == "rasa_server.channels" for c in built)
    socket = next(c for c in built if isinstance(c, channels.SocketIOInput))
    assert socket.session_persistence is True
    assert socket.metadata_key == "customData"


def test_the_channels_keep_rasa_s_urls():
    app = Sanic("channels_test")
    for channel in (channels.RestInput(), channels.SocketIOInput(session_persistence=True)):
        app.blueprint(channel.blueprint(Rasa()), url_prefix="/webhooks/" + channel.url_prefix())
    paths = {route.path for route in app.router.routes}
    assert {"webhooks/rest/webhook", "webhooks/rest", "webhooks/socketio"} <= paths
    assert channel.sio is not None
    assert channel.sio.eio.max_http_buffer_size == limits.MAX_PACKET_BYTES


async def test_a_valid_rest_message_reaches_rasa_cleaned_with_its_metadata(rasa):
    status, messages, _ = await channels.RestInput().respond(
        {
            "sender": "abc-1",
            "message": " Drucker\x00 kaputt ",
            "metadata": {"user_token": "t"},
            "input_channel": "admin",
        },
        rasa,
    )
    assert (status, messages) == (200, [{"recipient_id": "abc-1", "text": "Guten Tag!"}])
    (message,) = rasa.messages
    assert message.text == "Drucker kaputt"
    assert message.metadata == {"user_token": "t"}
    assert message.input_channel == "rest", "the client cannot name another channel"


@pytest.mark.parametrize(
    ("body", "status", "hint"),
    [
        ({"sender": "a", "message": "x" * (limits.MAX_MESSAGE_LENGTH + 1)}, 413, "zu lang"),
        ({"sender": "a", "message": ""}, 200, "leer"),
        ({"sender": "a", "message": "\x00\x07"}, 200, "leer"),
        ({"sender": "a", "message": 42}, 400, "Textnachrichten"),
        ({"sender": "a"}, 400, "Textnachrichten"),
        ({"message": "Hallo"}, 400, "Gesprächskennung"),
        ({"sender": "a\x00", "message": "Hallo"}, 400, "Gesprächskennung"),
        ({"sender": {"$ne": 1}, "message": "Hallo"}, 400, "Gesprächskennung"),
        (["sender", "message"], 400, "Gesprächskennung"),
        (None, 400, "Gesprächskennung"),
    ],
)
async def test_refused_rest_messages_get_a_german_hint_and_never_reach_rasa(
    rasa, body, status, hint
):
    answered, messages, _ = await channels.RestInput().respond(body, rasa)
    assert answered == status
    (message,) = messages
    assert hint in message["text"]
    assert rasa.messages == []


async def test_rest_metadata_of_the_wrong_type_or_size_is_dropped_and_the_message_answered(rasa):
    rest = channels.RestInput()
    for metadata in ("kein JSON", ["a"], 7, {"x": "y" * limits.MAX_METADATA_BYTES}):
        status, _, _ = await rest.respond(
            {"sender": "m", "message": "Hallo", "metadata": metadata}, rasa
        )
        assert status == 200
    assert [m.metadata for m in rasa.messages] == [None, None, None, None]


async def test_a_conversation_that_sends_too_fast_gets_429_with_retry_after(rasa):
    rest = channels.RestInput(chat_input.RateLimiter(burst=2, refill=30))
    for _ in range(2):
        assert (await rest.respond({"sender": "fast", "message": "Hallo"}, rasa))[0] == 200
    status, messages, headers = await rest.respond({"sender": "fast", "message": "Hallo"}, rasa)
    assert status == 429 and headers == {"Retry-After": "30"}
    assert messages[0]["text"].startswith("Sie schreiben schneller")
    assert len(rasa.messages) == 2
    assert (await rest.respond({"sender": "other", "message": "Hallo"}, rasa))[0] == 200


async def test_a_failing_rasa_still_gets_an_http_answer():
    async def failing(message: UserMessage) -> None:
        raise RuntimeError("boom")

    status, messages, _ = await channels.RestInput().respond(
        {"sender": "a", "message": "x"}, failing
    )
    assert (status, messages) == (200, [])


class FakeSocketServer:
    """The part of python-socketio's AsyncServer that the channel uses."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, str]] = []
        self.rooms: list[tuple[str, str]] = []

    async def emit(self, event: str, data: Any, room: str, namespace: str | None = None) -> None:
        self.emitted.append((event, data, room))

    def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None:
        self.rooms.append((sid, room))


def socket_channel() -> tuple[channels.SocketIOInput, FakeSocketServer]:
    channel = channels.SocketIOInput(session_persistence=True, metadata_key="customData")
    server = FakeSocketServer()
    channel.sio = server
    return channel, server


async def test_a_session_request_keeps_a_valid_id_and_replaces_an_unsafe_one():
    channel, server = socket_channel()
    await channel.on_session_request("sid1", {"session_id": "abc123"})
    await channel.on_session_request("sid2", {"session_id": "a\x00" * 500})
    await channel.on_session_request("sid3", "kein Objekt")
    confirmed = [(room, data) for event, data, room in server.emitted if event == "session_confirm"]
    assert confirmed[0] == ("sid1", "abc123")
    assert chat_input.sender_id(confirmed[1][1]) == confirmed[1][1] != "a\x00" * 500
    assert chat_input.sender_id(confirmed[2][1]) == confirmed[2][1]
    assert server.rooms == [(sid, data) for sid, data in confirmed]


async def test_a_valid_socket_message_reaches_rasa_with_its_custom_data(rasa):
    channel, _ = socket_channel()
    await channel.on_user_message(
        "sid", {"session_id": "abc123", "message": "Hallo\x00", "customData": '{"a": 1}'}, rasa
    )
    (message,) = rasa.messages
    assert (message.sender_id, message.text, message.metadata) == ("abc123", "Hallo", {"a": 1})
    assert message.input_channel == "socketio"


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        ({"session_id": "abc", "message": "x" * 5000}, "zu lang"),
        ({"session_id": "abc", "message": "   "}, "leer"),
        ({"session_id": "abc", "message": {"text": "x"}}, "Textnachrichten"),
        ({"message": "Hallo"}, "Gesprächskennung"),
        ("Hallo", "Gesprächskennung"),
    ],
)
async def test_refused_socket_messages_are_answered_to_the_sending_socket_only(rasa, data, hint):
    channel, server = socket_channel()
    await channel.on_user_message("sid", data, rasa)
    ((event, answer, room),) = server.emitted
    assert (event, room) == ("bot_uttered", "sid")
    assert hint in answer["text"]
    assert rasa.messages == []
