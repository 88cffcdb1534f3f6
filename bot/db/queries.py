"""Read queries on the member database. Each takes the caller's session and never commits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.db.models import (
    Contact,
    ContactKind,
    Member,
    MemberAlias,
    MemberMilestone,
    MemberService,
    Milestone,
    MilestoneAlias,
    Service,
    ServiceAlias,
)
from bot.names import FILLER_WORDS, allowed_typos, normalize, split_kind_prefix, within_typos

Owner = TypeVar("Owner", Service, Milestone)


def list_members(*, session: Session) -> list[Member]:
    """All members, the longest-standing first."""
    statement = (
        select(Member)
        .options(joinedload(Member.customer_team))
        .order_by(
            func.coalesce(Member.joined_on, Member.joined_before),
            # "before 2019" comes before "on 01.01.2019"
            case((Member.joined_on.is_(None), 0), else_=1),
            Member.name,
        )
    )
    return list(session.scalars(statement).all())


def member_by_key(key: str, *, session: Session) -> Member | None:
    return session.scalars(select(Member).where(Member.key == key)).one_or_none()


def find_member(name: str, *, session: Session) -> Member | None:
    """The member a user means by ``name``, or ``None`` if it is unknown or ambiguous.

    Tries, in order: an exact alias ("LUP", "Amt PU"), the name without its kind word
    ("Amt Grabow" is still Grabow, but "Landkreis Ludwigslust" is the Landkreis, not the
    Stadt), the start of a longer name, and finally a close spelling ("Parchimer Umlnd").
    """
    query = normalize(name)
    if not query:
        return None
    aliases = session.scalars(select(MemberAlias).options(joinedload(MemberAlias.member))).all()

    exact = {alias.member for alias in aliases if alias.normalized == query}
    if len(exact) == 1:
        return exact.pop()

    kinds, rest = split_kind_prefix(query)
    stripped = [(split_kind_prefix(alias.normalized)[1], alias.member) for alias in aliases]
    typos = allowed_typos(rest)
    stages: list[Callable[[str], bool]] = [
        lambda alias: alias == rest,
        lambda alias: alias.startswith(rest + " "),
        lambda alias: typos > 0 and within_typos(alias, rest, typos),
    ]
    # A kind word decides between namesakes ("Landkreis Ludwigslust"); a wrong one ("Amt
    # Grabow") is forgiven when the name alone is clear.
    for kind_filter in (kinds, None) if kinds else (None,):
        for matches in stages:
            found = {
                member
                for alias, member in stripped
                if matches(alias) and (kind_filter is None or member.kind.value in kind_filter)
            }
            if len(found) == 1:
                return found.pop()
    return _longest_alias_within(query, aliases)


def _longest_alias_within(query: str, aliases: list[MemberAlias]) -> Member | None:
    """The member whose name stands in a longer text ("ich bin aus grabow"), if only one."""
    padded = f" {query} "
    within = [alias for alias in aliases if f" {alias.normalized} " in padded]
    if not within:
        return None
    longest = max(len(alias.normalized) for alias in within)
    members = {alias.member for alias in within if len(alias.normalized) == longest}
    return members.pop() if len(members) == 1 else None


def list_services(*, session: Session) -> list[Service]:
    """The service catalogue in its order."""
    return list(session.scalars(select(Service).order_by(Service.position, Service.key)).all())


def service_by_key(key: str, *, session: Session) -> Service | None:
    return session.scalars(select(Service).where(Service.key == key)).one_or_none()


def find_service(name: str, *, session: Session) -> Service | None:
    """The catalogue service a user means by ``name`` ("Diensthandys", "VPN", "Telefonie")."""
    return _owner_by_alias(
        name, Service, ServiceAlias.normalized, ServiceAlias.service_id, session=session
    )


def find_milestone(name: str, *, session: Session) -> Milestone | None:
    """The onboarding milestone a user means by ``name`` ("Arbeitsplätze", "Schulung")."""
    return _owner_by_alias(
        name, Milestone, MilestoneAlias.normalized, MilestoneAlias.milestone_id, session=session
    )


def _owner_by_alias(
    name: str, owner: type[Owner], alias: Any, owner_id: Any, *, session: Session
) -> Owner | None:
    """The owner whose alias ``_match_alias`` finds for ``name``, loaded alone.

    The aliases are matched as plain rows: loading every alias with its owner as ORM objects
    took most of the time of a fault report's first answer in the action server.
    """
    found = _match_alias(name, session.execute(select(alias, owner_id)).all())
    return None if found is None else session.get(owner, found)


def _match_alias(name: str, aliases: Sequence[tuple[str, int]]) -> int | None:
    """The id of the one owner of the alias that ``name`` is, contains, or is a typo of."""
    query = " ".join(word for word in normalize(name).split() if word not in FILLER_WORDS)
    if not query:
        return None
    typos = allowed_typos(query)
    stages: list[Callable[[str], bool]] = [
        lambda alias: alias == query,
        lambda alias: typos > 0 and within_typos(alias, query, typos),
        lambda alias: f" {alias} " in f" {query} ",
    ]
    for matches in stages:
        found = {owner for alias, owner in aliases if matches(alias)}
        if len(found) == 1:
            return found.pop()
    return None


def services_of_member(member: Member, *, session: Session) -> list[MemberService]:
    """What KSM runs (or will run) for ``member``, in catalogue order."""
    statement = (
        select(MemberService)
        .join(MemberService.service)
        .options(joinedload(MemberService.service))
        .where(MemberService.member_id == member.id)
        .order_by(Service.position)
    )
    return list(session.scalars(statement).all())


def service_at_member(
    member: Member, service: Service, *, session: Session
) -> MemberService | None:
    """The transfer of ``service`` to KSM at ``member``, or ``None`` if it was not transferred."""
    statement = select(MemberService).where(
        MemberService.member_id == member.id, MemberService.service_id == service.id
    )
    return session.scalars(statement).one_or_none()


def onboarding_milestones(member: Member, *, session: Session) -> list[MemberMilestone]:
    """The member's onboarding milestones in their standard order (empty if none recorded)."""
    statement = (
        select(MemberMilestone)
        .join(MemberMilestone.milestone)
        .options(joinedload(MemberMilestone.milestone))
        .where(MemberMilestone.member_id == member.id)
        .order_by(Milestone.position)
    )
    return list(session.scalars(statement).all())


def service_desk(*, session: Session, opening_hours: bool = True) -> Contact | None:
    """The KSM service desk, with its opening hours unless the caller needs only its contact.

    The hours take a second query, two thirds of this one's time; every session start asks
    for the desk, but only for its phone number and addresses.
    """
    statement = (
        select(Contact)
        .where(Contact.kind == ContactKind.SERVICE_DESK)
        .order_by(Contact.id)
        .limit(1)
    )
    if opening_hours:
        statement = statement.options(selectinload(Contact.opening_hours))
    return session.scalars(statement).one_or_none()


def customer_team(member: Member, *, session: Session) -> Contact | None:
    """The KSM team that looks after ``member``."""
    if member.customer_team_id is None:
        return None
    return session.get(Contact, member.customer_team_id)
