"""The frozen data of a handover record: what its PDF prints, labels included.

A record is rendered from this snapshot alone (``record_pdf.render_handover_record``), so
a version's PDF comes out byte for byte the same whenever it is downloaded, whatever
changes later in the catalogues, the directory or the handover itself.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale

from coordination.handovers import timing as timing_rules
from coordination.handovers.models import Handover, HandoverRecord
from coordination.handovers.queries import our_records
from coordination.i18n import L_, timezone_label
from coordination.matching.names import romanise

SNAPSHOT_FORMAT = 1
NAME_LANGUAGES = ("vi", "lo", "zh", "en")

# Every label the record prints, translated in each of its languages when it is issued.
LABELS = {
    "title": L_("Record of handover and reception of victims of trafficking"),
    "record_number": L_("Record number"),
    "version": L_("Version"),
    "corrects": L_("Corrects record"),
    "request": L_("Handover proposal"),
    "border_gate": L_("Border gate"),
    "scheduled_at": L_("Scheduled for"),
    "completed_at": L_("Completed at"),
    "timing": L_("Compared with the scheduled time"),
    "handing_over_side": L_("Handing-over side"),
    "receiving_side": L_("Receiving side"),
    "office": L_("Office"),
    "unit": L_("Unit"),
    "officers": L_("Officers (name, rank)"),
    "interpreter": L_("Interpreter"),
    "witnesses": L_("Witnesses"),
    "transport": L_("Transport"),
    "people": L_("People handed over"),
    "no": L_("No."),
    "name": L_("Full name"),
    "sex": L_("Sex"),
    "born": L_("Date of birth or age"),
    "identity_checked": L_("Identity checked"),
    "health": L_("Health on arrival"),
    "belongings": L_("Belongings and documents"),
    "victim_file": L_("Victim file received"),
    "certificate": L_("Return certificate no."),
    "referral": L_("Onward referral"),
    "not_on_list": L_("Not on the agreed list"),
    "missing_from_list": L_("On the list but not handed over"),
    "notes": L_("Notes"),
    "signature_handing": L_("For the handing-over side"),
    "signature_receiving": L_("For the receiving side"),
    "signature_witness": L_("Witness"),
    "sign_here": L_("Signature and full name"),
    "page": L_("Page %(page)d of %(pages)d"),
    "scan_to_open": L_("Scan to open this record in the system (sign-in required)"),
    "yes": L_("Yes"),
    "no_answer": L_("No"),
    "female": L_("Female"),
    "male": L_("Male"),
    "unknown": L_("Unknown"),
    "age_years": L_("about %(age)d years"),
    "child": L_("Child"),
    "referral_social_protection_centre": L_("Social protection centre"),
    "referral_family": L_("Family"),
    "referral_district_labour_office": L_("District labour office"),
    "referral_other": L_("Other"),
    "our_record": L_("Our record"),
}


def record_url(handover: Handover) -> str:
    """The address the QR code leads to: BASE_URL when configured, else this server."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for("handovers.detail", handover_id=handover.id)
    return url_for("handovers.detail", handover_id=handover.id, _external=True)


def record_languages(handover: Handover, *, trilingual: bool) -> list[str]:
    """Vietnamese, then the partner's language (Lao or Chinese); all three on request."""
    languages = ["vi"]
    for office in (handover.handing_office, handover.receiving_office):
        language = office.country.default_locale
        if language not in languages:
            languages.append(language)
    if trilingual:
        languages += [language for language in ("lo", "zh") if language not in languages]
    return languages


def _names(thing) -> dict[str, str]:
    return {language: getattr(thing, f"name_{language}") for language in NAME_LANGUAGES}


def _side(office, unit, officers, languages: list[str], moment) -> dict:
    zone = office.country.timezone
    zone_names = {}
    for language in languages:
        with force_locale(language):
            zone_names[language] = timezone_label(zone, moment)  # "Giờ Lào (UTC+7)"
    return {
        "office": {"names": _names(office)},
        "time_zone": zone,
        "time_zone_names": zone_names,
        "unit": unit,
        "officers": officers or [],
    }


def _our_names(records, latin: str | None) -> list[dict]:
    """Our records confirmed as the person: printed on our side's copy only (their Latin
    form when it says more than the partner's, ``latin``)."""
    return [
        {
            "kind": found.kind,
            "id": found.id,
            "name": found.name,
            "romanised": found.romanised
            if (found.romanised or "").casefold() != (latin or "").casefold()
            else None,
            "offices": [found.office.id, found.decided_by_office.id],
        }
        for found in records
    ]


def _person(person, ours=()) -> dict:
    shared = person.request_person.shared if person.request_person else {}
    centre = person.referral_office if person.referral_office_id else None
    return {
        "name_as_written": person.name_as_written,
        "name_romanised": person.latin_name,
        "sex": shared.get("sex"),
        "date_of_birth": shared.get("date_of_birth"),
        "estimated_age": shared.get("estimated_age"),
        "child": bool(shared.get("child")),
        "identity_checked": person.identity_checked,
        "health": person.health,
        "belongings": person.belongings,
        "documents": person.documents,
        "victim_file_received": person.victim_file_received,
        "return_certificate_number": person.return_certificate_number,
        "referral": person.referral,
        "referral_detail": person.referral_detail,
        # The centre or shelter referred to, frozen with its names as they were at issue.
        "referral_office": {"code": centre.code, "names": _names(centre)} if centre else None,
        "our_names": _our_names(ours, person.latin_name),
    }


def _flagged(person) -> dict:
    """A person the record flags (not on the list, or on it but not handed over)."""
    return {
        "name_as_written": person.name_as_written,
        "name_romanised": person.latin_name,
        "note": person.note,
    }


def _timing(handover: Handover, languages: list[str]) -> dict | None:
    """Early, late or on time (handovers.timing), with its sentence in each language."""
    if handover.timing is None:
        return None
    text = {}
    for language in languages:
        with force_locale(language):
            text[language] = timing_rules.timing_sentence(handover.timing, handover.minutes_off)
    return {"mark": handover.timing, "minutes": handover.minutes_off, "text": text}


def build_snapshot(
    handover: Handover,
    *,
    number: str,
    version: int,
    previous: HandoverRecord | None,
    trilingual: bool,
) -> dict:
    languages = record_languages(handover, trilingual=trilingual)
    labels = {}
    for key, label in LABELS.items():
        labels[key] = {}
        for language in languages:
            with force_locale(language):
                labels[key][language] = str(label)
    listed = [person for person in handover.people if person.on_list]
    ours = our_records(listed)
    return {
        "format": SNAPSHOT_FORMAT,
        "number": number,
        "version": version,
        "supersedes": f"{previous.number} v{previous.version}" if previous else None,
        "languages": languages,
        "request_reference": handover.request.reference,
        "gate": {"names": _names(handover.gate)},
        "scheduled_at": handover.scheduled_at.isoformat(),
        "completed_at": handover.completed_at.isoformat() if handover.completed_at else None,
        "timing": _timing(handover, languages),
        "handing_over": _side(
            handover.handing_office,
            handover.handing_unit,
            handover.handing_officers,
            languages,
            handover.completed_at or handover.scheduled_at,
        ),
        "receiving": _side(
            handover.receiving_office,
            handover.receiving_unit,
            handover.receiving_officers,
            languages,
            handover.completed_at or handover.scheduled_at,
        ),
        "interpreter": {"name": handover.interpreter, "romanised": romanise(handover.interpreter)}
        if handover.interpreter
        else None,
        "witnesses": handover.witnesses or [],
        "transport": handover.transport,
        "people": [
            _person(person, ours.get(person.id, ())) for person in listed if person.handed_over
        ],
        "not_on_list": [_flagged(p) for p in handover.people if not p.on_list],
        "missing_from_list": [_flagged(p) for p in listed if not p.handed_over],
        "notes": handover.notes,
        "url": record_url(handover),
        "labels": labels,
    }
