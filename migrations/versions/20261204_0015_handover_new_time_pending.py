"""handovers: new_time_pending (postponed without a new time: not reminded at the old time);
handover_people.referral_office_id (the centre a person is referred to at the gate)

Revision ID: 20261204_0015
Revises: 20261204_0014
Create Date: 2026-12-04 14:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0015"
down_revision = "20261204_0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("handovers") as batch:
        batch.add_column(
            sa.Column(
                "new_time_pending", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("handover_people") as batch:
        batch.add_column(sa.Column("referral_office_id", sa.Integer(), nullable=True))
        batch.create_index(
            batch.f("ix_handover_people_referral_office_id"), ["referral_office_id"], unique=False
        )
        batch.create_foreign_key(
            batch.f("fk_handover_people_referral_office_id_offices"),
            "offices",
            ["referral_office_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("handover_people") as batch:
        batch.drop_constraint(
            batch.f("fk_handover_people_referral_office_id_offices"), type_="foreignkey"
        )
        batch.drop_index(batch.f("ix_handover_people_referral_office_id"))
        batch.drop_column("referral_office_id")
    with op.batch_alter_table("handovers") as batch:
        batch.drop_column("new_time_pending")
