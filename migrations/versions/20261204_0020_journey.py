"""journey: (placeholder, filled in by the journey work)

Revision ID: 20261204_0020
Revises: 20261204_0019
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "20261204_0020"
down_revision = "20261204_0019"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
