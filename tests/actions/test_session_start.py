"""Conversation start: slots carried over, contact data and member, privacy notice once."""

from actions.session_start import ActionSessionStart
from bot.db import queries
from bot.db import session as db_session
from bot.db.dataset import parse_dataset
from bot.db.importer import import_dataset
from tests.actions.conftest import tracker_for


def _start(slots=None, metadata=None):
    slots = {"session_started_metadata": metadata, **(slots or {})}
    return tracker_for("", "session_start", slots=slots)


def _slots(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_first_contact_shows_the_privacy_notice_once(seeded, run):
    events = await run(ActionSessionStart(), _start())
    assert run.responses == ["utter_privacy_notice"]
    assert _slots(events)["privacy_notice_shown"] is True
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")

    again = await run(
        ActionSessionStart(), _start(slots={"privacy_notice_shown": True, "member": "grabow"})
    )
    assert run.responses == ["utter_privacy_notice"]
    assert _slots(again)["member"] == "grabow"


async def test_contact_data_comes_from_the_database(seeded, run):
    with db_session.transaction() as session:
        import_dataset(
            parse_dataset(
                "contacts:\n  - {key: servicedesk, kind: service_desk, name: KSM-Servicedesk, phone: 0385 1234}"
            ),
            session=session,
        )
        assert queries.service_desk(session=session).phone == "0385 1234"
    slots = _slots(await run(ActionSessionStart(), _start()))
    assert slots["desk_phone"] == "0385 1234"


async def test_member_from_the_page_is_taken_at_the_start(seeded, run):
    slots = _slots(await run(ActionSessionStart(), _start(metadata={"member": "grabow"})))
    assert slots["member"] == "grabow"


async def test_conversation_starts_even_when_the_database_is_down(db_url, run):
    db_session.configure("sqlite:///file:not-there?mode=ro&uri=true")
    events = await run(ActionSessionStart(), _start())
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    assert run.responses == ["utter_privacy_notice"]
