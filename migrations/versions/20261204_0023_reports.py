"""reports: stored periodic reports (reports)

One row per version of the report of a scope (office, province, partnership, everything) and
a period: the frozen figures (JSON snapshot), who generated it (NULL: the scheduler), when.
Covering indexes for the reports' aggregates on cases, people, trafficking_events, requests
and request_people (declared in coordination/reports/models.py).

Revision ID: 20261204_0023
Revises: 20261204_0022
Create Date: 2026-12-04 18:10:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0023"
down_revision = "20261204_0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope_kind", sa.String(length=16), nullable=False),
        sa.Column("scope_id", sa.Integer(), nullable=True),
        sa.Column("scope_key", sa.String(length=40), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("period_key", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("generated_at", sa.DateTime(), nullable=False),
        sa.Column("generated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["generated_by_id"], ["users.id"], name=op.f("fk_reports_generated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint(
            "scope_key",
            "period_key",
            "version",
            name=op.f("uq_reports_scope_key_period_key_version"),
        ),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reports_scope_period", ["scope_key", "period_start"], unique=False
        )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


INDEXES = (
    ("ix_cases_reports", "cases", ["opened_on", "office_id"]),
    (
        "ix_people_reports",
        "people",
        [
            "case_id",
            "role",
            "victim_status",
            "sex",
            "nationality",
            "date_of_birth",
            "estimated_age",
        ],
    ),
    ("ix_trafficking_events_reports", "trafficking_events", ["case_id", "exploitation_type"]),
    (
        "ix_requests_reports",
        "requests",
        [
            "sent_at",
            "sender_office_id",
            "recipient_office_id",
            "kind",
            "answered_at",
            "deadline_at",
        ],
    ),
    ("ix_request_people_reports", "request_people", ["outcome_at", "outcome", "request_id"]),
)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_scope_period")
    op.drop_table("reports")
