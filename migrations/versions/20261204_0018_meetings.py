"""meetings: liaison meetings between partner offices (meetings, meeting_overrides,
meeting_attendees, meeting_agenda_items, meeting_minutes, meeting_action_items,
meeting_minutes_records)

A meeting series hosted by one office with a partner office, one-off or recurring (an RRULE
expanded in the host's time zone), with exceptions (a skipped or moved occurrence), attendees
of both sides, agenda items per occurrence (a topic, or a request or case between the two
offices), minutes per occurrence with decisions and action items, and the signed versions of
the minutes (frozen snapshots).

Revision ID: 20261204_0018
Revises: 20261204_0017
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0018"
down_revision = "20261204_0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host_office_id", sa.Integer(), nullable=False),
        sa.Column("partner_office_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("repeat", sa.String(length=20), nullable=False),
        sa.Column("rrule", sa.String(length=200), nullable=True),
        sa.Column("last_ends_at", sa.DateTime(), nullable=False),
        sa.Column("place_kind", sa.String(length=10), nullable=False),
        sa.Column("gate_id", sa.Integer(), nullable=True),
        sa.Column("place_office_id", sa.Integer(), nullable=True),
        sa.Column("place_detail", sa.String(length=300), nullable=True),
        sa.Column("online_link", sa.String(length=500), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_meetings_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["gate_id"], ["border_gates.id"], name=op.f("fk_meetings_gate_id_border_gates")
        ),
        sa.ForeignKeyConstraint(
            ["host_office_id"], ["offices.id"], name=op.f("fk_meetings_host_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["partner_office_id"],
            ["offices.id"],
            name=op.f("fk_meetings_partner_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["place_office_id"], ["offices.id"], name=op.f("fk_meetings_place_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_gate_id"), ["gate_id"], unique=False)
        batch_op.create_index(
            "ix_meetings_host_starts", ["host_office_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            "ix_meetings_partner_starts", ["partner_office_id", "starts_at"], unique=False
        )

    op.create_table(
        "meeting_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_attendees_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_meeting_attendees_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_meeting_attendees_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendees")),
    )
    with op.batch_alter_table("meeting_attendees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_attendees_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_attendees_user_id"), ["user_id"], unique=False)

    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("occurs_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_meeting_minutes_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_minutes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
        sa.UniqueConstraint(
            "meeting_id", "occurs_at", name=op.f("uq_meeting_minutes_meeting_id_occurs_at")
        ),
    )
    with op.batch_alter_table("meeting_minutes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_minutes_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "meeting_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("original_start", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_meeting_overrides_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_overrides_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_overrides")),
        sa.UniqueConstraint(
            "meeting_id",
            "original_start",
            name=op.f("uq_meeting_overrides_meeting_id_original_start"),
        ),
    )
    with op.batch_alter_table("meeting_overrides", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_overrides_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "meeting_action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("owner_office_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sa.String(length=200), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["meeting_minutes.id"],
            name=op.f("fk_meeting_action_items_minutes_id_meeting_minutes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_office_id"],
            ["offices.id"],
            name=op.f("fk_meeting_action_items_owner_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_meeting_action_items_owner_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_action_items")),
        sa.UniqueConstraint(
            "minutes_id", "position", name=op.f("uq_meeting_action_items_minutes_id_position")
        ),
    )
    with op.batch_alter_table("meeting_action_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_action_items_minutes_id"), ["minutes_id"], unique=False
        )
        batch_op.create_index(
            "ix_meeting_action_items_owner_status_due",
            ["owner_office_id", "status", "due_on"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_action_items_owner_user_id"), ["owner_user_id"], unique=False
        )

    op.create_table(
        "meeting_agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("occurs_at", sa.DateTime(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("added_by_office_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_office_id"],
            ["offices.id"],
            name=op.f("fk_meeting_agenda_items_added_by_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_meeting_agenda_items_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_agenda_items_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_meeting_agenda_items_request_id_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_agenda_items")),
    )
    with op.batch_alter_table("meeting_agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_agenda_items_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            "ix_meeting_agenda_items_meeting_occurs", ["meeting_id", "occurs_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_agenda_items_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "meeting_minutes_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_minutes_records_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["meeting_minutes.id"],
            name=op.f("fk_meeting_minutes_records_minutes_id_meeting_minutes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["meeting_minutes_records.id"],
            name=op.f("fk_meeting_minutes_records_supersedes_id_meeting_minutes_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes_records")),
        sa.UniqueConstraint(
            "number", "version", name=op.f("uq_meeting_minutes_records_number_version")
        ),
    )
    with op.batch_alter_table("meeting_minutes_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_minutes_records_minutes_id"), ["minutes_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("meeting_minutes_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_minutes_records_minutes_id"))

    op.drop_table("meeting_minutes_records")
    with op.batch_alter_table("meeting_agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_agenda_items_request_id"))
        batch_op.drop_index("ix_meeting_agenda_items_meeting_occurs")
        batch_op.drop_index(batch_op.f("ix_meeting_agenda_items_case_id"))

    op.drop_table("meeting_agenda_items")
    with op.batch_alter_table("meeting_action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_action_items_owner_user_id"))
        batch_op.drop_index("ix_meeting_action_items_owner_status_due")
        batch_op.drop_index(batch_op.f("ix_meeting_action_items_minutes_id"))

    op.drop_table("meeting_action_items")
    with op.batch_alter_table("meeting_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_overrides_meeting_id"))

    op.drop_table("meeting_overrides")
    with op.batch_alter_table("meeting_minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_minutes_meeting_id"))

    op.drop_table("meeting_minutes")
    with op.batch_alter_table("meeting_attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attendees_user_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_attendees_meeting_id"))

    op.drop_table("meeting_attendees")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_partner_starts")
        batch_op.drop_index("ix_meetings_host_starts")
        batch_op.drop_index(batch_op.f("ix_meetings_gate_id"))

    op.drop_table("meetings")
