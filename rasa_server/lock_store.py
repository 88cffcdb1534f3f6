"""Rasa's Redis lock store, with every change of a lock made atomically.

Several Rasa servers share the conversation locks in Redis so that the messages of one
conversation are processed one after the other, whichever server they reach. Rasa 3.6's
``RedisLockStore`` reads a lock, changes it in Python and writes it back: two servers that
take a ticket for the same conversation at the same moment both read the empty lock, both
write ticket 0, and both go ahead. That is what a double click on "Ja" in two browser tabs
does, and it opened the ticket twice (``tests/e2e/test_two_instances.py``). Releasing a
ticket has the same gap: a ticket taken between Rasa's "is anyone waiting?" and its delete
is deleted with the lock, and its message fails with ``LockError``.

This store keeps Rasa's lock format and its first-come, first-served order, and makes each
read-change-write one Redis transaction (``WATCH``/``MULTI``/``EXEC``, retried when another
server changed the lock in between). It also waits 50 ms between attempts instead of Rasa's
one second, so that a message behind another one of its conversation is not held up for a
whole second. ``endpoints.yml`` names it as ``type: rasa_server.lock_store.RedisLockStore``
(``bot/endpoints.py`` writes that).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError
from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore
from rasa.utils.endpoints import EndpointConfig

WAIT_SECONDS = 0.05
"""Pause between two attempts to take a lock that another message of the conversation holds."""

T = TypeVar("T")


class RedisLockStore(RasaRedisLockStore):
    """Rasa's ``RedisLockStore`` whose ticket changes cannot overlap."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply ``change`` to the stored lock and store the result, as one transaction.

        ``change`` gets the stored lock (a new one when there is none) and may be called more
        than once: when another server changes the lock before this one is written, the
        transaction is discarded and tried again on the new lock. A lock without tickets is
        deleted.
        """
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> T:
            stored = pipe.get(key)
            lock = (
                TicketLock.from_dict(json.loads(stored))
                if stored
                else self.create_lock(conversation_id)
            )
            result = change(lock)
            pipe.multi()
            if lock.is_someone_waiting():
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, TicketLock.remove_expired_tickets)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; the lock goes with its last ticket, in the same transaction."""
        self.finish_serving(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_SECONDS,
    ) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as lock:
            yield lock
