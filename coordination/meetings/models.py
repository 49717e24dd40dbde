"""A liaison meeting series between two partner offices, its occurrences (a recurrence rule
with exceptions: a skipped or moved occurrence is an override row), attendees of both sides,
agenda items (a topic, or a request or case between the two offices), minutes with decisions
and action items, and the signed versions of the minutes (frozen snapshots, like handover
records).

Times are stored in UTC; the recurrence is expanded in the host office's time zone
(``Meeting.timezone``) with python-dateutil's rrule, so that "every quarter at 09:00" stays
09:00 where the meeting is held. An occurrence is named by its original start (UTC), also
after it was moved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlalchemy import (
    JSON,
    Date,
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
from coordination.i18n import L_, local_today

# At most this many occurrences in a series (a typing slip in a rule gives thousands).
MAX_OCCURRENCES = 60


class MeetingKind(LabelledEnum):
    MONTHLY = "monthly", L_("Monthly liaison meeting (giao ban)")
    QUARTERLY = "quarterly", L_("Quarterly liaison meeting (giao ban)")
    ANNUAL = "annual", L_("Annual conference")
    TALKS = "talks", L_("Talks")


class Repeat(LabelledEnum):
    NONE = "none", L_("Does not repeat")
    MONTHLY = "monthly", L_("Every month")
    QUARTERLY = "quarterly", L_("Every three months")
    YEARLY = "yearly", L_("Every year")


# The RRULE of each repetition (COUNT or UNTIL added by the operation).
REPEAT_RULES = {
    Repeat.MONTHLY: "FREQ=MONTHLY",
    Repeat.QUARTERLY: "FREQ=MONTHLY;INTERVAL=3",
    Repeat.YEARLY: "FREQ=YEARLY",
}


class PlaceKind(LabelledEnum):
    GATE = "gate", L_("At a border gate")
    OFFICE = "office", L_("At an office")
    ONLINE = "online", L_("Online")


class MeetingState(LabelledEnum):
    PLANNED = "planned", L_("Planned")
    CANCELLED = "cancelled", L_("Cancelled")


class OverrideKind(LabelledEnum):
    MOVED = "moved", L_("Moved")
    SKIPPED = "skipped", L_("Skipped")


class ActionStatus(LabelledEnum):
    OPEN = "open", L_("To do")  # not "Open": that is a case's state (已立案 in Chinese)
    IN_PROGRESS = "in_progress", L_("In progress")
    DONE = "done", L_("Done")


class Occurrence(NamedTuple):
    """One occurrence of a series: its key (the original start), its times now, and what
    became of it (None: as planned; "moved"; "skipped")."""

    key: datetime  # original start, UTC
    starts_at: datetime
    ends_at: datetime
    override: str | None = None
    reason: str | None = None

    @property
    def slug(self) -> str:
        return occurrence_slug(self.key)

    @property
    def skipped(self) -> bool:
        return self.override == OverrideKind.SKIPPED

    @property
    def moved(self) -> bool:
        return self.override == OverrideKind.MOVED


def occurrence_slug(moment: datetime) -> str:
    """The occurrence's name in addresses: 20270115T0200Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def parse_slug(slug: str) -> datetime | None:
    if not isinstance(slug, str) or len(slug) != 14 or not slug.endswith("Z"):
        return None
    try:
        return datetime.strptime(slug, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def expand_rule(rule: str | None, starts_at: datetime, zone: str) -> list[datetime]:
    """The starts (UTC) of a series: DTSTART in the host's zone, expanded by dateutil."""
    if not rule:
        return [starts_at.astimezone(UTC)]
    local = starts_at.astimezone(ZoneInfo(zone))
    expanded = rrulestr(rule, dtstart=local)
    found = []
    for moment in expanded:
        found.append(moment.astimezone(UTC))
        if len(found) > MAX_OCCURRENCES:
            break
    return found


class Meeting(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_host_starts", "host_office_id", "starts_at"),
        Index("ix_meetings_partner_starts", "partner_office_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    host_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    partner_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    # The first occurrence (UTC) and its end; the others follow the rule.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    repeat: Mapped[str] = mapped_column(String(20), nullable=False, default=Repeat.NONE)
    # The RRULE value (RFC 5545), e.g. "FREQ=MONTHLY;INTERVAL=3;COUNT=4"; None: one-off.
    rrule: Mapped[str | None] = mapped_column(String(200))
    # The end of the last occurrence by the rule (UTC), for the calendar's window.
    last_ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    place_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    gate_id: Mapped[int | None] = mapped_column(ForeignKey("border_gates.id"), index=True)
    place_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    place_detail: Mapped[str | None] = mapped_column(String(300))
    online_link: Mapped[str | None] = mapped_column(String(500))
    purpose: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=MeetingState.PLANNED)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    host_office = relationship("Office", foreign_keys=[host_office_id], lazy="joined")
    partner_office = relationship("Office", foreign_keys=[partner_office_id], lazy="joined")
    gate = relationship("BorderGate", lazy="joined")
    place_office = relationship("Office", foreign_keys=[place_office_id])
    overrides: Mapped[list[MeetingOverride]] = relationship(
        back_populates="meeting", order_by="MeetingOverride.original_start",
        cascade="all, delete-orphan",
    )  # fmt: skip
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", order_by="MeetingAttendee.id", cascade="all, delete-orphan"
    )
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    minutes: Mapped[list[Minutes]] = relationship(
        back_populates="meeting", order_by="Minutes.occurs_at", cascade="all, delete-orphan"
    )

    @property
    def office_ids(self) -> tuple[int, int]:
        return (self.host_office_id, self.partner_office_id)

    @property
    def audit_office_id(self) -> int:
        return self.host_office_id

    @property
    def kind_label(self) -> str:
        return MeetingKind(self.kind).label

    @property
    def repeat_label(self) -> str:
        return Repeat(self.repeat).label

    @property
    def state_label(self) -> str:
        return MeetingState(self.state).label

    @property
    def cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def other_office(self, office_id: int):
        return self.partner_office if office_id == self.host_office_id else self.host_office

    @property
    def place(self) -> str:
        """Where, in words: the gate, the office, or the link."""
        if self.place_kind == PlaceKind.GATE and self.gate:
            text = self.gate.name
        elif self.place_kind == PlaceKind.OFFICE and self.place_office:
            text = self.place_office.name
        elif self.place_kind == PlaceKind.ONLINE:
            text = PlaceKind.ONLINE.label
        else:
            text = ""
        return " · ".join(part for part in (text, self.place_detail) if part)

    def planned_starts(self) -> list[datetime]:
        return expand_rule(self.rrule, self.starts_at, self.timezone)

    def occurrences(self, *, include_skipped: bool = True) -> list[Occurrence]:
        """Every occurrence by the rule, with the overrides applied, by original start."""
        overrides = {override.original_start: override for override in self.overrides}
        found = []
        for start in self.planned_starts():
            override = overrides.get(start)
            if override is None:
                found.append(Occurrence(start, start, start + self.duration))
            elif override.kind == OverrideKind.SKIPPED:
                if include_skipped:
                    found.append(
                        Occurrence(start, start, start + self.duration, "skipped", override.reason)
                    )
            else:
                found.append(
                    Occurrence(
                        start, override.starts_at, override.ends_at, "moved", override.reason
                    )
                )
        return found

    def occurrence(self, key: datetime) -> Occurrence | None:
        return next((occ for occ in self.occurrences() if occ.key == key), None)

    def next_occurrence(self, now: datetime | None = None) -> Occurrence | None:
        now = now or utcnow()
        upcoming = [occ for occ in self.occurrences(include_skipped=False) if occ.ends_at > now]
        return min(upcoming, key=lambda occ: occ.starts_at, default=None)

    def agenda_for(self, key: datetime) -> list[AgendaItem]:
        return [item for item in self.agenda if item.occurs_at == key]

    def minutes_for(self, key: datetime) -> Minutes | None:
        return next((minutes for minutes in self.minutes if minutes.occurs_at == key), None)


class MeetingOverride(TimestampMixin, VersionedMixin, db.Model):
    """An exception to the rule: the occurrence that was to start at ``original_start`` is
    skipped, or moved to ``starts_at`` – ``ends_at``."""

    __tablename__ = "meeting_overrides"
    __table_args__ = (UniqueConstraint("meeting_id", "original_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True
    )
    original_start: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    meeting: Mapped[Meeting] = relationship(back_populates="overrides")


class MeetingAttendee(db.Model):
    """Someone of either side who attends: a user of one of the two offices, or a name
    (a guest of the partner, an interpreter)."""

    __tablename__ = "meeting_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True
    )
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    office = relationship("Office", lazy="joined")
    user = relationship("User", lazy="joined")

    @property
    def display_name(self) -> str:
        return self.user.full_name if self.user else (self.name or "")


class AgendaKind(LabelledEnum):
    TOPIC = "topic", L_("Topic")
    REQUEST = "request", L_("Request")
    CASE = "case", L_("Case")


class AgendaItem(db.Model):
    """An item of one occurrence's agenda: a topic, or a request or case between the two
    offices (only those: a meeting never shows what either exchanged with a third office)."""

    __tablename__ = "meeting_agenda_items"
    __table_args__ = (Index("ix_meeting_agenda_items_meeting_occurs", "meeting_id", "occurs_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False
    )
    occurs_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    added_by_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    request = relationship("Request", lazy="joined")
    case = relationship("Case", lazy="joined")

    @property
    def kind_label(self) -> str:
        return AgendaKind(self.kind).label


class Minutes(TimestampMixin, VersionedMixin, db.Model):
    """The minutes of one occurrence: what was discussed, the decisions, the action items.
    Once signed (a record issued), a change needs a reason and issues a new version."""

    __tablename__ = "meeting_minutes"
    __table_args__ = (UniqueConstraint("meeting_id", "occurs_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True
    )
    occurs_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    summary: Mapped[str | None] = mapped_column(Text)
    # ["decision", …] in the order agreed
    decisions: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    meeting: Mapped[Meeting] = relationship(back_populates="minutes")
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="minutes", order_by="ActionItem.position", cascade="all, delete-orphan"
    )
    records: Mapped[list[MinutesRecord]] = relationship(
        back_populates="minutes", order_by="MinutesRecord.version", cascade="all, delete-orphan"
    )

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def latest_record(self) -> MinutesRecord | None:
        return self.records[-1] if self.records else None

    def signed_attendees(self, language: str) -> list[SignedAttendee] | None:
        """The attendees as the latest signed version has them (None: not signed). The
        series' attendees may change later; those of a signed occurrence stay."""
        latest = self.latest_record
        if latest is None:
            return None
        found = []
        for row in latest.snapshot.get("attendees", []):
            office = row.get("office") or {}
            names = office.get("names") or {}
            found.append(
                SignedAttendee(
                    name=row.get("name") or "",
                    position=row.get("position") or "",
                    office_code=office.get("code") or "",
                    office_name=names.get(language) or next(iter(names.values()), ""),
                )
            )
        return found


class SignedAttendee(NamedTuple):
    name: str
    position: str
    office_code: str
    office_name: str


class ActionItem(TimestampMixin, VersionedMixin, db.Model):
    """Something agreed at the meeting: what, who (an office, and a person of it or a
    name), by when, and how far it has come."""

    __tablename__ = "meeting_action_items"
    __table_args__ = (
        UniqueConstraint("minutes_id", "position"),
        Index("ix_meeting_action_items_owner_status_due", "owner_office_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_minutes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    owner_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_name: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=ActionStatus.OPEN)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    minutes: Mapped[Minutes] = relationship(back_populates="action_items")
    owner_office = relationship("Office", lazy="joined")
    owner_user = relationship("User", lazy="joined")

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label

    @property
    def owner_text(self) -> str:
        person = self.owner_user.full_name if self.owner_user else self.owner_name
        return " · ".join(part for part in (self.owner_office.name, person) if part)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status != ActionStatus.DONE and self.due_on < (today or local_today())


class MinutesRecord(db.Model):
    """One signed version of the minutes: the data its PDF prints, frozen (labels
    included), so that the PDF comes out byte for byte the same whenever it is downloaded.
    A correction is a new version naming the one it corrects; none is ever changed."""

    __tablename__ = "meeting_minutes_records"
    __table_args__ = (UniqueConstraint("number", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_minutes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_minutes_records.id"))
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    minutes: Mapped[Minutes] = relationship(back_populates="records")
    created_by = relationship("User")
    supersedes = relationship("MinutesRecord", remote_side=[id])
