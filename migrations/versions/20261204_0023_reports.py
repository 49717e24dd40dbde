"""reports: placeholder (filled in by the reports feature)

Revision ID: 20261204_0023
Revises: 20261204_0022
Create Date: 2026-12-04 18:10:00
"""

# revision identifiers, used by Alembic.
revision = "20261204_0023"
down_revision = "20261204_0022"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
