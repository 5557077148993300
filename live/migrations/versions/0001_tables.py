"""The tables as release 2e1af6a created them: meetings, events (the hash-chained record), credentials.

Revision ID: 0001
Revises:
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
        "meetings",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("moderator_key", sa.String(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.UniqueConstraint("meeting_id", "seq"),
    )
    op.create_index("ix_events_meeting_id", "events", ["meeting_id"])
    op.create_table(
        "credentials",
        sa.Column("token_hash", sa.String(), primary_key=True),
        sa.Column("meeting_id", sa.String(), nullable=False),
        sa.Column("participant_id", sa.String(), nullable=False),
    )
    op.create_index("ix_credentials_meeting_id", "credentials", ["meeting_id"])


def downgrade() -> None:
    op.drop_table("credentials")
    op.drop_table("events")
    op.drop_table("meetings")
