"""The action server reached over kept-alive connections.

For every custom action Rasa opens a new HTTP client session (``EndpointConfig.request``):
a new connection pool, a new TCP connection to the action server, closed again after the
answer. That was about 0.7 ms of each action call's 2 to 4 ms. The Rasa server now keeps
one client session per endpoint and sends the same requests over it, so consecutive calls
reuse their connections. A kept connection is given up after ``IDLE_SECONDS``, well before
the action server (Sanic, 5 s) closes it from its side, so that no request is sent on a
connection the server is just closing. Only ``rasa run`` keeps connections, and closes them
when it stops; the other commands (``rasa shell``, ``rasa test``) use Rasa's way.

The kept sessions write their requests with ``ujson``, which Sanic already brings: each
request holds the whole conversation and the domain (about 45 kB for a ticket form), and
Python's ``json`` took 0.24 ms for that, ``ujson`` 0.11 ms. The action server reads the same
values either way. Whatever ``ujson`` refuses is handed to ``json``, which writes it or
raises as before.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import ssl
from typing import Any

logger = logging.getLogger(__name__)

IDLE_SECONDS = 2.0
"""How long an unused connection to the action server is kept open."""

_open: list[tuple[Any, Any]] = []
"""The kept client sessions and the event loop each belongs to."""
_serving = False
_rasa_request: Any = None
_rasa_serve_application: Any = None
_rasa_close_resources: Any = None


def dumps(value: Any) -> str:
    """``value`` as JSON for the action server: ``json.dumps``'s values, written faster."""
    import ujson

    try:
        return ujson.dumps(value, escape_forward_slashes=False)
    except (OverflowError, TypeError, ValueError):
        return json.dumps(value)


def session_for(endpoint: Any) -> Any:
    """The endpoint's kept client session on this event loop, made on first use."""
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    loop = asyncio.get_running_loop()
    kept = endpoint.__dict__.setdefault("_ksm_sessions", {})
    found = kept.get(id(loop))
    if found is not None and found[0] is loop and not found[1].closed:
        return found[1]
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    session = aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS),
        json_serialize=dumps,
    )
    kept[id(loop)] = (loop, session)
    _open.append((loop, session))
    return session


async def request(
    self: Any,
    method: str = "post",
    subpath: str | None = None,
    content_type: str | None = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Any:
    """``EndpointConfig.request`` over the endpoint's kept session (in ``rasa run``)."""
    if not _serving:
        return await _rasa_request(self, method, subpath, content_type, compress, **kwargs)
    from aiohttp import ContentTypeError
    from rasa.shared.exceptions import FileNotFoundException
    from rasa.utils.endpoints import ClientResponseError, concat_url

    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if "headers" in kwargs:
        headers.update(kwargs.pop("headers"))
    if self.headers:
        headers.update(self.headers)
    url = concat_url(self.url, subpath)
    sslcontext = None
    if self.cafile:
        try:
            sslcontext = ssl.create_default_context(cafile=self.cafile)
        except FileNotFoundError as e:
            raise FileNotFoundException(
                f"Failed to find certificate file, '{os.path.abspath(self.cafile)}' does not exist."
            ) from e
    async with session_for(self).request(
        method,
        url,
        headers=headers,
        params=self.combine_parameters(kwargs),
        compress=compress,
        ssl=sslcontext,
        **kwargs,
    ) as response:
        if response.status >= 400:
            raise ClientResponseError(
                response.status, response.reason, await response.content.read()
            )
        try:
            return await response.json()
        except ContentTypeError:
            return None


def serve_application(*args: Any, **kwargs: Any) -> Any:
    """Rasa's ``serve_application`` (``rasa run``), with connections to the action server kept."""
    global _serving
    _serving = True
    return _rasa_serve_application(*args, **kwargs)


async def close_resources(*args: Any, **kwargs: Any) -> None:
    """Rasa's ``close_resources`` when the server stops, and the kept sessions closed."""
    await _rasa_close_resources(*args, **kwargs)
    loop = asyncio.get_running_loop()
    for kept in [kept for kept in _open if kept[0] is loop]:
        _open.remove(kept)
        await kept[1].close()


def apply() -> None:
    global _rasa_request, _rasa_serve_application, _rasa_close_resources
    import rasa.core.run
    from rasa.utils.endpoints import EndpointConfig

    if _rasa_request is None:
        _rasa_request = EndpointConfig.request
        _rasa_serve_application = rasa.core.run.serve_application
        _rasa_close_resources = rasa.core.run.close_resources
        EndpointConfig.request = request
        # ``rasa.api.run`` passes on only the arguments the signature names.
        serve_application.__signature__ = inspect.signature(_rasa_serve_application)  # type: ignore[attr-defined]
        close_resources.__signature__ = inspect.signature(_rasa_close_resources)  # type: ignore[attr-defined]
        rasa.core.run.serve_application = serve_application
        rasa.core.run.close_resources = close_resources
