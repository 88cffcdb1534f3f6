"""Naming or correcting one's administration answers the waiting question for it."""

from actions.set_member import ActionSetMember
from tests.actions.conftest import bot_action, entity, member_entity, tracker_for, user


async def test_waiting_question_is_answered_once_the_member_is_known(seeded, today, run):
    history = [
        user("Wie weit ist die Umstellung bei uns?", "onboarding_status"),
        *bot_action("action_onboarding_status"),
    ]
    tracker = tracker_for(
        '/inform_member{"member": "musterland"}',
        "inform_member",
        [member_entity("musterland")],
        history=history,
    )

    events = await run(ActionSetMember(), tracker)

    assert run.texts[0].startswith("Stand des Beitritts von Amt Musterland (Beispiel):")
    assert run.responses == ["utter_ask_feedback"]
    assert events[0]["name"] == "member" and events[0]["value"] == "musterland"


async def test_correction_answers_the_previous_question_again_with_its_details(seeded, today, run):
    question = user(
        "Betreut die KSM in Schwerin die Telefonie?",
        "service_at_member",
        [member_entity("Schwerin"), entity("service", "Telefonie")],
    )
    history = [question, *bot_action("action_service_at_member")]
    tracker = tracker_for(
        "nein, Grabow",
        "inform_member",
        [member_entity("Grabow")],
        slots={"member": "schwerin"},
        history=history,
    )

    events = await run(ActionSetMember(), tracker)

    assert run.texts == ["Ja, die KSM betreut Telefonie für Stadt Grabow seit dem 01.01.2019."]
    assert events[0]["value"] == "grabow"


async def test_naming_the_member_out_of_the_blue_is_confirmed(seeded, today, run):
    history = [user("Hallo", "greet"), *bot_action("utter_greet")]
    events = await run(
        ActionSetMember(),
        tracker_for(
            "Ich bin aus Schwerin", "inform_member", [member_entity("Schwerin")], history=history
        ),
    )
    assert run.texts == ["Alles klar: Landeshauptstadt Schwerin. Wobei kann ich Ihnen helfen?"]
    assert run.responses == []
    assert events[0]["value"] == "schwerin"


async def test_member_found_in_the_text_when_the_nlu_missed_the_entity(seeded, today, run):
    await run(
        ActionSetMember(), tracker_for("ich arbeite beim amt parchimer umland", "inform_member")
    )
    assert run.texts == ["Alles klar: Amt Parchimer Umland. Wobei kann ich Ihnen helfen?"]


async def test_unknown_member_keeps_the_old_one_and_lists_the_members(seeded, today, run):
    tracker = tracker_for(
        "Ich bin aus Hagenow",
        "inform_member",
        [member_entity("Hagenow")],
        slots={"member": "grabow"},
    )
    events = await run(ActionSetMember(), tracker)
    assert run.texts[0].startswith(
        "Die Verwaltung „Hagenow“ kenne ich nicht. Zum KSM-Verbund gehören 6 Verwaltungen"
    )
    assert len(run.buttons) == 7
    assert events == []
