"""Agent accounts: password policy, argon2, sessions and tokens stored only as hashes."""

import datetime as dt

import pytest
from sqlalchemy import select

from bot.db import session as db_session
from bot.db.models import AgentSession, ApiToken
from bot.web import accounts

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.timezone.utc)


PASSWORD = "ein-langes-passwort"


def _create(name="erika", password=PASSWORD, session=None):
    return accounts.create_agent(name, password, display_name="Erika", now=NOW, session=session)


def test_short_passwords_bad_names_and_duplicates_are_refused(db_url):
    with db_session.transaction() as session:
        with pytest.raises(accounts.AccountError, match="mindestens 12 Zeichen"):
            _create(password="zu-kurz", session=session)
        with pytest.raises(accounts.AccountError, match="Anmeldename"):
            _create(name="Erika Muster", session=session)
        _create(session=session)
        with pytest.raises(accounts.AccountError, match="schon"):
            _create(session=session)


def test_password_is_stored_as_argon2_hash_and_checked(db_url):
    with db_session.transaction() as session:
        agent = _create(session=session)
        assert agent.password_hash.startswith("$argon2id$")
        assert "ein-langes-passwort" not in agent.password_hash
        assert accounts.authenticate("erika", "ein-langes-passwort", session=session) is agent
        assert accounts.authenticate("erika", "ein-falsches-passwort", session=session) is None
        assert accounts.authenticate("niemand", "ein-langes-passwort", session=session) is None
        agent.is_active = False
        assert accounts.authenticate("erika", "ein-langes-passwort", session=session) is None


def test_login_sessions_expire_and_can_be_closed(db_url):
    with db_session.transaction() as session:
        agent = _create(session=session)
        token = accounts.open_login_session(agent, now=NOW, session=session)
        stored = session.scalars(select(AgentSession.token_hash)).one()
        assert token not in stored
        assert accounts.agent_for_login_session(token, now=NOW, session=session) is agent
        later = NOW + accounts.LOGIN_SESSION_LIFETIME
        assert accounts.agent_for_login_session(token, now=later, session=session) is None
        accounts.close_login_session(token, now=NOW, session=session)
        assert accounts.agent_for_login_session(token, now=NOW, session=session) is None


def test_api_tokens_are_stored_hashed_and_revocable(db_url):
    with db_session.transaction() as session:
        agent = _create(session=session)
        token = accounts.issue_api_token(agent, now=NOW, session=session)
        assert token.startswith("ksm_")
        assert session.scalars(select(ApiToken.token_hash)).one() == accounts.hash_token(token)
        assert accounts.agent_for_api_token(token, session=session) is agent
        assert accounts.revoke_api_tokens(agent, now=NOW, session=session) == 1
        assert accounts.agent_for_api_token(token, session=session) is None


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("erika", "erika-erika-erika", "Anmeldenamen nicht enthalten"),
        ("emuster", "Mein-EMuster-2026", "Anmeldenamen nicht enthalten"),
        ("erika", "Passwort1234", "zu leicht zu erraten"),
        ("erika", "123456789012", "zu leicht zu erraten"),
        ("erika", "qwertzuiop12", "zu leicht zu erraten"),
        ("erika", "xxxxxxxxxxxxxxxx", "zu leicht zu erraten"),
    ],
)
def test_guessable_passwords_are_refused(db_url, name, password, message):
    with db_session.transaction() as session:
        with pytest.raises(accounts.AccountError, match=message):
            _create(name=name, password=password, session=session)
        assert accounts.agent_by_name(name, session=session) is None


def test_a_short_name_may_appear_by_chance_in_a_good_password(db_url):
    with db_session.transaction() as session:
        agent = _create(name="ek", password="Brekkies-zum-Fruehstueck", session=session)
        assert agent.name == "ek"


def test_revoking_login_sessions_ends_every_open_login_of_the_agent(db_url):
    with db_session.transaction() as session:
        agent = _create(session=session)
        other = _create(name="max", session=session)
        tokens = [accounts.open_login_session(agent, now=NOW, session=session) for _ in range(2)]
        kept = accounts.open_login_session(other, now=NOW, session=session)
        assert accounts.revoke_login_sessions(agent, now=NOW, session=session) == 2
        for token in tokens:
            assert accounts.agent_for_login_session(token, now=NOW, session=session) is None
        assert accounts.agent_for_login_session(kept, now=NOW, session=session) is other
