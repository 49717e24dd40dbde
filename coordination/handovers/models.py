"""A handover of people at a border gate, the people in it, and its immutable records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from coordination.core.enums import LabelledEnum
from coordination.extensions import db
from coordination.handovers import timing as timing_rules
from coordination.i18n import L_
from coordination.matching.names import romanise


class HandoverState(LabelledEnum):
    SCHEDULED = "scheduled", L_("Scheduled")
    COMPLETED = "completed", L_("Completed")
    POSTPONED = "postponed", L_("Postponed")
    CANCELLED = "cancelled", L_("Cancelled")


class Referral(LabelledEnum):
    SOCIAL_PROTECTION_CENTRE = "social_protection_centre", L_("Social protection centre")
    FAMILY = "family", L_("Family")
    DISTRICT_LABOUR_OFFICE = "district_labour_office", L_("District labour office")
    OTHER = "other", L_("Other")


class Handover(TimestampMixin, VersionedMixin, db.Model):
    """People handed over by one office to another at a gate, from an agreed proposal."""

    __tablename__ = "handovers"
    __table_args__ = (Index("ix_handovers_gate_scheduled", "gate_id", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), nullable=False, index=True)
    handing_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    receiving_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    gate_id: Mapped[int] = mapped_column(ForeignKey("border_gates.id"), nullable=False)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default=HandoverState.SCHEDULED)
    state_reason: Mapped[str | None] = mapped_column(Text)
    # Postponed without a new time: scheduled_at is the old time, which must not be reminded.
    new_time_pending: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    handing_unit: Mapped[str | None] = mapped_column(String(300))
    receiving_unit: Mapped[str | None] = mapped_column(String(300))
    # [{"name": …, "rank": …}] as written by the officer scheduling
    handing_officers: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    receiving_officers: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    interpreter: Mapped[str | None] = mapped_column(String(200))
    witnesses: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    transport: Mapped[str | None] = mapped_column(String(300))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    request = relationship("Request")
    gate = relationship("BorderGate", lazy="joined")
    handing_office = relationship("Office", foreign_keys=[handing_office_id], lazy="joined")
    receiving_office = relationship("Office", foreign_keys=[receiving_office_id], lazy="joined")
    people: Mapped[list[HandoverPerson]] = relationship(
        back_populates="handover", order_by="HandoverPerson.position", cascade="all, delete-orphan"
    )
    records: Mapped[list[HandoverRecord]] = relationship(
        back_populates="handover", order_by="HandoverRecord.version"
    )

    @property
    def state_label(self) -> str:
        return HandoverState(self.state).label

    @property
    def latest_record(self) -> HandoverRecord | None:
        return self.records[-1] if self.records else None

    @property
    def timing(self) -> str | None:
        """ "early", "late" or "on_time" once completed (see handovers.timing)."""
        return timing_rules.timing(self.scheduled_at, self.completed_at)

    @property
    def minutes_off(self) -> int | None:
        """Minutes from the scheduled time to completion (negative: early)."""
        if self.completed_at is None or self.scheduled_at is None:
            return None
        return timing_rules.minutes_off(self.scheduled_at, self.completed_at)

    @property
    def timing_label(self) -> str:
        return str(timing_rules.LABELS[self.timing]) if self.timing else ""

    @property
    def timing_sentence(self) -> str:
        return timing_rules.timing_sentence(self.timing, self.minutes_off or 0)

    @property
    def listed_people(self) -> list[HandoverPerson]:
        return [person for person in self.people if person.on_list]

    @property
    def decided_count(self) -> int:
        """People on the list the gate has decided about (handed over or not)."""
        return sum(person.handed_over is not None for person in self.listed_people)


class HandoverPerson(db.Model):
    """A person on the agreed list (from the proposal's people), or one who came without
    being on it (``on_list`` false: flagged), and what the gate logged about them."""

    __tablename__ = "handover_people"
    __table_args__ = (UniqueConstraint("handover_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(
        ForeignKey("handovers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    request_person_id: Mapped[int | None] = mapped_column(ForeignKey("request_people.id"))
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    on_list: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    name_as_written: Mapped[str] = mapped_column(String(200), nullable=False)
    name_romanised: Mapped[str | None] = mapped_column(String(200))
    # What the gate logged; None until logged.
    handed_over: Mapped[bool | None] = mapped_column(Boolean)
    identity_checked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    health: Mapped[str | None] = mapped_column(Text)
    belongings: Mapped[str | None] = mapped_column(Text)
    documents: Mapped[str | None] = mapped_column(Text)
    victim_file_received: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    return_certificate_number: Mapped[str | None] = mapped_column(String(64))
    referral: Mapped[str | None] = mapped_column(String(32))
    referral_detail: Mapped[str | None] = mapped_column(String(300))
    # The centre or shelter (an office of the directory) the person is referred to, when
    # ``referral`` is "social_protection_centre": the reintegration feature's referral.
    referral_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)

    handover: Mapped[Handover] = relationship(back_populates="people")
    request_person = relationship("RequestPerson")
    referral_office = relationship("Office", foreign_keys=[referral_office_id])

    @property
    def latin_name(self) -> str | None:
        """The Latin form to show beside the name: as given, else read from the name as
        written (Lao by the matching feature's rules, Chinese as pinyin); None for a name
        already in Latin letters."""
        return self.name_romanised or romanise(self.name_as_written)

    @property
    def referral_label(self) -> str | None:
        return Referral(self.referral).label if self.referral else None


class HandoverRecord(db.Model):
    """One version of the signed record: the data it prints, frozen (labels included), so
    that its PDF comes out byte for byte the same from this row whenever it is downloaded.
    A correction is a new version that names the one it corrects; none is ever changed."""

    __tablename__ = "handover_records"
    __table_args__ = (UniqueConstraint("number", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), nullable=False, index=True)
    number: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("handover_records.id"))
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)  # why a correction was made
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    handover: Mapped[Handover] = relationship(back_populates="records")
    created_by = relationship("User")
    supersedes = relationship("HandoverRecord", remote_side=[id])
