"""Writing a validated data set into the member database.

Entries are matched by key: an existing contact, service, milestone or member is updated,
a new one inserted, and a member's aliases, services and milestones are replaced by what the
file says. Entries the file does not mention stay as they are, so importing the same file
twice leaves the same data. The caller owns the transaction; on ``DatasetError`` it rolls
back and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.dataset import (
    CatalogueEntry,
    ContactData,
    DataError,
    Dataset,
    DatasetError,
    MemberData,
)
from bot.db.models import (
    Contact,
    Member,
    MemberAlias,
    MemberMilestone,
    MemberService,
    Milestone,
    MilestoneAlias,
    OpeningHours,
    Service,
    ServiceAlias,
)

T = TypeVar("T")


@dataclass(frozen=True)
class ImportSummary:
    """How many entries of each kind the import wrote."""

    contacts: int
    services: int
    milestones: int
    members: int

    def __str__(self) -> str:
        return (
            f"{self.members} Verwaltungen, {self.services} Dienste, "
            f"{self.milestones} Meilensteine, {self.contacts} Kontakte"
        )


def import_dataset(dataset: Dataset, *, session: Session) -> ImportSummary:
    """Write ``dataset`` into the database of ``session`` (which the caller commits)."""
    _check_references(dataset, session=session)
    # A name may move from one entry to another within one file: free all names of the
    # entries being imported before any is given out again.
    _release_aliases(Service, [entry.key for entry in dataset.services], session=session)
    _release_aliases(Milestone, [entry.key for entry in dataset.milestones], session=session)
    _release_aliases(Member, [member.key for member in dataset.members], session=session)

    contacts = {
        contact.key: _upsert_contact(contact, session=session) for contact in dataset.contacts
    }
    services = _upsert_catalogue(Service, dataset.services, session=session)
    milestones = _upsert_catalogue(Milestone, dataset.milestones, session=session)
    session.flush()

    contacts.update(_by_key(Contact, session=session))
    services.update(_by_key(Service, session=session))
    milestones.update(_by_key(Milestone, session=session))
    catalogue = [key for key, _ in sorted(services.items(), key=lambda item: item[1].position)]

    for data in dataset.members:
        _upsert_member(data, contacts, services, milestones, catalogue, session=session)
    session.flush()
    return ImportSummary(
        contacts=len(dataset.contacts),
        services=len(dataset.services),
        milestones=len(dataset.milestones),
        members=len(dataset.members),
    )


def _check_references(dataset: Dataset, *, session: Session) -> None:
    """Check that the references resolve and no two members share a name.

    Every key a member refers to must exist in the file or already in the database.
    """
    known_contacts = {c.key for c in dataset.contacts} | set(_keys(Contact, session=session))
    known_services = {s.key for s in dataset.services} | set(_keys(Service, session=session))
    known_milestones = {m.key for m in dataset.milestones} | set(_keys(Milestone, session=session))

    errors: list[DataError] = []
    for index, member in enumerate(dataset.members):
        label = f"members[{index + 1}] ({member.key})"
        if member.customer_team and member.customer_team not in known_contacts:
            errors.append(
                DataError(label, "customer_team", f"Kontakt '{member.customer_team}' unbekannt")
            )
        if member.services:
            for key in sorted(member.services.service_keys() - known_services):
                errors.append(DataError(label, "services", f"Dienst '{key}' unbekannt"))
        for milestone in member.milestones or ():
            if milestone.milestone not in known_milestones:
                errors.append(
                    DataError(label, "milestones", f"Meilenstein '{milestone.milestone}' unbekannt")
                )
    for section, entries, alias_model, owner in (
        ("services", dataset.services, ServiceAlias, "service"),
        ("milestones", dataset.milestones, MilestoneAlias, "milestone"),
        ("members", dataset.members, MemberAlias, "member"),
    ):
        errors.extend(_alias_clashes(section, entries, alias_model, owner, session=session))
    if errors:
        raise DatasetError(errors)


class _Named(Protocol):
    @property
    def key(self) -> str: ...

    def lookup_names(self) -> dict[str, str]: ...


def _alias_clashes(
    section: str,
    entries: Sequence[_Named],
    alias_model: type[ServiceAlias] | type[MilestoneAlias] | type[MemberAlias],
    owner: str,
    *,
    session: Session,
) -> list[DataError]:
    """Names of entries that another entry (in the file or the database) already has."""
    imported = {entry.key for entry in entries}
    taken: dict[str, str] = {}
    for alias in session.scalars(select(alias_model)).all():
        key = getattr(alias, owner).key
        if key not in imported:
            taken[alias.normalized] = key
    errors = []
    for index, entry in enumerate(entries):
        for normalized, written in entry.lookup_names().items():
            other = taken.setdefault(normalized, entry.key)
            if other != entry.key:
                label = f"{section}[{index + 1}] ({entry.key})"
                errors.append(
                    DataError(label, "aliases", f"'{written}' bezeichnet schon '{other}'")
                )
    return errors


def _upsert_contact(data: ContactData, *, session: Session) -> Contact:
    contact = _get_or_add(Contact, data.key, session=session)
    contact.kind = data.kind
    contact.name = data.name
    contact.phone = data.phone
    contact.email = data.email
    contact.portal_url = data.portal_url
    contact.is_example = data.example
    contact.opening_hours.clear()
    session.flush()
    contact.opening_hours.extend(
        OpeningHours(weekday=hours.weekday, opens=hours.opens, closes=hours.closes)
        for hours in data.hours
    )
    return contact


def _upsert_catalogue(
    model: type[Service] | type[Milestone],
    entries: Iterable[CatalogueEntry],
    *,
    session: Session,
) -> dict[str, Service | Milestone]:
    rows: dict[str, Service | Milestone] = {}
    for entry in entries:
        row = _get_or_add(model, entry.key, session=session)
        row.name = entry.name
        row.position = entry.position
        alias_model = ServiceAlias if model is Service else MilestoneAlias
        row.aliases.extend(
            alias_model(alias=written, normalized=normalized)
            for normalized, written in entry.lookup_names().items()
        )
        rows[entry.key] = row
    return rows


def _upsert_member(
    data: MemberData,
    contacts: dict[str, Contact],
    services: dict[str, Service | Milestone],
    milestones: dict[str, Service | Milestone],
    catalogue: list[str],
    *,
    session: Session,
) -> None:
    member = _get_or_add(Member, data.key, session=session)
    member.name = data.name
    member.kind = data.kind
    member.joined_on = data.joined_on
    member.joined_before = data.joined_before
    member.contract_signed_on = data.contract_signed_on
    member.is_example = data.example
    member.customer_team = contacts[data.customer_team] if data.customer_team else None

    if data.services is not None:
        member.services.clear()
    if data.milestones is not None:
        member.milestones.clear()
    session.flush()

    member.aliases.extend(
        MemberAlias(alias=written, normalized=normalized)
        for normalized, written in data.lookup_names().items()
    )
    if data.services is not None:
        member.services.extend(
            MemberService(
                service=services[transfer.service],
                status=transfer.status,
                since=transfer.since,
                is_example=transfer.example,
            )
            for transfer in data.services.resolve(catalogue)
        )
    for milestone in data.milestones or ():
        member.milestones.append(
            MemberMilestone(
                milestone=milestones[milestone.milestone],
                status=milestone.status,
                planned_start=milestone.planned_start,
                planned_end=milestone.planned_end,
                done_on=milestone.done_on,
                is_example=milestone.example,
            )
        )


def _release_aliases(
    model: type[Service] | type[Milestone] | type[Member], keys: list[str], *, session: Session
) -> None:
    for row in session.scalars(select(model).where(model.key.in_(keys))).all():
        row.aliases.clear()
    session.flush()


def _get_or_add(model: type[T], key: str, *, session: Session) -> T:
    """The row of ``model`` with ``key``, or a new one added to the session."""
    row = session.scalars(select(model).where(model.key == key)).one_or_none()  # type: ignore[attr-defined]
    if row is None:
        row = model(key=key)  # type: ignore[call-arg]
        session.add(row)
    return row


def _keys(model: type[Contact] | type[Service] | type[Milestone], *, session: Session) -> list[str]:
    return list(session.scalars(select(model.key)).all())


def _by_key(
    model: type[Contact] | type[Service] | type[Milestone], *, session: Session
) -> dict[str, Any]:
    return {row.key: row for row in session.scalars(select(model)).all()}
