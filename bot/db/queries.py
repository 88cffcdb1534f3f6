"""Read queries on the member database. Each takes the caller's session and never commits."""

from __future__ import annotations

from collections.abc import Callable

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
    Service,
)
from bot.names import allowed_typos, normalize, split_kind_prefix, typo_distance


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
        lambda alias: typos > 0 and typo_distance(alias, rest) <= typos,
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
    return None


def list_services(*, session: Session) -> list[Service]:
    """The service catalogue in its order."""
    return list(session.scalars(select(Service).order_by(Service.position, Service.key)).all())


def find_service(name: str, *, session: Session) -> Service | None:
    """The catalogue service named ``name``: by key, by name, or by a word of its name."""
    query = normalize(name)
    if not query:
        return None
    services = list_services(session=session)
    matchers: list[Callable[[Service], bool]] = [
        lambda service: normalize(service.key) == query or normalize(service.name) == query,
        lambda service: f" {query} " in f" {normalize(service.name)} ",
    ]
    for matches in matchers:
        found = [service for service in services if matches(service)]
        if len(found) == 1:
            return found[0]
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


def service_desk(*, session: Session) -> Contact | None:
    """The KSM service desk with its opening hours."""
    statement = (
        select(Contact)
        .options(selectinload(Contact.opening_hours))
        .where(Contact.kind == ContactKind.SERVICE_DESK)
        .order_by(Contact.id)
        .limit(1)
    )
    return session.scalars(statement).one_or_none()


def customer_team(member: Member, *, session: Session) -> Contact | None:
    """The KSM team that looks after ``member``."""
    if member.customer_team_id is None:
        return None
    return session.get(Contact, member.customer_team_id)
