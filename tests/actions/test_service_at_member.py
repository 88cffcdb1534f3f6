import pytest

from actions.service_at_member import ActionServiceAtMember
from tests.actions.conftest import entity, member_entity, tracker_for


async def _ask(run, member, service):
    entities = [member_entity(member)] + ([entity("service", service)] if service else [])
    await run(
        ActionServiceAtMember(),
        tracker_for(f"Betreut die KSM in {member} {service}?", "service_at_member", entities),
    )
    return run.texts[-1]


@pytest.mark.parametrize(
    ("member", "service", "answer"),
    [
        (
            "Grabow",
            "Telefonie",
            "Ja, die KSM betreut Telefonie für Stadt Grabow seit dem 01.01.2019.",
        ),
        (
            "Amt PU",
            "Diensthandys",
            "Ja, die KSM betreut Mobile Geräte (Diensthandys, Tablets) für Amt Parchimer Umland seit dem 01.01.2019.",
        ),
        (
            "Schwerin",
            "E-Mail",
            "Ja, die KSM betreut E-Mail und Kalender für Landeshauptstadt Schwerin. (Beispieldaten)",
        ),
        (
            "Musterland",
            "Drucker",
            "Noch nicht: Die KSM übernimmt Drucker und Multifunktionsgeräte für Amt Musterland (Beispiel) ab dem 01.01.2027. (Beispieldaten)",
        ),
    ],
)
async def test_transferred_service_is_confirmed_with_its_date(
    seeded, today, run, member, service, answer
):
    assert await _ask(run, member, service) == answer


async def test_service_not_transferred_gets_a_clear_no_and_who_to_ask(seeded, today, run):
    text = await _ask(run, "Schwerin", "Telefonie")
    assert text.startswith("Nein, Telefonie betreut die KSM für Landeshauptstadt Schwerin nicht")
    assert "Kundenbetreuung Schwerin (kb-schwerin@ksm.example)" in text


async def test_unknown_service_lists_the_catalogue(seeded, today, run):
    text = await _ask(run, "Grabow", "Kaffeemaschine")
    assert text.startswith(
        "„Kaffeemaschine“ finde ich nicht im Leistungskatalog. Die KSM bietet: Arbeitsplatzbetreuung"
    )
    assert "IT-Sicherheit" in text


async def test_question_without_a_service_asks_which(seeded, today, run):
    assert (await _ask(run, "Grabow", "")).startswith(
        "Welchen Dienst meinen Sie? Die KSM bietet: Arbeitsplatzbetreuung"
    )
