"""Labels printed in several languages at once, from a stored table (no gettext).

A record exchanged across the border shows each label in every language of the record
("Cửa khẩu / ດ່ານຊາຍແດນ / 口岸"), as stored with the record when it was made, so that the
printout does not change when the translations do. ``Labels`` reads such a table:
``{key: {language: text}}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from reportlab.platypus import Flowable

from coordination.documents import styles
from coordination.documents.textlines import text_lines

SEPARATOR = " / "


def unique(texts: Iterable[str | None]) -> list[str]:
    """The non-empty texts, each once, in their order (two languages may agree: "Lao Bảo")."""
    seen: list[str] = []
    for text in texts:
        if text is None:
            continue
        text = str(text).strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def stacked(texts: Iterable[str | None], style: str, alt_style: str | None = None) -> Flowable:
    """The texts one under the other: the first in ``style``, the others in the font,
    size and colour of ``alt_style`` (default ``style + "-alt"`` when that style exists,
    else ``style``). Repeats and empty texts are left out; none at all gives the
    placeholder. One light flowable (``textlines.TextLines``), not a paragraph each."""
    if alt_style is None:
        alt_style = f"{style}-alt" if f"{style}-alt" in styles.STYLES else None
    return text_lines(unique(texts), style, alt_style)


class Labels:
    """Label texts of a stored table in the languages of a document, first one first.

    A label missing in a language falls back to ``fallback`` (English), then to the key;
    a label whose placeholders do not match (a translator's typo) is shown unformatted
    rather than failing the whole document.
    """

    def __init__(
        self,
        table: Mapping[str, Mapping[str, str]] | None,
        languages: Sequence[str],
        *,
        fallback: str = "en",
    ):
        self.table = table or {}
        self.languages = tuple(languages)
        self.fallback = fallback
        self._paragraphs: dict[tuple, Flowable] = {}

    def text(self, key: str, language: str, **params) -> str:
        entry = self.table.get(key)
        entry = entry if isinstance(entry, Mapping) else {}
        for candidate in (entry.get(language), entry.get(self.fallback)):
            if isinstance(candidate, str) and candidate.strip():
                template = candidate
                break
        else:
            template = key
        if not params:
            return template
        try:
            return template % params
        except (KeyError, ValueError, TypeError):
            return template

    def texts(self, key: str, **params) -> list[str]:
        """The label in each language of the document (repeats left out)."""
        return unique(self.text(key, language, **params) for language in self.languages)

    def joined(self, key: str, separator: str = SEPARATOR, **params) -> str:
        """The label in each language on one line: "Cửa khẩu / ດ່ານຊາຍແດນ / 口岸"."""
        return separator.join(self.texts(key, **params))

    def stacked(
        self, key: str, style: str = "label", alt_style: str | None = None, **params
    ) -> Flowable:
        """The label one language per line, the first language in ``style``.

        The same label in the same style is the same flowable: a table that shows "Yes"
        in every row lays it out once. (A flowable keeps its layout, so a ``Labels`` is
        for one document at a time.)
        """
        texts = tuple(self.texts(key, **params))
        cache_key = (texts, style, alt_style)
        found = self._paragraphs.get(cache_key)
        if found is None:
            found = self._paragraphs[cache_key] = stacked(texts, style, alt_style)
        return found

    def __contains__(self, key: str) -> bool:
        return key in self.table
