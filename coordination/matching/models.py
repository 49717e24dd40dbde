from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import UTCDateTime, utcnow
from coordination.core.enums import LabelledEnum
from coordination.extensions import db
from coordination.i18n import L_


class NameKey(db.Model):
    """A blocking key of the name of a person (in a case) or of a missing-person report.

    Candidates for a requested name are the records that share one of its keys: an indexed
    lookup, never a scan of the register. Operations rewrite the keys when a name changes.
    """

    __tablename__ = "name_keys"
    __table_args__ = (
        Index("ix_name_keys_key", "key", "record_kind", "record_id"),
        Index("ix_name_keys_record", "record_kind", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(16), nullable=False)  # person | missing
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str] = mapped_column(String(80), nullable=False)


class MatchDecisionKind(LabelledEnum):
    CONFIRMED = "confirmed", L_("Same person: match confirmed")
    REJECTED = "rejected", L_("Not this person")


class MatchDecision(db.Model):
    """A liaison officer's verdict on one candidate for one requested person.

    Who decided and when is kept with the verdict; a changed mind overwrites it (the audit
    log keeps every earlier verdict). Confirmed matches pre-fill the reply's outcome.
    """

    __tablename__ = "match_decisions"
    __table_args__ = (UniqueConstraint("request_person_id", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_person_id: Mapped[int] = mapped_column(
        ForeignKey("request_people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    record_kind: Mapped[str] = mapped_column(String(16), nullable=False)  # person | missing
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    decision: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    decided_by = relationship("User", lazy="joined")

    @property
    def decision_label(self) -> str:
        return MatchDecisionKind(self.decision).label
