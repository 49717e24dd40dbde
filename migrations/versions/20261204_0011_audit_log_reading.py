"""audit log reading: indexes for the log's filters (period, office of the actor)

Revision ID: 20261204_0011
Revises: 20261204_0009
Create Date: 2026-12-04 11:30:00

The audit log page filters by period (created_at) and by office (the office the entry is
about, already indexed with its id, or the acting user's office): both get an index, with
the id that orders the list.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "20261204_0011"
down_revision = "20261204_0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.create_index("ix_audit_entries_created_at", ["created_at", "id"])
        batch_op.create_index("ix_audit_entries_actor_office", ["actor_office_id", "id"])


def downgrade():
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.drop_index("ix_audit_entries_actor_office")
        batch_op.drop_index("ix_audit_entries_created_at")
