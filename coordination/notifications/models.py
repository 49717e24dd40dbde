from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import UTCDateTime, utcnow
from coordination.core.enums import LabelledEnum
from coordination.extensions import db
from coordination.i18n import L_


class NotificationKind(LabelledEnum):
    REQUEST_RECEIVED = "request_received", L_("New request received")
    REQUEST_UPDATED = "request_updated", L_("A request was updated")
    REQUEST_ANSWERED = "request_answered", L_("A request was answered")
    DEADLINE_NEAR = "deadline_near", L_("A reply deadline is near")
    DEADLINE_PASSED = "deadline_passed", L_("A reply deadline has passed")
    ESCALATION = "escalation", L_("A request of your office is overdue")
    # Scheduled handovers (subject_key "handover:<id>", no request): the day before, and
    # two hours before. What they say is the handovers feature's (notifications.describe).
    HANDOVER_TOMORROW = "handover_tomorrow", L_("A handover is due within a day")
    HANDOVER_SOON = "handover_soon", L_("A handover is due within two hours")


class Notification(db.Model):
    """Something a user should know. E-mail, when enabled, is sent from here later (outbox)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        # Exactly once: a scheduled notice is keyed by (kind, subject, recipient, due slot);
        # it is inserted first (ON CONFLICT DO NOTHING) and goes out only if the insert took.
        # Notices of events (no due slot) have NULLs here, which never conflict.
        UniqueConstraint(
            "kind", "subject_key", "user_id", "due_slot", name="uq_notifications_once"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Scheduled notices: what they are about ("request:42") and which due slot (a deadline,
    # an escalation round) they are for.
    subject_key: Mapped[str | None] = mapped_column(String(64))
    due_slot: Mapped[str | None] = mapped_column(String(40))
    # The e-mail outbox: claimed before sending (committed), so that nothing is sent twice;
    # failed attempts wait for email_next_attempt_at (back-off).
    email_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_attempts: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default="0"
    )
    email_next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_error: Mapped[str | None] = mapped_column(Text)

    user = relationship("User")
    request = relationship("Request")

    @property
    def label(self) -> str:
        from coordination.notifications.describe import kind_label

        return kind_label(self.kind)


class OfficeReminderSetting(db.Model):
    """An office's own reminder lead times; each None: the app's default for it.

    ``deadline_reminder_hours``: before a request's reply deadline (DEADLINE_REMINDER_HOURS).
    ``event_reminder_days`` and ``event_reminder_hours``: before a liaison meeting or a joint
    patrol the office takes part in, a first reminder that many days before and a second
    that many hours before (the meetings' and patrols' own defaults otherwise)."""

    __tablename__ = "office_reminder_settings"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    deadline_reminder_hours: Mapped[int | None] = mapped_column(Integer)
    event_reminder_days: Mapped[int | None] = mapped_column(Integer)
    event_reminder_hours: Mapped[int | None] = mapped_column(Integer)
