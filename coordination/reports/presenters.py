"""How the figures of a report read on screen: section titles, figure labels, the names of
a breakdown's entries, and values (protected counts, rates, hours)."""

from __future__ import annotations

from itertools import groupby

from flask_babel import format_decimal, format_percent

from coordination.cases.models import ExploitationType, Sex
from coordination.contacts.models import Channel, Direction
from coordination.core.formatting import country_name
from coordination.directory.models import RequestKind
from coordination.exchange.models import VerificationResult
from coordination.i18n import L_, _
from coordination.reintegration.models import ServiceType
from coordination.reports.compare import rows

SECTIONS = {
    "cases": L_("Cases"),
    "victims": L_("Victims"),
    "requests": L_("Requests"),
    "verification": L_("Verification"),
    "contacts": L_("Calls and letters"),
    "handovers": L_("Handovers"),
    "reintegration": L_("Reintegration"),
    "patrols": L_("Joint patrols"),
    "meetings": L_("Liaison meetings"),
}

FIGURES = {
    "cases.opened": L_("Cases opened"),
    "cases.closed": L_("Cases closed"),
    "victims.total": L_("Victims in the cases opened"),
    "victims.by_sex": L_("Victims by sex"),
    "victims.by_age": L_("Victims by age group"),
    "victims.by_nationality": L_("Victims by nationality"),
    "victims.by_exploitation": L_("Victims by type of exploitation"),
    "requests.sent.total": L_("Requests sent"),
    "requests.sent.answered": L_("Requests sent and answered"),
    "requests.sent.on_time": L_("Requests sent, answered within the deadline"),
    "requests.sent.on_time_rate": L_("Requests sent: share answered within the deadline"),
    "requests.sent.median_reply_hours": L_("Requests sent: median reply time (hours)"),
    "requests.sent.by_partner_kind": L_("Requests sent, per partner and kind"),
    "requests.sent.answered_by_partner_kind": L_(
        "Requests sent and answered, per partner and kind"
    ),
    "requests.sent.on_time_by_partner_kind": L_(
        "Requests sent, answered within the deadline, per partner and kind"
    ),
    "requests.received.total": L_("Requests received"),
    "requests.received.answered": L_("Requests received and answered"),
    "requests.received.on_time": L_("Requests received, answered within the deadline"),
    "requests.received.on_time_rate": L_("Requests received: share answered within the deadline"),
    "requests.received.median_reply_hours": L_("Requests received: median reply time (hours)"),
    "requests.received.by_partner_kind": L_("Requests received, per partner and kind"),
    "requests.received.answered_by_partner_kind": L_(
        "Requests received and answered, per partner and kind"
    ),
    "requests.received.on_time_by_partner_kind": L_(
        "Requests received, answered within the deadline, per partner and kind"
    ),
    "verification.total": L_("Verification outcomes recorded"),
    "verification.by_outcome": L_("Verification outcomes"),
    "contacts.total": L_("Contacts logged (calls, letters, notes)"),
    "contacts.urgent": L_("Urgent contacts"),
    "contacts.by_channel": L_("Contacts by channel"),
    "contacts.by_direction": L_("Contacts by direction"),
    "contacts.by_partner": L_("Contacts per partner office"),
    "handovers.total": L_("Handovers completed"),
    "handovers.people": L_("People handed over"),
    "handovers.by_gate": L_("Handovers per border gate"),
    "handovers.people_by_gate": L_("People handed over per border gate"),
    "reintegration.people": L_("People in reintegration"),
    "reintegration.services": L_("Services delivered"),
    "reintegration.services_by_type": L_("Services delivered by type"),
    "reintegration.visits_done": L_("Follow-up visits made"),
    "reintegration.visits_missed": L_("Follow-up visits missed"),
    "patrols.held": L_("Joint patrols held"),
    "meetings.held": L_("Liaison meetings held"),
    "meetings.actions_due": L_("Action items due"),
    "meetings.actions_on_time": L_("Action items done on time"),
}

AGE_GROUPS = {
    "under_16": L_("Under 16"),
    "16_17": L_("16–17"),
    "adult": L_("18 and over"),
}


def item_label(group: str, item: str) -> str:
    if item == "unknown":
        return _("Unknown")
    try:
        if group == "by_sex":
            return Sex(item).label
        if group == "by_age":
            return str(AGE_GROUPS[item])
        if group == "by_nationality":
            return country_name(item)
        if group == "by_exploitation":
            return ExploitationType(item).label
        if group == "by_outcome":
            return VerificationResult(item).label
        if group == "services_by_type":
            return ServiceType(item).label
        if group == "by_channel":
            return Channel(item).label
        if group == "by_direction":
            return Direction(item).label
        if group.endswith("by_partner_kind"):
            office, _sep, kind = item.partition("|")
            return f"{office}: {RequestKind(kind).label}"
    except (ValueError, KeyError):
        pass
    return item  # a gate's or office's code


def value_text(key: str, value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value  # "<5", "≥5"
    if key.endswith("_rate"):
        return format_percent(value)
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0")
    return format_decimal(value)


def change_text(key: str, value) -> str:
    if value is None:
        return "—"
    if key.endswith("_rate"):
        text = format_decimal(round(value * 100, 1), format="#,##0.0") + " pp"
    elif isinstance(value, float):
        text = format_decimal(value, format="#,##0.0")
    else:
        text = format_decimal(value)
    return f"+{text}" if value > 0 else text


def table(snapshot: dict, *, protected: bool = True) -> list[dict]:
    """The report's sections, each a list of lines: a figure of its own, or a breakdown's
    heading followed by its entries."""
    sections = []
    for section, section_rows in groupby(
        rows(snapshot, protected=protected), key=lambda r: r["section"]
    ):
        lines, seen_groups = [], set()
        for row in section_rows:
            parent = row["key"].rsplit(".", 1)[0]
            if row["group"]:
                if parent not in seen_groups:
                    seen_groups.add(parent)
                    lines.append({"heading": str(FIGURES.get(parent, parent))})
                label = item_label(row["group"], row["item"])
            else:
                label = str(FIGURES.get(row["key"], row["key"]))
            lines.append(
                {
                    "label": label,
                    "entry": bool(row["group"]),
                    "current": value_text(row["key"], row["current"]),
                    "previous": value_text(row["key"], row["previous"]),
                    "last_year": value_text(row["key"], row["last_year"]),
                    "change_previous": change_text(row["key"], row["change_previous"]),
                    "change_last_year": change_text(row["key"], row["change_last_year"]),
                }
            )
        sections.append({"title": str(SECTIONS.get(section, section)), "lines": lines})
    return sections
