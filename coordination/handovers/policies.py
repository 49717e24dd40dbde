"""Who may see, schedule and log a handover.

A handover involves the two offices of the proposal. Their liaison officers, and the
border guards of the stations in either office's province (who work the gate), schedule
and log it; supervisors of either province watch it. Nobody else learns that it exists.
"""

from __future__ import annotations

from coordination.auth.models import Role, User
from coordination.directory.models import OfficeKind, RequestKind
from coordination.exchange.models import Request, RequestState

# A proposal the partner has answered (agreed to) may be scheduled; declined or withdrawn not.
AGREED_STATES = (RequestState.ANSWERED, RequestState.CLOSED)


def _offices(subject) -> tuple:
    if isinstance(subject, Request):
        return (subject.sender_office, subject.recipient_office)
    return (subject.handing_office, subject.receiving_office)


def guards_a_station(user: User) -> bool:
    """A border guard at a border guard station: works the gates of the station's province."""
    return user.has_role(Role.BORDER_GUARD) and user.office.kind == OfficeKind.BORDER_GUARD_STATION


def _works_the_gate(user: User, offices) -> bool:
    """A party office's liaison officer, or a border guard of a station in its province."""
    if user.has_role(Role.LIAISON_OFFICER) and user.office_id in {o.id for o in offices}:
        return True
    return guards_a_station(user) and user.office.province_id in {o.province_id for o in offices}


def can_view_handover(user: User, handover) -> bool:
    if not user.is_active:
        return False
    offices = _offices(handover)
    if user.office_id in {o.id for o in offices} or _works_the_gate(user, offices):
        return True
    return user.has_role(Role.SUPERVISOR) and user.office.province_id in {
        o.province_id for o in offices
    }


def can_manage_handover(user: User, handover) -> bool:
    """Edit the schedule, postpone, cancel, log at the gate, correct the record."""
    return user.is_active and _works_the_gate(user, _offices(handover))


def can_schedule_from(user: User, request: Request) -> bool:
    """An agreed handover proposal, seen from one of the offices that work its gate."""
    return (
        user.is_active
        and request.kind == RequestKind.HANDOVER_PROPOSAL
        and request.state in AGREED_STATES
        and _works_the_gate(user, _offices(request))
    )


def can_schedule_handovers(user: User) -> bool:
    return user.is_active and (
        user.has_role(Role.LIAISON_OFFICER) or user.has_role(Role.BORDER_GUARD)
    )


def reads_our_record(user: User, record) -> bool:
    """Whether the name of our record confirmed as a handed-over person (queries.OurRecord)
    is shown to ``user`` beside the partner's rendering: users of the office that owns the
    record or that confirmed the match, and the border guards who work the gate for them
    (a station of the same province). Never the partner's users: only in the record's
    country."""
    return on_our_side(user, (record.office, record.decided_by_office))


def on_our_side(user: User, ours) -> bool:
    """``ours``: the office owning a record, then the office that confirmed its match."""
    if not user.is_active or user.office.area.country_id != ours[0].area.country_id:
        return False
    if user.office_id in {office.id for office in ours}:
        return True
    return guards_a_station(user) and user.office.province_id in {o.province_id for o in ours}
