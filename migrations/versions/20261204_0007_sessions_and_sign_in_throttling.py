"""sessions and sign-in throttling

Revision ID: 20261204_0007
Revises: 20261122_0006
Create Date: 2026-12-04 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_0007'
down_revision = '20261122_0006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
