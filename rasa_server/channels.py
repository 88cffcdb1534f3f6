"""Rasa's REST and Socket.IO channels with the project's input checks (``bot.chat_input``).

``credentials.yml`` names these classes instead of Rasa's ``rest`` and ``socketio``; they keep
Rasa's names, URLs and message format. What they add: every message is cleaned and checked
(length, empty, not text, conversation id, metadata, rate per conversation) before Rasa sees
it, and a refused one is answered with a German hint. Rasa's own channels pass any JSON on:
a missing ``sender`` puts every such client into one conversation called ``default``, a NUL
in it fails in PostgreSQL, a number as ``message`` fails in the NLU, a list as body or a
non-JSON ``customData`` string raises in the handler, and the REST channel logs failing
messages' text.

Refusals are logged with their reason only, never the message.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import chat_input, limits
from bot.chat_input import Refusal

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def _log_refusal(channel: str, refusal: Refusal) -> None:
    logger.info("%s message refused: %s", channel, refusal.reason)


class RestInput(RasaRestInput):
    """``POST /webhooks/rest/webhook`` with ``{"sender", "message", "metadata"}``, checked.

    A refused message is answered in the REST format (a list of bot messages) with the HTTP
    status of its refusal: 400 malformed, 413 too long, 429 too fast (with ``Retry-After``).
    The ``input_channel`` a client names is ignored: the tracker records ``rest``.
    """

    def __init__(self, limiter: chat_input.RateLimiter | None = None) -> None:
        self.limiter = limiter or chat_input.RateLimiter()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestInput:
        return cls()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - Sanic raises its own type for bad JSON
                body = None
            status, messages, headers = await self.respond(body, on_new_message)
            return response.json(messages, status=status, headers=headers)

        webhook.add_route(health, "/", methods=["GET"])
        webhook.add_route(receive, "/webhook", methods=["POST"])
        return webhook

    async def respond(
        self, body: object, on_new_message: OnNewMessage
    ) -> tuple[int, list[dict[str, Any]], dict[str, str] | None]:
        """HTTP status, bot messages and extra headers for the request body ``body``."""
        body = body if isinstance(body, dict) else {}
        sender = chat_input.sender_id(body.get("sender"))
        if sender is None:
            return self._refuse("", chat_input.bad_sender())
        text, refusal = self.limiter.check_message(sender, body.get("message"))
        if refusal is not None:
            return self._refuse(sender, refusal)
        collector = CollectingOutputChannel()
        message = UserMessage(
            text,
            collector,
            sender,
            input_channel=self.name(),
            metadata=chat_input.metadata(body.get("metadata")),
        )
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            logger.error("REST message timed out")
        except Exception as exc:  # noqa: BLE001 - answer what was collected, as Rasa does
            logger.error("REST message failed with %s", type(exc).__name__)
        return 200, collector.messages, None

    @staticmethod
    def _refuse(
        sender: str, refusal: Refusal
    ) -> tuple[int, list[dict[str, Any]], dict[str, str] | None]:
        _log_refusal("REST", refusal)
        headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else None
        return refusal.status, [{"recipient_id": sender, "text": refusal.text}], headers


class SocketIOInput(RasaSocketIOInput):
    """Rasa's Socket.IO channel (the widget's) with the same checks as ``RestInput``.

    Rasa's handlers for ``session_request`` and the user-message event are replaced on the
    same Socket.IO server by checked ones; everything else (connect, rooms, output) is
    Rasa's. A refused message is answered to the sending socket only. A packet larger than
    ``MAX_PACKET_BYTES`` (python-engineio's default is 1 MB) closes the WebSocket.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limiter = chat_input.RateLimiter()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        assert self.sio is not None  # noqa: S101 - Rasa's blueprint() has just created it
        self.sio.eio.max_http_buffer_size = limits.MAX_PACKET_BYTES

        async def handle_message(sid: str, data: Any) -> None:
            await self.on_user_message(sid, data, on_new_message)

        self.sio.on("session_request", self.on_session_request, namespace=self.namespace)
        self.sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return webhook

    async def on_session_request(self, sid: str, data: Any) -> None:
        """Confirm the client's conversation id if it is a valid one, else a new one."""
        assert self.sio is not None  # noqa: S101 - set by blueprint()
        requested = data.get("session_id") if isinstance(data, dict) else None
        session_id = chat_input.sender_id(requested) or uuid.uuid4().hex
        if self.session_persistence:
            await _enter_room(self.sio, sid, session_id, self.namespace)
        await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

    async def on_user_message(self, sid: str, data: Any, on_new_message: OnNewMessage) -> None:
        """Pass a checked message on to Rasa, or answer the socket with the refusal."""
        assert self.sio is not None  # noqa: S101 - set by blueprint()
        data = data if isinstance(data, dict) else {}
        if self.session_persistence:
            sender = chat_input.sender_id(data.get("session_id"))
            if sender is None:
                await self._refuse(sid, chat_input.bad_sender())
                return
        else:
            sender = sid
        text, refusal = self.limiter.check_message(sender, data.get("message"))
        if refusal is not None:
            await self._refuse(sid, refusal)
            return
        message = UserMessage(
            text,
            SocketIOOutput(self.sio, self.bot_message_evt),
            sender,
            input_channel=self.name(),
            metadata=chat_input.metadata(data.get(self.metadata_key)),
        )
        await on_new_message(message)

    async def _refuse(self, sid: str, refusal: Refusal) -> None:
        _log_refusal("Socket.IO", refusal)
        assert self.sio is not None  # noqa: S101 - set by blueprint()
        await self.sio.emit(
            self.bot_message_evt, {"text": refusal.text}, room=sid, namespace=self.namespace
        )


async def _enter_room(sio: Any, sid: str, room: str, namespace: str | None) -> None:
    """Join ``sid`` to ``room``, awaiting ``enter_room`` where it is a coroutine.

    It is one from python-socketio 5.10 on, and a forgotten await there is the known cause
    of silently dropped replies.
    """
    joined = sio.enter_room(sid, room, namespace=namespace)
    if asyncio.iscoroutine(joined):
        await joined
