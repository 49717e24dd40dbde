"""The audit log's filters (query string), validated like any form."""

from __future__ import annotations

from datetime import date

import marshmallow as ma
from marshmallow import ValidationError, fields

from coordination.audit.actions import all_actions, all_groups, record_kinds
from coordination.core.validation import Id, Schema, Text, _OptionalWhenEmpty
from coordination.i18n import _

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class FilterDate(_OptionalWhenEmpty, fields.Date):
    """A day typed in an ``<input type="date">``, 2000 to 2100."""

    default_error_messages = {"invalid": "Not a valid date."}

    def _read(self, day):
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(_("Enter a date between 2000 and 2100."))
        return day


class AuditFilters(Schema):
    who = Text(max_length=64)
    office = Id()
    action = fields.String(allow_none=True)
    record_type = fields.String(allow_none=True)
    record = Text(max_length=64)
    date_from = FilterDate()
    date_to = FilterDate()

    @ma.validates("action")
    def _known_action(self, value, **_kwargs):
        known = {*all_actions(), *(f"group:{group.name}" for group in all_groups())}
        if value and value.strip() and value.strip() not in known:
            raise ValidationError(_("Choose one of the listed options."))

    @ma.validates("record_type")
    def _known_kind(self, value, **_kwargs):
        if value and value.strip() and value.strip() not in record_kinds():
            raise ValidationError(_("Choose one of the listed options."))

    @ma.post_load
    def _clean(self, data, **_kwargs):
        for name in ("action", "record_type"):
            data[name] = (data.get(name) or "").strip() or None
        return data

    @ma.validates_schema(skip_on_field_errors=False)
    def _consistent(self, data, **_kwargs):
        if data.get("record") and not (data.get("record_type") or "").strip():
            raise ValidationError(
                _("Choose the kind of record the number or reference belongs to."), "record_type"
            )
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The end of the period is before its start."), "date_to")
