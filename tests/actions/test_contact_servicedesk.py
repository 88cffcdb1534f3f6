from actions.contact_servicedesk import ActionContactServicedesk
from actions.human_handoff import ActionHumanHandoff
from tests.actions.conftest import tracker_for


async def test_contact_lists_every_channel_hours_and_that_the_desk_is_open_now(seeded, run, at):
    at(2026, 11, 24, 10, 30)
    await run(
        ActionContactServicedesk(),
        tracker_for("Wie erreiche ich den Servicedesk?", "contact_servicedesk"),
    )
    assert run.texts == [
        "So erreichen Sie den KSM-Servicedesk:\n"
        "- Telefon: 030 23125 100\n"
        "- E-Mail: servicedesk@ksm.example\n"
        "- Self-Service-Portal: https://portal.ksm.example\n"
        "Servicezeiten: Mo–Do 07:00–16:00 Uhr, Fr 07:00–13:00 Uhr, nicht an Feiertagen.\n"
        "Der Servicedesk ist gerade besetzt (heute bis 16:00 Uhr).\n"
        "(Beispieldaten)"
    ]


async def test_friday_afternoon_the_desk_is_closed_until_monday(seeded, run, at):
    at(2026, 11, 27, 14, 0)
    await run(
        ActionContactServicedesk(), tracker_for("Ist die Hotline besetzt?", "contact_servicedesk")
    )
    assert (
        "gerade nicht besetzt; wieder erreichbar am Montag, 30.11.2026, ab 07:00 Uhr." in run.text
    )


async def test_on_a_holiday_the_holiday_is_named(seeded, run, at):
    at(2026, 12, 25, 9, 0)
    await run(ActionContactServicedesk(), tracker_for("Ist jemand da?", "contact_servicedesk"))
    assert (
        "nicht besetzt (heute ist Erster Weihnachtstag); wieder erreichbar am Montag, 28.12.2026, ab 07:00 Uhr."
        in run.text
    )


async def test_in_the_evening_the_desk_opens_tomorrow(seeded, run, at):
    at(2026, 11, 24, 18, 0)
    await run(ActionContactServicedesk(), tracker_for("Hotline?", "contact_servicedesk"))
    assert "wieder erreichbar morgen ab 07:00 Uhr." in run.text


async def test_human_handoff_says_it_cannot_connect_and_how_to_reach_a_person(seeded, run, at):
    at(2026, 11, 24, 10, 30)
    await run(
        ActionHumanHandoff(), tracker_for("Ich will einen Menschen sprechen", "human_handoff")
    )
    assert run.text.startswith("Ich kann Sie nicht direkt weiterverbinden")
    assert "Telefon: 030 23125 100" in run.text and "gerade besetzt" in run.text
