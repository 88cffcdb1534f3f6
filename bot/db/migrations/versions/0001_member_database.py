"""Member database: members, aliases, services, milestones, contacts, opening hours.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "service_desk",
                "customer_team",
                name="contact_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("portal_url", sa.String(length=500), nullable=True),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("key", name=op.f("uq_contacts_key")),
    )
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
        sa.UniqueConstraint("key", name=op.f("uq_milestones_key")),
    )
    op.create_table(
        "services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
        sa.UniqueConstraint("key", name=op.f("uq_services_key")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "kreisfreie Stadt",
                "Landkreis",
                "Stadt",
                "Amt",
                "Gemeinde",
                name="member_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("joined_before", sa.Date(), nullable=True),
        sa.Column("contract_signed_on", sa.Date(), nullable=True),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.Column("customer_team_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_team_id"],
            ["contacts.id"],
            name=op.f("fk_members_customer_team_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("key", name=op.f("uq_members_key")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_members_customer_team_id"),
            ["customer_team_id"],
            unique=False,
        )

    op.create_table(
        "opening_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_opening_hours_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_hours")),
    )
    with op.batch_alter_table("opening_hours", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opening_hours_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "member_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("normalized", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_aliases_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_aliases")),
        sa.UniqueConstraint("normalized", name=op.f("uq_member_aliases_normalized")),
    )
    with op.batch_alter_table("member_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_aliases_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "member_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "geplant",
                "in Arbeit",
                "erledigt",
                name="milestone_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_milestones_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_member_milestones_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_milestones")),
        sa.UniqueConstraint(
            "member_id", "milestone_id", name=op.f("uq_member_milestones_member_id")
        ),
    )
    with op.batch_alter_table("member_milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_milestones_milestone_id"),
            ["milestone_id"],
            unique=False,
        )

    op.create_table(
        "member_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "geplant",
                "in Migration",
                "übernommen",
                name="transfer_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_services_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_member_services_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_services")),
        sa.UniqueConstraint("member_id", "service_id", name=op.f("uq_member_services_member_id")),
    )
    with op.batch_alter_table("member_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_services_service_id"), ["service_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("member_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_services_service_id"))

    op.drop_table("member_services")
    with op.batch_alter_table("member_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_milestones_milestone_id"))

    op.drop_table("member_milestones")
    with op.batch_alter_table("member_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_aliases_member_id"))

    op.drop_table("member_aliases")
    with op.batch_alter_table("opening_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opening_hours_contact_id"))

    op.drop_table("opening_hours")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_customer_team_id"))

    op.drop_table("members")
    op.drop_table("services")
    op.drop_table("milestones")
    op.drop_table("contacts")
