"""Properties of the account checks: login names and passwords, on any text.

Only the refusals are generated (hashing a password with argon2 takes a while); the
database is the module's read-only SQLite one, as a refused account never reaches it.
"""

import datetime as dt
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.web.accounts import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    AccountError,
    check_password_policy,
    create_agent,
)
from tests.utils.hostile import hostile_examples, user_text

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.timezone.utc)
NAME_START = string.ascii_lowercase + string.digits
NAME_CHARACTERS = NAME_START + "._-"
shared_database = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def is_login_name(name: str) -> bool:
    """The rule the operator reads: 2 to 64 of a-z, 0-9, '.', '-', '_', not starting with a sign."""
    return 2 <= len(name) <= 64 and set(name) <= set(NAME_CHARACTERS) and name[0] in NAME_START


@given(password=user_text, name=st.none() | user_text)
@hostile_examples(into="password", name="erika")
def test_a_password_is_accepted_or_refused_with_a_reason(password, name):
    try:
        check_password_policy(password, name=name)
    except AccountError as refusal:
        assert str(refusal).startswith(("Das Passwort", "Dieses Passwort"))
    else:
        assert MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH


@given(
    password=st.text(max_size=MIN_PASSWORD_LENGTH - 1) | st.text(min_size=MAX_PASSWORD_LENGTH + 1)
)
def test_passwords_outside_the_length_limits_are_refused(password):
    with pytest.raises(AccountError, match="Zeichen"):
        check_password_policy(password)


@given(name=st.from_regex(r"[a-z]{3,10}", fullmatch=True), extra=st.text(min_size=12, max_size=20))
def test_a_password_containing_the_login_name_is_refused(name, extra):
    with pytest.raises(AccountError):
        check_password_policy(f"{extra}{name.upper()}", name=name)


@shared_database
@given(name=user_text)
@hostile_examples(into="name")
@example(name="erika\n")
def test_a_login_name_outside_the_rule_is_refused(seeded_sqlite_session, name):
    if is_login_name(name):
        return
    with pytest.raises(AccountError, match="Anmeldename"):
        create_agent(name, "ein-langes-passwort", now=NOW, session=seeded_sqlite_session)


@shared_database
@given(name=st.text(NAME_CHARACTERS, min_size=2, max_size=64).filter(lambda n: n[0] in NAME_START))
def test_a_login_name_within_the_rule_passes_the_name_check(seeded_sqlite_session, name):
    # A short password is refused after the name check, before anything is written or hashed.
    with pytest.raises(AccountError, match="Passwort"):
        create_agent(name, "zu-kurz", now=NOW, session=seeded_sqlite_session)
