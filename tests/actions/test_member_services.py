from actions.member_services import ActionMemberServices
from tests.actions.conftest import member_entity, tracker_for


async def _services(run, member):
    await run(
        ActionMemberServices(),
        tracker_for(f"Was macht die KSM für {member}?", "member_services", [member_entity(member)]),
    )
    return run.texts[-1]


async def test_member_with_everything_transferred_gets_the_whole_it(seeded, today, run):
    text = await _services(run, "Grabow")
    assert text.startswith(
        "Die KSM betreibt für Stadt Grabow die gesamte IT der Kernverwaltung ab dem 01.01.2019:"
    )
    assert "- Telefonie" in text and "- Mobile Geräte (Diensthandys, Tablets)" in text
    assert "Nicht bei der KSM" not in text


async def test_services_not_transferred_are_named_as_the_members_own(seeded, today, run):
    text = await _services(run, "Ludwigslust")
    assert text.startswith("Die KSM betreut für Stadt Ludwigslust:")
    assert (
        "Nicht bei der KSM, sondern bei Stadt Ludwigslust selbst:\n- Telefonie\n- Homeoffice und VPN"
        in text
    )
    assert "(Beispieldaten)" in text


async def test_joining_member_has_everything_planned_from_its_join_date(seeded, today, run):
    text = await _services(run, "Musterland")
    assert text.startswith("Geplant ab dem 01.01.2027:")
    assert "- Datensicherung" in text
