"""Shared person data as a reader sees it: labels and values in the reader's language."""

from __future__ import annotations

from datetime import date

from flask_babel import get_locale

from coordination.cases.case_file import documents_text, nationality_text
from coordination.cases.models import Sex
from coordination.core.formatting import date_text
from coordination.exchange.models import RequestPerson
from coordination.exchange.schemas import SHAREABLE_FIELDS

NAME_FIELDS = ("name_as_written", "name_romanised")


def shared_text(name: str, value) -> str | None:
    """One shared field's value as text in the reader's language, or None when empty.

    For the request pages and the case file alike. A shared copy outlives releases and may
    come from another system: an unexpected value is shown as it is rather than failing.
    """
    if value in (None, "", []):
        return None
    if name == "date_of_birth":
        try:
            return date_text(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if name == "sex":
        return Sex(value).label if value in Sex._value2member_map_ else str(value)
    if isinstance(value, dict) and "names" in value:  # a place: its name in the reader's language
        names = value["names"]
        if not isinstance(names, dict):
            return str(value)
        locale = get_locale()
        return (
            names.get(locale.language if locale else "vi")
            or names.get("en")
            or next(iter(names.values()), None)
        )
    if name in ("home_province", "home_commune"):
        return str(value)
    if name == "nationality":
        return nationality_text(str(value))
    if name == "identity_documents":
        return documents_text(value) if isinstance(value, list) else str(value)
    return str(value)


def shared_value(name: str, value) -> str:
    """As ``shared_text``, with a dash for an empty value (a table cell)."""
    return shared_text(name, value) or "—"


def shared_rows(person: RequestPerson) -> list[tuple[str, str]]:
    """(label, value) for each field the sender shared, names excepted (they head the block)."""
    return [
        (str(label), shared_value(name, person.shared[name]))
        for name, label in SHAREABLE_FIELDS.items()
        if name in person.shared and name not in NAME_FIELDS
    ]
