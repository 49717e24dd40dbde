"""Text helpers shared by features."""

from __future__ import annotations

import unicodedata

_LATIN_DIACRITICS = range(0x0300, 0x0370)  # combining marks used by Vietnamese and Latin


def search_key(*values: str | None) -> str:
    """A form of ``values`` for case- and accent-insensitive search, the same on every database.

    Vietnamese loses its diacritics (Đồn → don), everything is case-folded; Lao and Chinese
    keep their own marks and characters, which carry meaning.
    """
    text = " ".join(value for value in values if value).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if ord(c) not in _LATIN_DIACRITICS)
    return " ".join(unicodedata.normalize("NFC", kept).casefold().split())
