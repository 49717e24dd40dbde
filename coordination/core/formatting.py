"""How values read: one module for template filters and documents (PDFs) alike.

Dates and times in the reader's locale and time zone (Flask-Babel's selection, or the one a
document forces), names as written with their Latin form beside.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from flask_babel import format_date, format_datetime, get_timezone


def date_text(value: date | None, format: str = "medium") -> str:
    """A date in the reader's locale ("" when there is none)."""
    return format_date(value, format) if value else ""


def datetime_text(value: datetime | None, format: str = "medium") -> str:
    """A moment in the reader's locale and time zone ("" when there is none)."""
    return format_datetime(value, format) if value else ""


def local_input(value: datetime | None) -> str:
    """A UTC datetime as a ``datetime-local`` input value in the reader's time zone."""
    return value.astimezone(get_timezone()).strftime("%Y-%m-%dT%H:%M") if value else ""


def plain_text(value) -> str | None:
    """A stored scalar as stripped text, or None (empty, or not a scalar: a shared copy from
    another system may hold anything)."""
    if value is None or isinstance(value, Mapping | list | tuple):
        return None
    text = str(value).strip()
    return text or None


def name_with_romanised(written, romanised) -> str | None:
    """ "ບຸນມີ ແກ້ວວົງສາ (Bounmy Keovongsa)": the name as written, its Latin form beside when
    it says something more; either alone when the other is missing."""
    written, romanised = plain_text(written), plain_text(romanised)
    if written and romanised and romanised.casefold() != written.casefold():
        return f"{written} ({romanised})"
    return written or romanised
