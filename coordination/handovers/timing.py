"""Early, late or on time: a completed handover against its scheduled time.

Handovers at the gate rarely happen at the agreed minute: the other side's vehicle comes
early, a road is flooded, a person is still at the clinic. The gate records the actual
time (``Handover.completed_at``) and the handover is marked:

* ``"early"`` when it was completed more than ``TOLERANCE`` before ``scheduled_at``,
* ``"late"`` when more than ``TOLERANCE`` after it,
* ``"on_time"`` otherwise (within ``TOLERANCE`` either way).

The scheduled time compared with is the latest one (a postponed handover's new time).
No column holds the mark: it is derived from the two times wherever it is shown, and
frozen into a record's snapshot (with its text in each of the record's languages) when
the record is issued.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from coordination.i18n import L_

TOLERANCE = timedelta(minutes=30)

EARLY, LATE, ON_TIME = "early", "late", "on_time"

LABELS = {EARLY: L_("Early"), LATE: L_("Late"), ON_TIME: L_("On time")}
_SENTENCES = {
    EARLY: L_("Early: %(duration)s before the scheduled time"),
    LATE: L_("Late: %(duration)s after the scheduled time"),
}
_ON_TIME = L_("On time: within %(minutes)d minutes of the scheduled time")
_MINUTES = L_("%(minutes)d min")
_HOURS = L_("%(hours)d h %(minutes)02d min")


def minutes_off(scheduled_at: datetime, completed_at: datetime) -> int:
    """Whole minutes from the scheduled time to completion (negative: before it)."""
    seconds = (completed_at - scheduled_at).total_seconds()
    return int(seconds / 60)  # towards zero: 30 min 59 s is 30 minutes


def timing(scheduled_at: datetime | None, completed_at: datetime | None) -> str | None:
    """``"early"``, ``"late"``, ``"on_time"``; None before completion."""
    if scheduled_at is None or completed_at is None:
        return None
    difference = completed_at - scheduled_at
    if difference < -TOLERANCE:
        return EARLY
    if difference > TOLERANCE:
        return LATE
    return ON_TIME


def duration_text(minutes: int) -> str:
    """ "45 min", "2 h 05 min" in the current locale (absolute value)."""
    minutes = abs(minutes)
    if minutes < 60:
        return str(_MINUTES % {"minutes": minutes})
    hours, minutes = divmod(minutes, 60)
    return str(_HOURS % {"hours": hours, "minutes": minutes})


def timing_sentence(kind: str | None, minutes: int) -> str:
    """The mark as a sentence in the current locale ("" before completion)."""
    if kind in _SENTENCES:
        return str(_SENTENCES[kind] % {"duration": duration_text(minutes)})
    if kind == ON_TIME:
        return str(_ON_TIME % {"minutes": int(TOLERANCE.total_seconds() // 60)})
    return ""
