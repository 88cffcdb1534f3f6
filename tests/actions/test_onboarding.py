"""Onboarding status and single milestones, on the reference day and later."""

import datetime as dt

from actions.milestone_date import ActionMilestoneDate
from actions.onboarding_status import ActionOnboardingStatus
from bot import clock
from tests.actions.conftest import entity, member_entity, tracker_for


async def _status(run, member):
    await run(
        ActionOnboardingStatus(),
        tracker_for(f"Wie weit ist {member}?", "onboarding_status", [member_entity(member)]),
    )
    return run.texts[-1]


async def _milestone(run, member, milestone, kind="milestone"):
    entities = [member_entity(member), entity(kind, milestone)]
    await run(
        ActionMilestoneDate(),
        tracker_for(f"Wann {milestone} in {member}?", "milestone_date", entities),
    )
    return run.texts[-1]


async def test_status_of_a_member_mid_onboarding_lists_done_current_and_planned(seeded, today, run):
    text = await _status(run, "Musterland")
    assert text == (
        "Stand des Beitritts von Amt Musterland (Beispiel):\n\n"
        "Erledigt:\n- Vertragsunterzeichnung: 15.09.2026\n- Bestandsaufnahme der IT: 30.10.2026\n\n"
        "In Arbeit:\n- Netzanbindung an das KSM-Rechenzentrum: bis 04.12.2026\n\n"
        "Geplant:\n"
        "- Übernahme der Benutzerkonten: 07.12.2026–11.12.2026\n"
        "- Migration der Arbeitsplätze: 14.12.2026–18.12.2026\n"
        "- Betriebsübergang: am 01.01.2027\n"
        "- Migration der Fachverfahren: 11.01.2027–22.01.2027\n"
        "- Schulung der Mitarbeitenden: 25.01.2027–29.01.2027\n\n"
        "Der Betriebsübergang an die KSM ist am 01.01.2027.\n\n"
        "(Beispieldaten)"
    )


async def test_planned_work_whose_period_has_begun_counts_as_in_progress(seeded, run, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 15))
    text = await _status(run, "Musterland")
    in_progress = text.split("In Arbeit:\n")[1].split("\n\n")[0]
    assert "Migration der Arbeitsplätze: 14.12.2026–18.12.2026" in in_progress
    assert "Übernahme der Benutzerkonten" in in_progress  # planned until 11.12., not reported done


async def test_completed_onboarding_says_so_with_the_handover_date(seeded, today, run):
    assert await _status(run, "Grabow") == (
        "Der Beitritt von Stadt Grabow ist abgeschlossen: Alle Schritte sind erledigt, "
        "der Betriebsübergang war am 01.01.2019."
    )


async def test_member_without_recorded_onboarding_says_nothing_invented(seeded, today, run):
    assert (
        await _status(run, "Schwerin")
        == "Für Landeshauptstadt Schwerin liegen mir keine Beitrittsschritte vor."
    )


async def test_one_milestone_is_answered_with_its_period(seeded, today, run):
    assert await _milestone(run, "Musterland", "Arbeitsplätze") == (
        "Migration der Arbeitsplätze bei Amt Musterland (Beispiel) ist vom 14.12.2026 bis 18.12.2026 geplant. (Beispieldaten)"
    )
    assert await _milestone(run, "Musterland", "Netzanbindung") == (
        "Netzanbindung an das KSM-Rechenzentrum bei Amt Musterland (Beispiel) läuft gerade, geplant bis zum 04.12.2026. (Beispieldaten)"
    )
    assert await _milestone(run, "Musterland", "Betriebsübergang") == (
        "Betriebsübergang bei Amt Musterland (Beispiel) ist am 01.01.2027 geplant. (Beispieldaten)"
    )


async def test_milestone_named_as_a_service_word_is_understood(seeded, today, run):
    text = await _milestone(run, "Musterland", "PCs", kind="service")
    assert text.startswith(
        "Migration der Arbeitsplätze bei Amt Musterland (Beispiel) ist vom 14.12.2026"
    )


async def test_finished_milestone_is_reported_done(seeded, today, run):
    assert (
        await _milestone(run, "Grabow", "Betriebsübergang")
        == "Betriebsübergang ist bei Stadt Grabow am 01.01.2019 erledigt."
    )


async def test_milestone_question_without_a_known_step_gives_the_whole_status(seeded, today, run):
    text = await _milestone(run, "Musterland", "Kaffeekasse")
    assert text.startswith("Stand des Beitritts von Amt Musterland")
