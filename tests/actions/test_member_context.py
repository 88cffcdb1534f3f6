"""Which member a question is about: said, remembered, from the page, or asked for once."""

from actions.member_since import ActionMemberSince
from tests.actions.conftest import member_entity, tracker_for

QUESTION = "Seit wann betreut uns die KSM?"


async def test_member_from_the_page_metadata_is_used_and_remembered(seeded, today, run):
    tracker = tracker_for(QUESTION, "member_since", metadata={"member": "grabow"})
    events = await run(ActionMemberSince(), tracker)
    assert run.texts[0].startswith("Stadt Grabow ist seit dem 01.01.2019")
    assert {"event": "slot", "name": "member", "value": "grabow", "timestamp": None} in events


async def test_page_may_name_the_member_loosely(seeded, today, run):
    await run(
        ActionMemberSince(), tracker_for(QUESTION, "member_since", metadata={"member": "Amt PU"})
    )
    assert run.texts[0].startswith("Amt Parchimer Umland ist seit")


async def test_member_named_in_the_message_wins_over_conversation_and_page(seeded, today, run):
    tracker = tracker_for(
        "Seit wann ist Schwerin dabei?",
        "member_since",
        [member_entity("Schwerin")],
        slots={"member": "grabow"},
        metadata={"member": "grabow"},
    )
    events = await run(ActionMemberSince(), tracker)
    assert run.texts[0].startswith("Landeshauptstadt Schwerin war schon vor 2019")
    assert events[0]["value"] == "schwerin"


async def test_remembered_member_wins_over_the_page(seeded, today, run):
    tracker = tracker_for(
        QUESTION, "member_since", slots={"member": "schwerin"}, metadata={"member": "grabow"}
    )
    events = await run(ActionMemberSince(), tracker)
    assert run.texts[0].startswith("Landeshauptstadt Schwerin")
    assert events == []


async def test_without_a_member_the_assistant_asks_once_with_a_button_per_member(
    seeded, today, run
):
    events = await run(ActionMemberSince(), tracker_for(QUESTION, "member_since"))
    assert run.texts == ["Zu welcher Verwaltung gehören Sie? Dann kann ich Ihnen das genau sagen."]
    assert len(run.buttons) == 7
    assert {"title": "Stadt Grabow", "payload": '/inform_member{"member": "grabow"}'} in run.buttons
    assert {
        "title": "Amt Musterland (Beispiel)",
        "payload": '/inform_member{"member": "musterland"}',
    } in run.buttons
    assert events == []


async def test_metadata_of_the_wrong_type_or_unknown_counts_as_none(seeded, today, run):
    for metadata in (
        {"member": 42},
        {"member": ["grabow"]},
        {"member": "Atlantis"},
        {"member": "x" * 10_000},
    ):
        await run(ActionMemberSince(), tracker_for(QUESTION, "member_since", metadata=metadata))
    assert all(text.startswith("Zu welcher Verwaltung") for text in run.texts)


async def test_an_answer_is_followed_by_the_feedback_question(seeded, today, run):
    await run(
        ActionMemberSince(),
        tracker_for("Seit wann ist Grabow dabei?", "member_since", [member_entity("Grabow")]),
    )
    assert run.responses == ["utter_ask_feedback"]
    assert run.dispatcher.messages[-1]["response"] == "utter_ask_feedback"


async def test_asking_for_the_member_is_not_an_answer_to_rate(seeded, today, run):
    await run(ActionMemberSince(), tracker_for("Seit wann sind wir dabei?", "member_since"))
    assert run.responses == []


async def test_no_feedback_question_while_a_ticket_form_is_running(seeded, today, run):
    tracker = tracker_for(
        "Seit wann ist Grabow dabei?",
        "member_since",
        [member_entity("Grabow")],
        active_loop="fault_form",
    )
    await run(ActionMemberSince(), tracker)
    assert run.texts
    assert run.responses == []
