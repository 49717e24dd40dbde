"""The support history of a person as a snapshot: every value and label frozen, in the
reader's language, for the pure renderer (history_pdf.render_history)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from coordination.core.formatting import day_text, moment_text
from coordination.i18n import _

FORMAT = 1


def _day(value: date | None, locale: str) -> str:
    return day_text(value, locale) if value else ""


def _span(start: date | None, end: date | None, locale: str) -> str:
    return " – ".join(filter(None, (_day(start, locale), _day(end, locale))))


def _cost(service, locale: str) -> str:
    if not service.cost:
        return ""
    return f"{format_decimal(service.cost, locale=locale)} {service.currency or ''}".strip()


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def build_history(referral, *, locale: str, zone: str, sensitive: bool) -> dict:
    """The snapshot of ``referral``'s file as the reader may see it (``sensitive``: with
    the counselling and health notes)."""
    tz = ZoneInfo(zone)

    def moment(value: datetime | None) -> str:
        return moment_text(value, locale, tz) if value else ""

    intake = referral.intake
    facts = [
        (_("Name"), referral.display_name),
        (_("Centre"), referral.centre_office.name_in(locale)),
        (_("Referring office"), referral.from_office.name_in(locale)),
        (_("Referred on"), moment(referral.referred_at)),
        (_("Stage"), referral.stage_label),
        (_("Child"), _yes_no(referral.child)),
        (_("Went home on"), _day(referral.home_on, locale)),
        (_("Closed on"), _day(referral.closed_on, locale)),
    ]
    intake_rows = []
    if intake is not None:
        intake_rows = [
            (_("Arrival date"), _day(intake.arrived_on, locale)),
            (_("Safety and re-trafficking risk"), intake.safety_risk_label or ""),
            (_("Safety note"), intake.safety_note or ""),
            (_("Family situation"), intake.family_situation or ""),
            (_("Education"), intake.education or ""),
            (_("Skills"), intake.skills or ""),
            (_("Income"), intake.income or ""),
            (_("Consent to services"), _yes_no(intake.consent_services)),
            (_("Consent to sharing information"), _yes_no(intake.consent_sharing)),
            (_("Consent withdrawn on"), moment(intake.consent_withdrawn_at)),
        ]
        if referral.child:
            intake_rows += [
                (_("Guardian or relative"), intake.guardian or ""),
                (_("School status"), intake.school_status or ""),
                (_("Legal representative"), intake.legal_representative or ""),
                (_("Best-interests note"), intake.best_interests_note or ""),
            ]
        if sensitive:
            intake_rows += [
                (_("Health"), intake.health or ""),
                (_("Psychological state"), intake.psychological or ""),
                (_("Counselling note"), intake.counselling_note or ""),
            ]
    services = [
        {
            "type": service.type_label,
            "provider": service.provider or "",
            "planned": " – ".join(
                filter(
                    None, (_day(service.planned_start, locale), _day(service.planned_end, locale))
                )
            ),
            "actual": _span(service.actual_start, service.actual_end, locale),
            "cost": _cost(service, locale),
            "delivered": _yes_no(service.delivered),
            "outcome": " ".join(
                filter(
                    None,
                    (
                        service.outcome,
                        _("Referred to: %(provider)s", provider=service.referred_to)
                        if service.referred_to
                        else None,
                        _("Extension: %(decision)s", decision=service.extension_decision)
                        if service.extension_decision
                        else None,
                    ),
                )
            ),
        }
        for service in referral.services
    ]
    visits = [
        {
            "due": _day(visit.due_on, locale),
            "done": _day(visit.visited_on, locale),
            "method": visit.method_label or "",
            "risk": visit.safety_risk_label or "",
            "notes": " ".join(
                filter(
                    None,
                    (
                        visit.housing,
                        visit.income,
                        visit.stigma,
                        visit.legal_proceedings,
                        visit.note,
                        visit.health if sensitive else None,
                    ),
                )
            ),
        }
        for visit in referral.visits
    ]
    closures = [
        {
            "reason": closure.reason_label,
            "state": closure.state_label,
            "requested": moment(closure.requested_at),
            "decided": moment(closure.decided_at),
            "note": " ".join(filter(None, (closure.note, closure.decision_note))),
        }
        for closure in referral.closures
    ]
    return {
        "format": FORMAT,
        "language": locale,
        "title": _("Support history"),
        "header": referral.centre_office.name_in(locale),
        "file": _("File no. %(number)d", number=referral.id),
        "facts": facts,
        "intake_title": _("Intake and needs assessment"),
        "intake": intake_rows,
        "services_title": _("Support services"),
        "services_header": [
            _("Service"),
            _("Provider"),
            _("Planned"),
            _("Carried out"),
            _("Cost"),
            _("Delivered"),
            _("Outcome"),
        ],
        "services": services,
        "visits_title": _("Follow-up visits"),
        "visits_header": [_("Due on"), _("Done on"), _("Method"), _("Risk"), _("Findings")],
        "visits": visits,
        "closures_title": _("Closure"),
        "closures_header": [_("Reason"), _("Decision"), _("Asked on"), _("Decided on"), _("Note")],
        "closures": closures,
        "none": _("None recorded."),
        "page": _("Page %(page)s of %(pages)s", page="{page}", pages="{pages}"),
    }
