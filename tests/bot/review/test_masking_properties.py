"""Properties of masking: safe on any text, idempotent, and no given address survives it."""

import re

from hypothesis import example, given
from hypothesis import strategies as st

from bot.review.masking import EMAIL_PLACEHOLDER, NAME_PLACEHOLDER, PHONE_PLACEHOLDER, mask
from tests.utils.hostile import hostile_examples, user_text

emails = st.from_regex(r"[\w.+-]{1,20}@[\w-]{1,15}(\.[\w-]{1,10}){1,3}", fullmatch=True)
# Names as the ticket forms take them, and slot values that only look like names.
names = st.lists(
    st.one_of(
        st.from_regex(r"[A-ZÄÖÜ][a-zäöüß]{1,12}( [A-ZÄÖÜ][a-zäöüß-]{1,12}){0,2}", fullmatch=True),
        st.sampled_from(["Telefon", "Mail", "Name", "E-Mail", "Frau Name", "Dr. Mail"]),
        user_text,
    ),
    max_size=3,
)
PLACEHOLDERS = re.compile(
    "|".join(map(re.escape, [EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER, NAME_PLACEHOLDER]))
)


@given(text=user_text, names=names)
@hostile_examples(names=["Anna Schmidt"])
# A name that is also a placeholder's word broke the placeholder: "<E-<Name>>", "<<Name>>".
@example(text="max@grabow.de, Tel. 0385 123456", names=["Mail", "Telefon"])
@example(text="Frau Name", names=["Name"])
def test_masking_twice_changes_nothing_more(text, names):
    once = mask(text, names)

    assert mask(once, names) == once


@given(text=user_text, names=names.filter(lambda names: not any("<" in name for name in names)))
@example(text="max@grabow.de, Tel. 0385 123456", names=["Mail", "Telefon"])
def test_placeholders_stay_whole(text, names):
    """No "<" is lost or added except in whole placeholders (a masked name may hold one)."""
    masked = mask(text, names)

    leftover = PLACEHOLDERS.sub("", masked)
    assert leftover.count("<") - leftover.count(">") == text.count("<") - text.count(">")


@given(email=emails, before=user_text, after=user_text, names=names)
def test_no_email_address_given_survives(email, before, after, names):
    masked = mask(f"{before} {email} {after}", names)

    assert email.lower() not in masked.lower()


@given(
    name=st.from_regex(r"[A-ZÄÖÜ][a-zäöüß]{2,12} [A-ZÄÖÜ][a-zäöüß]{2,12}", fullmatch=True),
    sentence=st.sampled_from(["{} kann nicht drucken", "Zugang für {}?", "Hallo, hier ist {}."]),
)
def test_a_given_name_and_each_of_its_words_are_masked(name, sentence):
    masked = mask(sentence.format(name), [name])

    for word in name.split():
        assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", masked, flags=re.I)
