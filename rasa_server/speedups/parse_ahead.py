"""A message parsed in a thread of its own while its conversation is loaded.

For every message Rasa first loads the conversation from the tracker store and, when a new
session begins, runs ``action_session_start`` on the action server; only then does it run
the NLU pipeline (``MessageProcessor.log_message``). The NLU pipeline does not read the
conversation: ``parse_message`` makes an empty tracker when it is given none, and a model's
NLU graph takes the tracker only if one of its components asks for it. So the two can run
at the same time: the message is parsed from the moment it arrives, and the tracker store
and the action server do their part meanwhile. Loading takes about 2 ms, a session start
5 to 8 ms (a call to the action server), parsing 5 to 10 ms (``docs/PERFORMANCE.md``).

Every parse runs in one thread, one message after the other, as Rasa runs them one after
the other on its event loop: the NLU components never see two messages at once. The event
loop meanwhile serves the other conversations: a message that arrives during another one's
parse waits for that parse only, not for its whole turn, and TensorFlow and the tracker
store's database work run without Python's interpreter lock, on the second core. The parse
is Rasa's ``parse_message``, given no tracker; what it returns is logged on the loaded
conversation as before. Rasa's order is kept for a message that comes parsed already, for
an NLU server (``http_interpreter``) and for a model whose NLU graph needs the tracker.
When loading fails, its error is raised, as in Rasa, once the parse has ended; a parse that
fails raises its error once loading has ended, where Rasa would raise it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any

from rasa_server import originals

INDEPENDENT = "_ksm_nlu_without_tracker"
"""Set on a processor: whether its model's NLU graph can run without the conversation."""

_thread = threading.local()
_executor: concurrent.futures.ThreadPoolExecutor | None = None


def nlu_executor() -> concurrent.futures.ThreadPoolExecutor:
    """The one thread in which messages are parsed, made on first use."""
    global _executor
    if _executor is None:
        _executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="ksm-nlu")
    return _executor


def nlu_without_tracker(processor: Any) -> bool:
    """Whether no node of the processor's NLU graph takes the conversation as input."""
    known = processor.__dict__.get(INDEPENDENT)
    if known is None:
        from rasa.engine.constants import PLACEHOLDER_TRACKER

        metadata = processor.model_metadata
        schema = metadata.predict_schema.minimal_graph_schema([metadata.nlu_target])
        known = all(
            PLACEHOLDER_TRACKER not in node.needs.values() for node in schema.nodes.values()
        )
        processor.__dict__[INDEPENDENT] = known
    return bool(known)


def in_nlu_thread(
    processor: Any, message: Any, tracker: Any, only_output_properties: bool
) -> dict[str, Any]:
    """Rasa's ``parse_message``, run in the NLU thread on that thread's own event loop."""
    loop = getattr(_thread, "loop", None)
    if loop is None:
        loop = _thread.loop = asyncio.new_event_loop()
    parsing = rasa_parse_message()(processor, message, tracker, only_output_properties)
    return loop.run_until_complete(parsing)


async def parse_message(
    self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True
) -> dict[str, Any]:
    """``MessageProcessor.parse_message``, run in the NLU thread unless an NLU server parses."""
    if self.http_interpreter:
        return await rasa_parse_message()(self, message, tracker, only_output_properties)
    return await asyncio.get_running_loop().run_in_executor(
        nlu_executor(), in_nlu_thread, self, message, tracker, only_output_properties
    )


async def log_message(self: Any, message: Any, should_save_tracker: bool = True) -> Any:
    """``MessageProcessor.log_message``, with the message parsed while the tracker loads."""
    if message.parse_data or self.http_interpreter or not nlu_without_tracker(self):
        return await rasa_log_message()(self, message, should_save_tracker)
    parsing = asyncio.ensure_future(self.parse_message(message))
    try:
        tracker = await self.fetch_tracker_and_update_session(
            message.sender_id, message.output_channel, message.metadata
        )
    except BaseException:
        await asyncio.wait([parsing])
        if not parsing.cancelled():
            parsing.exception()  # the load's error is the one Rasa raises
        raise
    message.parse_data = await parsing
    await self._handle_message_with_tracker(message, tracker)
    if should_save_tracker:
        await self.save_tracker(tracker)
    return tracker


def rasa_log_message() -> Any:
    """Rasa's own ``MessageProcessor.log_message``, as it was before ``apply``."""
    from rasa.core.processor import MessageProcessor

    return originals.original(MessageProcessor, "log_message")


def rasa_parse_message() -> Any:
    """Rasa's own ``MessageProcessor.parse_message``, as it was before ``apply``."""
    from rasa.core.processor import MessageProcessor

    return originals.original(MessageProcessor, "parse_message")


def apply() -> None:
    from rasa.core.processor import MessageProcessor

    originals.replace(MessageProcessor, "log_message", log_message)
    originals.replace(MessageProcessor, "parse_message", parse_message)
