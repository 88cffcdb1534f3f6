"""Known words: typos, missing umlauts and compounds count, nonsense does not."""

import pytest

from bot.nlu.vocabulary import Vocabulary, words

TRAINED = Vocabulary.of(
    [
        "Ich habe mein Passwort vergessen",
        "Der Drucker druckt nicht",
        "Störung im Netz",
        "Wann werden wir umgestellt?",
    ]
)


def test_words_are_lower_case_letters_with_umlauts_written_out():
    assert words("Störung bei KSM-2026-000123, Straße 5 a!") == [
        "stoerung",
        "bei",
        "ksm",
        "strasse",
    ]


def test_messages_without_words_have_none():
    assert words("12345 🙂 ?! 3") == []


@pytest.mark.parametrize(
    "message",
    [
        "passwort vergessen",
        "pasword vergesen",
        "Stoerung",
        "STÖRUNG",
        "Druckertreiberproblem",
        "xqzv Drucker",
    ],
)
def test_known_words_typos_spellings_and_compounds_are_known(message):
    assert TRAINED.knows_any(words(message))


@pytest.mark.parametrize("message", ["xqzv blorp wuggel", "asdf", "jkjkjk lol"])
def test_nonsense_is_unknown(message):
    assert not TRAINED.knows_any(words(message))


def test_a_short_word_is_not_a_typo_of_a_longer_one():
    assert not TRAINED.knows("nix")
    assert TRAINED.knows("druker")


def test_an_empty_vocabulary_is_empty():
    assert not Vocabulary(frozenset())
    assert len(TRAINED) == len(TRAINED.known) > 10
