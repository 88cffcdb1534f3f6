import pytest

from bot.membership_question import named_in_membership_question


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ist Hintertupfingen eigentlich auch Mitglied im Verbund?", "Hintertupfingen"),
        ("Seit wann ist Hamburg Mitglied?", "Hamburg"),
        ("Ist Bad Doberan auch dabei?", "Bad Doberan"),
        ("gehört die Stadt Bützow zur KSM", "Bützow"),
        ("Ist das Amt Krakow-Seen schon beigetreten?", "Krakow-Seen"),
        ("Ab wann ist Rostock Träger der KSM?", "Rostock"),
    ],
)
def test_the_name_of_a_membership_question_is_found(text, name):
    assert named_in_membership_question(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "Seit wann sind wir dabei?",
        "Ist unsere Verwaltung Mitglied?",
        "Seit wann ist die KSM für uns zuständig?",
        "Ist Robert'); DROP TABLE members;-- eigentlich auch Mitglied im Verbund?",
        "Ist 🙂 eigentlich auch Mitglied im Verbund?",
        "Ist Outlook bei uns kaputt?",
        "Wer ist alles Mitglied?",
        "Ist Mitglied?",
    ],
)
def test_questions_without_a_place_name_have_none(text):
    assert named_in_membership_question(text) is None
