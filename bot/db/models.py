"""The member database: who belongs to the KSM-Verbund, what KSM runs for them, whom to call.

Tables:

    contacts            service desk and customer teams
    opening_hours       weekly service hours of a contact
    services            the service catalogue
    milestones          the standard onboarding milestones, in order
    members             the Träger, with kind, dates and customer team
    member_aliases      the loose names users give a member ("LUP", "Amt PU")
    service_aliases     the words users use for a service ("Diensthandy" → mobil)
    milestone_aliases   the words users use for a milestone ("Arbeitsplätze")
    ticket_counters     the last ticket number given out, per year
    tickets             faults and requests the assistant opened for the service desk
    ticket_events       a ticket's history: creation, status changes, assignments, notes
    agents              the service-desk agents who work the tickets in the helpdesk
    agent_sessions      an agent's login sessions in the helpdesk (only the token's hash)
    api_tokens          an agent's tokens for the JSON API (only the token's hash)
    login_failures      failed helpdesk logins per login name (hashed) and its lock
    member_services     which catalogue service KSM runs for a member, since when
    member_milestones   a member's progress through the onboarding milestones
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base: Any = declarative_base(metadata=metadata)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A point in time, stored in UTC and read back time-zone aware on every database.

    SQLite has no time zones: a plain ``DateTime(timezone=True)`` would store the wall-clock
    time of whatever zone the value had and read it back naive.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: times are stored time-zone aware")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class MemberKind(str, enum.Enum):
    """The kind of administration a Träger is; the value is what users read."""

    KREISFREIE_STADT = "kreisfreie Stadt"
    LANDKREIS = "Landkreis"
    STADT = "Stadt"
    AMT = "Amt"
    GEMEINDE = "Gemeinde"


class TransferStatus(str, enum.Enum):
    """How far the responsibility for one service has moved to KSM."""

    GEPLANT = "geplant"
    IN_MIGRATION = "in Migration"
    UEBERNOMMEN = "übernommen"


class MilestoneStatus(str, enum.Enum):
    """State of one onboarding milestone."""

    GEPLANT = "geplant"
    IN_ARBEIT = "in Arbeit"
    ERLEDIGT = "erledigt"


class ContactKind(str, enum.Enum):
    SERVICE_DESK = "service_desk"
    CUSTOMER_TEAM = "customer_team"


def _enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """Store the German value, not the Python name, and keep it a portable VARCHAR."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


class AliasColumns:
    """A name as users write it, and its normalised form, unique within its table."""

    alias = Column(String(200), nullable=False)
    normalized = Column(String(200), nullable=False, unique=True)


class Contact(Base):
    __tablename__ = "contacts"

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)
    kind = Column(_enum(ContactKind, "contact_kind"), nullable=False)
    name = Column(String(200), nullable=False)
    phone = Column(String(64))
    email = Column(String(254))
    portal_url = Column(String(500))
    is_example = Column(Boolean, nullable=False, default=False)

    opening_hours = relationship(
        "OpeningHours",
        back_populates="contact",
        cascade="all, delete-orphan",
        order_by="(OpeningHours.weekday, OpeningHours.opens)",
    )


class OpeningHours(Base):
    """One opening interval on one weekday (0 = Monday)."""

    __tablename__ = "opening_hours"

    id = Column(Integer, primary_key=True)
    contact_id = Column(ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True)
    weekday = Column(SmallInteger, nullable=False)
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)

    contact = relationship("Contact", back_populates="opening_hours")


class Service(Base):
    __tablename__ = "services"

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    position = Column(Integer, nullable=False, default=0)

    aliases = relationship(
        "ServiceAlias",
        back_populates="service",
        cascade="all, delete-orphan",
        order_by="ServiceAlias.alias",
    )


class ServiceAlias(AliasColumns, Base):
    """A word users use for a service; ``normalized`` is what lookups compare."""

    __tablename__ = "service_aliases"

    id = Column(Integer, primary_key=True)
    service_id = Column(ForeignKey("services.id", ondelete="CASCADE"), nullable=False, index=True)

    service = relationship("Service", back_populates="aliases")


class Milestone(Base):
    __tablename__ = "milestones"

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    position = Column(Integer, nullable=False)

    aliases = relationship(
        "MilestoneAlias",
        back_populates="milestone",
        cascade="all, delete-orphan",
        order_by="MilestoneAlias.alias",
    )


class MilestoneAlias(AliasColumns, Base):
    """A word users use for an onboarding milestone; ``normalized`` is what lookups compare."""

    __tablename__ = "milestone_aliases"

    id = Column(Integer, primary_key=True)
    milestone_id = Column(
        ForeignKey("milestones.id", ondelete="CASCADE"), nullable=False, index=True
    )

    milestone = relationship("Milestone", back_populates="aliases")


class Member(Base):
    """A Träger of KSM.

    ``joined_on`` is the day KSM took over (the Betriebsübergang); it is unknown for the
    founding members, for whom ``joined_before`` records what is known ("before 2019").
    """

    __tablename__ = "members"

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    kind = Column(_enum(MemberKind, "member_kind"), nullable=False)
    joined_on = Column(Date)
    joined_before = Column(Date)
    contract_signed_on = Column(Date)
    is_example = Column(Boolean, nullable=False, default=False)
    customer_team_id = Column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)

    customer_team = relationship("Contact")
    aliases = relationship(
        "MemberAlias",
        back_populates="member",
        cascade="all, delete-orphan",
        order_by="MemberAlias.alias",
    )
    services = relationship(
        "MemberService",
        back_populates="member",
        cascade="all, delete-orphan",
    )
    milestones = relationship(
        "MemberMilestone",
        back_populates="member",
        cascade="all, delete-orphan",
    )


class MemberAlias(AliasColumns, Base):
    """A name users give a member; ``normalized`` is what lookups compare."""

    __tablename__ = "member_aliases"

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True)

    member = relationship("Member", back_populates="aliases")


class MemberService(Base):
    """KSM runs (or will run) ``service`` for ``member``; absent rows mean "not transferred"."""

    __tablename__ = "member_services"
    __table_args__ = (UniqueConstraint("member_id", "service_id"),)

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("members.id", ondelete="CASCADE"), nullable=False)
    service_id = Column(ForeignKey("services.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(_enum(TransferStatus, "transfer_status"), nullable=False)
    since = Column(Date)
    is_example = Column(Boolean, nullable=False, default=False)

    member = relationship("Member", back_populates="services")
    service = relationship("Service")


class MemberMilestone(Base):
    """Where a member stands with one onboarding milestone.

    Planned work has ``planned_start``/``planned_end`` (a single day has only the end);
    finished work has ``done_on`` when the date is known.
    """

    __tablename__ = "member_milestones"
    __table_args__ = (UniqueConstraint("member_id", "milestone_id"),)

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("members.id", ondelete="CASCADE"), nullable=False)
    milestone_id = Column(
        ForeignKey("milestones.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(_enum(MilestoneStatus, "milestone_status"), nullable=False)
    planned_start = Column(Date)
    planned_end = Column(Date)
    done_on = Column(Date)
    is_example = Column(Boolean, nullable=False, default=False)

    member = relationship("Member", back_populates="milestones")
    milestone = relationship("Milestone")


class TicketKind(str, enum.Enum):
    STOERUNG = "Störung"
    ANTRAG = "Antrag"


class TicketStatus(str, enum.Enum):
    """The life of a ticket, in this order."""

    NEU = "neu"
    IN_BEARBEITUNG = "in Bearbeitung"
    WARTET = "wartet auf Rückmeldung"
    GELOEST = "gelöst"
    GESCHLOSSEN = "geschlossen"


class TicketEventKind(str, enum.Enum):
    CREATED = "created"
    STATUS = "status"
    ASSIGNED = "assigned"
    INTERNAL_NOTE = "internal_note"
    PUBLIC_NOTE = "public_note"


class TicketCounter(Base):
    """The last sequence number given out in ``year``; incremented under a row lock."""

    __tablename__ = "ticket_counters"

    year = Column(Integer, primary_key=True, autoincrement=False)
    last_sequence = Column(Integer, nullable=False, default=0)


class Ticket(Base):
    """A fault (Störung) or request (Antrag), complete enough that nobody has to call back.

    ``reporter_sub`` is the user id from a valid identity token; without one the ticket is
    anonymous and ``conversation_id`` scopes who may see it. ``idempotency_key`` makes a
    retried creation for the same conversation event return the first ticket.
    """

    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True)
    number = Column(String(16), nullable=False, unique=True)
    kind = Column(_enum(TicketKind, "ticket_kind"), nullable=False)
    status = Column(_enum(TicketStatus, "ticket_status"), nullable=False, index=True)
    category = Column(String(64), nullable=False, index=True)
    priority = Column(SmallInteger, nullable=False, index=True)
    impact = Column(SmallInteger)
    urgency = Column(SmallInteger)
    member_id = Column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    title = Column(String(200), nullable=False)
    description = Column(Text, nullable=False)
    details = Column(Text)
    reporter_sub = Column(String(200), index=True)
    reporter_name = Column(String(200))
    reporter_contact = Column(String(254))
    conversation_id = Column(String(255), index=True)
    idempotency_key = Column(String(255), unique=True)
    excerpt = Column(Text)
    created_at = Column(UtcDateTime(), nullable=False)
    updated_at = Column(UtcDateTime(), nullable=False)
    assignee_id = Column(ForeignKey("agents.id", ondelete="SET NULL"), index=True)

    member = relationship("Member")
    assignee = relationship("Agent")
    events = relationship(
        "TicketEvent",
        back_populates="ticket",
        cascade="all, delete-orphan",
        order_by="TicketEvent.id",
    )


class TicketEvent(Base):
    """One entry of a ticket's history."""

    __tablename__ = "ticket_events"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(UtcDateTime(), nullable=False)
    actor = Column(String(200), nullable=False)
    kind = Column(_enum(TicketEventKind, "ticket_event_kind"), nullable=False)
    old_value = Column(String(64))
    new_value = Column(String(64))
    text = Column(Text)

    ticket = relationship("Ticket", back_populates="events")


class Agent(Base):
    """A service-desk agent who logs in to the helpdesk; ``name`` is the login name."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(200), nullable=False)
    password_hash = Column(String(255), nullable=False)
    is_active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UtcDateTime(), nullable=False)


class AgentSession(Base):
    """A login to the helpdesk; the cookie holds the token, the database only its hash."""

    __tablename__ = "agent_sessions"

    id = Column(Integer, primary_key=True)
    agent_id = Column(ForeignKey("agents.id", ondelete="CASCADE"), nullable=False, index=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(UtcDateTime(), nullable=False)
    expires_at = Column(UtcDateTime(), nullable=False)
    revoked_at = Column(UtcDateTime())

    agent = relationship("Agent")


class ApiToken(Base):
    """A bearer token for the JSON API, shown once when issued; stored as its hash."""

    __tablename__ = "api_tokens"

    id = Column(Integer, primary_key=True)
    agent_id = Column(ForeignKey("agents.id", ondelete="CASCADE"), nullable=False, index=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(UtcDateTime(), nullable=False)
    revoked_at = Column(UtcDateTime())

    agent = relationship("Agent")


class LoginFailure(Base):
    """Failed helpdesk logins for one submitted login name, and the lock they led to.

    ``name_hash`` is the SHA-256 of the normalized name, whether or not an agent has it: the
    table answers the same for every name and keeps no clear text of what people typed (now
    and then a password lands in the name field). The counting window starts with
    ``first_failure_at``; a successful login deletes the row.
    """

    __tablename__ = "login_failures"

    name_hash = Column(String(64), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    first_failure_at = Column(UtcDateTime())
    last_failure_at = Column(UtcDateTime())
    locked_until = Column(UtcDateTime())
