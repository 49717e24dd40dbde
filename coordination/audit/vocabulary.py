"""The audit log's vocabulary: what each action code says, the kinds of record it names,
the labels of its details, and what features above this layer add to them.

Built-in actions and records are listed here; a feature adds its own through the
``VOCABULARY_HOOK`` (a :class:`Vocabulary`, registered in its setup), so that this low layer
imports no feature above it. The whole vocabulary is gathered once per app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, url_for
from werkzeug.routing import BuildError

from coordination.core.panels import hooks
from coordination.i18n import L_

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _fill(template: str, values: dict) -> str:
    """``template % values``, tolerant of a translation that drops or misspells a name."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


@dataclass(frozen=True)
class Action:
    code: str
    sentence: object  # a lazy string with %(actor)s and, where it names one, %(record)s
    diff: bool = False  # details are {field: [before, after]}


@dataclass(frozen=True)
class Group:
    name: str
    label: object
    actions: tuple[Action, ...]


def _group(name: str, label, *actions: Action) -> Group:
    return Group(name, label, actions)


_GROUPS: tuple[Group, ...] = (
    _group(
        "sign_in",
        L_("Sign-in and sessions"),
        Action("auth.login", L_("%(actor)s signed in.")),
        Action("auth.login_failed", L_("A sign-in as %(actor)s failed.")),
        Action(
            "auth.throttled",
            L_("Sign-in as %(actor)s was paused after repeated failed attempts."),
        ),
        Action("auth.logout", L_("%(actor)s signed out.")),
        Action("auth.session_end", L_("%(actor)s ended a session of %(record)s.")),
        Action("api_token.create", L_("%(actor)s created an API token for %(record)s.")),
        Action("api_token.revoke", L_("%(actor)s revoked an API token of %(record)s.")),
        Action(
            "calendar_feed.create", L_("%(actor)s created a calendar feed link for %(record)s.")
        ),
        Action(
            "calendar_feed.revoke", L_("%(actor)s revoked the calendar feed links of %(record)s.")
        ),
    ),
    _group(
        "users",
        L_("User accounts"),
        Action("user.create", L_("%(actor)s created %(record)s.")),
        Action("user.update", L_("%(actor)s changed %(record)s."), diff=True),
        Action("user.preferences", L_("%(actor)s changed the preferences of %(record)s."), True),
        Action("user.password_change", L_("%(actor)s changed the password of %(record)s.")),
        Action("user.password_reset", L_("%(actor)s reset the password of %(record)s.")),
        Action("user.unlock", L_("%(actor)s lifted the sign-in pause of %(record)s.")),
        Action("user.sign_out_everywhere", L_("%(actor)s signed %(record)s out everywhere.")),
    ),
    _group(
        "cases",
        L_("Cases and people"),
        Action("case.create", L_("%(actor)s opened %(record)s.")),
        Action("case.update", L_("%(actor)s changed %(record)s."), diff=True),
        Action("case.view", L_("%(actor)s viewed %(record)s.")),
        Action("case.export", L_("%(actor)s downloaded the case file of %(record)s.")),
        Action("event.create", L_("%(actor)s added an event to %(record)s.")),
        Action("person.create", L_("%(actor)s added %(record)s.")),
        Action("person.update", L_("%(actor)s changed %(record)s.")),
        Action("person.view", L_("%(actor)s viewed %(record)s.")),
        Action("person.photo", L_("%(actor)s set the photo of %(record)s.")),
        Action("person.not_a_child", L_("%(actor)s recorded that %(record)s is not a child.")),
        Action("person.search", L_("%(actor)s searched the records of people.")),
        Action("document.upload", L_("%(actor)s added a file to %(record)s.")),
        Action("document.download", L_("%(actor)s opened %(record)s.")),
    ),
    _group(
        "missing",
        L_("Missing-person register"),
        Action("missing_report.create", L_("%(actor)s filed %(record)s.")),
        Action("missing_report.update", L_("%(actor)s changed %(record)s.")),
        Action("missing_report.view", L_("%(actor)s viewed %(record)s.")),
        Action("missing_report.close", L_("%(actor)s closed %(record)s.")),
    ),
    _group(
        "requests",
        L_("Requests"),
        Action("request.create", L_("%(actor)s drafted %(record)s.")),
        Action("request.send", L_("%(actor)s sent %(record)s.")),
        Action("request.view", L_("%(actor)s viewed %(record)s.")),
        Action("request.acknowledge", L_("%(actor)s acknowledged %(record)s.")),
        Action("request.reply", L_("%(actor)s answered %(record)s.")),
        Action("request.ask_back", L_("%(actor)s asked for more information on %(record)s.")),
        Action("request.supplement", L_("%(actor)s gave more information on %(record)s.")),
        Action("request.decline", L_("%(actor)s declined %(record)s.")),
        Action("request.withdraw", L_("%(actor)s withdrew %(record)s.")),
        Action("request.reopen", L_("%(actor)s reopened %(record)s.")),
        Action("request.close", L_("%(actor)s closed %(record)s.")),
    ),
    _group(
        "matching",
        L_("Identity verification"),
        Action(
            "match.candidates_shown",
            L_("%(actor)s was shown possible matches for the people of %(record)s."),
        ),
        Action("match.confirmed", L_("%(actor)s confirmed a match for %(record)s.")),
        Action("match.rejected", L_("%(actor)s ruled out a possible match for %(record)s.")),
    ),
    _group(
        "handovers",
        L_("Handovers"),
        Action("handover.schedule", L_("%(actor)s scheduled %(record)s.")),
        Action("handover.reschedule", L_("%(actor)s rescheduled %(record)s.")),
        Action("handover.scheduled", L_("%(actor)s scheduled %(record)s again.")),
        Action("handover.postponed", L_("%(actor)s postponed %(record)s.")),
        Action("handover.cancelled", L_("%(actor)s cancelled %(record)s.")),
        Action("handover.completed", L_("%(actor)s recorded %(record)s as completed.")),
        Action("handover.log", L_("%(actor)s recorded what happened at %(record)s.")),
        Action("handover.view", L_("%(actor)s viewed %(record)s.")),
        Action("handover.day_view", L_("%(actor)s viewed the day's handovers.")),
        Action("handover_record.issue", L_("%(actor)s issued the handover record of %(record)s.")),
        Action(
            "handover_record.download",
            L_("%(actor)s downloaded the handover record of %(record)s."),
        ),
    ),
    _group(
        "directory",
        L_("Directory and reference data"),
        Action("office.create", L_("%(actor)s created %(record)s.")),
        Action("office.update", L_("%(actor)s changed %(record)s."), diff=True),
        Action(
            "office.reminders",
            L_("%(actor)s changed the reminder settings of %(record)s."),
            diff=True,
        ),
        Action("area.create", L_("%(actor)s created %(record)s.")),
        Action("area.update", L_("%(actor)s changed %(record)s."), diff=True),
        Action("border_gate.create", L_("%(actor)s created %(record)s.")),
        Action("border_gate.update", L_("%(actor)s changed %(record)s."), diff=True),
        Action("partnership.create", L_("%(actor)s created %(record)s.")),
        Action("partnership.update", L_("%(actor)s changed %(record)s."), diff=True),
        Action("reference_data.load", L_("%(actor)s loaded the places and border gates.")),
        Action("reference_data.update", L_("%(actor)s updated the places and border gates.")),
    ),
    _group(
        "audit",
        L_("Audit log"),
        Action("audit.export", L_("%(actor)s exported entries of the audit log.")),
    ),
)


# --- What features add ----------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """What a feature above this layer adds to the log's vocabulary: its actions (in groups
    of the filter), its kinds of record, details naming records, and labels of details.
    Registered in the feature's setup: ``register_hook(VOCABULARY_HOOK, lambda: Vocabulary(…))``.
    """

    groups: tuple[Group, ...] = ()
    record_kinds: tuple = ()  # RecordKind
    kind_names: dict = field(default_factory=dict)  # table -> plural name, "meetings"
    detail_records: dict = field(default_factory=dict)  # detail key -> table
    detail_labels: dict = field(default_factory=dict)  # detail key -> label


VOCABULARY_HOOK = "audit.vocabulary"


@dataclass(frozen=True)
class _Whole:
    groups: tuple[Group, ...]
    actions: dict[str, Action]
    record_kinds: dict
    kind_names: dict
    detail_records: dict
    detail_labels: dict


def _whole() -> _Whole:
    """The built-in vocabulary and every feature's, gathered once per app."""
    found = current_app.extensions.get("audit.vocabulary")
    if found is None:
        added = [provide() for provide in hooks(VOCABULARY_HOOK)]
        groups = _GROUPS + tuple(group for more in added for group in more.groups)
        kinds = dict(_RECORD_KINDS)
        names, records, labels = dict(_KIND_NAMES), dict(_DETAIL_RECORDS), dict(DETAIL_LABELS)
        for more in added:
            kinds.update((kind.table, kind) for kind in more.record_kinds)
            names.update(more.kind_names)
            records.update(more.detail_records)
            labels.update(more.detail_labels)
        found = _Whole(
            groups,
            {action.code: action for group in groups for action in group.actions},
            kinds,
            names,
            records,
            labels,
        )
        current_app.extensions["audit.vocabulary"] = found
    return found


def all_groups() -> tuple[Group, ...]:
    return _whole().groups


def all_actions() -> dict[str, Action]:
    return _whole().actions


def record_kinds() -> dict:
    """table -> RecordKind, for every kind of record the log can name."""
    return _whole().record_kinds


def kind_names() -> dict:
    return _whole().kind_names


GENERIC_WITH_RECORD = L_("%(actor)s: action “%(code)s” on %(record)s.")
GENERIC = L_("%(actor)s: action “%(code)s”.")


def action_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """For the filter's select: (group value, group label, [(code, label)…]) per group; the
    group value ("group:cases") picks every action of the group."""
    return [
        (
            f"group:{group.name}",
            str(group.label),
            [(action.code, action_label(action.code)) for action in group.actions],
        )
        for group in all_groups()
    ]


def action_label(code: str) -> str:
    """A short name for a code in a list: its sentence with "…" for the people and record."""
    action = all_actions().get(code)
    if action is None:
        return code
    return _fill(str(action.sentence), {"actor": "…", "record": "…", "code": code}).rstrip(".")


def codes_for(choice: str) -> list[str] | None:
    """The codes a filter value stands for, or None if it is not one of ours."""
    if choice.startswith("group:"):
        for group in all_groups():
            if choice == f"group:{group.name}":
                return [action.code for action in group.actions]
        return None
    return [choice] if choice in all_actions() else None


# --- Records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """How a record of ``table`` is named and reached."""

    table: str
    label: object  # L_ with %(ref)s: the record's number, code or #id
    endpoint: str | None = None
    argument: str | None = None
    reference: str | None = None  # a column with a human reference (number, user name…)
    named: bool = False  # the table has name_vi, name_lo… columns: show the reader's name

    def url(self, record_id: int) -> str | None:
        if not self.endpoint:
            return None
        try:
            return url_for(self.endpoint, **{self.argument: record_id})
        except BuildError:  # the feature is not installed in this app
            return None


_RECORD_KINDS: dict[str, RecordKind] = {
    kind.table: kind
    for kind in (
        RecordKind("users", L_("user account %(ref)s"), "users.detail", "user_id", "username"),
        RecordKind(
            "offices", L_("office %(ref)s"), "directory.office", "office_id", "code", named=True
        ),
        RecordKind(
            "administrative_areas",
            L_("place %(ref)s"),
            "directory.area",
            "area_id",
            "code",
            named=True,
        ),
        RecordKind(
            "border_gates",
            L_("border gate %(ref)s"),
            "directory.edit_gate",
            "gate_id",
            "code",
            named=True,
        ),
        RecordKind(
            "partnerships", L_("partnership %(ref)s"), "directory.partnership", "partnership_id"
        ),
        RecordKind("cases", L_("case %(ref)s"), "cases.detail", "case_id", "number"),
        RecordKind("people", L_("person %(ref)s"), "cases.person", "person_id"),
        RecordKind(
            "missing_person_reports",
            L_("missing-person report %(ref)s"),
            "missing.detail",
            "report_id",
        ),
        RecordKind("documents", L_("file %(ref)s"), "documents.download", "document_id"),
        RecordKind("requests", L_("request %(ref)s"), "exchange.detail", "request_id", "reference"),
        RecordKind("handovers", L_("handover %(ref)s"), "handovers.detail", "handover_id"),
    )
}
# Details whose values are ids of records: key -> table.
_DETAIL_RECORDS = {
    "people": "people",
    "document": "documents",
    "replaced": "documents",
    "handovers": "handovers",
    "office_id": "offices",
    "area_id": "administrative_areas",
    "parent_id": "administrative_areas",
    "vietnam_area_id": "administrative_areas",
    "partner_area_id": "administrative_areas",
}
# record_kind values of matching's details -> table.
MATCH_RECORD_KINDS = {"person": "people", "missing": "missing_person_reports"}
# Details holding [kind, id] pairs: the candidates a matcher showed, the people a search found.
RECORD_PAIR_KEYS = ("records", "found")


_KIND_NAMES = {
    "users": L_("user accounts"),
    "offices": L_("offices"),
    "administrative_areas": L_("places"),
    "border_gates": L_("border gates"),
    "partnerships": L_("partnerships"),
    "cases": L_("cases"),
    "people": L_("people in cases"),
    "missing_person_reports": L_("missing-person reports"),
    "documents": L_("files"),
    "requests": L_("requests"),
    "handovers": L_("handovers"),
}


def detail_label(key: str) -> str:
    label = _whole().detail_labels.get(key)
    return str(label) if label is not None else key.replace("_", " ")


DETAIL_LABELS = {
    # sign-in and sessions
    "reason": L_("Reason"),
    "failures": L_("Failed attempts"),
    "until": L_("Paused until"),
    "known_device": L_("From a device used before"),
    "address": L_("IP address"),
    "session": L_("Session"),
    "sessions": L_("Sessions ended"),
    "sessions_ended": L_("Sessions ended"),
    "others": L_("Other sessions ended"),
    "device": L_("Device"),
    "token": L_("Token (first characters)"),
    "revoked": L_("Earlier links revoked"),
    "cleared": L_("Pauses lifted for"),
    # user accounts
    "username": L_("User name"),
    "full_name": L_("Full name"),
    "email": L_("E-mail"),
    "office_id": L_("Office"),
    "locale": L_("Language"),
    "timezone": L_("Time zone"),
    "deadline_reminder_hours": L_("Reminder before a reply deadline (hours)"),
    "event_reminder_days": L_("Reminder before a meeting or patrol (days)"),
    "event_reminder_hours": L_("Reminder before a meeting or patrol (hours)"),
    "roles": L_("Roles"),
    "is_enabled": L_("Active"),
    # cases, people, files
    "number": L_("Number"),
    "case": L_("Case"),
    "people": L_("People"),
    "kind": L_("Kind"),
    "status": L_("Status"),
    "fields": L_("Fields changed"),
    "document": L_("File"),
    "replaced": L_("Replaces file"),
    "name": L_("Name"),
    "title": L_("Title"),
    "summary": L_("Summary"),
    "opened_on": L_("Opened on"),
    "role": L_("Role in the case"),
    "name_as_written": L_("Name as written"),
    "name_romanised": L_("Name in Latin letters"),
    "sex": L_("Sex"),
    "date_of_birth": L_("Date of birth"),
    "estimated_age": L_("Estimated age"),
    "nationality": L_("Nationality"),
    "relatives_contacts": L_("Relatives' contacts"),
    "guardian": L_("Guardian"),
    "flagged_child": L_("Child"),
    "home_address": L_("Home address"),
    "missing_since": L_("Missing since"),
    "last_seen_place": L_("Last seen at"),
    "last_seen_with": L_("Last seen with"),
    "reporter_name": L_("Reported by"),
    "reporter_contact": L_("Reporter's contact"),
    "query": L_("Searched for"),
    "found": L_("Records found"),
    # requests, matching, handovers
    "recipient": L_("Sent to"),
    "shared_fields": L_("Details shared"),
    "reference": L_("Reference"),
    "state": L_("State"),
    "request": L_("Request"),
    "request_person": L_("Person asked about (in the request)"),
    "record_kind": L_("Kind of record"),
    "record_id": L_("Record"),
    "records": L_("Records shown"),
    "score": L_("Score"),
    "handovers": L_("Handovers"),
    "version": L_("Version"),
    "sha256": L_("Fingerprint (SHA-256)"),
    # directory and reference data
    "code": L_("Code"),
    "area_id": L_("Place"),
    "parent_id": L_("Part of"),
    "vietnam_area_id": L_("Vietnamese side"),
    "partner_area_id": L_("Partner side"),
    "phone": L_("Phone"),
    "active": L_("In use"),
    "name_vi": L_("Name in Vietnamese"),
    "name_lo": L_("Name in Lao"),
    "name_zh": L_("Name in Chinese"),
    "name_en": L_("Name in English"),
    "names_reviewed": L_("Names checked"),
    "offices": L_("Offices"),
    "working_languages": L_("Working languages"),
    "notes": L_("Notes"),
    "deadlines": L_("Deadlines (days)"),
    "scope": L_("Scope"),
    "versions": L_("Versions"),
    "renamed_codes": L_("Codes renamed"),
    "abolished_codes": L_("Codes abolished"),
    # the audit log's own export
    "filters": L_("Filters"),
    "count": L_("Entries"),
    "who": L_("Person"),
    "office": L_("Office"),
    "action": L_("Action"),
    "record_type": L_("Kind of record"),
    "record": L_("Record"),
    "date_from": L_("From date"),
    "date_to": L_("To date"),
}
VALUE_LABELS = {
    "reason": {
        "unknown_user": L_("no user of that name"),
        "wrong_password": L_("wrong password"),
        "throttled": L_("too many attempts: sign-in paused"),
        "deactivated": L_("account deactivated"),
    },
}


# Features above the audit layer name their own coded values (a request's state):
# register_hook(VALUE_LABELS_HOOK, lambda: {"state": {"answered": L_("Answered"), …}}).
VALUE_LABELS_HOOK = "audit.value_labels"


def value_labels(key: str) -> dict:
    """Readable labels of the coded values a detail ``key`` holds, from every feature."""
    found = dict(VALUE_LABELS.get(key, {}))
    for provide in hooks(VALUE_LABELS_HOOK):
        found.update(provide().get(key, {}))
    return found
