"""The assistant as `make run` starts it: conversations, restarts, metadata (see conftest)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_members_question_is_answered_from_the_database_and_survives_a_restart(assistant):
    assistant.start()

    members = assistant.say("staff-1", "Welche Verwaltungen gehören zum KSM-Verbund?")
    for name in (
        "Landeshauptstadt Schwerin",
        "Stadt Grabow",
        "Amt Parchimer Umland",
        "Amt Musterland",
    ):
        assert name in members
    assert "Stadt Grabow ist seit dem 01.01.2019" in assistant.say(
        "staff-1", "Seit wann ist Grabow dabei?"
    )
    assert "kenne ich nicht" in assistant.say("staff-2", "Gehört Hagenow zum Verbund?")

    assert assistant.stop() == 0
    assistant.start()

    # The tracker store kept staff-1's conversation, with the member it named.
    assert "Stadt Grabow ist seit dem 01.01.2019" in assistant.say(
        "staff-1", "Seit wann betreut uns die KSM?"
    )
    assert "Zu welcher Verwaltung" in assistant.say("staff-3", "Seit wann betreut uns die KSM?")


def test_member_is_asked_once_then_the_question_is_answered(running):
    first = running.say("staff-5", "Seit wann betreut uns die KSM?")
    assert "Hinweis zum Datenschutz" in first
    assert "Zu welcher Verwaltung gehören Sie?" in first
    answer = running.say("staff-5", '/inform_member{"member": "grabow"}')
    assert "Stadt Grabow ist seit dem 01.01.2019" in answer


def test_member_from_the_page_and_contact_data_from_the_database(running):
    status = running.say(
        "staff-4", "Wie weit ist die Umstellung bei uns?", metadata={"member": "musterland"}
    )
    assert "Stand des Beitritts von Amt Musterland" in status
    assert "Migration der Arbeitsplätze: 14.12.2026–18.12.2026" in status
    # FAQ answers take the hotline from the database (imported by the fixture), not the text.
    assert "0385 99 99 99" in running.say("staff-4", "Ich habe mein Passwort vergessen")
