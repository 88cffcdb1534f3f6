"""Service and milestone aliases: the words users use for them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "milestone_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("normalized", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_aliases_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_aliases")),
        sa.UniqueConstraint("normalized", name=op.f("uq_milestone_aliases_normalized")),
    )
    with op.batch_alter_table("milestone_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_aliases_milestone_id"), ["milestone_id"], unique=False
        )

    op.create_table(
        "service_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("normalized", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_aliases_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_aliases")),
        sa.UniqueConstraint("normalized", name=op.f("uq_service_aliases_normalized")),
    )
    with op.batch_alter_table("service_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_aliases_service_id"), ["service_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("service_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_aliases_service_id"))

    op.drop_table("service_aliases")
    with op.batch_alter_table("milestone_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_aliases_milestone_id"))

    op.drop_table("milestone_aliases")
