import pytest

from bot.tickets.priority import Impact, Urgency, priority, priority_label


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [
        (Impact.ORGANISATION, Urgency.BLOCKED, 1),
        (Impact.ORGANISATION, Urgency.RESTRICTED, 2),
        (Impact.GROUP, Urgency.BLOCKED, 2),
        (Impact.GROUP, Urgency.RESTRICTED, 3),
        (Impact.PERSON, Urgency.BLOCKED, 3),
        (Impact.PERSON, Urgency.RESTRICTED, 4),
        (Impact.PERSON, Urgency.CAN_WAIT, 4),
        (Impact.ORGANISATION, Urgency.CAN_WAIT, 3),
    ],
)
def test_priority_is_impact_plus_urgency_minus_one_capped_at_four(impact, urgency, expected):
    assert priority(impact, urgency) == expected


def test_security_incident_is_at_least_priority_two():
    assert priority(Impact.PERSON, Urgency.CAN_WAIT, "sicherheit") == 2
    assert priority(Impact.ORGANISATION, Urgency.BLOCKED, "sicherheit") == 1


def test_priority_reads_as_number_and_word():
    assert priority_label(2) == "2 (hoch)"
