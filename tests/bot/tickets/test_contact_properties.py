"""Properties of contact parsing: any text is safe, a valid reach is found wherever it stands."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.tickets.contact import MAX_NAME_LENGTH, Contact, find_reach, parse_contact, parse_name
from tests.utils.hostile import hostile_examples, user_text

emails = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[A-Za-z0-9._%+-]{1,20}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9-]{1,15}(\.[A-Za-z0-9-]{1,15}){0,2}", fullmatch=True),
    st.from_regex(r"[A-Za-z]{2,6}", fullmatch=True),
)
phones = st.from_regex(
    r"((\+49 |0)[1-9][0-9]{2,4}( |/|-| / )?|\(0[1-9][0-9]{2,4}\) )[0-9]{3,6}(-[0-9]{1,2})?",
    fullmatch=True,
)
spaces = st.text(st.sampled_from(" \t\n\r\u00a0\u2003"), max_size=5)
names = st.sampled_from(
    ["Anna Schmidt", "Müller-Lüdenscheidt", "Jean-Luc O'Neill", "Dr. Eva Özdemir", "Ægir Þórsson"]
)


@given(text=user_text)
@hostile_examples()
def test_any_text_gives_a_contact_without_raising(text):
    contact = parse_contact(text)

    assert isinstance(contact, Contact)
    assert contact.reach is None or contact.reach.strip() == contact.reach != ""


@given(text=user_text)
@hostile_examples()
def test_a_parsed_name_is_letters_without_digits_or_control_characters(text):
    name = parse_name(text)

    if name is not None:
        assert 2 <= len(name) <= MAX_NAME_LENGTH
        assert not re.search(r"\d", name)
        assert not any(unicodedata.category(char).startswith("C") for char in name)
        assert name == " ".join(name.split())


@given(email=emails, before=spaces, after=spaces, case=st.sampled_from([str, str.upper, str.title]))
def test_an_email_address_is_found_in_any_case_and_surrounding_space(email, before, after, case):
    typed = case(email)

    assert find_reach(f"{before}{typed}{after}") == typed.lower()
    assert parse_contact(f"{before}{typed}{after}") == Contact(None, typed.lower())


@given(phone=phones, before=spaces, after=spaces)
def test_a_telephone_number_is_found_in_any_surrounding_space(phone, before, after):
    assert find_reach(f"{before}{phone}{after}") == phone


@given(
    name=names, reach=st.one_of(emails, phones), separator=st.sampled_from([", ", " ", "; ", ",\n"])
)
def test_name_and_reach_are_separated(name, reach, separator):
    contact = parse_contact(f"{name}{separator}{reach}")

    assert contact.name == name
    assert contact.reach == (reach.lower() if "@" in reach else reach)


@given(name=names, intro=st.sampled_from(["Ich bin ", "ich heiße ", "Mein Name ist ", "Name: "]))
def test_a_name_reads_the_same_with_or_without_an_introduction(name, intro):
    assert parse_name(intro + name) == parse_name(name) == name


@given(digits=st.from_regex(r"[0-9]{1,5}", fullmatch=True), label=st.sampled_from(["Tel. ", ""]))
def test_fewer_than_six_digits_are_no_telephone_number(digits, label):
    assert find_reach(f"{label}{digits}") is None
