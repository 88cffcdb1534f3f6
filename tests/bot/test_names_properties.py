"""Properties of name normalisation: any text gives a clean key, and keys are stable."""

import re

from hypothesis import example, given
from hypothesis import strategies as st

from bot.names import (
    allowed_typos,
    normalize,
    split_kind_prefix,
    typo_distance,
    within_typos,
)
from tests.utils.hostile import hostile_examples, user_text

GERMAN_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=1, max_size=15)
SHORT_WORDS = st.text(alphabet="abcdeu", max_size=8)


@given(text=user_text)
@hostile_examples()
def test_any_text_normalizes_to_lowercase_words_and_single_spaces(text):
    key = normalize(text)

    assert re.fullmatch(r"([0-9a-z]+( [0-9a-z]+)*)?", key)


@given(text=user_text)
@hostile_examples()
@example(text="Noël")  # was "noel", while "noel" itself gave "nol"
@example(text="quee")  # was "que", and "que" gave "qu"
def test_a_normalized_key_normalizes_to_itself(text):
    key = normalize(text)

    assert normalize(key) == key


@given(word=GERMAN_WORDS, spelling=st.sampled_from(["spelt", "plain", "upper"]))
@example(word="übersicht", spelling="spelt")  # "Uebersicht" did not find "Übersicht"
def test_umlauts_written_spelt_out_or_dropped_give_the_same_key(word, spelling):
    typed = {
        "spelt": word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"),
        "plain": word.replace("ä", "a").replace("ö", "o").replace("ü", "u"),
        "upper": word.upper(),
    }[spelling]

    assert normalize(typed) == normalize(word)


@given(words=st.lists(GERMAN_WORDS, min_size=1, max_size=4), separators=st.data())
def test_case_hyphens_and_extra_spaces_do_not_change_a_key(words, separators):
    typed = words[0]
    for word in words[1:]:
        typed += separators.draw(st.sampled_from([" ", "-", "  ", " - ", ", ", "\t"])) + word

    assert normalize(f"  {typed.title()}! ") == normalize(" ".join(words))


@given(text=user_text)
@hostile_examples()
def test_splitting_the_kind_word_leaves_a_name_without_kind_word_or_fillers(text):
    _, rest = split_kind_prefix(normalize(text))

    assert split_kind_prefix(rest) == (None, rest)
    assert set(rest.split()) <= set(normalize(text).split())


@given(a=SHORT_WORDS, b=SHORT_WORDS)
def test_typo_distance_is_a_symmetric_count_of_edits(a, b):
    distance = typo_distance(a, b)

    assert distance == typo_distance(b, a)
    assert abs(len(a) - len(b)) <= distance <= max(len(a), len(b))
    assert (distance == 0) == (a == b)


@given(word=st.text(alphabet="abcdefgh", min_size=2, max_size=12), at=st.integers(0, 10))
def test_swapping_two_neighbours_is_one_typo(word, at):
    at %= len(word) - 1
    swapped = word[:at] + word[at + 1] + word[at] + word[at + 2 :]

    assert typo_distance(word, swapped) == (0 if swapped == word else 1)


@given(a=SHORT_WORDS, b=st.text(alphabet="abcdeu", max_size=3000), typos=st.integers(0, 2))
@example(a="grabow", b="x" * 10_000, typos=2)  # took seconds per alias before
def test_within_typos_agrees_with_the_distance(a, b, typos):
    if abs(len(a) - len(b)) > 20:
        assert not within_typos(a, b, typos)
    else:
        assert within_typos(a, b, typos) == (typo_distance(a, b) <= typos)


@given(shorter=user_text, longer=user_text)
def test_longer_names_may_carry_as_many_typos_or_more(shorter, longer):
    if len(shorter) > len(longer):
        shorter, longer = longer, shorter

    assert 0 <= allowed_typos(shorter) <= allowed_typos(longer) <= 2
