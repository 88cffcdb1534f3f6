"""A small stand-in for Rasa's REST channel, for the benchmark's tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestServer

Answer = Callable[[str, str], Awaitable[str]]
"""The text the fake answers to (sender id, message)."""


async def rest_channel(answer: Answer) -> TestServer:
    """A started server with ``/webhooks/rest/webhook``; the caller closes it."""

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        text = await answer(body["sender"], body["message"])
        return web.json_response([{"recipient_id": body["sender"], "text": text}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    server = TestServer(app)
    await server.start_server()
    return server
