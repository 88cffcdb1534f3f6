import datetime as dt

import jwt
import pytest

from bot.identity import Identity, create_user_token, decode_user_token, token_owner

SECRET = "s" * 32
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone.utc)
GRABOW_USER = Identity(sub="u-4711", name="Anna Schmidt", member="grabow")


def token(identity: Identity = GRABOW_USER, *, lifetime_minutes: int = 30, secret: str = SECRET):
    return create_user_token(
        identity, secret, now=NOW, lifetime=dt.timedelta(minutes=lifetime_minutes)
    )


def test_valid_token_gives_sub_name_and_member():
    assert decode_user_token(token(), SECRET, now=NOW) == GRABOW_USER


def test_expired_token_counts_as_none():
    assert decode_user_token(token(lifetime_minutes=-1), SECRET, now=NOW) is None


def test_token_signed_with_another_secret_counts_as_none():
    assert decode_user_token(token(secret="x" * 32), SECRET, now=NOW) is None


def test_unsigned_token_with_algorithm_none_counts_as_none():
    forged = jwt.encode({"sub": "admin", "exp": 2_000_000_000}, None, algorithm="none")
    assert decode_user_token(forged, SECRET, now=NOW) is None


def test_tampered_claims_count_as_none():
    header, _, signature = token().split(".")
    other_claims = token(Identity(sub="someone-else")).split(".")[1]
    assert decode_user_token(f"{header}.{other_claims}.{signature}", SECRET, now=NOW) is None


def test_token_without_exp_counts_as_none():
    no_exp = jwt.encode({"sub": "u-1"}, SECRET, algorithm="HS256")
    assert decode_user_token(no_exp, SECRET, now=NOW) is None


@pytest.mark.parametrize("exp", [float("inf"), float("nan"), "2100-01-01", True])
def test_token_whose_expiry_is_no_finite_time_counts_as_none(exp):
    never = jwt.encode({"sub": "u-1", "exp": exp}, SECRET, algorithm="HS256")
    assert decode_user_token(never, SECRET, now=NOW) is None


def test_without_configured_secret_everyone_is_anonymous():
    assert decode_user_token(token(), None, now=NOW) is None


@pytest.mark.parametrize("value", [None, 42, ["a"], {"sub": "x"}, "", "not.a.jwt", "x" * 5000])
def test_malformed_tokens_count_as_none(value):
    assert decode_user_token(value, SECRET, now=NOW) is None


def test_claims_of_the_wrong_type_are_dropped():
    odd = jwt.encode(
        {"sub": "u-1", "name": ["A"], "member": 7, "exp": 2_000_000_000}, SECRET, algorithm="HS256"
    )
    assert decode_user_token(odd, SECRET, now=NOW) == Identity(sub="u-1")


def test_expired_token_still_names_its_owner():
    assert token_owner(token(lifetime_minutes=-60 * 24 * 100), SECRET) == GRABOW_USER


def test_token_owner_of_a_token_signed_with_another_secret_is_nobody():
    assert token_owner(token(secret="x" * 32), SECRET) is None


def test_token_owner_keeps_the_algorithm_pinned():
    forged = jwt.encode({"sub": "u-4711", "exp": 1}, None, algorithm="none")
    assert token_owner(forged, SECRET) is None


def test_token_owner_without_secret_or_token_is_nobody():
    assert token_owner(token(), None) is None
    assert token_owner("not.a.jwt", SECRET) is None
