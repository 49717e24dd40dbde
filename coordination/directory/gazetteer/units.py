"""One administrative unit as a source gives it, before it meets the directory."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

LOCALES = ("vi", "lo", "zh", "en")
DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Unit:
    """``names``: locale → name; an empty name is one the source does not know (the
    interface falls back to English). ``parent`` and ``successors`` are codes of units of
    the same country, given before this one."""

    country: str
    code: str
    kind: str
    parent: str | None
    names: dict[str, str]
    reviewed: bool = False
    abolished_on: date | None = None
    successors: tuple[str, ...] = field(default=())


def ascii_name(text: str) -> str:
    """Vietnamese without its diacritics: "Hướng Phùng" → "Huong Phung"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_table(name: str) -> list[dict[str, str]]:
    """A tab-separated data file with a header; lines starting with # are comments."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        return [
            {key: unicodedata.normalize("NFC", (value or "").strip()) for key, value in row.items()}
            for row in csv.DictReader(lines, delimiter="\t")
        ]
