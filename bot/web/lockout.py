"""Failed helpdesk logins: each answers a little later, too many lock the name for a while.

Failures are counted per submitted login name in the database (``login_failures``), so every
web-app process agrees, and whether or not an agent has that name, so neither the answer nor
the lock tells a guesser which names exist. The rules, from ``bot.limits``:

- ``LOGIN_FAILURES_BEFORE_LOCK`` failures within ``LOGIN_LOCK_DURATION`` of the first one
  lock the name for ``LOGIN_LOCK_DURATION``; while locked even the right password is refused.
- Failures older than that window stop counting: the next one starts a new window.
- A failed login answers after ``failure_delay(failures before it)`` seconds.
- A successful login, or ``python -m bot agents unlock NAME``, clears the name's failures.

A login attempt first takes the name's row lock (``hold``) and keeps it until its transaction
ends, so parallel guesses at one name are checked and counted one after the other instead of
all slipping past the lock check together. Like the other data functions, these take the
caller's session and never commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot import limits
from bot.db.models import LoginFailure

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def normalize_name(name: str) -> str:
    """The form of a login name that failures are counted under ("Erika " is "erika")."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def name_hash(name: str) -> str:
    """The stored key of a login name: its normalized form's SHA-256, never the clear text."""
    return hashlib.sha256(normalize_name(name).encode("utf-8", "surrogatepass")).hexdigest()


def failure_delay(failures_before: int) -> float:
    """Seconds a failed login waits before it answers, after ``failures_before`` failures."""
    return min(
        failures_before * limits.LOGIN_FAILURE_DELAY_SECONDS,
        limits.LOGIN_FAILURE_MAX_DELAY_SECONDS,
    )


@dataclass(frozen=True)
class Failure:
    """What one failed login led to: how long to wait before answering, and any lock."""

    delay_seconds: float
    locked_until: dt.datetime | None


def hold(name: str, *, session: Session) -> LoginFailure:
    """The failure record of ``name``, created empty if need be, locked for this transaction.

    The insert-or-update takes PostgreSQL's row lock even when the row is new or another
    attempt is about to delete it; SQLite has one writer at a time anyway.
    """
    key = name_hash(name)
    insert = _INSERTS[session.get_bind().dialect.name]
    upsert = insert(LoginFailure).values(name_hash=key, failures=0)
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=[LoginFailure.name_hash],
            set_={"failures": LoginFailure.failures},
        )
    )
    return session.scalars(
        select(LoginFailure)
        .where(LoginFailure.name_hash == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def locked_until(record: LoginFailure, *, now: dt.datetime) -> dt.datetime | None:
    """Until when the name of ``record`` is locked, or None if it is not locked at ``now``."""
    if record.locked_until is not None and record.locked_until > now:
        return record.locked_until
    return None


def record_failure(record: LoginFailure, *, now: dt.datetime) -> Failure:
    """Count a failed login in ``record`` (from ``hold``); lock the name at the limit."""
    window_start = now - limits.LOGIN_LOCK_DURATION
    if record.first_failure_at is None or record.first_failure_at <= window_start:
        record.failures = 0
        record.first_failure_at = now
        record.locked_until = None
    failures_before = record.failures
    record.failures = failures_before + 1
    record.last_failure_at = now
    if record.failures >= limits.LOGIN_FAILURES_BEFORE_LOCK:
        record.locked_until = now + limits.LOGIN_LOCK_DURATION
    return Failure(failure_delay(failures_before), record.locked_until)


def clear(name: str, *, session: Session) -> LoginFailure | None:
    """Forget the failures and any lock of ``name``; returns the record as it was, if any."""
    key = name_hash(name)
    record = session.get(LoginFailure, key)
    if record is None:
        return None
    session.delete(record)
    session.flush()
    return record


def forget_expired(*, now: dt.datetime, session: Session) -> int:
    """Delete the records whose failures no longer count and whose lock is over.

    For a periodic clean-up, not for the login itself (it would wait on other names' locks).
    Returns how many were deleted.
    """
    window_start = now - limits.LOGIN_LOCK_DURATION
    result = session.execute(
        delete(LoginFailure)
        .where(
            (LoginFailure.first_failure_at.is_(None))
            | (LoginFailure.first_failure_at <= window_start),
            (LoginFailure.locked_until.is_(None)) | (LoginFailure.locked_until <= now),
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)
