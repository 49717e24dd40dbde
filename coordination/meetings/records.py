"""The frozen data of signed minutes: what their PDF prints, labels included, in
Vietnamese and the partner's language (or all three).

The minutes are rendered from this snapshot alone (``minutes_pdf.render_minutes``), so a
version's PDF comes out byte for byte the same whenever it is downloaded, whatever changes
later in the catalogues, the directory or the meeting itself.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import force_locale

from coordination.core.formatting import day_text, moment_text
from coordination.i18n import L_, timezone_label
from coordination.meetings.models import ActionStatus, AgendaKind, MeetingKind, PlaceKind

SNAPSHOT_FORMAT = 1

LABELS = {
    "title": L_("Minutes of the liaison meeting"),
    "number": L_("Minutes number"),
    "version": L_("Version"),
    "corrects": L_("Corrects minutes"),
    "reason": L_("Reason for the correction"),
    "meeting": L_("Meeting"),
    "kind": L_("Kind of meeting"),
    "host": L_("Host"),
    "partner": L_("Partner"),
    "time": L_("Time"),
    "place": L_("Meeting place"),
    "attendees": L_("Attendees"),
    "office": L_("Office"),
    "name": L_("Full name"),
    "position": L_("Position"),
    "agenda": L_("Agenda"),
    "no": L_("No."),
    "item": L_("Item"),
    "item_kind": L_("Kind"),
    "summary": L_("Discussion"),
    "decisions": L_("Decisions"),
    "action_items": L_("Action items"),
    "action": L_("Action item"),
    "owner": L_("Owner"),
    "due": L_("Due date"),
    "status": L_("Status"),
    "none": L_("None."),
    "sign_for": L_("For %(office)s"),
    "sign_here": L_("Signature and full name"),
    "page": L_("Page %(page)d of %(pages)d"),
    "online": PlaceKind.ONLINE.label,
}


def minutes_languages(meeting, *, trilingual: bool) -> list[str]:
    """Vietnamese, then the partner's language (Lao or Chinese); all three on request."""
    languages = ["vi"]
    for office in (meeting.host_office, meeting.partner_office):
        language = office.country.default_locale
        if language not in languages and language in ("lo", "zh"):
            languages.append(language)
    if trilingual:
        languages += [language for language in ("lo", "zh") if language not in languages]
    return languages


def _per_language(languages, make) -> dict[str, str]:
    found = {}
    for language in languages:
        with force_locale(language):
            found[language] = str(make(language))
    return found


def _office(office, languages) -> dict:
    return {"code": office.code, "names": {lang: office.name_in(lang) for lang in languages}}


def _zone_of(meeting, language: str) -> str:
    """The time zone a language's line gives the time in: that of the office of the meeting
    whose country speaks it (Chinese in China time), else the meeting's own."""
    for office in (meeting.host_office, meeting.partner_office):
        if office.country.default_locale == language and office.country.timezone:
            return office.country.timezone
    return meeting.timezone


def _time_text(occurrence, language: str, zone_name: str) -> str:
    zone = ZoneInfo(zone_name)
    return (
        f"{moment_text(occurrence.starts_at, language, zone)} – "
        f"{moment_text(occurrence.ends_at, language, zone)} "
        f"({timezone_label(zone_name, occurrence.starts_at)})"
    )


def build_snapshot(minutes, *, number, version, previous, trilingual: bool, reason=None) -> dict:
    meeting = minutes.meeting
    languages = minutes_languages(meeting, trilingual=trilingual)
    occurrence = meeting.occurrence(minutes.occurs_at)
    labels = {key: _per_language(languages, lambda _l, label=label: label)
              for key, label in LABELS.items()}  # fmt: skip
    place = meeting.place if meeting.place_kind != PlaceKind.ONLINE else meeting.online_link
    if meeting.place_kind == PlaceKind.GATE and meeting.gate:
        place = " / ".join(
            dict.fromkeys(getattr(meeting.gate, f"name_{lang}") for lang in languages)
        )
        if meeting.place_detail:
            place += f" · {meeting.place_detail}"
    elif meeting.place_kind == PlaceKind.OFFICE and meeting.place_office:
        place = " / ".join(dict.fromkeys(meeting.place_office.name_in(lang) for lang in languages))
        if meeting.place_detail:
            place += f" · {meeting.place_detail}"
    return {
        "format": SNAPSHOT_FORMAT,
        "number": number,
        "version": version,
        "supersedes": f"{previous.number} v{previous.version}" if previous else None,
        "reason": reason,
        "languages": languages,
        "labels": labels,
        "title": meeting.title,
        "kind": _per_language(languages, lambda _l: MeetingKind(meeting.kind).label),
        "host": _office(meeting.host_office, languages),
        "partner": _office(meeting.partner_office, languages),
        # Each language's line in its own country's time, its zone named.
        "time": _per_language(
            languages, lambda lang: _time_text(occurrence, lang, _zone_of(meeting, lang))
        ),
        "place": place or "",
        # Attendees belong to the series; a correction keeps those signed for this
        # occurrence (a later change to the series is for the meetings still to come).
        "attendees": list(previous.snapshot["attendees"])
        if previous
        else [
            {
                "office": _office(attendee.office, languages),
                "name": attendee.display_name,
                "position": attendee.position or "",
            }
            for attendee in meeting.attendees
        ],
        "agenda": [
            {
                "kind": _per_language(languages, lambda _l, item=item: AgendaKind(item.kind).label),
                "title": item.title,
                "note": item.note or "",
            }
            for item in meeting.agenda_for(minutes.occurs_at)
        ],
        "summary": minutes.summary or "",
        "decisions": list(minutes.decisions or []),
        "action_items": [
            {
                "text": item.text,
                "owner": _office(item.owner_office, languages),
                "person": (item.owner_user.full_name if item.owner_user else item.owner_name) or "",
                "due": {lang: day_text(item.due_on, lang) for lang in languages},
                "status": _per_language(
                    languages, lambda _l, item=item: ActionStatus(item.status).label
                ),
            }
            for item in minutes.action_items
        ],
    }
