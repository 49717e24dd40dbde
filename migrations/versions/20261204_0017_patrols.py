"""patrols: joint patrols with partner units (patrols, patrol_messages, patrol_reports,
patrol_rescues)

A patrol between a proposing office and a partner office, on a border segment (markers or a
gate), with its thread of steps (proposal, confirmation, decline, another time, cancellation)
and one outcome report per side; each person rescued is a person of a case of the reporting
office (patrol_rescues links the report to them).

Revision ID: 20261204_0017
Revises: 20261204_0016
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0017"
down_revision = "20261204_0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "patrols",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposing_office_id", sa.Integer(), nullable=False),
        sa.Column("partner_office_id", sa.Integer(), nullable=False),
        sa.Column("awaiting_office_id", sa.Integer(), nullable=True),
        sa.Column("marker_from", sa.String(length=32), nullable=True),
        sa.Column("marker_to", sa.String(length=32), nullable=True),
        sa.Column("gate_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("meeting_point", sa.String(length=300), nullable=False),
        sa.Column("proposing_unit", sa.String(length=300), nullable=True),
        sa.Column("partner_unit", sa.String(length=300), nullable=True),
        sa.Column("proposing_leaders", sa.JSON(), nullable=False),
        sa.Column("partner_leaders", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["awaiting_office_id"],
            ["offices.id"],
            name=op.f("fk_patrols_awaiting_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_patrols_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["gate_id"], ["border_gates.id"], name=op.f("fk_patrols_gate_id_border_gates")
        ),
        sa.ForeignKeyConstraint(
            ["partner_office_id"],
            ["offices.id"],
            name=op.f("fk_patrols_partner_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["proposing_office_id"],
            ["offices.id"],
            name=op.f("fk_patrols_proposing_office_id_offices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrols")),
    )
    with op.batch_alter_table("patrols", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patrols_gate_id"), ["gate_id"], unique=False)
        batch_op.create_index(
            "ix_patrols_partner_starts", ["partner_office_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            "ix_patrols_proposing_starts", ["proposing_office_id", "starts_at"], unique=False
        )
        batch_op.create_index("ix_patrols_state_starts", ["state", "starts_at"], unique=False)

    op.create_table(
        "patrol_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author_office_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_patrol_messages_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["author_office_id"],
            ["offices.id"],
            name=op.f("fk_patrol_messages_author_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["patrols.id"],
            name=op.f("fk_patrol_messages_patrol_id_patrols"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_messages")),
    )
    with op.batch_alter_table("patrol_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patrol_messages_patrol_id"), ["patrol_id"], unique=False
        )

    op.create_table(
        "patrol_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("people_checked", sa.Integer(), nullable=False),
        sa.Column("incidents", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_patrol_reports_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_patrol_reports_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["patrols.id"],
            name=op.f("fk_patrol_reports_patrol_id_patrols"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_reports")),
        sa.UniqueConstraint(
            "patrol_id", "office_id", name=op.f("uq_patrol_reports_patrol_id_office_id")
        ),
    )
    with op.batch_alter_table("patrol_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patrol_reports_patrol_id"), ["patrol_id"], unique=False
        )

    op.create_table(
        "patrol_rescues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_patrol_rescues_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["patrol_reports.id"],
            name=op.f("fk_patrol_rescues_report_id_patrol_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_rescues")),
        sa.UniqueConstraint(
            "report_id", "position", name=op.f("uq_patrol_rescues_report_id_position")
        ),
    )
    with op.batch_alter_table("patrol_rescues", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patrol_rescues_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patrol_rescues_report_id"), ["report_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("patrol_rescues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patrol_rescues_report_id"))
        batch_op.drop_index(batch_op.f("ix_patrol_rescues_person_id"))
    op.drop_table("patrol_rescues")
    with op.batch_alter_table("patrol_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patrol_reports_patrol_id"))
    op.drop_table("patrol_reports")
    with op.batch_alter_table("patrol_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patrol_messages_patrol_id"))
    op.drop_table("patrol_messages")
    with op.batch_alter_table("patrols", schema=None) as batch_op:
        batch_op.drop_index("ix_patrols_state_starts")
        batch_op.drop_index("ix_patrols_proposing_starts")
        batch_op.drop_index("ix_patrols_partner_starts")
        batch_op.drop_index(batch_op.f("ix_patrols_gate_id"))
    op.drop_table("patrols")
