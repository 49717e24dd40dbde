from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import UTCDateTime, utcnow
from coordination.extensions import db


class AuditEntry(db.Model):
    """One event. ``digest`` chains each entry to the one before (an HMAC over both), so an
    entry changed or removed after the fact breaks the chain at that point."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_target", "target_type", "target_id"),
        Index("ix_audit_entries_subject_office", "subject_office_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    # The office whose record this is about (a user's office, the office itself…): what
    # decides which supervisors may read the entry. None for system-wide reference data.
    subject_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    # For failed logins the actor is unknown: keep the name that was typed.
    actor_name: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    target_type: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    previous_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    digest: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)

    actor = relationship("User", lazy="joined")
