from __future__ import annotations

import enum
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
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.i18n import L_

CHILD_AGE = 18


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    VERIFICATION = "verification"
    VICTIM_DETERMINED = "victim_determined"
    HANDOVER_SCHEDULED = "handover_scheduled"
    HANDED_OVER = "handed_over"
    IN_SUPPORT = "in_support"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"
    CLOSED_REFERRED = "closed_referred"
    CLOSED_NOT_VICTIM = "closed_not_victim"

    @property
    def label(self) -> str:
        return str(CASE_STATUS_LABELS[self])

    @property
    def is_closed(self) -> bool:
        return self.value.startswith("closed")


CASE_STATUS_LABELS = {
    CaseStatus.OPEN: L_("Open"),
    CaseStatus.VERIFICATION: L_("Verification"),
    CaseStatus.VICTIM_DETERMINED: L_("Victim determined"),
    CaseStatus.HANDOVER_SCHEDULED: L_("Handover scheduled"),
    CaseStatus.HANDED_OVER: L_("Handed over"),
    CaseStatus.IN_SUPPORT: L_("In support"),
    CaseStatus.FOLLOW_UP: L_("Follow-up"),
    CaseStatus.CLOSED: L_("Closed"),
    CaseStatus.CLOSED_REFERRED: L_("Closed (referred)"),
    CaseStatus.CLOSED_NOT_VICTIM: L_("Closed (not a victim)"),
}


class PersonRole(enum.StrEnum):
    VICTIM = "victim"
    SUSPECT = "suspect"
    RELATIVE = "relative"

    @property
    def label(self) -> str:
        return str(PERSON_ROLE_LABELS[self])


PERSON_ROLE_LABELS = {
    PersonRole.VICTIM: L_("Victim"),
    PersonRole.SUSPECT: L_("Suspect"),
    PersonRole.RELATIVE: L_("Relative"),
}


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return str(SEX_LABELS[self])


SEX_LABELS = {Sex.FEMALE: L_("Female"), Sex.MALE: L_("Male"), Sex.UNKNOWN: L_("Unknown")}


class VictimStatus(enum.StrEnum):
    """As in the HTCDS: whether a person is determined to be a victim of trafficking."""

    POSSIBLE = "possible"
    ACTUAL = "actual"
    NOT_A_VICTIM = "not_a_victim"

    @property
    def label(self) -> str:
        return str(VICTIM_STATUS_LABELS[self])


VICTIM_STATUS_LABELS = {
    VictimStatus.POSSIBLE: L_("Possible victim"),
    VictimStatus.ACTUAL: L_("Victim"),
    VictimStatus.NOT_A_VICTIM: L_("Not a victim"),
}


class EventKind(enum.StrEnum):
    RECRUITMENT = "recruitment"
    TRANSIT = "transit"
    EXPLOITATION = "exploitation"

    @property
    def label(self) -> str:
        return str(EVENT_KIND_LABELS[self])


EVENT_KIND_LABELS = {
    EventKind.RECRUITMENT: L_("Recruitment"),
    EventKind.TRANSIT: L_("Transit"),
    EventKind.EXPLOITATION: L_("Exploitation"),
}


class ExploitationType(enum.StrEnum):
    SEXUAL = "sexual"
    FORCED_LABOUR = "forced_labour"
    FORCED_MARRIAGE = "forced_marriage"
    CHILD_SALE = "child_sale"
    ORGAN_REMOVAL = "organ_removal"
    SURROGACY = "surrogacy"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(EXPLOITATION_TYPE_LABELS[self])


EXPLOITATION_TYPE_LABELS = {
    ExploitationType.SEXUAL: L_("Sexual exploitation"),
    ExploitationType.FORCED_LABOUR: L_("Forced labour"),
    ExploitationType.FORCED_MARRIAGE: L_("Forced marriage"),
    ExploitationType.CHILD_SALE: L_("Sale of a child"),
    ExploitationType.ORGAN_REMOVAL: L_("Organ removal"),
    ExploitationType.SURROGACY: L_("Forced surrogacy"),
    ExploitationType.OTHER: L_("Other"),
}


class Case(TimestampMixin, VersionedMixin, db.Model):
    """A case belongs to the office that opened it; partners see only what is sent to them."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_office_status", "office_id", "status"),
        Index("ix_cases_office_opened", "office_id", text("opened_on DESC"), text("id DESC")),
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


class Document(TimestampMixin, db.Model):
    """An uploaded file, stored outside the web root and served only after an access check."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # Set when the file was attached to a message of a request thread.
    request_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("request_messages.id"), index=True
    )
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class MissingPersonStatus(enum.StrEnum):
    OPEN = "open"
    FOUND = "found"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(MISSING_STATUS_LABELS[self])


MISSING_STATUS_LABELS = {
    MissingPersonStatus.OPEN: L_("Missing"),
    MissingPersonStatus.FOUND: L_("Found"),
    MissingPersonStatus.CLOSED: L_("Closed"),
}


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
    outcome_note: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # search_key() form of the names, searched through core.search (trigram / FTS indexes).
    search_text: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    office = relationship("Office", lazy="joined", innerjoin=True)
    home_province = relationship("AdministrativeArea", foreign_keys=[home_province_id])

    def refresh_search_text(self) -> None:
        self.search_text = search_key(self.name_as_written, self.name_romanised)

    @property
    def status_label(self) -> str:
        return MissingPersonStatus(self.status).label

    @property
    def sex_label(self) -> str:
        return Sex(self.sex).label
