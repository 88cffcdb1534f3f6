"""Properties of the equipment answer: any text, and every choice understood as named."""

from hypothesis import given
from hypothesis import strategies as st

from bot.tickets.new_employee import Equipment, EquipmentAnswer, parse_equipment
from tests.utils.hostile import hostile_examples, user_text


@given(text=user_text)
@hostile_examples()
def test_any_answer_names_each_choice_at_most_once_in_order(text):
    answer = parse_equipment(text)

    assert isinstance(answer, EquipmentAnswer)
    assert list(answer.items) == sorted(set(answer.items), key=list(Equipment).index)


@given(
    choices=st.lists(st.sampled_from(list(Equipment)), min_size=1, unique=True),
    joiner=st.sampled_from([" und ", ", ", " + ", "\n", " sowie "]),
    case=st.sampled_from([str, str.lower, str.upper]),
)
def test_choices_named_by_their_button_titles_are_understood(choices, joiner, case):
    answer = parse_equipment(case(joiner.join(choice.value for choice in choices)))

    assert set(answer.items) == set(choices)
