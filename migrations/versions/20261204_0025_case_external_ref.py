"""case external reference: where an imported case came from (a partner's HTCDS case id)

One column on cases, external_ref (e.g. "htcds:PX-2026-17"), with the index an import reads
to find the partner cases the office already imported (ix_cases_office_external, partial:
only the cases that have one, so that the planner never prefers it for the case lists).
Added with ALTER TABLE on both databases (no table copy: SQLite keeps every trigger).

Revision ID: 20261204_0025
Revises: 20261204_0024
Create Date: 2026-12-04 21:15:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0025"
down_revision = "20261204_0024"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("cases", sa.Column("external_ref", sa.String(length=100), nullable=True))
    op.create_index(
        op.f("ix_cases_office_external"),
        "cases",
        ["office_id", "external_ref"],
        unique=False,
        sqlite_where=sa.text("external_ref IS NOT NULL"),
        postgresql_where=sa.text("external_ref IS NOT NULL"),
    )


def downgrade():
    op.drop_index(op.f("ix_cases_office_external"), table_name="cases")
    op.drop_column("cases", "external_ref")
