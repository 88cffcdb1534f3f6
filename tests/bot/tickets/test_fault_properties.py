"""Properties of the fault form's answers: any text is placed or refused, buttons always fit."""

from hypothesis import given
from hypothesis import strategies as st

from bot.tickets.fault import (
    IMPACT_CHOICES,
    URGENCY_CHOICES,
    describes_fault,
    looks_like_phishing,
    parse_impact,
    parse_urgency,
)
from bot.tickets.priority import Impact, Urgency
from tests.utils.hostile import hostile_examples, user_text

around = st.sampled_from(["", " ", "  ", "\n", "„", "“", "!", " .", "\t"])
cases = st.sampled_from([str, str.lower, str.upper, str.title])


@given(text=user_text)
@hostile_examples()
def test_any_text_gives_a_known_answer_or_none(text):
    assert parse_impact(text) in (None, *Impact)
    assert parse_urgency(text) in (None, *Urgency)
    assert isinstance(describes_fault(text), bool)
    assert isinstance(looks_like_phishing(text), bool)


@given(impact=st.sampled_from(list(Impact)), before=around, after=around, case=cases)
def test_an_impact_button_title_is_understood_as_typed(impact, before, after, case):
    assert parse_impact(f"{before}{case(IMPACT_CHOICES[impact])}{after}") is impact


@given(urgency=st.sampled_from(list(Urgency)), before=around, after=around, case=cases)
def test_an_urgency_button_title_is_understood_as_typed(urgency, before, after, case):
    assert parse_urgency(f"{before}{case(URGENCY_CHOICES[urgency])}{after}") is urgency


@given(text=user_text, case=cases)
def test_case_does_not_change_what_a_report_says(text, case):
    text = "".join(char for char in text if char.isascii() or char in "äöüÄÖÜß")

    assert parse_impact(case(text)) == parse_impact(text)
    assert parse_urgency(case(text)) == parse_urgency(text)
    assert describes_fault(case(text)) == describes_fault(text)
    assert looks_like_phishing(case(text)) == looks_like_phishing(text)


@given(
    text=user_text, incident=st.sampled_from(["Phishing", "Link angeklickt", "Trojaner", "gehackt"])
)
def test_a_named_security_incident_is_phishing_wherever_it_stands(text, incident):
    assert looks_like_phishing(f"{text} {incident} {text}")
