"""Failed helpdesk logins counted per name in the database: delays, lock, window, clean-up."""

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from bot import limits
from bot.db import session as db_session
from bot.db.models import LoginFailure
from bot.web import lockout

NOW = dt.datetime(2026, 11, 25, 13, 20, tzinfo=dt.timezone.utc)


def _fail(name, times, *, now=NOW):
    """Record ``times`` failures of ``name`` at ``now``, each in its own transaction."""
    results = []
    for _ in range(times):
        with db_session.transaction() as session:
            record = lockout.hold(name, session=session)
            results.append(lockout.record_failure(record, now=now))
    return results


def _locked_until(name, *, now=NOW):
    with db_session.transaction() as session:
        return lockout.locked_until(lockout.hold(name, session=session), now=now)


def test_delay_grows_by_a_second_per_failure_and_stops_at_eight():
    delays = [lockout.failure_delay(before) for before in range(12)]
    assert delays == [0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8]
    assert limits.LOGIN_FAILURE_MAX_DELAY_SECONDS == 8


def test_the_fifth_failure_locks_the_name_for_fifteen_minutes(db_url):
    failures = _fail("erika", 5)

    assert [f.delay_seconds for f in failures] == [0, 1, 2, 3, 4]
    assert [f.locked_until for f in failures[:4]] == [None] * 4
    assert failures[4].locked_until == NOW + dt.timedelta(minutes=15)
    assert _locked_until("erika", now=NOW + dt.timedelta(minutes=14, seconds=59)) is not None
    assert _locked_until("erika", now=NOW + dt.timedelta(minutes=15)) is None


def test_spelling_variants_of_a_name_count_together(db_url):
    _fail("Erika", 2)
    _fail(" erika ", 2)
    assert _fail("ERIKA", 1)[0].locked_until is not None
    assert _locked_until("erika") is not None


def test_failures_older_than_the_window_stop_counting(db_url):
    _fail("erika", 4)
    later = NOW + limits.LOGIN_LOCK_DURATION
    failure = _fail("erika", 1, now=later)[0]
    assert failure == lockout.Failure(delay_seconds=0, locked_until=None)
    assert _fail("erika", 3, now=later)[-1].locked_until is None
    assert _fail("erika", 1, now=later)[0].locked_until == later + limits.LOGIN_LOCK_DURATION


def test_after_the_lock_a_new_window_begins(db_url):
    _fail("erika", 5)
    after = NOW + limits.LOGIN_LOCK_DURATION
    assert _fail("erika", 1, now=after)[0] == lockout.Failure(0, None)


def test_names_are_stored_only_hashed(db_url):
    _fail("Geheim-Passwort-im-Namensfeld", 1)
    with db_session.transaction() as session:
        stored = session.scalars(select(LoginFailure)).one()
    assert stored.name_hash == lockout.name_hash("geheim-passwort-im-namensfeld")
    assert "geheim" not in stored.name_hash.lower()
    assert len(stored.name_hash) == 64


def test_a_name_with_a_nul_byte_is_counted_like_any_other(db_url):
    assert _fail("erika\x00", 5)[-1].locked_until is not None
    assert _locked_until("erika") is None


def test_clear_forgets_failures_and_lock(db_url):
    _fail("erika", 5)
    with db_session.transaction() as session:
        cleared = lockout.clear("Erika", session=session)
        assert cleared is not None
        assert cleared.failures == 5
    with db_session.transaction() as session:
        assert session.scalars(select(LoginFailure)).all() == []
        assert lockout.clear("erika", session=session) is None
    assert _locked_until("erika") is None


def test_forget_expired_keeps_counting_and_locked_names(db_url):
    _fail("alt", 2, now=NOW - limits.LOGIN_LOCK_DURATION)
    _fail("frisch", 2)
    _fail("gesperrt", 5, now=NOW - dt.timedelta(minutes=10))
    with db_session.transaction() as session:
        assert lockout.forget_expired(now=NOW, session=session) == 1
        left = set(session.scalars(select(LoginFailure.name_hash)))
    assert left == {lockout.name_hash("frisch"), lockout.name_hash("gesperrt")}


@pytest.mark.parametrize("name", ["erika", ""])
def test_hold_creates_an_empty_record_once(db_url, name):
    with db_session.transaction() as session:
        first = lockout.hold(name, session=session)
        again = lockout.hold(name, session=session)
        assert first is again
        assert (first.failures, first.locked_until) == (0, None)
    with db_session.transaction() as session:
        assert len(session.scalars(select(LoginFailure)).all()) == 1


def test_parallel_attempts_at_one_name_wait_for_each_other(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite lets one transaction write at a time anyway")
    factory = db_session.get_sessionmaker()
    with factory.begin() as first:
        lockout.hold("erika", session=first)
        with factory() as second:
            second.execute(text("SET LOCAL lock_timeout = '200ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                lockout.hold("Erika", session=second)
            second.rollback()
            second.execute(text("SET LOCAL lock_timeout = '200ms'"))
            assert lockout.hold("max", session=second).failures == 0
            second.rollback()
