import pytest

from bot.names import normalize, split_kind_prefix


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Neustadt-Glewe", "neustadt glewe"),
        ("Neustadt-Glewe", "NEUSTADT  GLEWE"),
        ("Landkreis Ludwigslust-Parchim", "landkreis ludwigslust parchim"),
        ("Zurücksetzen", "zuruecksetzen"),
        ("Zurücksetzen", "zurucksetzen"),
        ("Straße", "Strasse"),
        ("Kundenbetreuung Süd", "kundenbetreuung sued"),
    ],
)
def test_spellings_users_type_normalize_alike(written, typed):
    assert normalize(written) == normalize(typed)


def test_normalize_drops_punctuation_and_outer_space():
    assert normalize("  „Amt PU“!  ") == "amt pu"


def test_different_names_stay_different():
    assert normalize("Ludwigslust") != normalize("Ludwigslust-Parchim")


@pytest.mark.parametrize(
    ("name", "kinds", "rest"),
    [
        ("amt parchimer umland", {"Amt"}, "parchimer umland"),
        ("lh schwerin", {"kreisfreie Stadt"}, "schwerin"),
        ("stadt grabow", {"Stadt", "kreisfreie Stadt"}, "grabow"),
        ("landkreis ludwigslust parchim", {"Landkreis"}, "ludwigslust parchim"),
        ("die stadt grabow", {"Stadt", "kreisfreie Stadt"}, "grabow"),
    ],
)
def test_kind_prefix_is_split_from_the_name(name, kinds, rest):
    assert split_kind_prefix(name) == (frozenset(kinds), rest)


def test_a_lone_kind_word_is_a_name():
    assert split_kind_prefix("landkreis") == (None, "landkreis")
