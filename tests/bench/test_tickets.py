"""After a load run, every ticket a user was told about exists once."""

from __future__ import annotations

from bench.tickets import check_tickets
from tests.utils.tickets import open_ticket


def test_every_ticket_told_is_stored_once(seeded):
    told = [
        (sender, open_ticket(conversation_id=sender, idempotency_key=sender))
        for sender in ("bench-a", "bench-b")
    ]
    open_ticket(conversation_id="someone-else")
    check = check_tickets(seeded, told)
    assert check.ok
    assert (check.told, check.stored) == (2, 2)


def test_lost_and_duplicated_tickets_are_found(seeded):
    number = open_ticket(conversation_id="bench-a", idempotency_key="1")
    open_ticket(conversation_id="bench-a", idempotency_key="2")
    check = check_tickets(seeded, [("bench-a", number), ("bench-b", "KSM-2026-09999")])
    assert not check.ok
    assert check.lost == ("KSM-2026-09999",)
    assert check.duplicated == ("bench-a",)
