import pytest

from bot.tickets.contact import Contact, parse_contact, parse_name


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("Anna Schmidt, 03871 1234", Contact("Anna Schmidt", "03871 1234")),
        ("Ich bin Peter Müller, Tel. 0385 123456", Contact("Peter Müller", "0385 123456")),
        ("Müller-Lüdenscheidt +49 385 5551234", Contact("Müller-Lüdenscheidt", "+49 385 5551234")),
        ("Anna.Schmidt@Grabow.de", Contact(None, "anna.schmidt@grabow.de")),
        ("Anna Schmidt", Contact("Anna Schmidt", None)),
    ],
)
def test_name_and_telephone_or_email_are_separated(text, contact):
    assert parse_contact(text) == contact


@pytest.mark.parametrize(
    "text", ["12345", "<script>alert(1)</script>", "' OR 1=1 --", "a", "x" * 200, "🙂"]
)
def test_what_is_no_name_and_no_reach_gives_nothing(text):
    assert parse_contact(text) == Contact()


def test_too_few_digits_is_no_telephone_number():
    assert parse_contact("Tel. 1234").reach is None


@pytest.mark.parametrize("name", ["Anna Schmidt", "Jean-Luc O'Neill", "Dr. Eva Özdemir"])
def test_names_with_hyphens_apostrophes_and_titles_are_names(name):
    assert parse_name(name) == name
