"""The feed writes its VEVENTs itself (icalendar's Event is too slow for 5,000 of them):
the text must be byte for byte what icalendar makes, escaping and folding included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordination.calendar.entries import Entry
from coordination.calendar.feed import _reference_vevent, _vevent
from coordination.i18n import TIMEZONES

TITLES = (
    "Bàn giao tại Lao Bảo – Đen Xa Vẳn, 2 người",
    "ການສົ່ງມອບ ທີ່ ດ່ານ ລາວບາວ – ແດນສະຫວັນ, 12 ຄົນ",
    "在友谊关 – 友谊关口岸交接，3人",
    "Handover at Lao Bảo; a\\b, " + "x" * 200,
    "a" * 73,
    "a" * 74,
    "a" * 75,
    "é" * 40,
    "Dòng 1\nDòng 2\r\nDòng 3\\N 4\r5" + "^" * 80,
    "\\" * 100,
    "a," * 60,
)


def _entry(title: str, n: int, location: str | None) -> Entry:
    start = datetime(2027, 3, 1, 2, 30, 17, 123456, tzinfo=UTC) + timedelta(days=n, minutes=n)
    return Entry(
        uid=f"handover-{n}@coordination.example",
        sequence=n % 4,
        title=title,
        start=start,
        end=start + timedelta(hours=1),
        status=("confirmed", "tentative", "cancelled")[n % 3],
        url=f"/handovers/{n}",
        kind="handover",
        office_ids=(1, 2),
        location=location,
        modified=None if n % 5 == 0 else start - timedelta(days=3, microseconds=7),
    )


@pytest.mark.parametrize("zone", TIMEZONES)
@pytest.mark.parametrize("base_url", ["http://127.0.0.1", "https://" + "lienlac" * 12 + ".vn"])
def test_vevents_are_byte_for_byte_icalendars(zone, base_url):
    for n, title in enumerate(TITLES * 2):
        entry = _entry(title, n, None if n % 4 == 0 else title[:30] + ", cổng; 2")
        assert _vevent(entry, ZoneInfo(zone), base_url) == _reference_vevent(
            entry, ZoneInfo(zone), base_url
        ), (zone, title)


def test_other_zones_are_left_to_icalendar():
    entry = _entry(TITLES[0], 1, "Lao Bảo")
    for zone in ("UTC", "Europe/Paris"):
        assert _vevent(entry, ZoneInfo(zone), "http://x") == _reference_vevent(
            entry, ZoneInfo(zone), "http://x"
        )
