"""Helpdesk: agents, their login sessions and API tokens; ticket assignee and assignment events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

EVENT_KINDS = ("created", "status", "internal_note", "public_note")


def _event_kind(*values: str) -> sa.Enum:
    return sa.Enum(
        *values,
        name="ticket_event_kind",
        native_enum=False,
        create_constraint=True,
        length=32,
    )


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agents")),
        sa.UniqueConstraint("name", name=op.f("uq_agents_name")),
    )
    for table in ("agent_sessions", "api_tokens"):
        columns = [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("agent_id", sa.Integer(), nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        ]
        if table == "agent_sessions":
            columns.append(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False))
        columns.append(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        op.create_table(
            table,
            *columns,
            sa.ForeignKeyConstraint(
                ["agent_id"],
                ["agents.id"],
                name=op.f(f"fk_{table}_agent_id_agents"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("token_hash", name=op.f(f"uq_{table}_token_hash")),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_agent_id"), ["agent_id"], unique=False)

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_tickets_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_assignee_id_agents"),
            "agents",
            ["assignee_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=_event_kind(*EVENT_KINDS),
            type_=_event_kind(*EVENT_KINDS[:2], "assigned", *EVENT_KINDS[2:]),
            existing_nullable=False,
        )


def downgrade() -> None:
    op.execute("DELETE FROM ticket_events WHERE kind = 'assigned'")
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=_event_kind(*EVENT_KINDS[:2], "assigned", *EVENT_KINDS[2:]),
            type_=_event_kind(*EVENT_KINDS),
            existing_nullable=False,
        )

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tickets_assignee_id_agents"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_tickets_assignee_id"))
        batch_op.drop_column("assignee_id")

    for table in ("api_tokens", "agent_sessions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_agent_id"))
        op.drop_table(table)
    op.drop_table("agents")
