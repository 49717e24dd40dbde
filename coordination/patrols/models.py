"""A joint patrol with a partner unit, the thread of its arrangement, and the outcome
reports of both sides (with the people rescued, each of whom joins a case).

A patrol is proposed by one office to a partner office (a partnership of the directory).
Until it is confirmed, one side is awaited (``awaiting_office_id``): the partner after a
proposal, the other side after a counter-proposal (another time). All times are stored in
UTC and shown in each reader's zone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from coordination.core.enums import LabelledEnum
from coordination.extensions import db
from coordination.i18n import L_, _


class PatrolState(LabelledEnum):
    PROPOSED = "proposed", L_("Proposed")
    CONFIRMED = "confirmed", L_("Confirmed")
    DECLINED = "declined", L_("Declined")
    COUNTER_PROPOSED = "counter_proposed", L_("Another time proposed")
    CANCELLED = "cancelled", L_("Cancelled")
    COMPLETED = "completed", L_("Completed")


# States in which one side still has to confirm.
AWAITING_STATES = (PatrolState.PROPOSED, PatrolState.COUNTER_PROPOSED)
# States in which the patrol is still going to happen (or may).
LIVE_STATES = (PatrolState.PROPOSED, PatrolState.COUNTER_PROPOSED, PatrolState.CONFIRMED)
# States in which the outcome may be reported (once it has started).
REPORTABLE_STATES = (PatrolState.CONFIRMED, PatrolState.COMPLETED)


class PatrolStep(LabelledEnum):
    """A step of the thread, by one side."""

    PROPOSE = "propose", L_("Patrol proposed")
    CONFIRM = "confirm", L_("Confirmed")
    DECLINE = "decline", L_("Declined")
    COUNTER = "counter", L_("Another time proposed")
    CANCEL = "cancel", L_("Cancelled")
    REPORT = "report", L_("Outcome reported")


# What the button for each step says.
STEP_BUTTONS = {
    PatrolStep.CONFIRM: L_("Confirm the patrol"),
    PatrolStep.DECLINE: L_("Decline"),
    PatrolStep.COUNTER: L_("Propose another time"),
    PatrolStep.CANCEL: L_("Cancel the patrol"),
}


class Patrol(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "patrols"
    __table_args__ = (
        Index("ix_patrols_proposing_starts", "proposing_office_id", "starts_at"),
        Index("ix_patrols_partner_starts", "partner_office_id", "starts_at"),
        Index("ix_patrols_state_starts", "state", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposing_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    partner_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    # The side whose answer is awaited (None once confirmed, declined, cancelled…).
    awaiting_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    # The border segment: from one boundary marker to another ("601" – "605"), or a gate.
    marker_from: Mapped[str | None] = mapped_column(String(32))
    marker_to: Mapped[str | None] = mapped_column(String(32))
    gate_id: Mapped[int | None] = mapped_column(ForeignKey("border_gates.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    meeting_point: Mapped[str] = mapped_column(String(300), nullable=False)
    proposing_unit: Mapped[str | None] = mapped_column(String(300))
    partner_unit: Mapped[str | None] = mapped_column(String(300))
    # [{"name": …, "rank": …}] as written by the officers
    proposing_leaders: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    partner_leaders: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    purpose: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=PatrolState.PROPOSED)
    state_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    proposing_office = relationship("Office", foreign_keys=[proposing_office_id], lazy="joined")
    partner_office = relationship("Office", foreign_keys=[partner_office_id], lazy="joined")
    gate = relationship("BorderGate", lazy="joined")
    messages: Mapped[list[PatrolMessage]] = relationship(
        back_populates="patrol", order_by="PatrolMessage.id", cascade="all, delete-orphan"
    )
    reports: Mapped[list[PatrolReport]] = relationship(
        back_populates="patrol", order_by="PatrolReport.id", cascade="all, delete-orphan"
    )

    @property
    def state_label(self) -> str:
        return PatrolState(self.state).label

    @property
    def office_ids(self) -> tuple[int, int]:
        return (self.proposing_office_id, self.partner_office_id)

    def other_office(self, office_id: int):
        return (
            self.partner_office if office_id == self.proposing_office_id else self.proposing_office
        )

    @property
    def awaiting_office(self):
        if self.awaiting_office_id is None:
            return None
        return (
            self.proposing_office
            if self.awaiting_office_id == self.proposing_office_id
            else self.partner_office
        )

    @property
    def segment(self) -> str:
        """The border segment in words: "mốc 601 – 605", or the gate."""
        return segment_text(self.marker_from, self.marker_to, self.gate.name if self.gate else None)

    def report_of(self, office_id: int) -> PatrolReport | None:
        return next((report for report in self.reports if report.office_id == office_id), None)


def segment_text(marker_from, marker_to, gate_name) -> str:
    if marker_from and marker_to and marker_from != marker_to:
        return _("marker %(start)s – %(end)s", start=marker_from, end=marker_to)
    if marker_from or marker_to:
        return _("marker %(start)s", start=marker_from or marker_to)
    return gate_name or ""


class PatrolMessage(db.Model):
    """One step of a patrol's thread: a proposal, a confirmation, a decline with its
    reason, another time proposed (with the times), a cancellation."""

    __tablename__ = "patrol_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(
        ForeignKey("patrols.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    author_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    body: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    patrol: Mapped[Patrol] = relationship(back_populates="messages")
    author = relationship("User", lazy="joined")
    author_office = relationship("Office", lazy="joined")

    @property
    def kind_label(self) -> str:
        return PatrolStep(self.kind).label


class PatrolReport(TimestampMixin, VersionedMixin, db.Model):
    """One side's outcome report of a patrol (one per office, changed in place)."""

    __tablename__ = "patrol_reports"
    __table_args__ = (UniqueConstraint("patrol_id", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(
        ForeignKey("patrols.id", ondelete="CASCADE"), nullable=False, index=True
    )
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    people_checked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    incidents: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    patrol: Mapped[Patrol] = relationship(back_populates="reports")
    office = relationship("Office", lazy="joined")
    created_by = relationship("User")
    rescued: Mapped[list[PatrolRescue]] = relationship(
        back_populates="report", order_by="PatrolRescue.position", cascade="all, delete-orphan"
    )


class PatrolRescue(db.Model):
    """A person rescued during the patrol, as the reporting office recorded them; the person
    was added at once to a case of that office (a new one or an existing one)."""

    __tablename__ = "patrol_rescues"
    __table_args__ = (UniqueConstraint("report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("patrol_reports.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, index=True)

    report: Mapped[PatrolReport] = relationship(back_populates="rescued")
    person = relationship("Person", lazy="joined")

    @property
    def audit_office_id(self) -> int:
        return self.report.office_id
