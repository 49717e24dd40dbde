"""What each audit code means to a reader: a sentence, the record it names, its details.

Every feature writes entries as ``record("<feature>.<verb>", actor=…, target=…, details=…)``.
This module turns them back into something a supervisor reads: "ສົມໃຈ viewed case
VT-LS-2026-0001." with a link to the case, the details as labelled fields, and where the
action came from. A code without a sentence here still reads (a generic sentence naming the
code): tests/audit/test_actions.py fails when a ``record("…")`` in the code base has none.

Links are built from endpoint *names* (``url_for`` at render time), so this low layer
imports no feature above it. Whether the reader may open a record is asked of the feature
that owns it through the ``RECORD_ACCESS`` hook (see :func:`record_access`); a record no
rule lets the reader open is named without a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, url_for
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.routing import BuildError

from coordination.core.formatting import date_text, datetime_text
from coordination.core.panels import hooks
from coordination.core.validation import parse_id
from coordination.extensions import db
from coordination.i18n import L_, _

# The hook whose functions say whether a reader may open a record named in the log:
# ``function(user, table, record_id) -> bool | None`` (None: not my kind of record).
RECORD_ACCESS = "audit.record_access"


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


def record_access(table: str, model, policy: Callable) -> Callable:
    """A RECORD_ACCESS function for one table: the reader may open a record of ``table`` if
    ``policy(user, record)`` says so. Register it in the owning feature's setup::

        register_hook(RECORD_ACCESS, record_access("cases", Case, can_view_case), app)
    """

    def may_open(user, asked_table: str, record_id: int) -> bool | None:
        if asked_table != table:
            return None
        found = db.session.get(model, record_id)
        return found is not None and bool(policy(user, found))

    return may_open


def reference_for(table: str, reference: str) -> int | None:
    """The id of the record of ``table`` whose number/code/user name is ``reference``."""
    kind = record_kinds().get(table)
    found_table = db.metadata.tables.get(table)
    if kind is None or kind.reference is None or found_table is None:
        return None
    column = found_table.c[kind.reference]
    return db.session.scalar(
        select(found_table.c.id).where(column == reference[: column.type.length or 200]).limit(1)
    )


@dataclass(frozen=True)
class Piece:
    """A piece of a rendered entry: text, linked when the reader may open what it names."""

    text: str
    url: str | None = None

    def html(self) -> Markup:
        if self.url:
            return Markup('<a href="{}">{}</a>').format(self.url, self.text)
        return escape(self.text)


@dataclass
class Shown:
    """One entry as the reader sees it."""

    entry: object
    sentence: Markup
    sentence_text: str
    record: Piece | None
    details: list[tuple[str, Markup, str]] = field(default_factory=list)  # label, html, text
    origin: str = ""
    actor: Piece | None = None


class Reader:
    """Renders entries for one reader; looks up the records they name in a few queries."""

    MAX_LINKS = 20  # ids listed in one detail before "and N more"

    def __init__(self, user, locale: str = "vi"):
        self.user = user
        self.locale = locale
        self._known: dict[tuple[str, int], str | None] = {}  # (table, id) -> reference
        self._access: dict[tuple[str, int], bool] = {}

    # Lookups -------------------------------------------------------------------------

    def _wanted(self, entries: Iterable) -> dict[str, set[int]]:
        wanted: dict[str, set[int]] = {}

        def want(table, value):
            if table in record_kinds() and isinstance(value, int) and parse_id(value) is not None:
                wanted.setdefault(table, set()).add(value)

        for entry in entries:
            want(entry.target_type, entry.target_id)
            want("users", entry.actor_id)
            details = entry.details if isinstance(entry.details, dict) else {}
            for key, table in _whole().detail_records.items():
                value = details.get(key)
                for item in value if isinstance(value, list) else [value]:
                    for one in item if isinstance(item, list) else [item]:
                        want(table, one)
            if details.get("record_kind") in MATCH_RECORD_KINDS:
                want(MATCH_RECORD_KINDS[details["record_kind"]], details.get("record_id"))
            for key in RECORD_PAIR_KEYS:
                pairs = details.get(key)
                for pair in pairs if isinstance(pairs, list) else []:
                    if isinstance(pair, list) and len(pair) == 2 and pair[0] in MATCH_RECORD_KINDS:
                        want(MATCH_RECORD_KINDS[pair[0]], pair[1])
        return wanted

    def load(self, entries: Iterable) -> None:
        """Which of the records the entries name still exist, and their references."""
        for table, ids in self._wanted(entries).items():
            ids -= {key[1] for key in self._known if key[0] == table}
            found_table = db.metadata.tables.get(table)
            if not ids or found_table is None:
                continue
            kind = record_kinds()[table]
            columns = [found_table.c.id]
            name_column = f"name_{self.locale}"
            if kind.named and name_column in found_table.c:
                columns.append(found_table.c[name_column])
            elif kind.reference:
                columns.append(found_table.c[kind.reference])
            ids = sorted(ids)
            for start in range(0, len(ids), 500):
                rows = db.session.execute(
                    select(*columns).where(found_table.c.id.in_(ids[start : start + 500]))
                ).all()
                for row in rows:
                    self._known[(table, row[0])] = str(row[1]) if len(row) > 1 else None
            for record_id in ids:
                self._known.setdefault((table, record_id), _DELETED)

    def _may_open(self, table: str, record_id: int) -> bool:
        key = (table, record_id)
        if key not in self._access:
            allowed = False
            for function in hooks(RECORD_ACCESS):
                answer = function(self.user, table, record_id)
                if answer is not None:
                    allowed = bool(answer)
                    break
            self._access[key] = allowed
        return self._access[key]

    def record(self, table: str | None, record_id) -> Piece | None:
        """A record named in an entry: "case VT-2026-0001" (linked), "person #12 (deleted)"."""
        if not table:
            return None
        kind = record_kinds().get(table)
        if parse_id(record_id) is None or isinstance(record_id, bool | str):
            label = _("%(kind)s (no single record)", kind=_kind_name(table))
            return Piece(label)
        if kind is None:
            return Piece(_("record %(kind)s #%(id)s", kind=table, id=record_id))
        if (table, record_id) not in self._known:
            self.load([_Named(table, record_id)])
        reference = self._known.get((table, record_id))
        deleted = reference is _DELETED
        ref = reference if reference and not deleted else f"#{record_id}"
        text = _fill(str(kind.label), {"ref": ref})
        if deleted:
            return Piece(_("%(record)s (deleted since)", record=text))
        url = kind.url(record_id) if self._may_open(table, record_id) else None
        return Piece(text, url)

    # Rendering -----------------------------------------------------------------------

    def actor(self, entry) -> Piece:
        name = entry.actor_name or (entry.actor.username if entry.actor is not None else None)
        if not name:
            return Piece(_("The system"))
        if entry.actor_id is None:
            return Piece(name)
        piece = self.record("users", entry.actor_id)
        return Piece(name, piece.url if piece else None)

    def show(self, entry) -> Shown:
        action = all_actions().get(entry.action)
        actor = self.actor(entry)
        target = self.record(entry.target_type, entry.target_id)
        no_record = Piece(_("no record"))
        values_text = {"actor": actor.text, "record": (target or no_record).text}
        values_html = {"actor": actor.html(), "record": (target or no_record).html()}
        values_text["code"] = values_html["code"] = entry.action
        template = None
        if action is not None:
            template = str(action.sentence)
        elif target is not None:
            template = str(GENERIC_WITH_RECORD)
        else:
            template = str(GENERIC)
        sentence_text = _fill(template, values_text)
        sentence_html = _fill_html(template, values_html)
        details = self.details(entry, diff=bool(action and action.diff))
        return Shown(
            entry=entry,
            sentence=sentence_html,
            sentence_text=sentence_text,
            record=target,
            details=details,
            origin=origin_text(entry),
            actor=actor,
        )

    def details(self, entry, *, diff: bool = False) -> list[tuple[str, Markup, str]]:
        details = entry.details if isinstance(entry.details, dict) else {}
        shown = []
        for key, value in details.items():
            if diff and isinstance(value, list) and len(value) == 2:
                before = self.value(key, value[0], details)
                after = self.value(key, value[1], details)
                html = Markup("{} → {}").format(_html(before), _html(after))
                text = f"{_text(before)} → {_text(after)}"
            else:
                rendered = self.value(key, value, details)
                html, text = _html(rendered), _text(rendered)
            shown.append((detail_label(key), html, text))
        return shown

    def value(self, key: str, value, details: dict) -> list[Piece]:
        """A detail's value as pieces (joined by commas)."""
        detail_records = _whole().detail_records
        if key in detail_records and value is not None:
            items = value if isinstance(value, list) else [value]
            if all(isinstance(item, int) and not isinstance(item, bool) for item in items):
                return self._records(detail_records[key], items)
        kind = details.get("record_kind")
        if key == "record_id" and kind in MATCH_RECORD_KINDS and isinstance(value, int):
            return [self.record(MATCH_RECORD_KINDS[details["record_kind"]], value)]
        if key in RECORD_PAIR_KEYS and isinstance(value, list):
            pieces = []
            for pair in value[: self.MAX_LINKS]:
                if isinstance(pair, list) and len(pair) == 2 and pair[0] in MATCH_RECORD_KINDS:
                    pieces.append(self.record(MATCH_RECORD_KINDS[pair[0]], pair[1]))
                else:
                    pieces.append(Piece(plain_value(pair)))
            return pieces + _more(len(value) - self.MAX_LINKS)
        if key == "filters" and isinstance(value, dict):
            return self._filters(value)
        if key in ("fields", "shared_fields") and isinstance(value, list):
            return [Piece(", ".join(detail_label(str(name)) for name in value))]
        labels = value_labels(key)
        if isinstance(value, str) and value in labels:
            return [Piece(str(labels[value]))]
        if key == "record_kind" and value in MATCH_RECORD_KINDS:
            return [Piece(_kind_name(MATCH_RECORD_KINDS[value]))]
        return [Piece(plain_value(value))]

    def _filters(self, filters: dict) -> list[Piece]:
        """An export's filters as the reader chose them: "Action: All: Cases and people"."""
        pieces = []
        for name, raw in filters.items():
            shown = [Piece(plain_value(raw))]
            if name == "action" and isinstance(raw, str):
                group = next((g for g in all_groups() if raw == f"group:{g.name}"), None)
                label = _("All: %(group)s", group=group.label) if group else action_label(raw)
                shown = [Piece(label)]
            elif name == "office" and parse_id(raw) is not None:
                shown = [self.record("offices", parse_id(raw))]
            elif name == "record_type" and raw in kind_names():
                shown = [Piece(_kind_name(raw))]
            label = _("%(label)s:", label=detail_label(name))
            pieces.append(Piece(f"{label} {_text(shown)}", shown[0].url))
        return pieces

    def _records(self, table: str, ids: list[int]) -> list[Piece]:
        pieces = [self.record(table, record_id) for record_id in ids[: self.MAX_LINKS]]
        return pieces + _more(len(ids) - self.MAX_LINKS)


class _Named:
    """Stands for an entry naming one record (Reader.load takes entries)."""

    def __init__(self, table, record_id):
        self.target_type, self.target_id = table, record_id
        self.actor_id, self.details = None, {}


_DELETED = "\x00deleted"


def _more(count: int) -> list[Piece]:
    return [Piece(_("and %(count)d more", count=count))] if count > 0 else []


def _html(pieces: list[Piece]) -> Markup:
    return Markup(", ").join(piece.html() for piece in pieces)


def _text(pieces: list[Piece]) -> str:
    return ", ".join(piece.text for piece in pieces)


def _kind_name(table: str) -> str:
    names = kind_names()
    return str(names[table]) if table in names else table


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

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _fill(template: str, values: dict) -> str:
    """``template % values``, tolerant of a translation that drops or misspells a name."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def _fill_html(template: str, values: dict) -> Markup:
    parts = _PLACEHOLDER.split(template)
    out = Markup()
    for index, part in enumerate(parts):
        if index % 2:
            out += values[part] if part in values else escape(f"%({part})s")
        else:
            out += escape(part)
    return out


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def plain_value(value) -> str:
    """A stored detail value as text: any script as it is, lists and mappings readable."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(plain_value(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(str(k))}: {plain_value(v)}" for k, v in value.items())
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return datetime_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return date_text(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


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


def origin_text(entry) -> str:
    """Where the action came from: an address and browser, or a command or job."""
    from coordination.auth.devices import device_label  # a sibling feature

    if entry.ip_address:
        if entry.user_agent:
            return _(
                "%(address)s, %(device)s",
                address=entry.ip_address,
                device=device_label(entry.user_agent),
            )
        return entry.ip_address
    if entry.user_agent:
        return _("Command or scheduled job: %(name)s", name=entry.user_agent)
    return _("Not recorded")
