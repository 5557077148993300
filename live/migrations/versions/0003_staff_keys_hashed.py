"""The moderator's and the recorder's keys are kept hashed, like phones' tokens: a copy of the
database no longer lets anyone chair or record a meeting. The personal join codes, which were
derived from the moderator's key, get a secret of their own. A meeting still open keeps its old
moderator key as that secret, so that slips already printed keep their codes: its key stays
readable in the database until the facilitator issues a new one (which the old key, still
deriving the codes, then no longer opens). A closed meeting's check-in is over: its codes get a
new random secret.

Links issued before keep working (their keys hash to what is stored). A key can no longer be
shown again; the facilitator issues a new one (POST /api/meetings/{id}/keys).

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()  # live.store.token_hash, as it is today


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("moderator_key_hash", sa.String(), nullable=True))
        batch.add_column(sa.Column("recorder_key_hash", sa.String(), nullable=True))
        batch.add_column(sa.Column("codes_secret", sa.String(), nullable=True))
    conn = op.get_bind()
    meetings = sa.table("meetings", sa.column("id", sa.String()), sa.column("moderator_key", sa.String()),
                        sa.column("recorder_key", sa.String()), sa.column("moderator_key_hash", sa.String()),
                        sa.column("recorder_key_hash", sa.String()), sa.column("codes_secret", sa.String()))
    events = sa.table("events", sa.column("meeting_id", sa.String()), sa.column("type", sa.String()))
    closed = {m for (m,) in conn.execute(sa.select(events.c.meeting_id).where(events.c.type == "MeetingClosed")).all()}
    rows = conn.execute(sa.select(meetings.c.id, meetings.c.moderator_key, meetings.c.recorder_key)).all()
    for meeting_id, moderator_key, recorder_key in rows:
        conn.execute(meetings.update().where(meetings.c.id == meeting_id).values(
            moderator_key_hash=_hash(moderator_key), recorder_key_hash=_hash(recorder_key),
            codes_secret=secrets.token_urlsafe(24) if meeting_id in closed else moderator_key))
    with op.batch_alter_table("meetings") as batch:
        for column in ("moderator_key_hash", "recorder_key_hash", "codes_secret"):
            batch.alter_column(column, existing_type=sa.String(), nullable=False)
        batch.drop_column("moderator_key")
        batch.drop_column("recorder_key")


def downgrade() -> None:
    raise NotImplementedError("the keys are hashed: they cannot be brought back; restore the backup taken before")
