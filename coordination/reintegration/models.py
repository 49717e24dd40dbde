"""A person's reintegration at a social protection centre: the referral that brings them, the
intake, the support services, the follow-up visits after they go home, and the closure.

The ``Referral`` is the person's file at the centre: it carries the few identity fields the
centre needs (copied when referred: the centre never reads the police case file) and the
stage the person is at. Counselling and health notes are a sensitive class of fields
(``SENSITIVE_*``): only the centre's social workers read them, each read audited.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from coordination.core.enums import LabelledEnum
from coordination.extensions import db
from coordination.i18n import L_

# Essential needs (lodging, food, daily items): up to 120 days unless extended by a decision.
ESSENTIAL_NEEDS_DAYS = 120
# The longest an extension may run in all (days from the start); beyond: refused.
ESSENTIAL_NEEDS_MAX_DAYS = 365
MAX_COST = 10_000_000_000  # in the currency's units (VND 10 billion): anything above is absurd


class Stage(LabelledEnum):
    PENDING = "pending", L_("Referred, awaiting an answer")
    DECLINED = "declined", L_("Referral declined")
    ACCEPTED = "accepted", L_("Accepted, awaiting intake")
    IN_SUPPORT = "in_support", L_("In support")
    FOLLOW_UP = "follow_up", L_("Follow-up")
    CLOSED = "closed", L_("Closed")


OPEN_STAGES = (Stage.ACCEPTED, Stage.IN_SUPPORT, Stage.FOLLOW_UP)


class ServiceType(LabelledEnum):
    """The support a victim is entitled to, as the law lists it."""

    ESSENTIAL_NEEDS = "essential_needs", L_("Essential needs (lodging, food, daily items)")
    MEDICAL = "medical", L_("Medical care")
    HEALTH_INSURANCE = "health_insurance", L_("Health insurance (first year)")
    PSYCHOLOGICAL = "psychological", L_("Psychological support")
    LEGAL_AID = "legal_aid", L_("Legal aid")
    SCHOOLING = "schooling", L_("Schooling")
    VOCATIONAL = "vocational", L_("Vocational training and job support")
    HARDSHIP_ALLOWANCE = "hardship_allowance", L_("Initial hardship allowance")
    LOAN = "loan", L_("Loan")
    TRAVEL_HOME = "travel_home", L_("Travel home")


class RiskLevel(LabelledEnum):
    LOW = "low", L_("Low")
    MEDIUM = "medium", L_("Medium")
    HIGH = "high", L_("High")


class VisitMethod(LabelledEnum):
    VISIT = "visit", L_("Home visit")
    PHONE = "phone", L_("Phone call")


class ClosureReason(LabelledEnum):
    REINTEGRATED = "reintegrated", L_("Reintegrated")
    MOVED = "moved", L_("Moved away")
    LOST_CONTACT = "lost_contact", L_("Lost contact")
    REFERRED_ELSEWHERE = "referred_elsewhere", L_("Referred elsewhere")
    DECEASED = "deceased", L_("Deceased")


class ClosureState(LabelledEnum):
    REQUESTED = "requested", L_("Awaiting a supervisor's approval")
    APPROVED = "approved", L_("Approved")
    REJECTED = "rejected", L_("Not approved")


class Referral(TimestampMixin, VersionedMixin, db.Model):
    """A person referred by an office to a centre (or shelter), and their file there."""

    __tablename__ = "reintegration_referrals"
    __table_args__ = (
        # One stage of a centre, newest first (the caseload's stage filter).
        Index(
            "ix_reintegration_referrals_centre_stage",
            "centre_office_id",
            "stage",
            "referred_at",
        ),
        Index("ix_reintegration_referrals_from_office", "from_office_id", "stage"),
        Index("ix_reintegration_referrals_centre_referred", "centre_office_id", "referred_at"),
        # Covers the dashboard's counts (an index-only pass over one centre's people).
        Index(
            "ix_reintegration_referrals_centre_due",
            "centre_office_id",
            "stage",
            "service_due_on",
            "limit_on",
            "visit_due_on",
            "closed_on",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    from_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    # The person of a case (the referring side's record), when there is one.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # The person handed over at a gate, when the referral came from a handover.
    handover_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("handover_people.id"), index=True
    )
    # What the centre needs to know of who they are (copied when referred).
    name_as_written: Mapped[str] = mapped_column(String(200), nullable=False)
    name_romanised: Mapped[str | None] = mapped_column(String(200))
    # search_key() form of the names (the caseload's name filter), set when referred.
    search_text: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    sex: Mapped[str | None] = mapped_column(String(8))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    child: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(16), nullable=False, default=Stage.PENDING)
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    referred_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # The end of support (the person went home): follow-up visits are counted from it.
    home_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # What is due, kept by the operations (operations.refresh_due) so that a centre's
    # dashboard counts people from this table alone, without reading every service:
    # the earliest planned start of a service not yet delivered, the earliest 120th day of
    # essential needs not ended nor extended, the earliest visit not yet recorded.
    service_due_on: Mapped[date | None] = mapped_column(Date)
    limit_on: Mapped[date | None] = mapped_column(Date)
    visit_due_on: Mapped[date | None] = mapped_column(Date)

    centre_office = relationship("Office", foreign_keys=[centre_office_id], lazy="joined")
    from_office = relationship("Office", foreign_keys=[from_office_id], lazy="joined")
    person = relationship("Person")
    case = relationship("Case")
    handover_person = relationship("HandoverPerson")
    referred_by = relationship("User", foreign_keys=[referred_by_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    intake: Mapped[Intake | None] = relationship(back_populates="referral", uselist=False)
    services: Mapped[list[SupportService]] = relationship(
        back_populates="referral", order_by="SupportService.id"
    )
    visits: Mapped[list[FollowUpVisit]] = relationship(
        back_populates="referral", order_by="FollowUpVisit.due_on"
    )
    closures: Mapped[list[Closure]] = relationship(back_populates="referral", order_by="Closure.id")

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def display_name(self) -> str:
        romanised = self.name_romanised
        if romanised and romanised != self.name_as_written:
            return f"{self.name_as_written} ({romanised})"
        return self.name_as_written

    @property
    def pending_closure(self) -> Closure | None:
        latest = self.closures[-1] if self.closures else None
        return latest if latest is not None and latest.state == ClosureState.REQUESTED else None

    @property
    def audit_office_id(self) -> int:
        return self.centre_office_id


class Intake(TimestampMixin, VersionedMixin, db.Model):
    """The social worker's intake: arrival, needs assessment, consents, and for a child the
    guardian, school, legal representative and best-interests note."""

    __tablename__ = "reintegration_intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("reintegration_referrals.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    arrived_on: Mapped[date] = mapped_column(Date, nullable=False)
    # Needs assessment. health and psychological are sensitive (centre social workers only).
    health: Mapped[str | None] = mapped_column(Text)
    psychological: Mapped[str | None] = mapped_column(Text)
    safety_risk: Mapped[str | None] = mapped_column(String(8))
    safety_note: Mapped[str | None] = mapped_column(Text)
    family_situation: Mapped[str | None] = mapped_column(Text)
    education: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[str | None] = mapped_column(Text)
    income: Mapped[str | None] = mapped_column(Text)
    counselling_note: Mapped[str | None] = mapped_column(Text)
    # Consents, with who recorded them and when; a withdrawal takes effect at once.
    consent_services: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent_sharing: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Children.
    guardian: Mapped[str | None] = mapped_column(Text)
    school_status: Mapped[str | None] = mapped_column(Text)
    legal_representative: Mapped[str | None] = mapped_column(Text)
    best_interests_note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    referral: Mapped[Referral] = relationship(back_populates="intake")
    consent_recorded_by = relationship("User", foreign_keys=[consent_recorded_by_id])
    consent_withdrawn_by = relationship("User", foreign_keys=[consent_withdrawn_by_id])

    @property
    def safety_risk_label(self) -> str | None:
        return RiskLevel(self.safety_risk).label if self.safety_risk else None


class SupportService(TimestampMixin, VersionedMixin, db.Model):
    """One service of the support plan."""

    __tablename__ = "reintegration_services"
    __table_args__ = (
        CheckConstraint("cost IS NULL OR cost >= 0", name="cost_not_negative"),
        Index("ix_reintegration_services_referral_planned", "referral_id", "planned_start"),
        Index("ix_reintegration_services_due", "delivered", "planned_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("reintegration_referrals.id", ondelete="CASCADE"), nullable=False
    )
    type: Mapped[str] = mapped_column(String(32), nullable=False)
    provider: Mapped[str | None] = mapped_column(String(300))
    planned_start: Mapped[date] = mapped_column(Date, nullable=False)
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)
    cost: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    outcome: Mapped[str | None] = mapped_column(Text)
    referred_to: Mapped[str | None] = mapped_column(String(300))
    # None: not yet known; True delivered; False not delivered.
    delivered: Mapped[bool | None] = mapped_column(Boolean)
    # Essential needs beyond 120 days: the decision that extended them.
    extension_decision: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    referral: Mapped[Referral] = relationship(back_populates="services")

    @property
    def type_label(self) -> str:
        return ServiceType(self.type).label

    @property
    def limit_on(self) -> date | None:
        """The 120th day of essential needs (None for other services)."""
        from datetime import timedelta

        if self.type != ServiceType.ESSENTIAL_NEEDS:
            return None
        start = self.actual_start or self.planned_start
        return start + timedelta(days=ESSENTIAL_NEEDS_DAYS)


class FollowUpVisit(TimestampMixin, VersionedMixin, db.Model):
    """A visit (or call) due after the person went home, and what it found."""

    __tablename__ = "reintegration_visits"
    __table_args__ = (Index("ix_reintegration_visits_due", "visited_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("reintegration_referrals.id", ondelete="CASCADE"), nullable=False, index=True
    )
    months_after: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    visited_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(8))
    housing: Mapped[str | None] = mapped_column(Text)
    income: Mapped[str | None] = mapped_column(Text)
    health: Mapped[str | None] = mapped_column(Text)  # sensitive
    safety_risk: Mapped[str | None] = mapped_column(String(8))
    safety_note: Mapped[str | None] = mapped_column(Text)
    stigma: Mapped[str | None] = mapped_column(Text)
    legal_proceedings: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    referral: Mapped[Referral] = relationship(back_populates="visits")

    def missed(self, today: date) -> bool:
        return self.visited_on is None and self.due_on < today

    @property
    def method_label(self) -> str | None:
        return VisitMethod(self.method).label if self.method else None

    @property
    def safety_risk_label(self) -> str | None:
        return RiskLevel(self.safety_risk).label if self.safety_risk else None


class Closure(db.Model):
    """A request to close a person's file, and the supervisor's decision on it."""

    __tablename__ = "reintegration_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("reintegration_referrals.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reason: Mapped[str] = mapped_column(String(24), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default=ClosureState.REQUESTED)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)

    referral: Mapped[Referral] = relationship(back_populates="closures")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def reason_label(self) -> str:
        return ClosureReason(self.reason).label

    @property
    def state_label(self) -> str:
        return ClosureState(self.state).label
