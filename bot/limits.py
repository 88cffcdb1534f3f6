"""Named limits, in one place: what the assistant accepts and how long it keeps things.

The channels, the web app, the helpdesk login and the privacy commands read their limits
from here, and the README and the nginx configuration quote the same numbers, so that an
operator who changes one finds all of them.
"""

from __future__ import annotations

import datetime as dt

MAX_MESSAGE_LENGTH = 2000
"""Longest chat message, in characters. The widget refuses longer input before sending;
the channels answer a longer one with a German hint instead of passing it to the NLU."""

MAX_SENDER_ID_LENGTH = 128
"""Longest conversation id a client may choose (the widget's are 36 characters)."""

MAX_METADATA_BYTES = 8192
"""Largest message metadata, as JSON. A ``user_token`` is at most 4 KiB; larger or
non-object metadata is dropped and the message is answered as an anonymous one."""

MAX_PACKET_BYTES = 64 * 1024
"""Largest request body or Socket.IO packet, in bytes: a chat message with its metadata needs
at most a quarter of it. nginx refuses larger bodies with the same number
(``client_max_body_size 64k``); the Rasa server closes a WebSocket that sends a larger
packet."""

MESSAGE_BURST = 20
"""Messages a conversation may send in quick succession before it is slowed down."""

MESSAGE_REFILL_SECONDS = 2.0
"""After the burst, one more message per this many seconds (30 per minute)."""

ACTION_TIMEOUT_SECONDS = 10.0
"""How long the Rasa server waits for the action server before apologising to the user
(``rasa_server.patches``; the environment variable ``KSM_ACTION_TIMEOUT_SECONDS`` overrides
it)."""

LOGIN_FAILURES_BEFORE_LOCK = 5
"""Failed helpdesk logins in a row after which the name is locked for a while."""

LOGIN_LOCK_DURATION = dt.timedelta(minutes=15)
"""How long a name stays locked after too many failed logins."""

LOGIN_FAILURE_DELAY_SECONDS = 1.0
"""Each failed login answers this much later per failure before it (at most
``LOGIN_FAILURE_MAX_DELAY_SECONDS``), so that guessing is slow even before the lock."""

LOGIN_FAILURE_MAX_DELAY_SECONDS = 8.0
"""The longest a failed login waits before it answers."""

CONVERSATION_RETENTION = dt.timedelta(days=90)
"""Conversations older than this are deleted by ``python -m bot privacy purge``."""

CLOSED_TICKET_RETENTION = dt.timedelta(days=90)
"""Personal data in tickets closed longer ago than this is masked by the same command."""
