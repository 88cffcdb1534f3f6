"""Properties of ticket numbers: every number reads back as itself, in any loose form."""

from hypothesis import given
from hypothesis import strategies as st

from bot.tickets.numbers import MAX_SEQUENCE, TicketNumber, parse_ticket_number
from tests.utils.hostile import hostile_examples, user_text

numbers = st.builds(
    TicketNumber, year=st.integers(2000, 2999), sequence=st.integers(1, MAX_SEQUENCE)
)
# Words around a number: no digits, and separated from it, as users write them.
surroundings = st.text(st.characters(exclude_categories=["Nd"]), max_size=40)
gaps = st.sampled_from([" ", "\n", " (", ": ", "? ", " „"])


@given(text=user_text, current_year=st.integers(1900, 3100))
@hostile_examples(current_year=2026)
def test_any_text_gives_a_valid_ticket_number_or_none(text, current_year):
    number = parse_ticket_number(text, current_year=current_year)

    assert number is None or 1 <= number.sequence <= MAX_SEQUENCE
    assert number is None or number == TicketNumber(number.year, number.sequence)


@given(number=numbers)
def test_a_printed_number_reads_back_as_itself(number):
    assert parse_ticket_number(str(number), current_year=2026) == number
    assert str(parse_ticket_number(str(number), current_year=2026)) == str(number)


@given(number=numbers, before=surroundings, after=surroundings, gap=gaps)
def test_a_number_inside_a_sentence_is_found(number, before, after, gap):
    text = f"{before.replace('ksm', '').replace('KSM', '')}{gap}{number}{gap}{after}"

    assert parse_ticket_number(text, current_year=2026) == number


@given(
    number=numbers,
    prefix=st.sampled_from(["KSM", "ksm", "Ksm"]),
    first=st.sampled_from(["-", " ", "_", "/", "", " - "]),
    second=st.sampled_from(["-", " ", "_", "/", " / "]),
    zeros=st.integers(0, 6),
)
def test_loose_spellings_name_the_same_ticket(number, prefix, first, second, zeros):
    typed = f"{prefix}{first}{number.year}{second}{'0' * zeros}{number.sequence}"

    assert parse_ticket_number(typed, current_year=2026) == number


@given(
    sequence=st.integers(1, MAX_SEQUENCE),
    word=st.sampled_from(["Ticket", "ticket", "Vorgang", "Nummer", "Nr.", "nr"]),
    hash_sign=st.sampled_from(["", "#", " #"]),
    year=st.integers(2000, 2999),
)
def test_a_short_number_means_this_years_ticket(sequence, word, hash_sign, year):
    text = f"Wie steht {word}{hash_sign} {sequence}?"

    assert parse_ticket_number(text, current_year=year) == TicketNumber(year, sequence)


@given(year=st.integers(2000, 2999), sequence=st.integers(MAX_SEQUENCE + 1, 10**9))
def test_sequences_beyond_five_digits_are_no_ticket_number(year, sequence):
    assert parse_ticket_number(f"KSM-{year}-{sequence}", current_year=2026) is None
