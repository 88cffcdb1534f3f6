"""The database goes away during an action: an apology, nothing half-written, and recovery.

The actions talk to the real PostgreSQL server through a TCP proxy (``tests/utils/tcp_proxy``)
that the tests cut and restore; nothing is restarted or reconfigured in between.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from actions.list_members import ActionListMembers
from actions.open_ticket import ActionOpenFaultTicket
from bot.db import session as db_session
from bot.db.models import Ticket, TicketCounter, TicketEvent
from tests.actions.conftest import Run, tracker_for
from tests.actions.forms import FormRun
from tests.actions.test_open_ticket import confirmed
from tests.utils.tcp_proxy import TcpProxy

pytestmark = pytest.mark.parametrize("empty_db_url", ["postgresql"], indirect=True)

TECHNICAL_PROBLEM = ["utter_technical_problem"]


@pytest.fixture
def network(seeded: str) -> Iterator[TcpProxy]:
    """The seeded PostgreSQL database, which the actions reach only through the proxy."""
    url = make_url(seeded)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        db_session.configure(
            url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        )
        yield proxy


async def members_question() -> Run:
    run = Run()
    await run(ActionListMembers(), tracker_for("Welche Verwaltungen gehören dazu?", "list_members"))
    return run


def stored_tickets() -> dict[str, object]:
    with db_session.transaction() as session:
        return {
            "tickets": session.scalar(select(func.count()).select_from(Ticket)),
            "ticket events": session.scalar(select(func.count()).select_from(TicketEvent)),
            "counters": session.scalars(select(TicketCounter.last_sequence)).all(),
        }


async def test_a_question_while_the_database_is_cut_gets_the_apology_then_the_answer(
    network, today
):
    assert "Zum KSM-Verbund gehören" in (await members_question()).text

    network.cut()
    cut_off = await members_question()
    assert cut_off.responses == TECHNICAL_PROBLEM
    assert cut_off.texts == []

    network.restore()
    assert "Zum KSM-Verbund gehören" in (await members_question()).text


async def test_connections_lost_while_idle_are_replaced_without_an_apology(network, today):
    assert "Zum KSM-Verbund gehören" in (await members_question()).text

    network.cut()  # kills the pooled connection while nobody uses it
    network.restore()

    answer = await members_question()
    assert answer.responses == []
    assert "Zum KSM-Verbund gehören" in answer.text


async def test_a_ticket_cut_off_before_its_commit_is_not_written_and_opens_once_back(
    network, at, form_run
):
    at(2026, 11, 25, 10, 0)
    written_before_the_cut: list[int] = []

    def cut_before_commit(session):
        written_before_the_cut.append(session.scalar(select(func.count()).select_from(Ticket)))
        network.cut()

    factory = db_session.get_sessionmaker()
    event.listen(factory, "before_commit", cut_before_commit, once=True)
    tracker = confirmed()

    slots = await form_run(ActionOpenFaultTicket(), tracker)

    assert written_before_the_cut == [1]  # the ticket was flushed in the transaction
    assert form_run.responses == TECHNICAL_PROBLEM
    assert slots == {}  # the answers stay for a second try
    network.restore()
    assert stored_tickets() == {"tickets": 0, "ticket events": 0, "counters": []}

    retry = FormRun()
    await retry(ActionOpenFaultTicket(), tracker)
    [opened] = retry.dispatcher.messages
    assert opened["response"] == "utter_ticket_opened"
    assert opened["ticket"] == "KSM-2026-00001"  # the lost attempt took no number
    assert stored_tickets() == {"tickets": 1, "ticket events": 1, "counters": [1]}
