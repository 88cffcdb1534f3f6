"""Conversations in Rasa's tracker store, as the privacy commands delete and export them.

Rasa keeps one row per event in ``events`` (described in ``bot.review.conversations``); a
conversation is every row of one ``sender_id``. It falls into sessions: each starts with the
``action`` event ``action_session_start``, and the ``session_started_metadata`` slot that Rasa
sets just before it belongs to the session it opens.

Rasa reads only the latest session of a conversation and counts its rows to know which events
it has already stored. So rows are only ever deleted a whole session at a time, oldest first,
and the latest session only together with the whole conversation; what stays is exactly the
tracker Rasa had before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from bot.identity import token_owner
from bot.review.conversations import event_data, events

SESSION_START_ACTION = "action_session_start"
SESSION_METADATA_SLOT = "session_started_metadata"
TOKEN_KEY = "user_token"  # noqa: S105 - the metadata key, not a token
_DELETE_CHUNK = 500
"""Conversations deleted per statement, well below SQLite's limit of bound parameters."""


def delete_stale_conversations(cutoff: dt.datetime, *, session: Session) -> int:
    """Delete every conversation without an event since ``cutoff``; returns how many."""
    stale = (
        select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(func.max(events.c.timestamp) < cutoff.timestamp())
    )
    count = session.scalar(select(func.count()).select_from(stale.subquery())) or 0
    if count:
        session.execute(delete(events).where(events.c.sender_id.in_(stale)))
    return int(count)


def delete_old_sessions(cutoff: dt.datetime, *, session: Session) -> int:
    """In conversations still going, delete the sessions that ended before ``cutoff``.

    A session ended before the cutoff when the first event at or after it lies in a later
    session. Run after ``delete_stale_conversations``: only conversations that have events
    on both sides of the cutoff are looked at, one by one. Returns the sessions deleted.
    """
    limit = cutoff.timestamp()
    spanning = session.scalars(
        select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(and_(func.min(events.c.timestamp) < limit, func.max(events.c.timestamp) >= limit))
    ).all()
    deleted = 0
    for sender_id in spanning:
        first_recent = session.scalar(
            select(func.min(events.c.id)).where(
                events.c.sender_id == sender_id, events.c.timestamp >= limit
            )
        )
        kept_start = _start_of_session_holding(sender_id, first_recent, session=session)
        if kept_start is None:
            continue  # the first session is still going
        older = session.scalar(
            select(func.count()).where(_session_starts(sender_id), events.c.id < kept_start)
        )
        if not older:
            continue
        boundary = _with_its_metadata(sender_id, kept_start, session=session)
        session.execute(
            delete(events).where(events.c.sender_id == sender_id, events.c.id < boundary)
        )
        deleted += int(older)
    return deleted


def _session_starts(sender_id: str) -> Any:
    return and_(
        events.c.sender_id == sender_id,
        events.c.type_name == "action",
        events.c.action_name == SESSION_START_ACTION,
    )


def _start_of_session_holding(sender_id: str, row_id: int, *, session: Session) -> int | None:
    """The ``action_session_start`` of the session that row ``row_id`` belongs to.

    That is the last start at or before the row, unless the row is the start metadata of
    the next session. ``None``: the row comes before the first session start.
    """
    following = session.scalar(
        select(func.min(events.c.id)).where(_session_starts(sender_id), events.c.id > row_id)
    )
    if (
        following is not None
        and _with_its_metadata(sender_id, following, session=session) <= row_id
    ):
        return int(following)
    start = session.scalar(
        select(func.max(events.c.id)).where(_session_starts(sender_id), events.c.id <= row_id)
    )
    return None if start is None else int(start)


def _with_its_metadata(sender_id: str, start_id: int, *, session: Session) -> int:
    """The first row of the session starting at ``start_id``: its metadata slot, if any."""
    before = session.execute(
        select(events.c.id, events.c.type_name, events.c.data)
        .where(events.c.sender_id == sender_id, events.c.id < start_id)
        .order_by(events.c.id.desc())
        .limit(1)
    ).first()
    is_slot = before is not None and before.type_name == "slot"
    if is_slot and event_data(before.data).get("name") == SESSION_METADATA_SLOT:
        return int(before.id)
    return start_id


def conversations_of(sub: str, *, secret: str, session: Session) -> list[str]:
    """The conversations in which ``sub`` was signed in, by the signed tokens they carry.

    The ``sender_id`` is chosen by the client and proves nothing: a conversation belongs to
    ``sub`` only when a user message's metadata or a session's start metadata holds a token
    signed with ``secret`` for ``sub`` (expired or not, see ``bot.identity.token_owner``).
    """
    query = (
        select(events.c.sender_id, events.c.type_name, events.c.data)
        .where(events.c.type_name.in_(("user", "slot")), events.c.data.contains(TOKEN_KEY))
        .order_by(events.c.sender_id, events.c.id)
        .execution_options(yield_per=500)
    )
    owners: dict[str, str | None] = {}
    found: list[str] = []
    for sender_id, type_name, data in session.execute(query):
        if found and found[-1] == sender_id:
            continue
        token = _token(type_name, event_data(data))
        if token is None:
            continue
        if token not in owners:
            identity = token_owner(token, secret)
            owners[token] = identity.sub if identity else None
        if owners[token] == sub:
            found.append(sender_id)
    return found


def _token(type_name: str, data: dict[str, Any]) -> str | None:
    if type_name == "user":
        metadata = data.get("metadata")
    elif data.get("name") == SESSION_METADATA_SLOT:
        metadata = data.get("value")
    else:
        return None
    token = metadata.get(TOKEN_KEY) if isinstance(metadata, dict) else None
    return token if isinstance(token, str) else None


def read_conversation(sender_id: str, *, session: Session) -> list[dict[str, Any]]:
    """What a conversation holds about its user, in order, for a data-subject export.

    The user's messages, the assistant's answers and the slots (what the user told it),
    each with its time. Internal bookkeeping (actions, session starts) is left out, and so
    are the tokens themselves, which are credentials rather than information.
    """
    rows = session.execute(
        select(events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id == sender_id)
        .order_by(events.c.id)
    )
    entries = []
    for type_name, timestamp, raw in rows:
        data = event_data(raw)
        at = dt.datetime.fromtimestamp(timestamp or 0.0, dt.timezone.utc).isoformat()
        if type_name == "user" and data.get("text"):
            intent = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
            entries.append({"zeit": at, "von": "Nutzer", "text": data["text"], "intent": intent})
        elif type_name == "bot" and data.get("text"):
            entries.append({"zeit": at, "von": "Assistent", "text": data["text"]})
        elif type_name == "slot" and data.get("value") is not None:
            value = _without_token(data["value"])
            entries.append({"zeit": at, "angabe": data.get("name"), "wert": value})
    return entries


def _without_token(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if key != TOKEN_KEY}
    return value


def delete_conversations(sender_ids: Collection[str], *, session: Session) -> int:
    """Delete these conversations entirely; returns how many there were."""
    ids = list(sender_ids)
    for start in range(0, len(ids), _DELETE_CHUNK):
        chunk = ids[start : start + _DELETE_CHUNK]
        session.execute(delete(events).where(events.c.sender_id.in_(chunk)))
    return len(ids)
