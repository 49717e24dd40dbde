from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import UTCDateTime, utcnow
from coordination.extensions import db

# The canonical form an entry's digest covers. 1: entries written before sequences existed
# (their sequence was assigned by migration 20261204_0008 and is not signed; the digest chain
# still covers their order). 2: the sequence is part of the signed form.
LEGACY_FORMAT = 1
CURRENT_FORMAT = 2


class AuditEntry(db.Model):
    """One event. ``digest`` chains each entry to the one before (an HMAC over both), so an
    entry changed or removed after the fact breaks the chain at that point. ``sequence``
    numbers entries 1, 2, 3… and is never reused (it comes from AuditChainState), so removing
    entries leaves a gap, or a log that ends before the chain state does."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_target", "target_type", "target_id"),
        Index("ix_audit_entries_subject_office", "subject_office_id", "id"),
        # The log's filters: a period, the acting user's office (see audit.views).
        Index("ix_audit_entries_created_at", "created_at", "id"),
        Index("ix_audit_entries_actor_office", "actor_office_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(nullable=False, unique=True)
    format: Mapped[int] = mapped_column(
        SmallInteger, nullable=False, default=CURRENT_FORMAT, server_default="1"
    )
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


class AuditChainState(db.Model):
    """The one row that says where the chain ends: the last sequence handed out and the digest
    of that entry, signed with AUDIT_KEY. Deleting entries from the end of the log leaves this
    row pointing past them; resetting the row to match needs the key (or an old copy of the
    row, which the checkpoint file catches)."""

    __tablename__ = "audit_chain_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_sequence: Mapped[int] = mapped_column(nullable=False)
    head_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    signature: Mapped[str] = mapped_column(String(64), nullable=False)
