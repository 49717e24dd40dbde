"""scheduler: lease, job runs, run-now requests, APScheduler's job store, notice keys

The scheduler's lease row (one scheduler at a time), the record of job runs, the "run now"
requests an administrator leaves for the scheduler, APScheduler 3.x's job store table
(created here so that migrations own the whole schema), the per-office reminder lead time,
and on notifications: the exactly-once key (kind, subject_key, user_id, due_slot) under a
unique constraint, and the e-mail outbox's claim, attempts and back-off.

Revision ID: 20261204_0013
Revises: 20261204_0011
Create Date: 2026-12-04 12:20:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0013"
down_revision = "20261204_0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_lease",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("acquired_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_lease")),
    )
    op.create_table(
        "scheduler_job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("holder", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduler_job_runs")),
    )
    op.create_index(
        "ix_scheduler_job_runs_job_started", "scheduler_job_runs", ["job_id", "started_at"]
    )
    op.create_table(
        "scheduler_run_requests",
        sa.Column("job_id", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_scheduler_run_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_scheduler_run_requests")),
    )
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apscheduler_jobs")),
    )
    op.create_index("ix_apscheduler_jobs_next_run_time", "apscheduler_jobs", ["next_run_time"])
    op.create_table(
        "office_reminder_settings",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("deadline_reminder_hours", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
            name=op.f("fk_office_reminder_settings_office_id_offices"),
        ),
        sa.PrimaryKeyConstraint("office_id", name=op.f("pk_office_reminder_settings")),
    )
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("subject_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("due_slot", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("email_claimed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("email_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("email_next_attempt_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("email_error", sa.Text(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_notifications_once", ["kind", "subject_key", "user_id", "due_slot"]
        )


def downgrade():
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_constraint("uq_notifications_once", type_="unique")
        batch_op.drop_column("email_error")
        batch_op.drop_column("email_next_attempt_at")
        batch_op.drop_column("email_attempts")
        batch_op.drop_column("email_claimed_at")
        batch_op.drop_column("due_slot")
        batch_op.drop_column("subject_key")
    op.drop_table("office_reminder_settings")
    op.drop_index("ix_apscheduler_jobs_next_run_time", table_name="apscheduler_jobs")
    op.drop_table("apscheduler_jobs")
    op.drop_table("scheduler_run_requests")
    op.drop_index("ix_scheduler_job_runs_job_started", table_name="scheduler_job_runs")
    op.drop_table("scheduler_job_runs")
    op.drop_table("scheduler_lease")
