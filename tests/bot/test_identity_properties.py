"""Properties of the user_token decoder: nothing raises, nothing passes without the secret."""

import base64
import datetime as dt
import json

import jwt
from hypothesis import given
from hypothesis import strategies as st

from bot.identity import MAX_CLAIM_LENGTH, Identity, create_user_token, decode_user_token
from tests.utils.hostile import hostile_examples, user_text

SECRET = "s" * 32
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone.utc)
LATER = int(NOW.timestamp()) + 3600

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children)
    ),
    max_leaves=8,
)
claims = st.dictionaries(
    st.sampled_from(["sub", "name", "member", "exp", "nbf", "iat", "aud", "iss"]) | st.text(),
    json_values,
)


def signed(payload: object, secret: str) -> str:
    """A HS256 token over any JSON, even claims PyJWT would refuse to encode."""
    return jwt.PyJWS().encode(json.dumps(payload).encode(), secret, algorithm="HS256")


def segment(value: object) -> str:
    raw = json.dumps(value).encode() if not isinstance(value, bytes) else value
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# Shaped like a JWT: three base64url segments with any header, claims and signature.
forged_tokens = st.builds(
    "{}.{}.{}".format,
    st.one_of(st.just({"alg": "HS256", "typ": "JWT"}), st.just({"alg": "none"}), json_values).map(
        segment
    ),
    st.one_of(claims, json_values).map(segment),
    st.one_of(st.binary(max_size=40).map(segment), st.text(max_size=10)),
)
anything = st.one_of(
    user_text, st.binary(), forged_tokens, json_values, st.builds(object), st.just(Identity("x"))
)
claim_text = st.text(min_size=1, max_size=MAX_CLAIM_LENGTH).filter(
    lambda text: text.strip() == text
)


@given(text=anything, secret=st.sampled_from([SECRET, None, ""]))
@hostile_examples(secret=SECRET)
def test_anything_sent_as_a_token_is_no_identity(text, secret):
    assert decode_user_token(text, secret, now=NOW) is None


@given(payload=claims, other_secret=st.binary(min_size=16, max_size=24).map(bytes.hex))
def test_a_token_signed_with_another_secret_is_no_identity(payload, other_secret):
    token = signed({**payload, "sub": "u-1", "exp": LATER}, other_secret)

    assert decode_user_token(token, SECRET, now=NOW) is None


@given(payload=st.one_of(claims, json_values))
def test_a_signed_token_with_any_claims_gives_a_clean_identity_or_none(payload):
    identity = decode_user_token(signed(payload, SECRET), SECRET, now=NOW)

    if identity is not None:
        assert isinstance(payload.get("exp"), (int, float)) and payload["exp"] > NOW.timestamp()
        for value in (identity.sub, identity.name, identity.member):
            assert value is None or (value == value.strip() and 0 < len(value) <= MAX_CLAIM_LENGTH)


@given(sub=claim_text, name=st.none() | claim_text, member=st.none() | claim_text)
def test_an_identity_signed_by_the_intranet_reads_back_as_itself(sub, name, member):
    identity = Identity(sub=sub, name=name, member=member)
    token = create_user_token(identity, SECRET, now=NOW, lifetime=dt.timedelta(minutes=30))

    assert decode_user_token(token, SECRET, now=NOW) == identity
    assert decode_user_token(token, SECRET, now=NOW + dt.timedelta(minutes=30)) is None
