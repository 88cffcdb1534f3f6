import pytest

from actions.member_since import ActionMemberSince
from tests.actions.conftest import member_entity, tracker_for


@pytest.mark.parametrize(
    ("named", "answer"),
    [
        (
            "Grabow",
            "Stadt Grabow ist seit dem 01.01.2019 Träger der KSM. Der Vertrag wurde am 25.09.2018 unterzeichnet.",
        ),
        ("Amt PU", "Amt Parchimer Umland ist seit dem 01.01.2019 Träger der KSM."),
        (
            "LH Schwerin",
            "Landeshauptstadt Schwerin war schon vor 2019 Träger der KSM; das genaue Beitrittsdatum liegt mir nicht vor.",
        ),
        (
            "Musterland",
            "Amt Musterland (Beispiel) tritt der KSM am 01.01.2027 bei. Der Vertrag wurde am 15.09.2026 unterzeichnet.",
        ),
    ],
)
async def test_since_when_a_member_belongs_comes_from_the_database(
    seeded, today, run, named, answer
):
    tracker = tracker_for(f"Seit wann ist {named} dabei?", "member_since", [member_entity(named)])

    events = await run(ActionMemberSince(), tracker)

    assert run.texts[0].startswith(answer)
    assert events[0]["event"] == "slot" and events[0]["name"] == "member"


async def test_unknown_member_lists_all_members(seeded, today, run):
    tracker = tracker_for(
        "Seit wann ist Hintertupfingen dabei?", "member_since", [member_entity("Hintertupfingen")]
    )

    events = await run(ActionMemberSince(), tracker)

    [text] = run.texts
    assert text.startswith("Die Verwaltung „Hintertupfingen“ kenne ich nicht.")
    assert "Zum KSM-Verbund gehören 6 Verwaltungen" in text
    assert "Stadt Grabow" in text and "Amt Musterland" in text
    assert events == []


async def test_an_unknown_name_the_nlu_did_not_mark_is_answered_not_asked_for(seeded, today, run):
    tracker = tracker_for(
        "Ist Hintertupfingen eigentlich auch Mitglied im Verbund?",
        "member_since",
        slots={"member": "grabow"},
    )

    await run(ActionMemberSince(), tracker)

    [text] = run.texts
    assert text.startswith("Die Verwaltung „Hintertupfingen“ kenne ich nicht.")
    assert "Stadt Grabow" in text


async def test_a_known_name_the_nlu_did_not_mark_is_answered(seeded, today, run):
    await run(ActionMemberSince(), tracker_for("Gehört Grabow zur KSM?", "member_since"))
    assert run.texts[0].startswith("Stadt Grabow ist seit dem 01.01.2019 Träger der KSM.")


async def test_sql_in_a_member_name_is_just_an_unknown_name(seeded, today, run):
    evil = "x'; DROP TABLE members; --"
    await run(ActionMemberSince(), tracker_for(evil, "member_since", [member_entity(evil)]))
    await run(
        ActionMemberSince(),
        tracker_for("Seit wann ist Grabow dabei?", "member_since", [member_entity("Grabow")]),
    )
    assert "kenne ich nicht" in run.texts[0]
    assert run.texts[1].startswith("Stadt Grabow ist seit")


async def test_member_from_the_conversation_is_used_when_none_is_named(seeded, today, run):
    tracker = tracker_for(
        "Seit wann betreut uns die KSM?", "member_since", slots={"member": "grabow"}
    )
    await run(ActionMemberSince(), tracker)
    assert run.texts[0].startswith("Stadt Grabow ist seit dem 01.01.2019")
