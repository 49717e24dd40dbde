from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import TimestampMixin, VersionedMixin
from coordination.core.enums import LabelledEnum
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.i18n import L_

CHILD_AGE = 18


class CaseStatus(LabelledEnum):
    OPEN = "open", L_("Open")
    VERIFICATION = "verification", L_("Verification")
    VICTIM_DETERMINED = "victim_determined", L_("Victim determined")
    HANDOVER_SCHEDULED = "handover_scheduled", L_("Handover scheduled")
    HANDED_OVER = "handed_over", L_("Handed over")
    IN_SUPPORT = "in_support", L_("In support")
    FOLLOW_UP = "follow_up", L_("Follow-up")
    CLOSED = "closed", L_("Closed")
    CLOSED_REFERRED = "closed_referred", L_("Closed (referred)")
    CLOSED_NOT_VICTIM = "closed_not_victim", L_("Closed (not a victim)")

    @property
    def is_closed(self) -> bool:
        return self.value.startswith("closed")


class PersonRole(LabelledEnum):
    VICTIM = "victim", L_("Victim")
    SUSPECT = "suspect", L_("Suspect")
    RELATIVE = "relative", L_("Relative")


class Sex(LabelledEnum):
    FEMALE = "female", L_("Female")
    MALE = "male", L_("Male")
    UNKNOWN = "unknown", L_("Unknown")


class VictimStatus(LabelledEnum):
    """As in the HTCDS: whether a person is determined to be a victim of trafficking."""

    POSSIBLE = "possible", L_("Possible victim")
    ACTUAL = "actual", L_("Victim")
    NOT_A_VICTIM = "not_a_victim", L_("Not a victim")


class EventKind(LabelledEnum):
    RECRUITMENT = "recruitment", L_("Recruitment")
    TRANSIT = "transit", L_("Transit")
    EXPLOITATION = "exploitation", L_("Exploitation")


class ExploitationType(LabelledEnum):
    SEXUAL = "sexual", L_("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", L_("Forced labour")
    FORCED_MARRIAGE = "forced_marriage", L_("Forced marriage")
    CHILD_SALE = "child_sale", L_("Sale of a child")
    ORGAN_REMOVAL = "organ_removal", L_("Organ removal")
    SURROGACY = "surrogacy", L_("Forced surrogacy")
    OTHER = "other", L_("Other")


class Case(TimestampMixin, VersionedMixin, db.Model):
    """A case belongs to the office that opened it; partners see only what is sent to them."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_office_status", "office_id", "status"),
        Index("ix_cases_office_opened", "office_id", text("opened_on DESC"), text("id DESC")),
        # Partial: most cases have no external reference, and a full index on office_id would
        # tempt SQLite's planner away from the list's ordered index on a database analysed
        # before it existed (no statistics: it looks very selective).
        Index(
            "ix_cases_office_external",
            "office_id",
            "external_ref",
            sqlite_where=text("external_ref IS NOT NULL"),
            postgresql_where=text("external_ref IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    # Unique per office and year, e.g. QT-BLO/VV/2026/0007.
    number: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), nullable=False, default=CaseStatus.OPEN)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    # Where the case came from when another system gave it to us, e.g. "htcds:PX-2026-17"
    # (a partner's HTCDS case id): the same partner case is not imported twice.
    external_ref: Mapped[str | None] = mapped_column(String(100))

    office = relationship("Office", lazy="joined", innerjoin=True)
    created_by = relationship("User")
    people: Mapped[list[Person]] = relationship(
        back_populates="case", order_by="Person.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[TraffickingEvent]] = relationship(
        back_populates="case", order_by="TraffickingEvent.occurred_on", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return CaseStatus(self.status).label


class Person(TimestampMixin, VersionedMixin, db.Model):
    """Someone in a case: a victim, suspect or relative. Names are kept as written."""

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("estimated_age IS NULL OR estimated_age BETWEEN 0 AND 120", name="age"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    name_as_written: Mapped[str] = mapped_column(String(200), nullable=False)
    name_romanised: Mapped[str | None] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(8), nullable=False, default=Sex.UNKNOWN)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    estimated_age: Mapped[int | None] = mapped_column(Integer)
    age_recorded_on: Mapped[date | None] = mapped_column(Date)  # when the age was estimated
    nationality: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    home_province_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_areas.id"))
    home_commune_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_areas.id"))
    home_address: Mapped[str | None] = mapped_column(Text)
    # [{"kind": "passport", "number": "…", "issued_by": "…"}]
    identity_documents: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    relatives_contacts: Mapped[str | None] = mapped_column(Text)
    guardian: Mapped[str | None] = mapped_column(Text)
    flagged_child: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    victim_status: Mapped[str | None] = mapped_column(String(16))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # search_key() form of the names, searched through core.search (trigram / FTS indexes).
    search_text: Mapped[str] = mapped_column(String(500), nullable=False, default="")

    case: Mapped[Case] = relationship(back_populates="people")

    @property
    def audit_office_id(self) -> int | None:
        """The office whose supervisors read this person's audit entries: the case's."""
        return self.case.office_id if self.case is not None else None

    home_province = relationship("AdministrativeArea", foreign_keys=[home_province_id])
    home_commune = relationship("AdministrativeArea", foreign_keys=[home_commune_id])

    def refresh_search_text(self) -> None:
        self.search_text = search_key(self.name_as_written, self.name_romanised)

    def is_child(self, on: date | None = None) -> bool:
        """Under 18 at the first trafficking event (else when the case opened), or flagged."""
        if self.flagged_child:
            return True
        if on is None:
            dated = [event.occurred_on for event in self.case.events if event.occurred_on]
            on = min(dated) if dated else self.case.opened_on
        age = self.age_on(on)
        return age is not None and age < CHILD_AGE

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is not None:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.estimated_age is not None:
            recorded = self.age_recorded_on or day
            return self.estimated_age + max(0, (day - recorded).days // 365)
        return None

    @property
    def role_label(self) -> str:
        return PersonRole(self.role).label

    @property
    def sex_label(self) -> str:
        return Sex(self.sex).label

    @property
    def victim_status_label(self) -> str | None:
        return VictimStatus(self.victim_status).label if self.victim_status else None


class TraffickingEvent(TimestampMixin, db.Model):
    __tablename__ = "trafficking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_areas.id"))
    means: Mapped[str | None] = mapped_column(Text)  # how: deception, debt, abduction…
    exploitation_type: Mapped[str | None] = mapped_column(String(32))

    case: Mapped[Case] = relationship(back_populates="events")
    area = relationship("AdministrativeArea")

    @property
    def kind_label(self) -> str:
        return EventKind(self.kind).label

    @property
    def exploitation_label(self) -> str | None:
        if not self.exploitation_type:
            return None
        return ExploitationType(self.exploitation_type).label


class MissingPersonStatus(LabelledEnum):
    OPEN = "open", L_("Missing")
    FOUND = "found", L_("Found")
    CLOSED = "closed", L_("Closed")


class MissingPersonReport(TimestampMixin, VersionedMixin, db.Model):
    """A family's or commune's report of someone absent from home, suspected trafficked."""

    __tablename__ = "missing_person_reports"
    __table_args__ = (Index("ix_missing_person_reports_office_status", "office_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    name_as_written: Mapped[str] = mapped_column(String(200), nullable=False)
    name_romanised: Mapped[str | None] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(8), nullable=False, default=Sex.UNKNOWN)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    estimated_age: Mapped[int | None] = mapped_column(Integer)
    home_province_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_areas.id"))
    home_commune_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_areas.id"))
    home_address: Mapped[str | None] = mapped_column(Text)
    missing_since: Mapped[date] = mapped_column(Date, nullable=False)
    last_seen_place: Mapped[str | None] = mapped_column(String(300))
    last_seen_with: Mapped[str | None] = mapped_column(Text)
    reporter_name: Mapped[str] = mapped_column(String(200), nullable=False)
    reporter_contact: Mapped[str | None] = mapped_column(String(200))
    reporter_relationship: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, default=MissingPersonStatus.OPEN
    )
    found_on: Mapped[date | None] = mapped_column(Date)
    # Found through a partner's request: the match an officer confirmed (matching) names the
    # request and the person in it this entry is. Set and cleared by the operations only.
    found_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("requests.id", ondelete="SET NULL")
    )
    found_request_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("request_people.id", ondelete="SET NULL"), index=True
    )
    outcome_note: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # search_key() form of the names, searched through core.search (trigram / FTS indexes).
    search_text: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    office = relationship("Office", lazy="joined", innerjoin=True)
    home_province = relationship("AdministrativeArea", foreign_keys=[home_province_id])
    home_commune = relationship("AdministrativeArea", foreign_keys=[home_commune_id])
    # By name, not import: requests belong to a higher layer (exchange), read-only here.
    found_request = relationship("Request", foreign_keys=[found_request_id], viewonly=True)
    found_request_person = relationship(
        "RequestPerson", foreign_keys=[found_request_person_id], viewonly=True
    )

    def refresh_search_text(self) -> None:
        self.search_text = search_key(self.name_as_written, self.name_romanised)

    @property
    def status_label(self) -> str:
        return MissingPersonStatus(self.status).label

    @property
    def sex_label(self) -> str:
        return Sex(self.sex).label
