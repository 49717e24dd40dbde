"""Validation at the edge: a marshmallow base schema and fields that clean text input.

marshmallow's own messages are English; ``translate_errors`` passes every message through
the catalogue, where the strings listed in ``MARSHMALLOW_MESSAGES`` are translated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import marshmallow as ma
from marshmallow import ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from coordination.i18n import L_, N_, _, local_today, select_timezone

# marshmallow's built-in messages, listed so that the extractor puts them in the catalogues.
MARSHMALLOW_MESSAGES = (
    L_("Missing data for required field."),
    L_("Field may not be null."),
    L_("Unknown field."),
    L_("Not a valid string."),
    L_("Not a valid integer."),
    L_("Not a valid number."),
    L_("Not a valid boolean."),
    L_("Not a valid list."),
    L_("Not a valid date."),
    L_("Not a valid datetime."),
    L_("Not a valid email address."),
    L_("Not a valid mapping type."),
    L_("Invalid input type."),
    L_("Invalid value."),
)
# Messages marshmallow fills in with values before we see them ("Must be … 1."): matched
# back to their template, translated, and filled in again.
MARSHMALLOW_TEMPLATES = (
    N_("Must be one of: {choices}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
)


def _template_pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{\w+\})", template)
    pattern = "".join(
        f"(?P<{part[1:-1]}>.+?)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(f"^{pattern}$")


_TEMPLATE_PATTERNS = [(_template_pattern(template), template) for template in MARSHMALLOW_TEMPLATES]


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class Text(fields.String):
    """Single- or multi-line text: NFC, trimmed, no control characters, bounded length.

    An empty value counts as missing: required fields reject it, optional ones become None.
    """

    def __init__(self, *, max_length: int = 200, multiline: bool = False, **kwargs):
        self.max_length = max_length
        self.multiline = multiline
        kwargs.setdefault("allow_none", not kwargs.get("required", False))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(_("The text contains malformed characters.")) from None
        value = unicodedata.normalize("NFC", value)
        allowed_controls = "\n\t" if self.multiline else ""
        # Multi-line text keeps its lines; a single line collapses runs of white space.
        value = value.replace("\r\n", "\n").strip() if self.multiline else " ".join(value.split())
        if any(unicodedata.category(c) == "Cc" and c not in allowed_controls for c in value):
            raise ValidationError(_("The text contains control characters."))
        if not value:
            if self.required:
                raise ValidationError(_("This field is required."))
            return None
        if len(value) > self.max_length:
            raise ValidationError(_("Use at most %(count)d characters.", count=self.max_length))
        return value

    def _validate(self, value):
        if value is not None:  # an empty optional field has nothing to validate
            super()._validate(value)


class Email(Text):
    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Email(error=L_("Enter a valid e-mail address.")))
        super().__init__(max_length=254, **kwargs)


MAX_ID = 2**31 - 1  # the range of an INTEGER column on every supported database


def parse_id(raw) -> int | None:
    """A record id from a query string or form value: the int, or None if ``raw`` cannot be
    one (not plain ASCII digits, or outside 1 … MAX_ID, where no row can be)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1 <= raw <= MAX_ID else None
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    # ASCII digits only ("²".isdigit() is true, int("²") fails); a bounded length first.
    if not raw or len(raw) > 12 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid record ids among submitted values (checkbox lists); others are dropped."""
    return [value for value in map(parse_id, values) if value is not None]


class Int(fields.Integer):
    """A whole number within bounds; an empty optional field means not known."""

    def __init__(self, minimum: int = 0, maximum: int = MAX_ID, error=None, **kwargs):
        kwargs.setdefault("allow_none", not kwargs.get("required", False))
        kwargs.setdefault(
            "validate",
            validate.Range(
                min=minimum,
                max=maximum,
                error=error or L_("Enter a number between {min} and {max}."),
            ),
        )
        super().__init__(strict=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not value.strip():
            if self.required:
                raise ValidationError(_("This field is required."))
            return None
        return super()._deserialize(value, attr, data, **kwargs)

    def _validate(self, value):
        if value is not None:
            super()._validate(value)


class Id(Int):
    """The id of a record chosen from a list."""

    def __init__(self, **kwargs):
        super().__init__(1, MAX_ID, error=L_("Choose one of the listed options."), **kwargs)


class Version(fields.Integer):
    """The version of the record an edit form was loaded with (optimistic locking)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(min=1, max=MAX_ID))
        super().__init__(strict=False, load_default=None, **kwargs)


EARLIEST_DATE = date(1900, 1, 1)


class _OptionalWhenEmpty:
    """An empty form value is "not given": None, or the required message if it must be."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_none", not kwargs.get("required", False))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value in ("", None):
            if self.required:
                raise ValidationError(_("This field is required."))
            return None
        return self._read(super()._deserialize(value, attr, data, **kwargs))


class PastDate(_OptionalWhenEmpty, fields.Date):
    """A date from 1900 up to today (birth dates, event dates): empty means not known."""

    def _read(self, day):
        if day < EARLIEST_DATE:
            raise ValidationError(_("Enter a date from 1900 on."))
        if day > local_today():
            raise ValidationError(_("This date is in the future."))
        return day


class LocalDateTime(_OptionalWhenEmpty, fields.Field):
    """A date and time typed in the user's time zone (``<input type="datetime-local">``),
    returned as an aware UTC datetime; years outside 2000–2100 are refused."""

    def _read(self, value):
        try:
            local = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(_("Enter a date and time.")) from None
        if not 2000 <= local.year <= 2100:
            raise ValidationError(_("Enter a date and time between 2000 and 2100."))
        if local.tzinfo is None:
            local = local.replace(tzinfo=ZoneInfo(select_timezone()))
        return local.astimezone(UTC)


class Choice(fields.String):
    """One of a fixed set of codes; an empty optional choice means none."""

    def __init__(self, choices, **kwargs):
        self.choices = tuple(choices)
        kwargs.setdefault("allow_none", not kwargs.get("required", False))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        if not value and not self.required:
            return None
        if value not in self.choices:
            raise ValidationError(_("Choose one of the listed options."))
        return value


class FormBool(fields.Boolean):
    """A checkbox: present means true; a missing box is false."""

    truthy = {"1", "true", "on", "yes", True}
    falsy = {"0", "false", "off", "no", "", False}


def translate_errors(messages):
    """Translate marshmallow's messages (a nested dict/list of strings) to the user's locale."""
    if isinstance(messages, Mapping):
        return {key: translate_errors(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_errors(message) for message in messages]
    text = str(messages)
    if not text:
        return text
    for pattern, template in _TEMPLATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _(template).format(**match.groupdict())
    return _(text)


def form_data(schema: ma.Schema, form: MultiDict) -> dict:
    """The submitted form as a dict for ``schema``: lists for List fields, else single values."""
    data = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if field.dump_only:
            continue
        if isinstance(field, fields.List):
            if key in form:
                data[key] = form.getlist(key)
            elif f"{key}-present" in form:  # an empty multi-select still means "none"
                data[key] = []
        elif isinstance(field, fields.Boolean):
            data[key] = key in form and form.get(key) not in ("", "0", "false", "off")
        elif key in form:
            data[key] = form.get(key)
    return data


def _messages(value) -> list[str]:
    """All messages under one field, whatever the nesting (list items, nested fields)."""
    if isinstance(value, Mapping):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [value]


def load_form(schema: ma.Schema, form: MultiDict) -> tuple[dict | None, dict]:
    """Validate a submitted form: (data, {}) or (None, {field: [translated messages]})."""
    try:
        return schema.load(form_data(schema, form)), {}
    except ValidationError as error:
        translated = translate_errors(error.messages)
        return None, {
            field: list(dict.fromkeys(_messages(value))) for field, value in translated.items()
        }


def enum_value(enum_class, raw) -> str | None:
    """``raw`` if it is one of ``enum_class``'s values (a query argument, say), else None."""
    return raw if raw in enum_class._value2member_map_ else None
