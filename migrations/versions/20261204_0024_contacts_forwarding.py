"""contacts forwarding: a border guard station passes a contact to its province's liaison office

Four columns on contacts: the case number as the logging officer wrote it (case_reference),
and the liaison office the contact was passed to, when and by whom (forwarded_office_id,
forwarded_at, forwarded_by_id), with the index the "passed to us" log reads
(ix_contacts_forwarded).

Revision ID: 20261204_0024
Revises: 20261204_0023
Create Date: 2026-12-04 21:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0024"
down_revision = "20261204_0023"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("case_reference", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("forwarded_office_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("forwarded_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("forwarded_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_contacts_forwarded_office_id_offices"),
            "offices",
            ["forwarded_office_id"],
            ["id"],
        )
        batch.create_foreign_key(
            batch.f("fk_contacts_forwarded_by_id_users"), "users", ["forwarded_by_id"], ["id"]
        )
        batch.create_index(
            "ix_contacts_forwarded", ["forwarded_office_id", "occurred_at", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("contacts") as batch:
        batch.drop_index("ix_contacts_forwarded")
        batch.drop_constraint(batch.f("fk_contacts_forwarded_by_id_users"), type_="foreignkey")
        batch.drop_constraint(
            batch.f("fk_contacts_forwarded_office_id_offices"), type_="foreignkey"
        )
        batch.drop_column("forwarded_by_id")
        batch.drop_column("forwarded_at")
        batch.drop_column("forwarded_office_id")
        batch.drop_column("case_reference")
