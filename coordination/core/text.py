"""Text helpers shared by features."""

from __future__ import annotations

import unicodedata

_LATIN_DIACRITICS = range(0x0300, 0x0370)  # combining marks used by Vietnamese and Latin


def search_key(*values: str | None) -> str:
    """A form of ``values`` for case- and accent-insensitive search, the same on every database.

    Vietnamese loses its diacritics (Đồn → don), everything is case-folded; Lao and Chinese
    keep their own marks and characters, which carry meaning.
    """
    text = clean_query(" ".join(value for value in values if value), max_length=100_000)
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if ord(c) not in _LATIN_DIACRITICS)
    return " ".join(unicodedata.normalize("NFC", kept).casefold().split())


def clean_query(value: str | None, max_length: int = 100) -> str:
    """A search or filter argument as typed: NFC, no control characters, trimmed, bounded.

    (PostgreSQL refuses NUL bytes outright, and no one searches for a control character.)
    """
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    kept = "".join(" " if unicodedata.category(c) == "Cc" else c for c in value)
    return " ".join(kept.split())[:max_length]
