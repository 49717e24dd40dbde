from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import TimestampMixin, TranslatedNameMixin, VersionedMixin
from coordination.core.enums import LabelledEnum
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.i18n import L_


class OfficeKind(LabelledEnum):
    BORDER_LIAISON_OFFICE = "border_liaison_office", L_("Border liaison office")
    PROVINCIAL_POLICE = "provincial_police", L_("Provincial police")
    BORDER_GUARD_STATION = "border_guard_station", L_("Border guard station")
    SOCIAL_PROTECTION_CENTRE = "social_protection_centre", L_("Social protection centre")
    SHELTER = "shelter", L_("Shelter")
    STEERING_COMMITTEE_OFFICE = "steering_committee_office", L_("Steering committee office")


class AreaKind(LabelledEnum):
    PROVINCE = "province", L_("Province")
    REGION = "region", L_("Autonomous region")
    CITY = "city", L_("City")
    DISTRICT = "district", L_("District")
    COUNTY = "county", L_("County")
    COMMUNE = "commune", L_("Commune")


class RequestKind(LabelledEnum):
    """Kinds of requests between partner offices; each partnership sets a deadline per kind."""

    IDENTITY_VERIFICATION = "identity_verification", L_("Identity verification")
    INFORMATION = "information", L_("Information")
    RESCUE_ASSISTANCE = "rescue_assistance", L_("Rescue assistance")
    HANDOVER_PROPOSAL = "handover_proposal", L_("Handover proposal")


class Country(TranslatedNameMixin, db.Model):
    __tablename__ = "countries"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True, nullable=False)  # ISO 3166-1
    default_locale: Mapped[str] = mapped_column(String(8), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)


class AreaSuccession(db.Model):
    """A former unit (abolished) and a current unit that holds its territory, wholly or partly.

    A former Vietnamese province leads to the current province(s) it merged into; a former
    district to the current communes made from its communes.
    """

    __tablename__ = "area_successions"

    former_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_areas.id", ondelete="CASCADE"), primary_key=True
    )
    successor_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_areas.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AdministrativeArea(TranslatedNameMixin, TimestampMixin, VersionedMixin, db.Model):
    """A province, region, city, district, county or commune; the hierarchy is data (parent_id).

    ``abolished_on`` is NULL for a current unit; a former unit (e.g. a Vietnamese province or
    district before the 2025 reform) keeps its row, because people still write its name, with
    the date it ended and its ``successors``.
    """

    __tablename__ = "administrative_areas"
    __table_args__ = (UniqueConstraint("country_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), nullable=False, index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_areas.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    code: Mapped[str] = mapped_column(String(32), nullable=False)
    abolished_on: Mapped[dt.date | None] = mapped_column(Date, index=True)

    country: Mapped[Country] = relationship(lazy="joined", innerjoin=True)
    parent: Mapped[AdministrativeArea | None] = relationship(remote_side=[id])
    successors: Mapped[list[AdministrativeArea]] = relationship(
        secondary="area_successions",
        primaryjoin="AdministrativeArea.id == AreaSuccession.former_id",
        secondaryjoin="AdministrativeArea.id == AreaSuccession.successor_id",
        order_by="AdministrativeArea.id",
        viewonly=True,
    )

    @property
    def current(self) -> bool:
        return self.abolished_on is None

    @property
    def kind_label(self) -> str:
        return AreaKind(self.kind).label


class Office(TranslatedNameMixin, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A short code used in reference numbers, e.g. QT-BLO in QT-BLO/2026/0042.
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    area_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_areas.id"), nullable=False, index=True
    )
    # The top-level area (province or region) above area_id, kept for scoping queries.
    province_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_areas.id"), nullable=False, index=True
    )
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Code and names in search_key() form, kept in step by the operations.
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")

    area: Mapped[AdministrativeArea] = relationship(
        foreign_keys=[area_id], lazy="joined", innerjoin=True
    )
    province: Mapped[AdministrativeArea] = relationship(foreign_keys=[province_id])

    @property
    def country(self) -> Country:
        return self.area.country

    def refresh_search_text(self) -> None:
        self.search_text = search_key(self.code, *self.names.values())

    @property
    def kind_label(self) -> str:
        return OfficeKind(self.kind).label


class BorderGate(TranslatedNameMixin, TimestampMixin, VersionedMixin, db.Model):
    """A pair of facing border gates; the name holds both sides' names."""

    __tablename__ = "border_gates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    vietnam_area_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_areas.id"), nullable=False, index=True
    )
    partner_area_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_areas.id"), nullable=False, index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    vietnam_area: Mapped[AdministrativeArea] = relationship(foreign_keys=[vietnam_area_id])
    partner_area: Mapped[AdministrativeArea] = relationship(foreign_keys=[partner_area_id])


class Partnership(TimestampMixin, VersionedMixin, db.Model):
    """Two offices that may exchange requests. Stored once per pair (lower id first)."""

    __tablename__ = "partnerships"
    __table_args__ = (
        UniqueConstraint("office_a_id", "office_b_id"),
        CheckConstraint("office_a_id < office_b_id", name="ordered_distinct_offices"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_a_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    office_b_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False, index=True)
    # Locale codes, comma-separated in a fixed order, e.g. "vi,lo".
    working_languages: Mapped[str] = mapped_column(String(32), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    notes: Mapped[str | None] = mapped_column(Text)

    office_a: Mapped[Office] = relationship(foreign_keys=[office_a_id], lazy="joined")
    office_b: Mapped[Office] = relationship(foreign_keys=[office_b_id], lazy="joined")
    deadlines: Mapped[list[PartnershipDeadline]] = relationship(
        back_populates="partnership",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="PartnershipDeadline.request_kind",
    )

    @property
    def languages(self) -> list[str]:
        return [code for code in self.working_languages.split(",") if code]

    @property
    def office_ids(self) -> tuple[int, int]:
        return (self.office_a_id, self.office_b_id)

    def other_office(self, office_id: int) -> Office:
        return self.office_b if office_id == self.office_a_id else self.office_a

    @property
    def deadlines_in_order(self) -> list[PartnershipDeadline]:
        """Deadlines in the order request kinds are listed everywhere else."""
        order = {str(kind): index for index, kind in enumerate(RequestKind)}
        return sorted(self.deadlines, key=lambda deadline: order.get(deadline.request_kind, 99))

    def deadline_days(self, kind: RequestKind | str) -> int | None:
        for deadline in self.deadlines:
            if deadline.request_kind == str(kind):
                return deadline.days
        return None


class PartnershipDeadline(db.Model):
    """The agreed reply deadline, in days, for one kind of request within a partnership."""

    __tablename__ = "partnership_deadlines"
    __table_args__ = (CheckConstraint("days BETWEEN 1 AND 365", name="days_in_range"),)

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True
    )
    request_kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, nullable=False)

    partnership: Mapped[Partnership] = relationship(back_populates="deadlines")

    @property
    def kind_label(self) -> str:
        return RequestKind(self.request_kind).label


class ReferenceCounter(db.Model):
    """The last number an office gave out in a series (requests, cases) and year."""

    __tablename__ = "reference_counters"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
