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

from markupsafe import Markup, escape
from sqlalchemy import select

from coordination.audit.vocabulary import (  # noqa: F401 - re-exported for the features
    _PLACEHOLDER,
    GENERIC,
    GENERIC_WITH_RECORD,
    MATCH_RECORD_KINDS,
    RECORD_PAIR_KEYS,
    VALUE_LABELS_HOOK,
    VOCABULARY_HOOK,
    Action,
    Group,
    RecordKind,
    Vocabulary,
    _fill,
    _whole,
    action_choices,
    action_label,
    all_actions,
    all_groups,
    codes_for,
    detail_label,
    kind_names,
    record_kinds,
    value_labels,
)
from coordination.core.formatting import date_text, datetime_text
from coordination.core.panels import hooks
from coordination.core.validation import parse_id
from coordination.extensions import db
from coordination.i18n import _

# The hook whose functions say whether a reader may open a record named in the log:
# ``function(user, table, record_id) -> bool | None`` (None: not my kind of record).
RECORD_ACCESS = "audit.record_access"


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
    # A text that merely looks like a moment (any user can type "9999-12-31T23:59" into a
    # note) is shown as it is when it is not one the reader's zone can hold.
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return datetime_text(datetime.fromisoformat(value))
        except (ValueError, OverflowError):
            return value
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return date_text(date.fromisoformat(value))
        except (ValueError, OverflowError):
            return value
    return str(value)


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
