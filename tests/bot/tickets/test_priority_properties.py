"""Properties of ticket priority: always 1 to 4, never lower for worse faults."""

from hypothesis import given
from hypothesis import strategies as st

from bot.tickets.priority import (
    LOWEST_SECURITY_PRIORITY,
    PRIORITY_NAMES,
    SECURITY_CATEGORY,
    Impact,
    Urgency,
    priority,
    priority_label,
)

impacts = st.sampled_from(list(Impact))
urgencies = st.sampled_from(list(Urgency))
categories = st.one_of(st.none(), st.just(SECURITY_CATEGORY), st.text(max_size=20))


@given(impact=impacts, urgency=urgencies, category=categories)
def test_priority_is_one_to_four_and_has_a_label(impact, urgency, category):
    value = priority(impact, urgency, category)

    assert value in PRIORITY_NAMES
    assert priority_label(value).startswith(f"{value} (")
    if category == SECURITY_CATEGORY:
        assert value <= LOWEST_SECURITY_PRIORITY


@given(a=impacts, b=impacts, urgency=urgencies, category=categories)
def test_more_people_affected_is_never_a_lower_priority(a, b, urgency, category):
    if a <= b:  # 1 is the whole administration
        assert priority(a, urgency, category) <= priority(b, urgency, category)


@given(impact=impacts, a=urgencies, b=urgencies, category=categories)
def test_more_urgent_is_never_a_lower_priority(impact, a, b, category):
    if a <= b:  # 1 is work impossible
        assert priority(impact, a, category) <= priority(impact, b, category)
