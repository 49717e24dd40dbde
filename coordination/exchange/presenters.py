"""Shared person data as a reader sees it: labels and values in the reader's language."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, get_locale

from coordination.cases.models import Sex
from coordination.cases.schemas import IDENTITY_DOCUMENT_LABELS
from coordination.exchange.models import RequestPerson
from coordination.exchange.schemas import SHAREABLE_FIELDS

NAME_FIELDS = ("name_as_written", "name_romanised")


def shared_value(name: str, value) -> str:
    """One shared field's value as text in the reader's language."""
    if value in (None, "", []):
        return "—"
    # A shared copy outlives releases and may come from another system: an unexpected
    # value is shown as it is rather than failing the page.
    if name == "date_of_birth":
        try:
            return format_date(date.fromisoformat(str(value)), "medium")
        except ValueError:
            return str(value)
    if name == "sex":
        return Sex(value).label if value in Sex._value2member_map_ else str(value)
    if name in ("home_province", "home_commune"):
        if not isinstance(value, dict) or not isinstance(value.get("names", {}), dict):
            return str(value)
        locale = get_locale()
        names = value.get("names", {})
        return names.get(locale.language if locale else "vi") or names.get("en") or "—"
    if name == "identity_documents":
        return "; ".join(
            f"{IDENTITY_DOCUMENT_LABELS.get(doc.get('kind'), doc.get('kind'))}: {doc.get('number')}"
            for doc in value
        )
    return str(value)


def shared_rows(person: RequestPerson) -> list[tuple[str, str]]:
    """(label, value) for each field the sender shared, names excepted (they head the block)."""
    return [
        (str(label), shared_value(name, person.shared[name]))
        for name, label in SHAREABLE_FIELDS.items()
        if name in person.shared and name not in NAME_FIELDS
    ]
