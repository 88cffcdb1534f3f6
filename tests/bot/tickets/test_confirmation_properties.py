"""Properties of the answer to the ticket summary: any text, and every field named by its words."""

from hypothesis import given
from hypothesis import strategies as st

from bot.tickets.confirmation import (
    FAULT_FIELDS,
    NEW_EMPLOYEE_FIELDS,
    Confirmation,
    Decision,
    parse_confirmation,
)
from tests.utils.hostile import hostile_examples, user_text

forms = st.sampled_from([FAULT_FIELDS, NEW_EMPLOYEE_FIELDS])
cases = st.sampled_from([str, str.lower, str.upper, str.capitalize])


@given(text=user_text, fields=forms)
@hostile_examples(fields=FAULT_FIELDS)
def test_any_answer_is_a_confirmation_a_change_or_none(text, fields):
    answer = parse_confirmation(text, fields)

    assert answer is None or isinstance(answer, Confirmation)
    if answer is not None and answer.slot is not None:
        assert answer.decision is Decision.CHANGE and answer.slot in fields


@given(data=st.data(), fields=forms, case=cases)
def test_a_field_named_by_any_of_its_words_is_the_one_to_change(data, fields, case):
    field = data.draw(st.sampled_from(list(fields.values())))
    word = data.draw(st.sampled_from(list(field.words)))
    sentence = data.draw(
        st.sampled_from(["{} ändern", "Nein, {} ist falsch", "bitte {} korrigieren"])
    )

    answer = parse_confirmation(case(sentence.format(word)), fields)

    assert answer == Confirmation(Decision.CHANGE, field.slot)


@given(
    yes=st.sampled_from(["ja", "Ja!", "Passt.", "genau", "ok", "Ja, bitte", "Ticket anlegen"]),
    fields=forms,
    case=cases,
)
def test_a_plain_yes_confirms(yes, fields, case):
    assert parse_confirmation(f"  {case(yes)} ", fields) == Confirmation(Decision.CONFIRM)
