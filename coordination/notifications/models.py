from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
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


class Notification(db.Model):
    """Something a user should know. E-mail, when enabled, is sent from here later (outbox)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    user = relationship("User")
    request = relationship("Request")

    @property
    def label(self) -> str:
        return NotificationKind(self.kind).label
