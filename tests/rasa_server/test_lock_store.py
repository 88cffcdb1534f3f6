"""Two Rasa servers sharing conversation locks in Redis never serve one conversation at once.

Runs against the Redis server of the machine (``KSM_TEST_REDIS_URL``, database 3 by default),
with two lock-store objects standing for two servers.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockStore
from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore
from rasa.core.utils import read_endpoints_from_path

from bot import endpoints, supervisor
from bot.settings import Settings
from rasa_server.lock_store import RedisLockStore

REDIS_URL = os.environ.get("KSM_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
LOCATION = endpoints.RedisLocation.from_url(REDIS_URL)
CONVERSATION = "test-lock-store"


def store(cls: type[RasaRedisLockStore] = RedisLockStore) -> RasaRedisLockStore:
    return cls(host=LOCATION.host, port=LOCATION.port, db=LOCATION.db, key_prefix="test")


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    client = redis.Redis(host=LOCATION.host, port=LOCATION.port, db=LOCATION.db)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis {REDIS_URL} not reachable: {error}")
    client.flushdb()
    yield
    client.flushdb()
    client.close()


def rival_first(method: str, rival: RasaRedisLockStore) -> Any:
    """``TicketLock.<method>`` that lets ``rival`` take a ticket first, the first time.

    That is two servers at the same moment: the rival's ticket lands after this store read
    the lock and before it writes it back.
    """
    original = getattr(TicketLock, method)
    calls = 0

    def wrapped(lock: TicketLock, *args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            rival.issue_ticket(CONVERSATION)
        return original(lock, *args)

    return wrapped


def test_rasa_s_own_store_gives_two_servers_the_same_ticket(monkeypatch):
    """Why the project has its own: the race the e2e test of two servers ran into."""
    first, rival = store(RasaRedisLockStore), store(RasaRedisLockStore)
    monkeypatch.setattr(TicketLock, "issue_ticket", rival_first("issue_ticket", rival))
    assert first.issue_ticket(CONVERSATION) == 0
    monkeypatch.undo()
    assert rival.get_lock(CONVERSATION).now_serving == 0  # the rival's ticket 0 too


def test_a_ticket_taken_at_the_same_moment_queues_behind_the_other(monkeypatch):
    first, rival = store(), store()
    monkeypatch.setattr(TicketLock, "issue_ticket", rival_first("issue_ticket", rival))
    assert first.issue_ticket(CONVERSATION) == 1
    monkeypatch.undo()
    lock = first.get_lock(CONVERSATION)
    assert [ticket.number for ticket in lock.tickets] == [0, 1]
    assert lock.is_locked(1) and not lock.is_locked(0)


def test_giving_back_the_last_ticket_keeps_one_taken_at_the_same_moment(monkeypatch):
    first, rival = store(), store()
    ticket = first.issue_ticket(CONVERSATION)
    monkeypatch.setattr(TicketLock, "remove_ticket_for", rival_first("remove_ticket_for", rival))
    first.cleanup(CONVERSATION, ticket)
    monkeypatch.undo()
    lock = rival.get_lock(CONVERSATION)
    assert lock is not None, "the rival's ticket was deleted with the lock"
    assert [t.number for t in lock.tickets] == [1]


def test_the_last_ticket_given_back_removes_the_lock():
    lock_store = store()
    ticket = lock_store.issue_ticket(CONVERSATION)
    lock_store.cleanup(CONVERSATION, ticket)
    assert lock_store.get_lock(CONVERSATION) is None


def test_messages_on_two_servers_are_served_one_after_the_other_in_order():
    servers = [store(), store()]
    inside: list[int] = []
    served: list[int] = []

    async def message(number: int) -> None:
        async with servers[number % 2].lock(CONVERSATION):
            inside.append(number)
            assert len(inside) == 1, f"{inside} inside the lock at once"
            await asyncio.sleep(0.01)
            served.append(number)
            inside.remove(number)

    async def all_messages() -> None:
        tasks = []
        for number in range(12):
            tasks.append(asyncio.create_task(message(number)))
            await asyncio.sleep(0)  # each message arrives after the one before
        await asyncio.gather(*tasks)

    asyncio.run(all_messages())
    assert served == list(range(12))
    assert servers[0].get_lock(CONVERSATION) is None


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Rasa's module loading
def test_the_generated_endpoints_give_rasa_this_store(tmp_path, monkeypatch):
    settings = Settings(database_url="sqlite://", lock_store_url=REDIS_URL)
    for name, value in supervisor.rasa_environment(settings).items():
        monkeypatch.setenv(name, value)
    path = endpoints.endpoints_file(REDIS_URL, target=tmp_path / "endpoints.yml")
    lock_store = LockStore.create(read_endpoints_from_path(path).lock_store)
    assert type(lock_store) is RedisLockStore
    assert lock_store.key_prefix == f"{endpoints.KEY_PREFIX}:lock:"
    assert lock_store.red.connection_pool.connection_kwargs["db"] == LOCATION.db
